/**
 * The check run as a contract (checks.md): which checks a run has, in which order, what each needs
 * before it may count (a scope only past a proven sign-in on the right site), and how one answer
 * feeds several checks. A fake Atlassian client answers each request from a table.
 */
import { describe, expect, it } from 'vitest';
import type { AtlassianClient, ExchangeResult } from '../../src/atlassian/client.js';
import { NoProofError, UnknownSiteError } from '../../src/atlassian/client.js';
import type { HttpResponse } from '../../src/atlassian/http.js';
import { PROBES, UNPROBEABLE } from '../../src/atlassian/probes.js';
import { TOKEN_SCOPES, USER_TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { checkTitle, mapBounded, runChecks, runOAuthChecks, runTokenChecks, type CheckInputs } from '../../src/checks/run-checks.js';
import { OAuthFlowError } from '../../src/auth/oauth-flow.js';
import { CancelledError } from '../../src/errors.js';
import { NetworkError } from '../../src/atlassian/http.js';
import { blockingOf, briefSkip, fullTestLine, isOk, printCommands, refusalOf, renderCheckLines, summaryLine } from '../../src/checks/report.js';
import { isBlocking, type CheckResult } from '../../src/checks/types.js';
import { sampleProfile } from '../helpers/fixtures.js';
import type { Profile } from '../../src/config/schema.js';
import { runAs } from '../../src/io/typed.js';
import { afterAll, beforeAll } from 'vitest';

// The commands in hints, as a user who runs the tool as `kj` would type them.
beforeAll(() => runAs('kj'));
afterAll(() => runAs('kendis-jira'));

const CLOUD = '0b5c2f4e-5a1d-4c1e-9f0a-000000000001';
const res = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  text: typeof body === 'string' ? body : JSON.stringify(body),
  url: 'https://api.atlassian.com/ex/jira/c/rest',
});
const JIRA_404 = res(404, { errorMessages: ['Does not exist.'] });
const SCOPE_401 = res(401, { code: 401, message: 'Unauthorized; scope does not match' });
const AUTH_401 = res(401, { message: 'Client must be authenticated.' });
const ME = res(200, { accountId: 'a1', emailAddress: 'admin@acme.com' });
const allHeld = (keys: string[]) => res(200, { permissions: Object.fromEntries(keys.map((k) => [k, { havePermission: true }])) });

interface Fake {
  tenant?: string | Error;
  myself?: HttpResponse | Error;
  site?: HttpResponse;
  exchange?: ExchangeResult | Error;
  /** Per request path (without query): the answer; default a Jira 404 (or 201-free refusals). */
  gateway?: (path: string, method: string) => HttpResponse | Error | undefined;
}

function fakeClient(f: Fake = {}) {
  const calls: string[] = [];
  const requests: string[] = [];
  const client = {
    endpoints: { auth: 'https://auth.atlassian.com', api: 'https://api.atlassian.com' },
    async tenantInfo() {
      calls.push('tenant');
      if (f.tenant instanceof Error) throw f.tenant;
      return f.tenant ?? CLOUD;
    },
    async myself() {
      calls.push('myself');
      if (f.myself instanceof Error) throw f.myself;
      return f.myself ?? ME;
    },
    async siteRequest(site: string, auth: { email: string; token: string }, path: string) {
      calls.push('site-myself');
      requests.push(`SITE ${site}${path} as ${auth.email}:${auth.token}`);
      return f.site ?? AUTH_401;
    },
    async exchangeCode() {
      calls.push('token');
      if (f.exchange instanceof Error) throw f.exchange;
      return f.exchange ?? { ok: false, status: 400, error: 'invalid_request', description: 'authorization_code is invalid' };
    },
    async gateway(cloud: string, auth: { kind: string; email: string; token: string }, req: { method: string; path: string; body?: unknown }) {
      const path = req.path.split('?')[0]!;
      calls.push(`${req.method} ${req.path}`);
      requests.push(`${req.method} ${cloud}${req.path}${'body' in req ? ` ${JSON.stringify(req.body)}` : ''} as ${auth.kind} ${auth.email}:${auth.token}`);
      const answer = f.gateway?.(path, req.method);
      if (answer instanceof Error) throw answer;
      if (answer) return answer;
      if (path === '/rest/api/3/mypermissions')
        return allHeld(['BROWSE_PROJECTS', 'CREATE_ISSUES', 'EDIT_ISSUES', 'LINK_ISSUES', 'MANAGE_SPRINTS_PERMISSION', 'ADMINISTER']);
      if (path === '/rest/api/3/project/search' || path === '/rest/api/3/webhook') return res(200, { values: [], isLast: true, startAt: 0, maxResults: 50 });
      if (path === '/rest/api/3/issuesecurityschemes') return res(200, { issueSecuritySchemes: [] });
      return JIRA_404;
    },
    async accessibleResources() {
      return [{ id: CLOUD, url: 'https://acme.atlassian.net', scopes: [] }];
    },
    async me() {
      return res(200, { account_id: 'a1', email: 'admin@acme.com' });
    },
    async reportAccounts() {
      return res(204, '');
    },
  };
  return { client: client as unknown as AtlassianClient, calls, requests };
}

