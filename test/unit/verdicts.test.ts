/**
 * The verdicts as contracts (checks.md, "Probes" and "What counts as Jira's own answer"): tables of
 * status × body shape → status, for every kind of request the checks send. A verdict passes only on
 * the documented success in its documented shape, or on Jira's own non-empty ErrorCollection.
 */
import { describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../src/atlassian/http.js';
import {
  apiTokenVerdict,
  combinePermissions,
  credentialsRefusedMidRun,
  errorText,
  grantVerdict,
  identityVerdict,
  jiraPermissionsVerdict,
  noProof,
  oauthClientVerdict,
  personalDataVerdict,
  probeVerdict,
  refusedCredentials,
  siteVerdict,
  tokenExpiryVerdict,
  callbackRefused,
  REFUSED_MID_RUN,
} from '../../src/checks/verdicts.js';
import { NoProofError, UnknownSiteError } from '../../src/atlassian/client.js';
import { KENDIS_PERMISSIONS, permissionsFor } from '../../src/atlassian/permissions.js';
import { missingAppScopes, APP_SCOPES } from '../../src/atlassian/scopes.js';
import { NetworkError } from '../../src/atlassian/http.js';
import { PROBES, type Probe } from '../../src/atlassian/probes.js';
import { operationById } from '../../src/atlassian/operations.js';
import { codeRefused } from '../../src/atlassian/client-credentials.js';

const GATEWAY = 'https://api.atlassian.com/ex/jira/c1/rest/api/3/x';
const res = (status: number, body: unknown = {}, headers: Record<string, string> = {}, url = GATEWAY): HttpResponse => ({
  status,
  headers,
  text: typeof body === 'string' ? body : JSON.stringify(body),
  url,
});
const scope401 = res(401, { code: 401, message: 'Unauthorized; scope does not match' }, { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' });
const scope401Header = res(401, { code: 401, message: 'Unauthorized' }, { 'x-failure-category': 'failure_client_scope_check' });
const scope401Text = res(401, '{"code":401,"message":"Unauthorized; scope does not match"}');
const auth401 = res(401, { message: 'Client must be authenticated to access this resource.' });
const now = new Date(2026, 10, 29);
const probe = (scope: string): Probe => {
  const found = PROBES.find((p) => p.scope === scope);
  if (!found) throw new Error(scope);
  return found;
};
const READ = probe('read:sprint:jira-software');
const WRITE = probe('write:sprint:jira-software');
const JIRA_REFUSAL = { errorMessages: ['Sprint does not exist or you do not have permission to see it.'], errors: {} };

/** A body in the documented success shape of a probe's operation, built from its evidence fields. */
function documentedSuccess(p: Probe): { status: number; body: unknown } {
  const op = operationById(p.operationId);
  if (p.method === 'DELETE') return { status: 204, body: '' };
  if (op.evidence === 'array') return { status: 200, body: [] };
  const sample: Record<string, unknown> = {};
  const value = { array: [], boolean: true, number: 1, string: 'x', object: {} } as const;
  for (const [field, type] of Object.entries(op.evidence ?? {})) sample[field] = value[type];
  return { status: op.id === 'issue-create' ? 201 : 200, body: sample };
}

describe('probeVerdict: the documented success proves a read, never a write aimed at nothing', () => {
  for (const p of PROBES) {
    const { status, body } = documentedSuccess(p);
    it(`${p.method} ${p.operationId}: documented ${status} ⇒ ${p.method === 'GET' ? 'pass' : 'error'}`, () => {
      const v = probeVerdict(res(status, body), p);
      expect(v.status).toBe(p.method === 'GET' ? 'pass' : 'error');
      if (p.method !== 'GET') expect(v.detail).toContain('should have refused it');
      else expect(v.detail).toBe(`On the token (Jira answered ${status}).`);
    });
  }

  it('a 2xx the operation does not document proves nothing (exact statuses: 201 is not 200, 204 is not 200)', () => {
    expect(probeVerdict(res(204, ''), READ).status).toBe('error');
    expect(probeVerdict(res(201, { id: 1, state: 'active' }), READ).status).toBe('error');
    expect(probeVerdict(res(299, { id: 1, state: 'active' }), READ).status).toBe('error');
    expect(probeVerdict(res(200, { id: '1', key: 'K' }), probe('write:jira-work')).detail).toContain('a success status this request does not document');
  });

  it.each([
    ['[]', []],
    ['{}', {}],
    ['{"status":"blocked by policy"}', { status: 'blocked by policy' }],
    ['null', null],
    ['an empty body', ''],
    ['plain text', 'OK'],
    ['an HTML page', '<!doctype html><html><body>Blocked</body></html>'],
    ['a field of the wrong type', { id: '1', state: 'active' }],
    ['a missing field', { id: 1 }],
  ])('a 200 with %s is not the documented sprint: error', (_name, body) => {
    const v = probeVerdict(res(200, body), READ);
    expect(v.status).toBe('error');
    expect(v.detail).toMatch(/^Something other than Jira answered \(200 from api\.atlassian\.com/);
  });

  it('a page must carry its "values" list, "isLast" flag and paging numbers', () => {
    const page = probe('read:jira-work');
    expect(probeVerdict(res(200, { values: [], isLast: true, startAt: 0, maxResults: 50 }), page).status).toBe('pass');
    expect(probeVerdict(res(200, { values: [], isLast: true }), page).status).toBe('error');
    expect(probeVerdict(res(200, { values: [], isLast: true, startAt: '0', maxResults: 50 }), page).status).toBe('error');
    expect(probeVerdict(res(200, { values: [], startAt: 0, maxResults: 50 }), page).status).toBe('error');
    expect(probeVerdict(res(200, { isLast: true, startAt: 0, maxResults: 50 }), page).status).toBe('error');
    expect(probeVerdict(res(200, { values: {}, isLast: true, startAt: 0, maxResults: 50 }), page).status).toBe('error');
    expect(probeVerdict(res(200, { values: [], isLast: 'true', startAt: 0, maxResults: 50 }), page).status).toBe('error');
    expect(probeVerdict(res(200, []), page).status).toBe('error');
  });

  it('a delete aimed at nothing that "succeeds" with a body is not Jira either', () => {
    expect(probeVerdict(res(204, '{"ok":true}'), probe('delete:avatar:jira')).status).toBe('error');
    expect(probeVerdict(res(200, ''), probe('delete:avatar:jira')).status).toBe('error');
  });
});

describe('probeVerdict: Jira’s own refusal (a non-empty ErrorCollection at 400/403/404/409/422) proves the scope', () => {
  const statuses = [400, 403, 404, 409, 422];
  it.each(statuses)('%i with errorMessages ⇒ pass', (status) => {
    expect(probeVerdict(res(status, JIRA_REFUSAL), READ).status).toBe('pass');
    expect(probeVerdict(res(status, JIRA_REFUSAL), WRITE).status).toBe('pass');
  });
  it.each(statuses)('%i with only errors ⇒ pass', (status) => {
    expect(probeVerdict(res(status, { errorMessages: [], errors: { project: 'Specify a valid project ID or key' } }), READ).status).toBe('pass');
  });
  it.each([
    ['{"errorMessages":[]}', { errorMessages: [] }],
    ['{"errorMessages":[],"errors":{}}', { errorMessages: [], errors: {} }],
    ['{"errors":null}', { errors: null }],
    ['{"errors":[]}', { errors: [] }],
    ['{"errors":["x"]}', { errors: ['x'] }],
    ['{"errorMessages":"x"}', { errorMessages: 'x' }],
    ['{"errorMessages":[1]}', { errorMessages: [1] }],
    ['{"errorMessages":[""]}', { errorMessages: [''] }],
    ['{"errorMessages":["  "]}', { errorMessages: ['  '] }],
    ['{"errors":{"a":1}}', { errors: { a: 1 } }],
    ['{"errorMessages":["x"],"errors":null}', { errorMessages: ['x'], errors: null }],
    ['{"errorMessages":null,"errors":{"a":"b"}}', { errorMessages: null, errors: { a: 'b' } }],
    ['a gateway’s {"code":404,"message":…}', { code: 404, message: 'Not found' }],
    ['{}', {}],
    ['[]', []],
    ['["x"]', ['x']],
    ['an empty body', ''],
    ['plain text', '404 page not found\n'],
    ['an HTML page', '<html><body>Forbidden</body></html>'],
  ])('%s is not Jira refusing anything: error at every refusal status', (_name, body) => {
    for (const status of statuses) expect(probeVerdict(res(status, body), READ).status, String(status)).toBe('error');
  });
  it('the 403 line says the account’s permissions are another check, or what the operation’s 403 means', () => {
    expect(probeVerdict(res(403, JIRA_REFUSAL), READ).detail).toBe(
      'On the token (Jira itself answered 403, so the request got past Atlassian’s scope check; what the account may do is the jira-permissions check).',
    );
    expect(probeVerdict(res(403, JIRA_REFUSAL), probe('manage:jira-webhook')).detail).toContain('lists webhooks only to apps');
    expect(probeVerdict(res(404, JIRA_REFUSAL), READ).detail).toBe(
      'On the token (Jira itself answered 404 to a test request aimed at nothing, so it got past Atlassian’s scope check).',
    );
  });
});

describe('probeVerdict: everything else', () => {
  it.each([100, 199, 300, 301, 302, 304, 307, 402, 405, 407, 410, 418, 451, 500, 501, 502, 504, 599])('%i, even with Jira’s refusal body ⇒ error', (status) => {
    const v = probeVerdict(res(status, JIRA_REFUSAL), READ);
    expect(v.status).toBe('error');
    expect(v.hint).toContain('Nothing was concluded');
  });
  it.each([429, 503])('%i ⇒ error, rate limited', (status) => {
    expect(probeVerdict(res(status, JIRA_REFUSAL), READ)).toMatchObject({
      status: 'error',
      detail: `Atlassian kept rate limiting (${status}); the scope could not be checked.`,
      hint: 'Wait a minute and run the test again.',
    });
  });
  it('401 scope mismatch (message, header in any case, or both) ⇒ fail naming the scope and the fix', () => {
    for (const answer of [scope401, scope401Header, scope401Text]) {
      const v = probeVerdict(answer, WRITE, 'kendis-jira rotate-token --profile b');
      expect(v.status).toBe('fail');
      expect(v.detail).toBe('Missing from the API token (Atlassian answered 401: scope does not match).');
      expect(v.hint).toContain('"Update and delete sprints" (write:sprint:jira-software)');
      expect(v.hint).toContain('`kendis-jira rotate-token --profile b`');
    }
    expect(probeVerdict(scope401, WRITE).hint).toContain('`kendis-jira rotate-token`');
  });
  it('401 otherwise ⇒ the scope is not checked (api-token fails instead), never a scope fail', () => {
    expect(probeVerdict(auth401, READ)).toEqual({
      status: 'skip',
      detail: 'Not checked: Atlassian refused the e-mail and API token for this request (401); see the api-token check.',
    });
    expect(probeVerdict(res(401, ''), READ).status).toBe('skip');
  });
  it('a network error ⇒ error, saying what happened', () => {
    expect(probeVerdict(new Error('api.atlassian.com did not answer within 20 s.'), READ)).toMatchObject({
      status: 'error',
      detail: expect.stringContaining('did not answer within 20 s'),
    });
  });
  it('an error detail names what came back, from which host, and the request id for Atlassian support', () => {
    const v = probeVerdict(res(502, '<html>Bad gateway</html>', { 'content-type': 'text/html', 'x-arequestid': 'req-42' }), READ);
    expect(v.detail).toBe('Jira did not answer (502 from api.atlassian.com, an HTML page (a proxy, captive portal or outage page?), request id req-42).');
  });
});

describe('refusedCredentials: a 401 that is about the credentials, not a scope', () => {
  it('is true only for a 401 without "scope does not match"', () => {
    expect(refusedCredentials(auth401)).toBe(true);
    expect(refusedCredentials(scope401)).toBe(false);
    expect(refusedCredentials(scope401Header)).toBe(false);
    expect(refusedCredentials(res(403, JIRA_REFUSAL))).toBe(false);
    expect(refusedCredentials(res(200, { accountId: 'a' }))).toBe(false);
    expect(refusedCredentials(new Error('x'))).toBe(false);
  });
  it('credentialsRefusedMidRun fails api-token with the fix for the token’s source', () => {
    expect(credentialsRefusedMidRun('kj rotate-token')).toMatchObject({
      status: 'fail',
      detail: REFUSED_MID_RUN,
      hint: expect.stringContaining('run `kj rotate-token`'),
    });
    expect(credentialsRefusedMidRun('kj rotate-token', true).hint).toContain('set KENDIS_JIRA_API_TOKEN');
    expect(credentialsRefusedMidRun().hint).toContain('`kendis-jira rotate-token`');
  });
});

describe('apiTokenVerdict (/myself)', () => {
  const base = { email: 'a@b.c', expiresOn: '2027-06-01', now };
  it('200 with the account and the same e-mail (any case) passes', () => {
    expect(apiTokenVerdict({ ...base, answer: res(200, { accountId: '1', emailAddress: 'A@b.c' }) })).toEqual({
      status: 'pass',
      authenticated: true,
      detail: 'Signed in as A@b.c.',
    });
  });
  it('200 with the e-mail hidden names the display name, or the account', () => {
    expect(apiTokenVerdict({ ...base, answer: res(200, { accountId: '1', displayName: 'Ann' }) }).detail).toBe(
      'Signed in as Ann (e-mail hidden by privacy settings).',
    );
    expect(apiTokenVerdict({ ...base, answer: res(200, { accountId: '1' }) }).detail).toBe(
      'Signed in as the configured account (e-mail hidden by privacy settings).',
    );
  });
  it('200 with another e-mail warns, and names setup', () => {
    const v = apiTokenVerdict({ ...base, answer: res(200, { accountId: '1', emailAddress: 'x@y.z' }), setupCommand: 'kj setup --profile p' });
    expect(v).toMatchObject({ status: 'warn', authenticated: true, detail: 'The token signs in as x@y.z, not a@b.c.' });
    expect(v.hint).toContain('`kj setup --profile p`');
  });
  it.each([
    ['no accountId', { emailAddress: 'a@b.c' }],
    ['accountId not a string', { accountId: 1, emailAddress: 'a@b.c' }],
    ['{}', {}],
    ['[]', []],
    ['a captive portal', '<html>Sign in to the Wi-Fi</html>'],
    ['empty', ''],
  ])('200 that is not Jira’s account (%s) ⇒ error, never authenticated', (_name, body) => {
    const v = apiTokenVerdict({ ...base, answer: res(200, body) });
    expect(v).toMatchObject({ status: 'error', authenticated: false });
    expect(v.detail).toContain('200 from api.atlassian.com');
  });
  it('401 scope mismatch proves the credentials (e-mail not compared)', () => {
    expect(apiTokenVerdict({ ...base, answer: scope401 })).toMatchObject({
      status: 'pass',
      authenticated: true,
      detail: expect.stringContaining('lacks read:jira-user'),
    });
  });
  it('401 with an expired date says it expired (not for a token from the environment)', () => {
    const v = apiTokenVerdict({ ...base, expiresOn: '2026-11-28', answer: auth401 });
    expect(v).toMatchObject({ status: 'fail', authenticated: false, detail: 'Atlassian rejected the API token: it expired on 2026-11-28.' });
    expect(apiTokenVerdict({ ...base, expiresOn: '2026-11-29', answer: auth401 }).detail).toContain('e-mail and API token pair');
    expect(apiTokenVerdict({ ...base, expiresOn: '2026-11-28', answer: auth401, fromEnv: true }).detail).toContain('e-mail and API token pair');
  });
  it('401 but Jira’s account on the site ⇒ a classic token created without scopes', () => {
    const v = apiTokenVerdict({ ...base, answer: auth401, siteAnswer: res(200, { accountId: '1' }) });
    expect(v).toMatchObject({ status: 'fail', authenticated: false });
    expect(v.detail).toContain('classic token');
    expect(v.hint).toContain('Create API token with scopes');
  });
  it('401 and a site answer that is not Jira’s account ⇒ the pair, not "classic"', () => {
    for (const site of [res(401), res(200, {}), res(200, '<html></html>'), new Error('x')]) {
      expect(apiTokenVerdict({ ...base, answer: auth401, siteAnswer: site }).detail).toContain('e-mail and API token pair');
    }
  });
  it('401 otherwise ⇒ e-mail/token mismatch or revoked, with the fix for where the token came from', () => {
    const stored = apiTokenVerdict({ ...base, answer: auth401, rotateCommand: 'kj rotate-token' });
    expect(stored).toMatchObject({ status: 'fail', authenticated: false });
    expect(stored.hint).toContain('run `kj rotate-token`');
    const env = apiTokenVerdict({ ...base, answer: auth401, fromEnv: true });
    expect(env.hint).toContain('KENDIS_JIRA_API_TOKEN');
    expect(env.hint).not.toContain('rotate-token');
  });
  it('Jira’s own 403 refusal of the account ⇒ fail quoting Jira', () => {
    const v = apiTokenVerdict({ ...base, answer: res(403, { errorMessages: ['You do not have access to Jira.'] }) });
    expect(v).toMatchObject({ status: 'fail', authenticated: false, detail: 'Jira refused the account on this site (403: You do not have access to Jira.).' });
  });
  it.each([
    ['plain text', 'Forbidden'],
    ['a gateway’s JSON', { code: 403, message: 'Forbidden' }],
    ['an empty ErrorCollection', { errorMessages: [] }],
  ])('a 403 that is not Jira’s (%s) ⇒ error with the likely cause said as one', (_name, body) => {
    const v = apiTokenVerdict({ ...base, answer: res(403, body) });
    expect(v).toMatchObject({ status: 'error', authenticated: false });
    expect(v.detail).toMatch(
      /^Atlassian's API gateway answered 403 from api\.atlassian\.com.*: probably the site accepts requests only from allowed IP addresses, or a proxy answered instead\.$/,
    );
  });
  it('a 404 that is not Jira’s ⇒ error: probably an unknown cloud id, or a proxy', () => {
    const v = apiTokenVerdict({ ...base, answer: res(404, { code: 404, message: 'Not found' }), setupCommand: 'kj setup' });
    expect(v).toMatchObject({ status: 'error', authenticated: false });
    expect(v.detail).toContain('probably it does not know this site');
    expect(v.hint).toContain('`kj setup`');
  });
  it('a network failure ⇒ error with the network sentence', () => {
    const v = apiTokenVerdict({ ...base, answer: new NetworkError('dns', 'Could not find api.atlassian.com (DNS lookup failed).', 'Check the network.') });
    expect(v).toEqual({
      status: 'error',
      authenticated: false,
      detail: "Atlassian's API gateway did not answer (Could not find api.atlassian.com (DNS lookup failed)).",
      hint: 'Check the network.',
    });
  });
  it.each([429, 503])('%i ⇒ error, rate limited', (status) => {
    expect(apiTokenVerdict({ ...base, answer: res(status) })).toMatchObject({
      status: 'error',
      authenticated: false,
      detail: `Atlassian kept rate limiting (${status}); the token could not be checked.`,
    });
  });
  it.each([500, 502, 302, 204, 201, 400, 409])('%i ⇒ error, never authenticated', (status) => {
    expect(apiTokenVerdict({ ...base, answer: res(status, { accountId: '1' }) })).toMatchObject({ status: 'error', authenticated: false });
  });
});

describe('tokenExpiryVerdict', () => {
  it.each([
    ['2027-01-01', 'pass', 'Expires on 2027-01-01'],
    ['2026-12-30', 'pass', 'Expires on 2026-12-30'],
    ['2026-12-29', 'warn', 'The token expires on 2026-12-29'],
    ['2026-11-29', 'warn', 'The token expires on 2026-11-29'],
    ['2026-11-28', 'fail', 'The token expired on 2026-11-28'],
    ['garbage', 'warn', 'No valid expiry date is saved.'],
  ] as const)('%s ⇒ %s', (date, status, detail) => {
    const v = tokenExpiryVerdict(date, now, 'kj rotate-token');
    expect(v.status).toBe(status);
    expect(v.detail).toContain(detail);
    if (status !== 'pass') expect(v.hint).toContain('`kj rotate-token`');
    else expect(v.hint).toBeUndefined();
  });
});

describe('oauthClientVerdict (the token endpoint, a code that cannot be valid)', () => {
  const refused = (status: number, error: string, description?: string) => ({ ok: false as const, status, error, description });
  it.each([
    // Atlassian today, and before 2023 (atlassian.md): a refused code proves the client credentials.
    [400, 'invalid_request', 'authorization_code is invalid', 'pass'],
    [400, 'invalid_request', 'Invalid authorization code', 'pass'],
    [400, 'invalid_request', 'The authorisation code expired', 'pass'],
    // Only a sentence about the authorization code counts: "code" alone is any middlebox's word.
    [400, 'invalid_request', 'The code has expired', 'error'],
    [403, 'invalid_grant', 'Invalid authorization code', 'pass'],
    [400, 'invalid_grant', undefined, 'pass'],
    [499, 'invalid_grant', undefined, 'error'],
    // A refused client fails.
    [401, 'access_denied', 'Unauthorized', 'fail'],
    [401, 'invalid_client', undefined, 'fail'],
    [400, 'unauthorized_client', undefined, 'fail'],
    // Another invalid_request, or anything else, proves nothing.
    [400, 'invalid_request', 'Missing grant_type', 'error'],
    [400, 'invalid_request', undefined, 'error'],
    [400, 'invalid_request', 'encoded incorrectly', 'error'],
    [400, 'server_error', undefined, 'error'],
    [400, 'unknown', 'authorization_code is invalid', 'error'],
    // Only a 4xx other than 429 is Atlassian judging the request, whatever the body says.
    [500, 'invalid_request', 'authorization_code is invalid', 'error'],
    [500, 'invalid_grant', undefined, 'error'],
    [502, 'access_denied', undefined, 'error'],
    [399, 'invalid_grant', undefined, 'error'],
    [302, 'invalid_grant', undefined, 'error'],
    [302, 'invalid_client', undefined, 'error'],
    [429, 'invalid_grant', undefined, 'error'],
    [429, 'access_denied', undefined, 'error'],
    [200, 'invalid_grant', undefined, 'error'],
  ] as const)('%i %s "%s" ⇒ %s', (status, error, description, verdict) => {
    expect(oauthClientVerdict(refused(status, error, description)).status).toBe(verdict);
  });
  it('a pass says accepted; a refusal names what Atlassian said and the fix', () => {
    expect(oauthClientVerdict(refused(400, 'invalid_request', 'authorization_code is invalid'))).toEqual({ status: 'pass', detail: 'Accepted by Atlassian.' });
    expect(oauthClientVerdict(refused(401, 'access_denied', 'Unauthorized'), 'FIX')).toEqual({
      status: 'fail',
      detail: 'Atlassian rejected them (401 access_denied: Unauthorized).',
      hint: 'FIX',
    });
    expect(oauthClientVerdict(refused(429, 'x'))).toMatchObject({
      detail: 'Atlassian kept rate limiting (429); the Client ID and Secret could not be checked.',
    });
    expect(oauthClientVerdict(refused(503, 'x')).detail).toBe("Atlassian's token endpoint did not answer (503 x).");
    expect(oauthClientVerdict(refused(400, 'invalid_request', 'Missing grant_type')).detail).toBe(
      "Atlassian's token endpoint did not say whether it accepts them (400 invalid_request: Missing grant_type).",
    );
  });
  it('an unregistered callback URL fails with the callback fix, not the credentials fix', () => {
    const r = refused(403, 'unauthorized_client', 'redirect_uri is not registered for this app');
    expect(callbackRefused(r)).toBe(true);
    expect(oauthClientVerdict(r)).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('refused the callback URL'),
      hint: expect.stringContaining('Authorization tab'),
    });
    expect(callbackRefused(refused(403, 'unauthorized_client', 'client is not allowed'))).toBe(false);
    expect(callbackRefused(refused(403, 'invalid_client', 'redirect_uri'))).toBe(false);
    expect(callbackRefused(new Error('x'))).toBe(false);
    expect(callbackRefused({ ok: true, token: { access_token: 'x' } })).toBe(false);
  });
  it('a network error or an exchanged impossible code ⇒ error', () => {
    expect(oauthClientVerdict(new Error('auth.atlassian.com did not answer within 20 s.')).status).toBe('error');
    expect(oauthClientVerdict({ ok: true, token: { access_token: 'x' } }).status).toBe('error');
  });
  it('codeRefused: only a 4xx (not 429) with invalid_grant, or invalid_request about the code', () => {
    expect(codeRefused(refused(400, 'invalid_request', 'authorisation code expired'))).toBe(true);
    expect(codeRefused(refused(400, 'invalid_request', 'encode'))).toBe(false);
    expect(codeRefused(refused(429, 'invalid_grant'))).toBe(false);
    expect(codeRefused(refused(500, 'invalid_grant'))).toBe(false);
    expect(codeRefused(refused(400, 'access_denied', 'code'))).toBe(false);
  });
});

describe('siteVerdict (tenant_info)', () => {
  it('the saved cloud passes; another cloud fails naming both', () => {
    expect(siteVerdict('c1', 'https://a', 'c1')).toEqual({ status: 'pass', detail: 'Jira Cloud, cloud id c1.' });
    expect(siteVerdict('c2', 'https://a', 'c1', 'kj setup')).toEqual({
      status: 'fail',
      detail: 'https://a is now cloud c2, but this profile was set up for c1.',
      hint: 'Run `kj setup` again for this site.',
    });
  });
  it('an unknown site is a likely diagnosis, never a verdict: error, with what came back and the other cause', () => {
    const v = siteVerdict(new UnknownSiteError('https://a', '404 from a, an HTML page'), 'https://a', 'c1');
    expect(v.status).toBe('error');
    expect(v.detail).toBe('https://a is probably not a Jira Cloud site: instead of a cloud id it answered 404 from a, an HTML page.');
    expect(v.hint).toContain('a proxy');
  });
  it('no answer is error, keeping the network hint', () => {
    expect(siteVerdict(new NoProofError('502 from a'), 'https://a', 'c1').status).toBe('error');
    expect(siteVerdict(Object.assign(new Error('a did not answer within 20 s.'), { hint: 'Check it.' }), 'https://a', 'c1')).toMatchObject({
      status: 'error',
      hint: 'Check it.',
    });
  });
});

describe('grant, identity (/me), personal data (report-accounts)', () => {
  it('grant: names every missing app scope by its console title', () => {
    const granted = new Set(APP_SCOPES.map((s) => s.scope).filter((s) => s !== 'write:epic:jira-software'));
    const v = grantVerdict(granted, [{ id: 'c1', url: 'x', scopes: [] }], 'c1', missingAppScopes(granted));
    expect(v.status).toBe('fail');
    expect(v.detail).toBe('The app did not grant a required permission: "Update epics" (write:epic:jira-software).');
  });
  it('grant: all scopes but another site fails; the site list unreadable is error', () => {
    const all = new Set(APP_SCOPES.map((s) => s.scope));
    expect(grantVerdict(all, [{ id: 'other', url: 'x', scopes: [] }], 'c1', []).status).toBe('fail');
    expect(grantVerdict(all, [{ id: 'c1', url: 'x', scopes: [] }], 'c1', [])).toEqual({
      status: 'pass',
      detail: 'The 3 APIs and 6 Jira permissions were granted.',
    });
    expect(grantVerdict(all, new Error('api did not answer'), 'c1', []).status).toBe('error');
  });
  const me = (body: unknown, status = 200) => res(status, body, {}, 'https://api.atlassian.com/me');
  it.each([
    [me({ account_id: '1', email: 'a@b.c' }), 'pass'],
    [me({ account_id: '1', email: 'A@B.C' }), 'pass'],
    [me({ account_id: '1' }), 'pass'],
    [me({ account_id: '1', email: 'z@b.c' }), 'warn'],
    [me({ email: 'a@b.c' }), 'error'],
    [me({}), 'error'],
    [me([]), 'error'],
    [me('<html></html>'), 'error'],
    [me({ account_id: '1' }, 201), 'error'],
    [me({ account_id: '1' }, 403), 'error'],
    [me({ account_id: '1' }, 500), 'error'],
    [me({}, 429), 'error'],
    [scope401, 'fail'],
    [auth401, 'error'],
  ] as const)('identity: %# ⇒ %s', (answer, status) => {
    expect(identityVerdict(answer, 'a@b.c').status).toBe(status);
  });
  it('identity details', () => {
    expect(identityVerdict(me({ account_id: '1', email: 'a@b.c' }), 'a@b.c').detail).toBe('The consenting account is a@b.c.');
    expect(identityVerdict(me({ account_id: '1' }), 'a@b.c').detail).toBe('The consenting account is 1.');
    expect(identityVerdict(me({ account_id: '1', email: 'z@b.c' }), 'a@b.c').detail).toBe('The browser consented as z@b.c, not a@b.c.');
    expect(identityVerdict(scope401, 'a@b.c').hint).toContain('User Identity API');
    expect(identityVerdict(me({}), 'a@b.c').detail).toMatch(/^Something other than Atlassian answered \(200 from api\.atlassian\.com/);
    expect(identityVerdict(new Error('x'), 'a@b.c').status).toBe('error');
  });
  const report = (body: unknown, status: number) => res(status, body, {}, 'https://api.atlassian.com/app/report-accounts/');
  it.each([
    [report('', 204), 'pass'],
    [report({ accounts: [] }, 200), 'pass'],
    [report({ accounts: [{ accountId: '1', status: 'updated' }] }, 200), 'pass'],
    [report({}, 200), 'error'],
    [report('', 200), 'error'],
    [report({ accounts: {} }, 200), 'error'],
    [report('{"ok":1}', 204), 'error'],
    [report({ accounts: [] }, 201), 'error'],
    [report('<html></html>', 200), 'error'],
    [report({}, 502), 'error'],
    [report({}, 429), 'error'],
    [scope401, 'fail'],
    [auth401, 'error'],
  ] as const)('personal data: %# ⇒ %s', (answer, status) => {
    expect(personalDataVerdict(answer).status).toBe(status);
  });
  it('personal data: no account id is a skip; a missing API names its fix', () => {
    expect(personalDataVerdict(undefined)).toEqual({ status: 'skip', detail: 'Needs the account id from /me.' });
    expect(personalDataVerdict(scope401).hint).toContain('Personal Data Reporting API');
    expect(personalDataVerdict(new Error('x')).status).toBe('error');
  });
});

describe('jiraPermissionsVerdict (mypermissions)', () => {
  const perms = (have: (key: string) => boolean, status = 200) =>
    res(status, { permissions: Object.fromEntries(KENDIS_PERMISSIONS.map((p) => [p.key, { havePermission: have(p.key) }])) });
  it('all held ⇒ pass, "in at least one project" without a project', () => {
    expect(jiraPermissionsVerdict(perms(() => true))).toEqual({
      status: 'pass',
      detail: `The account holds all 6 (${KENDIS_PERMISSIONS.map((p) => p.name).join(', ')}), the project ones in at least one project.`,
    });
    expect(
      jiraPermissionsVerdict(
        perms(() => true),
        KENDIS_PERMISSIONS,
        'KEN',
      ).detail,
    ).toMatch(/in project KEN\.$/);
  });
  it('a missing one ⇒ warn naming it, where, and what stops working in Kendis', () => {
    const v = jiraPermissionsVerdict(perms((k) => k !== 'LINK_ISSUES'));
    expect(v.status).toBe('warn');
    expect(v.detail).toBe(
      'The account lacks "Link Issues" in at least one project (without it dependencies drawn in Kendis are not saved as Jira issue links).',
    );
    expect(
      jiraPermissionsVerdict(
        perms((k) => k !== 'LINK_ISSUES'),
        KENDIS_PERMISSIONS,
        'KEN',
      ).detail,
    ).toContain('"Link Issues" in project KEN');
    expect(jiraPermissionsVerdict(perms((k) => k !== 'ADMINISTER')).detail).toBe(
      'The account lacks "Administer Jira" (without it Kendis cannot register the webhooks that keep it in sync in real time).',
    );
  });
  it('a user’s list does not ask for Administer Jira', () => {
    expect(
      jiraPermissionsVerdict(
        perms((k) => k !== 'ADMINISTER'),
        permissionsFor('user'),
      ).status,
    ).toBe('pass');
  });
  it('never a fail; a missing read:jira-work is a skip; anything not Jira’s list is error', () => {
    expect(jiraPermissionsVerdict(perms(() => false)).status).toBe('warn');
    expect(jiraPermissionsVerdict(scope401).status).toBe('skip');
    expect(jiraPermissionsVerdict(res(502)).status).toBe('error');
    expect(jiraPermissionsVerdict(res(429)).status).toBe('error');
    expect(jiraPermissionsVerdict(res(200, '<html></html>')).status).toBe('error');
    expect(jiraPermissionsVerdict(res(200, {})).status).toBe('error');
    expect(jiraPermissionsVerdict(res(200, { permissions: { EDIT_ISSUES: { havePermission: 'yes' } } })).status).toBe('error');
    expect(jiraPermissionsVerdict(perms(() => true, 201)).status).toBe('error');
    expect(jiraPermissionsVerdict(perms(() => true, 403)).status).toBe('error');
    expect(jiraPermissionsVerdict(new Error('x')).status).toBe('error');
  });
  it('a project Jira does not know ⇒ warn naming it; other refusals prove nothing', () => {
    const missing = res(404, { errorMessages: ["No project could be found with key 'NOPE'."], errors: {} });
    expect(jiraPermissionsVerdict(missing, KENDIS_PERMISSIONS, 'NOPE')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('Jira has no project NOPE that this account can see'),
    });
    expect(jiraPermissionsVerdict(missing).status).toBe('error');
    expect(jiraPermissionsVerdict(res(400, { errorMessages: ['The permissions query parameter is required.'] })).status).toBe('error');
    expect(jiraPermissionsVerdict(res(404, { code: 404, message: 'x' }), KENDIS_PERMISSIONS, 'KEN').status).toBe('error');
  });
  it('combinePermissions: one project is itself; several give the worst status and every finding', () => {
    const pass = { status: 'pass' as const, detail: 'A.' };
    const warn = { status: 'warn' as const, detail: 'B.', hint: 'H' };
    const error = { status: 'error' as const, detail: 'C.', hint: 'H2' };
    expect(combinePermissions([warn])).toBe(warn);
    expect(combinePermissions([pass, warn])).toEqual({ status: 'warn', detail: 'A. B.', hint: 'H' });
    expect(combinePermissions([warn, pass])).toEqual({ status: 'warn', detail: 'B. A.', hint: 'H' });
    expect(combinePermissions([warn, error, warn])).toEqual({ status: 'error', detail: 'B. C. B.', hint: 'H H2' });
    expect(combinePermissions([pass, pass])).toEqual({ status: 'pass', detail: 'A. A.' });
  });
});

describe('noProof and errorText', () => {
  it('says what came back for a response, and the network sentence for an error', () => {
    expect(noProof(res(502, '', {}, 'https://api.atlassian.com/x'))).toEqual({
      status: 'error',
      detail: 'Atlassian did not answer (502 from api.atlassian.com, empty).',
      hint: expect.stringContaining('Nothing was concluded'),
    });
    expect(noProof(res(200, 'x', {}, 'https://api.atlassian.com/x'), 'Jira').detail).toBe(
      'Something other than Jira answered (200 from api.atlassian.com, not JSON).',
    );
    expect(noProof(new NoProofError('503 from auth.atlassian.com')).detail).toBe('Atlassian did not answer (503 from auth.atlassian.com).');
    expect(noProof(new NoProofError('x'), 'Y').hint).toContain('Nothing was concluded');
    expect(errorText(new Error('Done.'))).toBe('Done');
  });
});

describe('what each verdict tells the user to do next (exact fixes)', () => {
  const base = { email: 'a@b.c', expiresOn: '2027-06-01', now };
  const me = (body: unknown, status = 200) => res(status, body, {}, 'https://api.atlassian.com/me');
  it('noProof keeps a network error’s own fix, and otherwise says nothing was concluded', () => {
    const concluded = 'Nothing was concluded either way: try again later; if it persists, check HTTPS_PROXY / NO_PROXY or rerun with --debug.';
    expect(noProof(new NetworkError('dns', 'Could not find x.', 'Check the address.')).hint).toBe('Check the address.');
    expect(noProof(new Error('plain')).hint).toBe(concluded);
    expect(noProof(Object.assign(new Error('odd'), { hint: 42 })).hint).toBe(concluded);
    expect(noProof(new NoProofError('502 from x')).hint).toBe(concluded);
    expect(noProof(res(502, '')).hint).toBe(concluded);
    expect(noProof(new Error('Gone.'), 'X').detail).toBe('X did not answer (Gone).');
  });
  it('a write that Jira accepted', () => {
    expect(probeVerdict(res(200, { id: 1, state: 'a' }), WRITE)).toEqual({
      status: 'error',
      detail: 'Jira accepted a test change aimed at nothing (200 from api.atlassian.com): it should have refused it, so nothing is concluded.',
      hint: 'Run the test again with --debug and send the output to your Jira admin or Kendis support.',
    });
  });
  it('the sign-in', () => {
    expect(apiTokenVerdict({ ...base, expiresOn: '2026-11-28', answer: auth401, rotateCommand: 'kj rotate-token' }).hint).toBe(
      'Create a new token and run `kj rotate-token`.',
    );
    expect(apiTokenVerdict({ ...base, answer: res(403, { errorMessages: ['x'.repeat(300)] }) }).detail).toBe(
      `Jira refused the account on this site (403: ${'x'.repeat(160)}).`,
    );
    expect(apiTokenVerdict({ ...base, answer: res(403, { errorMessages: ['No.'] }) }).hint).toBe(
      'Check the account has Jira access on this site (Atlassian Administration → Products), or use an account that has.',
    );
    expect(apiTokenVerdict({ ...base, answer: res(403, { errors: { a: 'b' } }) }).detail).toBe('Jira refused the account on this site (403: a: b).');
    expect(apiTokenVerdict({ ...base, answer: res(403, 'Forbidden') }).hint).toBe(
      'Ask your Atlassian admin whether the site has an IP allowlist (Atlassian Administration → Security); otherwise check HTTPS_PROXY / NO_PROXY.',
    );
    expect(apiTokenVerdict({ ...base, answer: res(404, 'x'), setupCommand: 'kj setup' })).toMatchObject({
      detail:
        "Atlassian's API gateway answered 404 from api.atlassian.com, not JSON: probably it does not know this site's cloud id any more, or a proxy answered instead.",
      hint: 'Run `kj setup` again to record the site; if the problem stays, check HTTPS_PROXY / NO_PROXY.',
    });
    expect(apiTokenVerdict({ ...base, answer: res(502, 'x') })).toMatchObject({
      detail: "Atlassian's API gateway did not answer (502 from api.atlassian.com, not JSON).",
      hint: expect.stringContaining('Nothing was concluded'),
    });
    expect(apiTokenVerdict({ ...base, answer: res(200, {}) }).detail).toBe(
      'Something other than Atlassian\'s API gateway answered (200 from api.atlassian.com, no "accountId" string).',
    );
    expect(apiTokenVerdict({ ...base, answer: res(400, { errorMessages: ['x'] }) }).detail).toMatch(/^Jira refused the account on this site \(400: x\)\.$/);
  });
  it('the client check', () => {
    const refused = (status: number, error: string, description?: string) => ({ ok: false as const, status, error, description });
    expect(oauthClientVerdict(new Error('auth.atlassian.com did not answer within 20 s.')).detail).toBe(
      "Atlassian's token endpoint did not answer (auth.atlassian.com did not answer within 20 s).",
    );
    expect(oauthClientVerdict({ ok: true, token: { access_token: 'x' } })).toEqual({
      status: 'error',
      detail: "Atlassian's token endpoint exchanged a code that cannot be valid: that is not Atlassian answering.",
      hint: 'Check KENDIS_JIRA_AUTH_URL and any proxy, then try again.',
    });
    expect(oauthClientVerdict(refused(502, 'e'.repeat(80), 'd'.repeat(200))).detail).toBe(
      `Atlassian's token endpoint did not answer (502 ${'e'.repeat(60)}: ${'d'.repeat(120)}).`,
    );
    expect(oauthClientVerdict(refused(502, 'x')).hint).toBe('Nothing was concluded either way: try again later.');
    expect(oauthClientVerdict(refused(400, 'other')).hint).toBe('Nothing was concluded either way: try again later; if it persists, rerun with --debug.');
    expect(oauthClientVerdict(refused(400, 'unauthorized_client', 'redirect_uri is not registered'))).toEqual({
      status: 'fail',
      detail: 'Atlassian refused the callback URL (400 unauthorized_client: redirect_uri is not registered).',
      hint: "On the app's Authorization tab, the callback URL must be exactly Kendis' (Step 4–5); Save changes, then check again.",
    });
    expect(oauthClientVerdict(refused(400, 'unauthorized_client')).detail).toBe('Atlassian rejected them (400 unauthorized_client).');
    expect(oauthClientVerdict(refused(401, 'access_denied')).hint).toBe(
      "Copy both again from the app's Settings tab in the Developer Console, then run `kendis-jira setup` again.",
    );
  });
  it('the grant', () => {
    const granted = new Set<string>();
    const two = [
      { title: 'A', scope: 'a' },
      { title: 'B', scope: 'b' },
    ];
    expect(grantVerdict(granted, [], 'c1', two)).toEqual({
      status: 'fail',
      detail: 'The app did not grant 2 required permissions: "A" (a), "B" (b).',
      hint: "On the app's Permissions tab add the missing API or Jira permission (Edit Scopes → tick it → Save), then run the check again.",
    });
    const all = new Set(APP_SCOPES.map((s) => s.scope));
    expect(grantVerdict(all, new Error('Gone.'), 'c1', []).detail).toBe(`All ${all.size} scopes were granted, but the site list could not be read: Gone.`);
    expect(
      grantVerdict(
        all,
        [
          { id: 'c1', url: 'x', scopes: [] },
          { id: 'c2', url: 'y', scopes: [] },
        ],
        'c1',
        [],
      ).status,
    ).toBe('pass');
    expect(grantVerdict(all, [{ id: 'c2', url: 'x', scopes: [] }], 'c1', [])).toEqual({
      status: 'fail',
      detail: 'The consent was given for another site: this Jira site is not among the app’s accessible sites.',
      hint: 'Run the OAuth check again and pick this site on the consent page ("Use app on").',
    });
  });
  it('identity and personal data', () => {
    expect(identityVerdict(me({ account_id: '1', email: 'z@b.c' }), 'a@b.c').hint).toBe(
      'Kendis signs in with the e-mail you give it: use the same account in the browser, or run setup with that e-mail.',
    );
    expect(identityVerdict(scope401, 'a@b.c')).toEqual({
      status: 'fail',
      detail: 'The User Identity API is not added to the app (read:me missing).',
      hint: "On the app's Permissions tab, click Add next to User Identity API.",
    });
    expect(identityVerdict(me({}, 429), 'a@b.c').detail).toBe('Atlassian kept rate limiting (429); the User Identity API could not be checked.');
    expect(identityVerdict(me({ account_id: 1 }), 'a@b.c').detail).toBe(
      'Something other than Atlassian answered (200 from api.atlassian.com, no "account_id" string).',
    );
    expect(identityVerdict(me({ account_id: '1', email: 5 }), 'a@b.c').detail).toBe('Something other than Atlassian answered (200 from api.atlassian.com).');
    expect(identityVerdict(auth401, 'a@b.c').detail).toBe(
      'Atlassian did not answer (401 from api.atlassian.com/ex/jira/c1/rest/api/3/x).'.replace('/ex/jira/c1/rest/api/3/x', ''),
    );
    expect(personalDataVerdict(res(204, '', {}, 'https://api.atlassian.com/app/report-accounts/'))).toEqual({
      status: 'pass',
      detail: 'The Personal Data Reporting API answered.',
    });
    expect(personalDataVerdict(scope401)).toEqual({
      status: 'fail',
      detail: 'The Personal Data Reporting API is not added to the app (report:personal-data missing).',
      hint: "On the app's Permissions tab, click Add next to Personal Data Reporting API.",
    });
    expect(personalDataVerdict(res(429, {})).detail).toBe('Atlassian kept rate limiting (429); the Personal Data Reporting API could not be checked.');
    expect(personalDataVerdict(res(200, {})).detail).toBe('Something other than Atlassian answered (200 from api.atlassian.com, no "accounts" list).');
    expect(personalDataVerdict(auth401).detail).toBe('Atlassian did not answer (401 from api.atlassian.com).');
  });
  it('the permissions', () => {
    const concluded = expect.stringContaining('Nothing was concluded');
    expect(jiraPermissionsVerdict(res(200, { permissions: { X: {} } }))).toEqual({
      status: 'error',
      detail: "Something other than Jira answered (200 from api.atlassian.com, not Jira's permission list).",
      hint: concluded,
    });
    expect(jiraPermissionsVerdict(res(400, { errorMessages: ['m'.repeat(200)] }))).toEqual({
      status: 'error',
      detail: `Jira refused the permissions request (400: ${'m'.repeat(120)}).`,
      hint: concluded,
    });
    expect(jiraPermissionsVerdict(res(404, { errorMessages: ['n'.repeat(200)] }), KENDIS_PERMISSIONS, 'K')).toEqual({
      status: 'warn',
      detail: `Jira has no project K that this account can see (404: ${'n'.repeat(120)}).`,
      hint: 'Check the project key on the Kendis board (Jira shows it before each issue number, e.g. KEN-12), and that the account may browse that project.',
    });
    expect(jiraPermissionsVerdict(res(403, { errorMessages: ['x'] }), KENDIS_PERMISSIONS, 'K').status).toBe('error');
    expect(jiraPermissionsVerdict(res(429, {})).detail).toBe('Atlassian kept rate limiting (429); the permissions could not be checked.');
    expect(jiraPermissionsVerdict(scope401)).toEqual({ status: 'skip', detail: 'Needs read:jira-work, which the token lacks (see that scope above).' });
    expect(jiraPermissionsVerdict(res(200, { permissions: {} })).hint).toBe(
      'Ask a Jira admin to grant these to the account (Jira settings → System → Global permissions for Administer Jira; the projects’ permission schemes for the others), or use an account that has them.',
    );
    expect(jiraPermissionsVerdict(res(200, { permissions: {} }), permissionsFor('user')).detail).toBe(
      `The account lacks ${permissionsFor('user')
        .map((p) => `"${p.name}" in at least one project (without it ${p.without})`)
        .join('; ')}.`,
    );
  });
});
