import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/atlassian/http.js';
import { apiTokenVerdict, grantVerdict, identityVerdict, jiraPermissionsVerdict, oauthClientVerdict, personalDataVerdict, probeVerdict, siteVerdict, tokenExpiryVerdict } from '../../src/checks/verdicts.js';
import { NoProofError, UnknownSiteError } from '../../src/atlassian/client.js';
import { KENDIS_PERMISSIONS } from '../../src/atlassian/permissions.js';
import { missingAppScopes, APP_SCOPES } from '../../src/atlassian/scopes.js';
import { NetworkError } from '../../src/atlassian/http.js';

const res = (status: number, body: unknown = {}, headers: Record<string, string> = {}): HttpResponse => ({ status, headers, text: typeof body === 'string' ? body : JSON.stringify(body), url: 'x' });
const scope401 = res(401, { code: 401, message: 'Unauthorized; scope does not match' }, { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' });
const auth401 = res(401, { message: 'Client must be authenticated to access this resource.' });
const now = new Date(2026, 10, 29);

describe('probeVerdict (checks.md table)', () => {
  it.each([
    [200, 'pass'], [204, 'pass'], [400, 'pass'], [403, 'pass'], [404, 'pass'], [409, 'pass'], [422, 'pass'],
    [429, 'error'], [503, 'error'], [500, 'error'], [502, 'error'], [302, 'error'], [407, 'error'],
  ] as const)('%i ⇒ %s', (status, verdict) => {
    // What Jira itself sends: a document on success, its ErrorCollection on a refusal.
    const body = status < 300 ? { values: [] } : { errorMessages: ['Sprint does not exist.'], errors: {} };
    expect(probeVerdict(res(status, body), 'read:sprint:jira-software').status).toBe(verdict);
  });
  it('a JSON refusal that is not Jira’s ErrorCollection (a gateway’s or firewall’s {"code":404,"message":…}) proves nothing', () => {
    for (const status of [400, 403, 404, 409, 422]) {
      expect(probeVerdict(res(status, { code: status, message: 'Forbidden by policy' }), 'read:sprint:jira-software').status, String(status)).toBe('error');
      expect(probeVerdict(res(status, {}), 'read:sprint:jira-software').status, String(status)).toBe('error');
    }
    expect(probeVerdict(res(400, { errorMessages: [], errors: { project: 'Specify a valid project' } }), 'write:jira-work').status).toBe('pass');
    expect(probeVerdict(res(200, {}), 'read:jira-work').status).toBe('error');
  });
  it('a success that Jira cannot give proves nothing: empty, null, or for a request aimed at nothing', () => {
    expect(probeVerdict(res(204, ''), 'read:jira-work').status).toBe('error');
    expect(probeVerdict(res(200, 'null'), 'read:jira-work').status).toBe('error');
    expect(probeVerdict(res(200, {}), 'read:sprint:jira-software', '', undefined, true).status).toBe('error');
    expect(probeVerdict(res(400, []), 'write:jira-work').status).toBe('error');
    expect(probeVerdict(res(200, { values: [] }), 'read:jira-work').status).toBe('pass');
  });
  it('Jira’s refusals are JSON: an empty or plain-text 403/404 (a proxy, a Go server) proves nothing', () => {
    expect(probeVerdict(res(404, '404 page not found\n', { 'content-type': 'text/plain' }), 'read:sprint:jira-software').status).toBe('error');
    expect(probeVerdict(res(403, ''), 'read:sprint:jira-software').status).toBe('error');
    expect(probeVerdict(res(403, { errorMessages: ['You do not have permission.'] }), 'read:sprint:jira-software').status).toBe('pass');
  });
  it('an HTML page is `error` whatever its status: a proxy or outage page proves nothing', () => {
    for (const status of [200, 403, 404, 502]) {
      const v = probeVerdict({ ...res(status, '<html><body>Bad gateway</body></html>', { 'content-type': 'text/html' }), url: 'https://api.atlassian.com/ex/jira/c/rest' }, 'read:jira-work');
      expect(v.status, String(status)).toBe('error');
      expect(v.detail).toContain(`${status} from api.atlassian.com`);
      expect(v.detail).toContain('HTML page');
    }
  });
  it('401 scope mismatch ⇒ fail naming the scope and the fix', () => {
    const v = probeVerdict(scope401, 'write:sprint:jira-software', 'kendis-jira rotate-token --profile b');
    expect(v.status).toBe('fail');
    expect(v.detail).toContain('scope does not match');
    expect(v.hint).toContain('write:sprint:jira-software');
    expect(v.hint).toContain('Update and delete sprints');
    expect(v.hint).toContain('kendis-jira rotate-token --profile b');
  });
  it('401 otherwise ⇒ the scope is not checked (api-token fails instead), never a scope fail', () => {
    expect(probeVerdict(auth401, 'read:jira-work')).toMatchObject({ status: 'skip', detail: expect.stringContaining('see the api-token check') });
  });
  it('a network error ⇒ error, saying what happened', () => {
    expect(probeVerdict(new Error('api.atlassian.com did not answer within 20 s.'), 'read:jira-work')).toMatchObject({ status: 'error', detail: expect.stringContaining('did not answer within 20 s') });
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
    const v = apiTokenVerdict({ ...base, answer: auth401, siteAnswer: res(200, { accountId: '1' }) });
    expect(v.detail).toContain('classic token');
    expect(v.hint).toContain('Create API token with scopes');
  });
  it('401 otherwise ⇒ e-mail/token mismatch or revoked', () => {
    expect(apiTokenVerdict({ ...base, answer: auth401, siteAnswer: res(401) }).detail).toContain('e-mail and API token pair');
  });
  it('a network failure fails with the network sentence', () => {
    const v = apiTokenVerdict({ ...base, answer: new NetworkError('dns', 'Could not find api.atlassian.com (DNS lookup failed).', 'Check the network.') });
    expect(v).toMatchObject({ status: 'error', authenticated: false, hint: 'Check the network.' });
  });
  it('429 ⇒ error, rate limited', () => {
    expect(apiTokenVerdict({ ...base, answer: res(429) })).toMatchObject({ status: 'error', detail: expect.stringContaining('rate limiting') });
  });
  it.each([500, 502, 503, 302])('%i ⇒ error, never authenticated', (status) => {
    expect(apiTokenVerdict({ ...base, answer: res(status) })).toMatchObject({ status: 'error', authenticated: false });
  });
  it('200 that is not Jira account data (a captive portal) ⇒ error', () => {
    expect(apiTokenVerdict({ ...base, answer: res(200, '<html>Sign in to the Wi-Fi</html>') })).toMatchObject({ status: 'error', authenticated: false });
  });
  it('403 (no Jira access, or an IP allowlist) ⇒ fail, not authenticated', () => {
    expect(apiTokenVerdict({ ...base, answer: res(403, { errorMessages: [] }) })).toMatchObject({ status: 'fail', authenticated: false });
  });
  it('a token from KENDIS_JIRA_API_TOKEN that fails names the variable, not the stored token', () => {
    const v = apiTokenVerdict({ ...base, answer: auth401, fromEnv: true });
    expect(v.hint).toContain('KENDIS_JIRA_API_TOKEN');
    expect(v.hint).not.toContain('rotate-token');
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
    ['server_error', 'error'],
    ['unknown', 'error'],
  ] as const)('%s ⇒ %s', (error, status) => {
    expect(oauthClientVerdict({ ok: false, status: 400, error, description: undefined }).status).toBe(status);
  });
  it('a 5xx is error even when its body says invalid_grant', () => {
    expect(oauthClientVerdict({ ok: false, status: 502, error: 'invalid_grant', description: undefined }).status).toBe('error');
    // A redirect or rate limiting is not Atlassian judging the code, whatever the body says.
    expect(oauthClientVerdict({ ok: false, status: 302, error: 'invalid_grant', description: undefined }).status).toBe('error');
    expect(oauthClientVerdict({ ok: false, status: 429, error: 'invalid_grant', description: undefined }).status).toBe('error');
    expect(oauthClientVerdict({ ok: false, status: 302, error: 'invalid_client', description: undefined }).status).toBe('error');
  });
  it('a network error or an exchanged impossible code ⇒ error', () => {
    expect(oauthClientVerdict(new Error('auth.atlassian.com did not answer within 20 s.')).status).toBe('error');
    expect(oauthClientVerdict({ ok: true, token: { access_token: 'x' } }).status).toBe('error');
  });
});

describe('site, grant, identity, personal data', () => {
  it('site: same cloud passes, another or an unknown site fails, no answer is error', () => {
    expect(siteVerdict('c1', 'https://a', 'c1').status).toBe('pass');
    expect(siteVerdict('c2', 'https://a', 'c1').status).toBe('fail');
    expect(siteVerdict(new UnknownSiteError('https://a', 404), 'https://a', 'c1')).toMatchObject({ status: 'fail', hint: expect.stringContaining('URL you use to open Jira') });
    expect(siteVerdict(new NoProofError('502 from a'), 'https://a', 'c1').status).toBe('error');
    expect(siteVerdict(Object.assign(new Error('a did not answer within 20 s.'), { hint: 'Check it.' }), 'https://a', 'c1')).toMatchObject({ status: 'error', hint: 'Check it.' });
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
    expect(personalDataVerdict(res(502)).status).toBe('error');
    expect(identityVerdict(res(500), undefined, 'a@b.c').status).toBe('error');
  });
});

describe('jiraPermissionsVerdict', () => {
  const perms = (have: (key: string) => boolean) => res(200, { permissions: Object.fromEntries(KENDIS_PERMISSIONS.map((p) => [p.key, { havePermission: have(p.key) }])) });
  it('all held ⇒ pass', () => expect(jiraPermissionsVerdict(perms(() => true)).status).toBe('pass'));
  it('a missing one ⇒ warn naming it and what stops working in Kendis', () => {
    const v = jiraPermissionsVerdict(perms((k) => k !== 'LINK_ISSUES'));
    expect(v.status).toBe('warn');
    expect(v.detail).toContain('"Link Issues"');
    expect(v.detail).toContain('dependencies');
  });
  it('never a fail; a missing read:jira-work is a skip; an outage is error', () => {
    expect(jiraPermissionsVerdict(perms(() => false)).status).toBe('warn');
    expect(jiraPermissionsVerdict(scope401).status).toBe('skip');
    expect(jiraPermissionsVerdict(res(502)).status).toBe('error');
    expect(jiraPermissionsVerdict(res(200, '<html></html>')).status).toBe('error');
  });
});