const profile = (over: Partial<Profile> = {}): Profile =>
  sampleProfile({
    cloudId: CLOUD,
    email: 'admin@acme.com',
    site: 'https://acme.atlassian.net',
    token: { expiresOn: '2027-11-01' },
    ...over,
  } as Partial<Profile>);
const now = new Date(2026, 11, 6);

function inputs(f: Fake = {}, over: Partial<CheckInputs> = {}) {
  const { client, calls, requests } = fakeClient(f);
  const base: CheckInputs = {
    profile: profile(),
    clientSecret: 'secret-value-123',
    apiToken: 'ATATT3xToken',
    secretsProblem: undefined,
    client,
    now,
    profileFlag: ' --profile acme',
  };
  return { input: { ...base, ...over }, calls, requests };
}

const byId = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.id, r]));
const PROBED = PROBES.filter((p) => (TOKEN_SCOPES as readonly string[]).includes(p.scope));
const SKIPPED = UNPROBEABLE.filter((u) => (TOKEN_SCOPES as readonly string[]).includes(u.scope));

describe('runChecks: a healthy ALM profile', () => {
  it('runs the catalogue in its order: config, secrets, site, api-token, token-expiry, oauth-client, every scope, jira-permissions', async () => {
    const { input } = inputs();
    const results = await runChecks(input);
    expect(results.map((r) => r.id)).toEqual([
      'config',
      'secrets',
      'site',
      'api-token',
      'token-expiry',
      'oauth-client',
      ...TOKEN_SCOPES.map((s) => `scope:${s}`),
      'jira-permissions',
    ]);
    expect(isOk(results)).toBe(true);
    const checks = byId(results);
    for (const p of PROBED) expect(checks[`scope:${p.scope}`]!.status, p.scope).toBe('pass');
    for (const u of SKIPPED) expect(checks[`scope:${u.scope}`]).toMatchObject({ status: 'skip', detail: `Cannot be checked on its own: ${u.reason}` });
    expect(checks.config).toMatchObject({ status: 'pass', title: 'Saved settings', detail: 'Profile found: https://acme.atlassian.net as admin@acme.com.' });
    expect(checks.secrets).toMatchObject({ status: 'pass', detail: 'The client secret and API token were read.' });
    expect(checks.site!.title).toBe('Jira site https://acme.atlassian.net');
    expect(checks['scope:read:jira-user']!.detail).toBe('On the token (Jira answered 200).');
  });

  it('asks each probe once, /myself once for both api-token and read:jira-user, and never the site URL', async () => {
    const { input, calls } = inputs();
    await runChecks(input);
    expect(calls.filter((c) => c === 'myself')).toHaveLength(1);
    expect(calls).not.toContain('site-myself');
    for (const p of PROBED.filter((x) => x.operationId !== 'myself'))
      expect(
        calls.filter((c) => c === `${p.method} ${p.path}`),
        p.scope,
      ).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith('GET /rest/api/3/mypermissions'))).toHaveLength(1);
  });

  it('a token-only run (setup, rotate-token) has no config, secrets or client checks', async () => {
    const { client } = fakeClient();
    const results = await runTokenChecks({ profile: profile(), apiToken: 't', client, now, profileFlag: '' });
    expect(results.map((r) => r.id).slice(0, 3)).toEqual(['site', 'api-token', 'token-expiry']);
    expect(results.some((r) => r.id === 'oauth-client' || r.id === 'config' || r.id === 'secrets')).toBe(false);
  });

  it('a user profile has its own scopes, no client check and no Administer Jira', async () => {
    const { input, calls } = inputs({}, { profile: profile({ kind: 'user' } as Partial<Profile>), clientSecret: undefined });
    const results = await runChecks(input);
    expect(results.filter((r) => r.id.startsWith('scope:')).map((r) => r.id)).toEqual(USER_TOKEN_SCOPES.map((s) => `scope:${s}`));
    expect(results.some((r) => r.id === 'oauth-client')).toBe(false);
    expect(byId(results).secrets!.detail).toBe('The API token was read.');
    expect(calls.find((c) => c.includes('mypermissions'))).not.toContain('ADMINISTER');
  });

  it('with projects: one permissions request per project, one check', async () => {
    const { input, calls } = inputs({}, { projects: ['KEN', 'PLAN'] });
    const results = await runChecks(input);
    expect(calls.filter((c) => c.includes('mypermissions'))).toEqual([expect.stringContaining('projectKey=KEN&'), expect.stringContaining('projectKey=PLAN&')]);
    expect(results.filter((r) => r.id === 'jira-permissions')).toHaveLength(1);
    expect(byId(results)['jira-permissions']!.detail).toBe(
      `${'The account holds all 6 (Browse Projects, Create Issues, Edit Issues, Link Issues, Manage Sprints, Administer Jira) in project KEN.'} ${'The account holds all 6 (Browse Projects, Create Issues, Edit Issues, Link Issues, Manage Sprints, Administer Jira) in project PLAN.'}`,
    );
  });
});

