/** Atlassian's consent pages that never call back: what the user may type while waiting, and each page's fix. */
import { describe, expect, it } from 'vitest';
import { CONSENT_PROBLEMS, consentProblem, readWaitAnswer, whatToLookFor } from '../../src/auth/consent-problems.js';

const p = { redirectUri: 'http://localhost:8976/callback', scopes: ['read:sprint:jira-software'] };

describe('readWaitAnswer', () => {
  it.each([
    ['1', 'scopes-not-added'],
    [' 2 ', 'redirect-not-registered'],
    ['3', 'admin-approval'],
    ['4', 'sharing-off'],
    ['5', 'no-site-access'],
    ['This app has requested scopes that have not been added', 'scopes-not-added'],
    ['error=invalid_scope', 'scopes-not-added'],
    ['redirect_uri is not registered', 'redirect-not-registered'],
    ['Your site admin must authorize this app for the site acme.atlassian.net', 'admin-approval'],
    ['Only its developer can use it', 'sharing-off'],
    ['This app requires access to a Jira site which you don’t have', 'no-site-access'],
    ['Access denied', 'no-site-access'],
    ['http://localhost:8976/callback?code=abc&state=x', 'url'],
    ['https://auth.atlassian.com/authorize?redirect_uri=http://localhost:8976/callback', 'redirect-not-registered'],
    ['https://auth.atlassian.com/somewhere', 'url'],
    ['6', undefined],
    ['0', undefined],
    ['12', undefined],
    ['', undefined],
    ['help', undefined],
  ] as const)('%j ⇒ %s', (typed, kind) => expect(readWaitAnswer(typed)).toBe(kind));
});

describe('each page has its own fix', () => {
  it('five pages, five different fixes, each naming where to act', () => {
    const texts = CONSENT_PROBLEMS.map((k) => consentProblem(k, p));
    expect(new Set(texts.map((t) => t.hint)).size).toBe(5);
    expect(texts[0]!.hint).toContain('"View sprints"');
    expect(texts[1]!.hint).toContain('exactly http://localhost:8976/callback');
    expect(texts[2]!.hint).toContain('Connected apps');
    expect(texts[3]!.hint).toContain('Distribution');
    expect(texts[4]!.hint).toContain('Jira access');
  });
  it('the waiting text numbers every page in the menu’s order', () => {
    const said = whatToLookFor(p);
    CONSENT_PROBLEMS.forEach((k, i) => expect(said).toContain(`${i + 1}. ${consentProblem(k, p).looksLike}`));
  });
});
