import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/atlassian/http.js';
import { apiTokenVerdict, grantVerdict, identityVerdict, oauthClientVerdict, personalDataVerdict, probeVerdict, siteVerdict, tokenExpiryVerdict } from '../../src/checks/verdicts.js';
import { missingAppScopes, APP_SCOPES } from '../../src/atlassian/scopes.js';
import { NetworkError } from '../../src/atlassian/http.js';

const res = (status: number, body: unknown = {}, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, text: typeof body === 'string' ? body : JSON.stringify(body), url: 'x' });
const scope401 = res(401, { code: 401, message: 'Unauthorized; scope does not match' }, { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' });
const auth401 = res(401, { message: 'Client must be authenticated to access this resource.' });
const now = new Date(2026, 10, 29);

describe('probeVerdict (checks.md table)', () => {
  it.each([
    [200, 'pass'], [204, 'pass'], [400, 'pass'], [404, 'pass'], [409, 'pass'],
    [403, 'warn'], [429, 'warn'], [503, 'warn'], [500, 'warn'], [302, 'warn'],
  ] as const)('%i ⇒ %s', (status, verdict) => {
    expect(probeVerdict(res(status), 'read:sprint:jira-software').status).toBe(verdict);
  });
  it('401 scope mismatch ⇒ fail naming the scope and the fix', () => {
    const v = probeVerdict(scope401, 'write:sprint:jira-software', ' --profile b');
    expect(v.status).toBe('fail');
    expect(v.detail).toContain('write:sprint:jira-software');
    expect(v.hint).toContain('Update and delete sprints');
    expect(v.hint).toContain('kendis-jira rotate-token --profile b');
  });
  it('401 otherwise ⇒ credentials rejected, not a scope fail', () => {
    expect(probeVerdict(auth401, 'read:jira-work').credentialsRejected).toBe(true);
  });
  it('a network error ⇒ warn, inconclusive', () => {
    expect(probeVerdict(new Error('boom'), 'read:jira-work')).toMatchObject({ status: 'warn' });
  });
});

describe('apiTokenVerdict', () => {
  const base = { email: 'a@b.c', expiresOn: '2027-06-01', now };
  it('200 with the same e-mail passes', () => {
    expect(apiTokenVerdict({ ...base, answer: res(200, { accountId: '1', emailAddress: 'A@b.c' }) })).toMatchObject({ status: 'pass', authenticated: true });
  });
  it('200 with another e-mail warns', () => {
    expect(apiTokenVerdict({ ...base, answer: res(200, { accountId: '1', emailAddress: 'x@y.z' }) })).toMatchObject({ status: 'warn' });
  });
  it('401 scope mismatch proves the credentials (e-mail not compared)', () => {
    expect(apiTokenVerdict({ ...base, answer: scope401 })).toMatchObject({ status: 'pass', authenticated: true });
  });
  it('401 with an expired date says it expired', () => {
    const v = apiTokenVerdict({ ...base, expiresOn: '2026-11-01', answer: auth401 });
    expect(v.status).toBe('fail');
    expect(v.detail).toContain('expired on 2026-11-01');
  });
  it('401 but 200 on the site ⇒ a classic token created without scopes', () => {
    const v = apiTokenVerdict({ ...base, answer: auth401, siteAnswer: res(200, {}) });
    expect(v.detail).toContain('classic token');
    expect(v.hint).toContain('Create API token with scopes');
  });
  it('401 otherwise ⇒ e-mail/token mismatch or revoked', () => {
    expect(apiTokenVerdict({ ...base, answer: auth401, siteAnswer: res(401) }).detail).toContain('e-mail and API token pair');
  });
  it('a network failure fails with the network sentence', () => {
    const v = apiTokenVerdict({ ...base, answer: new NetworkError('dns', 'Could not find api.atlassian.com (DNS lookup failed).', 'Check the network.') });
    expect(v).toMatchObject({ status: 'fail', hint: 'Check the network.' });
  });
  it('429 ⇒ warn rate limited', () => {
    expect(apiTokenVerdict({ ...base, answer: res(429) }).detail).toContain('rate limiting');
  });
});

describe('tokenExpiryVerdict', () => {
  it.each([
    ['2027-01-01', 'pass'],
    ['2026-12-29', 'warn'],
    ['2026-11-29', 'warn'],
    ['2026-11-28', 'fail'],
    ['garbage', 'warn'],
  ] as const)('%s ⇒ %s', (date, status) => expect(tokenExpiryVerdict(date, now).status).toBe(status));
});

describe('oauthClientVerdict', () => {
  it.each([
    ['invalid_grant', 'pass'],
    ['access_denied', 'fail'],
    ['invalid_client', 'fail'],
    ['unauthorized_client', 'fail'],
    ['server_error', 'warn'],
  ] as const)('%s ⇒ %s', (error, status) => {
    expect(oauthClientVerdict({ ok: false, status: 400, error, description: undefined }).status).toBe(status);
  });
});

describe('site, grant, identity, personal data', () => {
  it('site: same cloud passes, another fails, an error fails with its hint', () => {
    expect(siteVerdict('c1', 'https://a', 'c1').status).toBe('pass');
    expect(siteVerdict('c2', 'https://a', 'c1').status).toBe('fail');
    expect(siteVerdict(Object.assign(new Error('No site.'), { hint: 'Check it.' }), 'https://a', 'c1')).toMatchObject({ status: 'fail', hint: 'Check it.' });
  });
  it('grant: names every missing app scope by its console title', () => {
    const granted = new Set(APP_SCOPES.map((s) => s.scope).filter((s) => s !== 'write:epic:jira-software'));
    const v = grantVerdict(granted, [{ id: 'c1', url: 'x', scopes: [] }], 'c1', missingAppScopes(granted));
    expect(v.status).toBe('fail');
    expect(v.detail).toContain('"Update epics" (write:epic:jira-software)');
  });
  it('grant: all scopes but another site fails', () => {
    const all = new Set(APP_SCOPES.map((s) => s.scope));
    expect(grantVerdict(all, [{ id: 'other', url: 'x', scopes: [] }], 'c1', []).status).toBe('fail');
    expect(grantVerdict(all, [{ id: 'c1', url: 'x', scopes: [] }], 'c1', []).status).toBe('pass');
  });
  it('identity and personal data', () => {
    expect(identityVerdict(res(200), { account_id: '1', email: 'a@b.c' }, 'a@b.c').status).toBe('pass');
    expect(identityVerdict(scope401, undefined, 'a@b.c').status).toBe('fail');
    expect(identityVerdict(res(200), { account_id: '1', email: 'z@b.c' }, 'a@b.c').status).toBe('warn');
    expect(personalDataVerdict(res(204)).status).toBe('pass');
    expect(personalDataVerdict(scope401).status).toBe('fail');
    expect(personalDataVerdict(undefined).status).toBe('skip');
  });
});