describe('runChecks: a scope counts only past a proven sign-in on the right site', () => {
  const notChecked = (results: CheckResult[], why: string) => {
    const checks = byId(results);
    for (const p of PROBED) expect(checks[`scope:${p.scope}`], p.scope).toMatchObject({ status: 'skip', detail: `Not checked: ${why}.` });
    expect(checks['jira-permissions']).toMatchObject({ status: 'skip', detail: `Not checked: ${why}.` });
  };
  it('no API token: nothing is asked of the gateway', async () => {
    const { input, calls } = inputs({}, { apiToken: undefined });
    const results = await runChecks(input);
    expect(calls.some((c) => c === 'myself' || c.startsWith('GET /rest'))).toBe(false);
    expect(byId(results)['api-token']).toMatchObject({ status: 'skip', detail: 'No API token to check.' });
    expect(byId(results).secrets).toMatchObject({
      status: 'fail',
      detail: 'The client secret and API token could not all be read.',
      hint: expect.stringContaining('`kj setup --profile acme`'),
    });
    notChecked(results, 'no API token to sign in with');
  });
  it('a token that could not be read: the secrets problem is the reason', async () => {
    const { input } = inputs({}, { apiToken: undefined, secretsProblem: 'The keychain is locked.', secretsHint: 'Unlock it.' });
    const results = await runChecks(input);
    expect(byId(results).secrets).toMatchObject({ status: 'fail', detail: 'The keychain is locked.', hint: 'Unlock it.' });
    notChecked(results, 'the API token could not be read (see the secrets check)');
  });
  it('the site is another cloud: no scope is checked', async () => {
    const { input, calls } = inputs({ tenant: '11111111-2222-3333-4444-555555555555' });
    const results = await runChecks(input);
    expect(byId(results).site!.status).toBe('fail');
    notChecked(results, 'the site check failed');
    expect(calls.some((c) => c.startsWith('GET /rest/agile'))).toBe(false);
  });
  it('the site did not answer: no scope is checked', async () => {
    const { input } = inputs({ tenant: new NoProofError('502 from acme.atlassian.net') });
    notChecked(await runChecks(input), 'the site could not be checked');
  });
  it('an unknown site is error, and no scope is checked', async () => {
    const { input } = inputs({ tenant: new UnknownSiteError('https://acme.atlassian.net', '404 from acme.atlassian.net') });
    const results = await runChecks(input);
    expect(byId(results).site!.status).toBe('error');
    notChecked(results, 'the site could not be checked');
  });
  it('the sign-in could not be checked (a proxy page): no scope is checked', async () => {
    const { input } = inputs({ myself: res(200, '<html>portal</html>') });
    const results = await runChecks(input);
    expect(byId(results)['api-token']!.status).toBe('error');
    notChecked(results, 'the sign-in could not be checked');
    expect(byId(results)['scope:read:jira-user']!.status).toBe('skip');
  });
  it('the sign-in was refused: no scope is checked, and the site URL is asked whether it is a classic token', async () => {
    const { input, calls } = inputs({ myself: AUTH_401, site: res(200, { accountId: 'a1' }) });
    const results = await runChecks(input);
    expect(byId(results)['api-token']!.detail).toContain('classic token');
    expect(calls).toContain('site-myself');
    notChecked(results, 'the e-mail and API token did not sign in');
  });
  it('a scope-mismatch 401 on /myself (by its header alone) signs in, and never sends the token to the site URL', async () => {
    const { input, calls } = inputs({ myself: res(401, { code: 401, message: 'Unauthorized' }, { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' }) });
    const results = await runChecks(input);
    expect(calls).not.toContain('site-myself');
    expect(byId(results)['api-token']!.status).toBe('pass');
    expect(byId(results)['scope:read:jira-user']!.status).toBe('fail');
    expect(byId(results)['scope:read:sprint:jira-software']!.status).toBe('pass');
  });
  it('a site outside Atlassian’s domains is never sent the credentials, even to tell a classic token', async () => {
    const { input, calls } = inputs({ myself: AUTH_401, site: res(200, { accountId: 'a1' }) }, { profile: profile({ site: 'https://acme.example.com' }) });
    await runChecks(input);
    expect(calls).not.toContain('site-myself');
  });
});

describe('runChecks: one answer, several checks', () => {
  it('a probe’s bare 401 fails api-token (refused mid-run), skips that scope and names the token’s source', async () => {
    const { input } = inputs({ gateway: (path) => (path === '/rest/agile/1.0/sprint/0' ? AUTH_401 : undefined) }, { apiTokenFromEnv: true });
    const checks = byId(await runChecks(input));
    expect(checks['api-token']).toMatchObject({ status: 'fail', hint: expect.stringContaining('KENDIS_JIRA_API_TOKEN') });
    expect(checks['scope:read:sprint:jira-software']!.status).toBe('skip');
    expect(checks['scope:read:epic:jira-software']!.status).toBe('pass');
  });
  it('a bare 401 on the permissions request alone also fails api-token and skips jira-permissions', async () => {
    const { input } = inputs({ gateway: (path) => (path === '/rest/api/3/mypermissions' ? AUTH_401 : undefined) });
    const checks = byId(await runChecks(input));
    expect(checks['api-token']).toMatchObject({ status: 'fail', hint: expect.stringContaining('`kj rotate-token --profile acme`') });
    expect(checks['jira-permissions']).toMatchObject({
      status: 'skip',
      detail: 'Not checked: Atlassian refused the e-mail and API token for this request (401); see the api-token check.',
    });
  });
  it('a failing scope that another passed probe proves is on the token says the rules moved, not "make a new token"', async () => {
    // webhook needs read:jira-work + manage:jira-webhook: its pass proves read:jira-work.
    const { input } = inputs({
      gateway: (path) =>
        path === '/rest/api/3/project/search'
          ? SCOPE_401
          : path === '/rest/api/3/webhook'
            ? res(200, { values: [], isLast: true, startAt: 0, maxResults: 50 })
            : undefined,
    });
    const checks = byId(await runChecks(input));
    expect(checks['scope:read:jira-work']!.status).toBe('fail');
    expect(checks['scope:read:jira-work']!.hint).toContain('The token evidently holds read:jira-work: the manage:jira-webhook check needs it and passed');
    expect(checks['scope:write:sprint:jira-software']!.hint).toBeUndefined();
  });
  it('a missing scope with no evidence keeps the "new token" fix', async () => {
    const { input } = inputs({ gateway: (path) => (path === '/rest/agile/1.0/sprint/0' ? SCOPE_401 : undefined) });
    const checks = byId(await runChecks(input));
    expect(checks['scope:read:sprint:jira-software']!.hint).toContain('create a new token');
  });
  it('the client check uses the Kendis callback URL and says accepted; without a secret it is skipped', async () => {
    const { input } = inputs();
    expect(byId(await runChecks(input))['oauth-client']).toMatchObject({ status: 'pass', title: 'Client ID and Client Secret' });
    const { input: noSecret, calls } = inputs({}, { clientSecret: undefined });
    const results = await runChecks(noSecret);
    expect(calls).not.toContain('token');
    expect(results.some((r) => r.id === 'oauth-client')).toBe(false);
  });
  it('the client check refused: its fix names setup for this profile', async () => {
    const { input } = inputs({ exchange: { ok: false, status: 401, error: 'access_denied', description: 'Unauthorized' } });
    expect(byId(await runChecks(input))['oauth-client']).toMatchObject({ status: 'fail', hint: expect.stringContaining('`kj setup --profile acme`') });
  });
  it('details never carry this run’s secrets, even when a server quotes them back', async () => {
    const { input } = inputs({
      exchange: { ok: false, status: 400, error: 'invalid_request', description: 'client_secret secret-value-123 is malformed' },
      gateway: (path) => (path === '/rest/agile/1.0/epic/0' ? new Error('bad token ATATT3xToken') : undefined),
    });
    const results = await runChecks(input);
    const text = JSON.stringify(results);
    expect(text).not.toContain('secret-value-123');
    expect(text).not.toContain('ATATT3xToken');
    expect(text).toContain('[redacted]');
  });
  it('a Ctrl-C during a request ends the run (it is not an answer)', async () => {
    const { input } = inputs({ gateway: () => new CancelledError() });
    await expect(runChecks(input)).rejects.toBeInstanceOf(CancelledError);
  });
  it('setup’s and test-connection’s commands carry the profile, the sandbox and the kind', async () => {
    const { input } = inputs(
      { myself: AUTH_401 },
      { profile: profile({ kind: 'user', sandbox: true } as Partial<Profile>), clientSecret: undefined, profileFlag: ' --profile me' },
    );
    const checks = byId(await runChecks(input));
    expect(checks['api-token']!.hint).toContain('`kj rotate-token --profile me`');
    const { input: other } = inputs(
      { tenant: '11111111-2222-3333-4444-555555555555' },
      { profile: profile({ kind: 'user', sandbox: true } as Partial<Profile>), clientSecret: undefined, profileFlag: ' --profile me' },
    );
    expect(byId(await runChecks(other)).site!.hint).toContain('`kj setup --sandbox --user --profile me`');
  });
});

describe('runOAuthChecks', () => {
  const grant = async () => ({
    accessToken: 'at',
    grantedScopes: new Set([
      'read:me',
      'report:personal-data',
      'read:project:jira',
      'read:board-scope:jira-software',
      'read:epic:jira-software',
      'write:epic:jira-software',
      'read:sprint:jira-software',
      'write:sprint:jira-software',
    ]),
    expiresIn: 3600,
  });
  it('all three pass on Atlassian’s documented answers', async () => {
    const { client } = fakeClient();
    const results = await runOAuthChecks({ email: 'admin@acme.com', cloudId: CLOUD, client, now }, grant);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['oauth-grant', 'pass'],
      ['oauth-identity', 'pass'],
      ['oauth-personal-data', 'pass'],
    ]);
  });
  it('no callback is error (nothing proven); a refusal in the browser fails; the others are skipped', async () => {
    const { client } = fakeClient();
    const none = await runOAuthChecks({ email: 'a', cloudId: CLOUD, client, now }, async () => {
      throw new OAuthFlowError('no-callback', 'No answer from the browser within 5 s.', 'Look at the browser.');
    });
    expect(none.map((r) => r.status)).toEqual(['error', 'skip', 'skip']);
    expect(none[0]).toMatchObject({ detail: 'No answer from the browser within 5 s.', hint: 'Look at the browser.' });
    const cancelled = await runOAuthChecks({ email: 'a', cloudId: CLOUD, client, now }, async () => {
      throw new OAuthFlowError('cancelled-in-browser', 'Cancelled', 'Accept next time');
    });
    expect(cancelled[0]!.status).toBe('fail');
    const network = await runOAuthChecks({ email: 'a', cloudId: CLOUD, client, now }, async () => {
      throw new NetworkError('timeout', 'auth did not answer.', 'Try again.');
    });
    expect(network[0]!.status).toBe('error');
    await expect(
      runOAuthChecks({ email: 'a', cloudId: CLOUD, client, now }, async () => {
        throw new CancelledError();
      }),
    ).rejects.toBeInstanceOf(CancelledError);
  });
  it('/me not in Atlassian’s shape: identity is error and personal data is skipped (no account id to report)', async () => {
    const { client } = fakeClient();
    (client as unknown as { me: () => Promise<HttpResponse> }).me = async () => res(200, { status: 'blocked' });
    const results = await runOAuthChecks({ email: 'a', cloudId: CLOUD, client, now }, grant);
    expect(results.map((r) => r.status)).toEqual(['pass', 'error', 'skip']);
  });
});

describe('the report', () => {
  const r = (id: string, status: CheckResult['status'], hint?: string): CheckResult => ({
    id,
    title: id,
    status,
    detail: `${id} detail.`,
    ...(hint ? { hint } : {}),
  });
  it('is OK only without fail and error', () => {
    expect(isOk([r('a', 'pass'), r('b', 'warn'), r('c', 'skip')])).toBe(true);
    expect(isOk([r('a', 'pass'), r('b', 'fail')])).toBe(false);
    expect(isOk([r('a', 'error')])).toBe(false);
    expect(['pass', 'warn', 'fail', 'error', 'skip'].map((s) => isBlocking(s as CheckResult['status']))).toEqual([false, false, true, true, false]);
  });
  it('the full test’s closing line: what passed, what cannot be checked alone, warnings to look at', () => {
    expect(fullTestLine([r('a', 'pass'), r('b', 'pass'), r('c', 'skip')])).toBe('Full test passed: 2 checks; 1 scope cannot be checked alone.');
    expect(fullTestLine([r('a', 'pass'), r('w', 'warn')])).toBe('Full test passed: 1 check; 1 warning above.');
    expect(fullTestLine([r('a', 'pass'), r('w', 'warn'), r('v', 'warn'), r('s', 'skip')])).toBe(
      'Full test passed: 1 check; 1 scope cannot be checked alone; 2 warnings above.',
    );
  });
  it('commands to type: the note above, the command whole on its own line', () => {
    const said: string[] = [];
    printCommands({ info: (l: string) => said.push(`I ${l}`), copyLine: (l: string) => said.push(`C ${l}`) } as never, [
      ['kj rotate-token', 'when it is due'],
      ['kj status', 'any time'],
    ]);
    expect(said).toEqual(['I   # when it is due', 'C   kj rotate-token', 'I   # any time', 'C   kj status']);
  });
  it('counts every status', () => {
    expect(summaryLine([r('a', 'pass'), r('b', 'pass'), r('c', 'fail'), r('d', 'warn'), r('e', 'skip')])).toBe('2 passed, 1 failed, 1 warning, 1 skipped');
    expect(summaryLine([r('a', 'error'), r('b', 'warn'), r('c', 'warn')])).toBe('0 passed, 0 failed, 1 could not be checked, 2 warnings, 0 skipped');
  });
  it('refusalOf: a fail (or a warned sign-in) is "Atlassian said no"; an error "try again later"; else nothing', () => {
    expect(refusalOf([r('a', 'pass')], 'nothing was saved')).toBeUndefined();
    expect(refusalOf([r('a', 'fail', 'fix it'), r('b', 'error')], 'nothing was saved')).toEqual({
      kind: 'fail',
      message: 'Atlassian said no (a): nothing was saved.',
      hint: 'fix it',
    });
    expect(refusalOf([r('api-token', 'warn', 'use the owner')], 'x')).toEqual({
      kind: 'fail',
      message: 'Atlassian said no (api-token): x.',
      hint: 'use the owner',
    });
    expect(refusalOf([r('b', 'warn')], 'x')).toBeUndefined();
    expect(refusalOf([r('b', 'error', 'later')], 'nothing was saved')).toEqual({
      kind: 'error',
      message: 'b detail: nothing was saved. Try again later.',
      hint: 'later',
    });
    expect(blockingOf([r('a', 'fail'), r('b', 'error'), r('c', 'pass')])).toEqual({ failed: [r('a', 'fail')], errors: [r('b', 'error')] });
  });
  it('renders a line per check, the fix under anything that is not a pass, and filters passes and skips when asked', () => {
    const lines: string[] = [];
    const plain = { green: (s: string) => s, yellow: (s: string) => s, red: (s: string) => s, dim: (s: string) => s, cyan: (s: string) => s };
    const io = { err: (l: string) => lines.push(`E ${l}`), out: (l: string) => lines.push(`O ${l}`), paint: plain, outPaint: plain, verbose: false } as never;
    const results = [
      r('scope:read:x', 'pass', 'never shown'),
      r('b', 'warn', 'do this'),
      r('c', 'error', 'later'),
      r('d', 'skip'),
      r('e', 'fail', 'fix'),
      r('f', 'pass'),
      { ...r('g', 'pass'), detail: 'x'.repeat(80) },
    ];
    renderCheckLines(io, results);
    // A pass is its title and the fact (the scope, or a short detail); a skip its reason in brief.
    expect(lines).toEqual([
      'E ✔ scope:read:x read:x',
      'E ! b: b detail.',
      'E     → do this',
      'E ? c: not checked — c detail.',
      'E     → later',
      'E – d: d detail',
      'E ✖ e: e detail.',
      'E     → fix',
      'E ✔ f: f detail',
      'E ✔ g',
    ]);
    lines.length = 0;
    renderCheckLines({ ...(io as object), verbose: true } as never, results.slice(0, 1));
    expect(lines).toEqual(['E ✔ scope:read:x read:x: scope:read:x detail.']);
    lines.length = 0;
    renderCheckLines(io, results, { showPasses: false, showSkips: false, toStdout: true });
    expect(lines.map((l) => l.slice(0, 4))).toEqual(['O ! ', 'O   ', 'O ? ', 'O   ', 'O ✖ ', 'O   ']);
    expect(briefSkip('Cannot be checked on its own: every request that needs it also accepts write:jira-work, so no request can tell the two apart.')).toBe(
      'covered by write:jira-work',
    );
    expect(briefSkip('Cannot be checked on its own: it belongs to the Assets (CMDB) API, which no Jira request reaches.')).toBe(
      'an Assets (CMDB) scope no Jira request reaches',
    );
    expect(briefSkip('Cannot be checked on its own: no Jira request uses it (it belongs to the DevOps builds API).')).toBe(
      'a DevOps builds scope no Jira request uses',
    );
    expect(briefSkip('Not checked: the site check failed.')).toBe('Not checked: the site check failed');
  });
});

describe('helpers', () => {
  it('mapBounded keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapBounded([5, 1, 3, 2, 4], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
    expect(await mapBounded([], 3, async () => 1)).toEqual([]);
  });
  it('checkTitle: a scope by its console title, a check by its catalogue title, else the id', () => {
    expect(checkTitle('scope:write:sprint:jira-software')).toBe('Update and delete sprints');
    expect(checkTitle('oauth-grant')).toBe('App permissions');
    expect(checkTitle('nope')).toBe('nope');
  });
});

describe('runChecks: what is sent', () => {
  it('each probe exactly once, with its method, its body (a write’s empty one) and Basic e-mail:token; the permissions once; nothing else', async () => {
    const { input, requests } = inputs();
    await runChecks(input);
    const as = 'as basic admin@acme.com:ATATT3xToken';
    expect([...requests].sort()).toEqual(
      [
        `GET ${CLOUD}/rest/api/3/project/search?maxResults=1 ${as}`,
        `POST ${CLOUD}/rest/api/3/issue {"fields":{}} ${as}`,
        `GET ${CLOUD}/rest/api/3/issuesecurityschemes ${as}`,
        `GET ${CLOUD}/rest/api/3/webhook?maxResults=1 ${as}`,
        `GET ${CLOUD}/rest/api/3/field/customfield_0/context/issuetypemapping?maxResults=1 ${as}`,
        `GET ${CLOUD}/rest/agile/1.0/board/0/version?maxResults=1 ${as}`,
        `GET ${CLOUD}/rest/agile/1.0/sprint/0 ${as}`,
        `POST ${CLOUD}/rest/agile/1.0/sprint/0 {} ${as}`,
        `GET ${CLOUD}/rest/agile/1.0/epic/0 ${as}`,
        `POST ${CLOUD}/rest/agile/1.0/epic/0 {} ${as}`,
        `GET ${CLOUD}/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,CREATE_ISSUES,EDIT_ISSUES,LINK_ISSUES,MANAGE_SPRINTS_PERMISSION,ADMINISTER ${as}`,
      ].sort(),
    );
  });
  it('a classic-token look sends the same credentials to the site’s own /myself only', async () => {
    const { input, requests } = inputs({ myself: AUTH_401 });
    await runChecks(input);
    expect(requests).toEqual(['SITE https://acme.atlassian.net/rest/api/3/myself as admin@acme.com:ATATT3xToken']);
  });
});

describe('runChecks: which checks a run has', () => {
  it('an ALM profile without its client secret: secrets fails naming both variables, and there is no client check', async () => {
    const { input, calls } = inputs({}, { clientSecret: undefined });
    const checks = byId(await runChecks(input));
    expect(checks.secrets).toMatchObject({
      status: 'fail',
      hint: 'Run `kj setup --profile acme` again to store it, or set KENDIS_JIRA_CLIENT_SECRET / KENDIS_JIRA_API_TOKEN.',
    });
    expect(checks['oauth-client']).toBeUndefined();
    expect(calls).not.toContain('token');
  });
  it('a user profile never has a client check, even when a client secret is around; its secrets fix names one variable', async () => {
    const { input, calls } = inputs({}, { profile: profile({ kind: 'user' } as Partial<Profile>), apiToken: undefined });
    const checks = byId(await runChecks(input));
    expect(checks['oauth-client']).toBeUndefined();
    expect(calls).not.toContain('token');
    expect(checks.secrets!.hint).toBe('Run `kj setup --user --profile acme` again to store it, or set KENDIS_JIRA_API_TOKEN.');
  });
  it('a token-only run never checks the client, even with a secret', async () => {
    const { input, calls } = inputs({}, { tokenOnly: true });
    const results = await runChecks(input);
    expect(results.some((r) => r.id === 'oauth-client' || r.id === 'config' || r.id === 'secrets')).toBe(false);
    expect(calls).not.toContain('token');
  });
  it('with the browser round trip: the three OAuth checks last, about this profile’s e-mail and site', async () => {
    const { input } = inputs(
      {},
      {
        oauth: async () => ({
          accessToken: 'at',
          grantedScopes: new Set([
            'read:me',
            'report:personal-data',
            'read:project:jira',
            'read:board-scope:jira-software',
            'read:epic:jira-software',
            'write:epic:jira-software',
            'read:sprint:jira-software',
            'write:sprint:jira-software',
          ]),
          expiresIn: 1,
        }),
      },
    );
    const results = await runChecks(input);
    expect(results.slice(-3).map((r) => [r.id, r.status])).toEqual([
      ['oauth-grant', 'pass'],
      ['oauth-identity', 'pass'],
      ['oauth-personal-data', 'pass'],
    ]);
    const other = inputs(
      {},
      { profile: profile({ email: 'someone@else.com', cloudId: '11111111-2222-3333-4444-555555555555' } as Partial<Profile>), oauth: input.oauth! },
    );
    const checks = byId(await runChecks(other.input));
    expect(checks['oauth-grant']!.status).toBe('fail');
    expect(checks['oauth-identity']!.status).toBe('warn');
  });
  it('every check has its catalogue title', () => {
    expect(
      [
        'config',
        'secrets',
        'site',
        'api-token',
        'token-expiry',
        'oauth-client',
        'jira-permissions',
        'oauth-grant',
        'oauth-identity',
        'oauth-personal-data',
      ].map(checkTitle),
    ).toEqual([
      'Saved settings',
      'Stored secrets',
      'Jira site',
      'E-mail and API token',
      'API token expiry',
      'Client ID and Client Secret',
      'Jira permissions Kendis uses',
      'App permissions',
      'User Identity API (the consenting account)',
      'Personal Data Reporting API',
    ]);
    expect(checkTitle('toString')).toBe('toString');
  });
  it('the OAuth round trip failing: its message as the grant’s detail (one final period), the other two skipped by id', async () => {
    const { client } = fakeClient();
    const results = await runOAuthChecks({ email: 'a', cloudId: CLOUD, client, now }, async () => {
      throw new OAuthFlowError('callback-error', 'Atlassian refused v1.2 of the app.', 'Fix it.');
    });
    expect(results).toEqual([
      { id: 'oauth-grant', title: 'App permissions', status: 'fail', detail: 'Atlassian refused v1.2 of the app.', hint: 'Fix it.' },
      { id: 'oauth-identity', title: 'User Identity API (the consenting account)', status: 'skip', detail: 'Needs the OAuth round trip.' },
      { id: 'oauth-personal-data', title: 'Personal Data Reporting API', status: 'skip', detail: 'Needs the OAuth round trip.' },
    ]);
    const plain = await runOAuthChecks({ email: 'a', cloudId: CLOUD, client, now }, async () => {
      throw new Error('odd');
    });
    expect(plain[0]).toEqual({ id: 'oauth-grant', title: 'App permissions', status: 'fail', detail: 'odd.' });
  });
  it('/me failing outright: identity is error and personal data is skipped', async () => {
    const { client } = fakeClient();
    (client as unknown as { me: () => Promise<HttpResponse> }).me = async () => {
      throw new NetworkError('timeout', 'api did not answer.', 'Try.');
    };
    const grant = async () => ({ accessToken: 'at', grantedScopes: new Set<string>(), expiresIn: 1 });
    const results = await runOAuthChecks({ email: 'a', cloudId: CLOUD, client, now }, grant);
    expect(results.map((r) => r.status)).toEqual(['fail', 'error', 'skip']);
  });
  it('a refused permissions request alone (several projects, one 401) skips jira-permissions', async () => {
    const { input } = inputs({ gateway: (path) => (path === '/rest/api/3/mypermissions' ? AUTH_401 : undefined) }, { projects: ['KEN', 'PLAN'] });
    const checks = byId(await runChecks(input));
    expect(checks['jira-permissions']!.status).toBe('skip');
  });
  it('a failing non-scope check never gets a drift hint, and a passing scope none either', async () => {
    const { input } = inputs({ tenant: '11111111-2222-3333-4444-555555555555' });
    const checks = byId(await runChecks(input));
    expect(checks.site!.hint).toContain('`kj setup --profile acme`');
  });
});
