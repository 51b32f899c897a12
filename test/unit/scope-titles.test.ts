/** Every scope title this tool shows is Atlassian's own, from one table; the data is complete. */
import { describe, expect, it } from 'vitest';
import { APP_SCOPES, ATLASSIAN_SCOPES, TOKEN_SCOPES, TOKEN_SCOPE_USES, scopeTitle } from '../../src/atlassian/scopes.js';
import { printTokenScopes } from '../../src/wizard/token-instructions.js';
import { checkTitle } from '../../src/checks/run-checks.js';
import { evidenceFor } from '../../src/checks/scope-drift.js';
import { makeTestDeps } from '../helpers/test-deps.js';

describe('scope titles', () => {
  it('Atlassian titles for the two classic scopes Kendis users search by', () => {
    expect(scopeTitle('read:jira-work')).toBe('View Jira issue data');
    expect(scopeTitle('write:jira-work')).toBe('Create and manage issues');
  });

  it('every title shown (console list, token checklist, check titles) equals the one table', () => {
    for (const s of APP_SCOPES) expect(s.title).toBe(ATLASSIAN_SCOPES[s.scope]!.title);
    for (const scope of TOKEN_SCOPES) expect(checkTitle(`scope:${scope}`)).toBe(ATLASSIAN_SCOPES[scope]!.title);
    const deps = makeTestDeps();
    printTokenScopes(deps.io, '');
    for (const scope of TOKEN_SCOPES)
      expect(deps.stderr.text).toMatch(new RegExp(`\\[ \\] ${ATLASSIAN_SCOPES[scope]!.title.replace(/[()]/g, '\\\\$&')} +${scope}`));
  });

  it('five token scopes on the Classic tab, ten on the Granular tab, each with what Kendis uses it for', () => {
    expect(TOKEN_SCOPES.filter((s) => ATLASSIAN_SCOPES[s]!.tab === 'Classic')).toHaveLength(5);
    expect(TOKEN_SCOPES.filter((s) => ATLASSIAN_SCOPES[s]!.tab === 'Granular')).toHaveLength(10);
    for (const scope of TOKEN_SCOPES) expect(TOKEN_SCOPE_USES[scope]).toBeTruthy();
    expect(TOKEN_SCOPE_USES['manage:jira-webhook']).toContain('webhooks for real-time sync');
  });

  it('the app asks for exactly Kendis’ three APIs and six Jira permissions, nothing more', () => {
    expect(APP_SCOPES.filter((s) => s.kind === 'api')).toHaveLength(2); // + "Jira API" itself
    expect(APP_SCOPES.filter((s) => s.kind === 'jira').map((s) => s.title)).toEqual([
      'View projects',
      'View boards, backlogs, and related items',
      'View epics and related issues',
      'Update epics',
      'View sprints',
      'Update and delete sprints',
    ]);
  });

  it('prints a paste-ready list on one line', () => {
    const deps = makeTestDeps();
    printTokenScopes(deps.io, '');
    expect(deps.stderr.text.split('\n')).toContain(TOKEN_SCOPES.join(' '));
  });
});

describe('scope drift evidence (pure)', () => {
  it('a passed webhook probe proves read:jira-work (its operation needs both)', () => {
    expect(evidenceFor('read:jira-work', ['manage:jira-webhook'], TOKEN_SCOPES)).toBe('manage:jira-webhook');
  });
  it('no evidence from probes whose operation does not need the scope', () => {
    expect(evidenceFor('read:jira-work', ['read:sprint:jira-software'], TOKEN_SCOPES)).toBeUndefined();
    expect(evidenceFor('write:epic:jira-software', ['manage:jira-webhook', 'read:sprint:jira-software'], TOKEN_SCOPES)).toBeUndefined();
  });
});
