/** The probe table’s own contract: every scope has one decision, and the reasons a scope is skipped. */
import { describe, expect, it } from 'vitest';
import { PROBES, UNPROBEABLE, isProbe, probeFor, uncoveredTokenScopes } from '../../src/atlassian/probes.js';
import { evidenceFor } from '../../src/checks/scope-drift.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';

describe('probeFor', () => {
  it('finds the probe or the reason for every scope, and refuses a scope nobody decided', () => {
    expect(isProbe(probeFor('read:sprint:jira-software'))).toBe(true);
    expect(isProbe(probeFor('read:project:jira'))).toBe(false);
    expect(() => probeFor('read:nothing:jira')).toThrow('no probe decision for token scope read:nothing:jira');
  });
  it('uncoveredTokenScopes lists exactly the scopes with no decision', () => {
    expect(uncoveredTokenScopes(['read:nothing:jira', 'read:jira-work', 'read:project:jira', 'write:nothing:jira'])).toEqual([
      'read:nothing:jira',
      'write:nothing:jira',
    ]);
  });
  it('says why each skipped scope cannot be checked alone', () => {
    const reason = (scope: string) => UNPROBEABLE.find((u) => u.scope === scope)?.reason;
    expect(reason('read:issue-type:jira')).toBe('every request that needs it also accepts read:jira-work, so no request can tell the two apart.');
    expect(reason('delete:issue-link:jira')).toBe('every request that needs it also accepts write:jira-work, so no request can tell the two apart.');
    expect(reason('delete:cmdb-object:jira')).toBe('it belongs to the Assets (CMDB) API, which no Jira request reaches.');
    expect(reason('delete:build-info:jira')).toBe('no Jira request uses it (it belongs to the DevOps builds API).');
  });
  it('the issue probe sends fields with nothing in them, so Jira must refuse it', () => {
    expect(PROBES.find((p) => p.scope === 'write:jira-work')?.body).toEqual({ fields: {} });
  });
});

describe('evidenceFor (scope drift): a passed probe proves a failing scope only when every way it could pass needs that scope', () => {
  const GRANULAR = [
    'read:issue-type:jira',
    'read:project:jira',
    'read:project.property:jira',
    'read:user:jira',
    'read:application-role:jira',
    'read:avatar:jira',
    'read:group:jira',
    'read:issue-type-hierarchy:jira',
    'read:project-category:jira',
    'read:project-version:jira',
    'read:project.component:jira',
  ];
  it('the webhook probe’s pass proves read:jira-work on a token that has it', () => {
    expect(evidenceFor('read:jira-work', ['manage:jira-webhook'], TOKEN_SCOPES)).toBe('manage:jira-webhook');
  });
  it('not when the token could not have passed that way at all (it lacks a scope of every set)', () => {
    expect(evidenceFor('read:jira-work', ['manage:jira-webhook'], ['manage:jira-webhook'])).toBeUndefined();
  });
  it('not when another way to pass does without the scope', () => {
    expect(evidenceFor('read:project:jira', ['read:jira-work'], ['read:jira-work', ...GRANULAR])).toBeUndefined();
    expect(evidenceFor('read:project:jira', ['read:jira-work'], GRANULAR)).toBe('read:jira-work');
  });
  it('a scope is never its own evidence, and a scope without a probe is no evidence', () => {
    expect(evidenceFor('read:sprint:jira-software', ['read:sprint:jira-software'], TOKEN_SCOPES)).toBeUndefined();
    expect(evidenceFor('read:jira-work', ['read:project:jira', 'read:sprint:jira-software'], TOKEN_SCOPES)).toBeUndefined();
    expect(evidenceFor('read:jira-work', ['read:project:jira', 'manage:jira-webhook'], TOKEN_SCOPES)).toBe('manage:jira-webhook');
  });
});
