/** test-connection against the sandbox: the acceptance of issue 5. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { PROBES as ALL_PROBES, UNPROBEABLE as ALL_UNPROBEABLE } from '../../src/atlassian/probes.js';
import { operationById, satisfies } from '../../src/atlassian/operations.js';
import { runTestConnection, type TestConnectionOptions } from '../../src/commands/test-connection.js';
import { ChecksFailedError, NotConfiguredError } from '../../src/errors.js';
import { makeTestDeps, type TestDeps } from '../helpers/test-deps.js';
import { followInBrowser, saveSandboxProfile } from '../helpers/sandbox-profile.js';
import { freePort } from '../helpers/ports.js';
import { startTestSandbox, localCallback } from '../helpers/sandbox-profile.js';

const ReportSchema = z.strictObject({
  ok: z.boolean(),
  profile: z.string(),
  site: z.string(),
  cloudId: z.string(),
  token: z.strictObject({ expiresOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), daysLeft: z.number().int() }),
  checks: z.array(
    z.strictObject({
      id: z
        .string()
        .regex(/^(config|secrets|site|api-token|token-expiry|oauth-client|jira-permissions|oauth-grant|oauth-identity|oauth-personal-data|scope:[a-z:.-]+)$/),
      title: z.string().min(1),
      status: z.enum(['pass', 'warn', 'fail', 'error', 'skip']),
      detail: z.string().min(1),
      hint: z.string().min(1).optional(),
    }),
  ),
});

// The ALM account's token: its probes and its unprobeable scopes.
const PROBES = ALL_PROBES.filter((p) => TOKEN_SCOPES.includes(p.scope));
const UNPROBEABLE = ALL_UNPROBEABLE.filter((u) => TOKEN_SCOPES.includes(u.scope));

const json: TestConnectionOptions = { json: true, oauth: false, browser: false, redirectUri: undefined, oauthTimeoutSeconds: 30 };
let sandbox: RunningSandbox;
let deps: TestDeps;

beforeEach(async () => {
  sandbox = await startTestSandbox();
  deps = makeTestDeps();
});
afterEach(async () => sandbox.close());

async function report(d: TestDeps = deps, options = json) {
  let error: unknown;
  await runTestConnection(options, d).catch((e: unknown) => (error = e));
  const doc = ReportSchema.parse(JSON.parse(d.stdout.text));
  return { doc, error, byId: Object.fromEntries(doc.checks.map((c) => [c.id, c])) };
}

function tokenWithout(scope: string) {
  return { token: `ATATT3x-without-${scope}`, email: SANDBOX.email, scopes: TOKEN_SCOPES.filter((s) => s !== scope) };
}

describe('test-connection against the sandbox', () => {
  it('a secret from the environment does not move "Last good test" (it vouches for the stored ones only)', async () => {
    const env = makeTestDeps({ env: { KENDIS_JIRA_API_TOKEN: SANDBOX.nextApiToken } });
    await saveSandboxProfile(env, sandbox, { profile: { lastSuccessfulTest: '2026-01-01T00:00:00.000Z' } });
    const { doc } = await report(env);
    expect(doc.ok).toBe(true);
    expect((await env.config.getProfile('default'))?.lastSuccessfulTest).toBe('2026-01-01T00:00:00.000Z');
    expect(env.stderr.text).toContain('"Last good test" is not updated: KENDIS_JIRA_API_TOKEN came from the environment');
  });

  it('a server echoing the client secret in its error never puts it in the report', async () => {
    const secret = 'wrong-secret-echoed-back-123';
    const echo = makeTestDeps({ env: { KENDIS_JIRA_CLIENT_SECRET: secret } });
    await saveSandboxProfile(echo, sandbox);
    sandbox.options.faults = { tokenEndpointEcho: true };
    const { doc } = await report(echo);
    expect(JSON.stringify(doc)).not.toContain(secret);
    expect(JSON.stringify(doc)).toContain('[redacted]');
  });

  it('passes everything with the right credentials, as one valid JSON document on stdout', async () => {
    await saveSandboxProfile(deps, sandbox);
    const { doc, error, byId } = await report();
    expect(error).toBeUndefined();
    expect(doc.ok).toBe(true);
    expect(doc.checks.map((c) => c.id).slice(0, 6)).toEqual(['config', 'secrets', 'site', 'api-token', 'token-expiry', 'oauth-client']);
    for (const scope of TOKEN_SCOPES) expect(byId[`scope:${scope}`]).toBeDefined();
    for (const p of PROBES) expect(byId[`scope:${p.scope}`]!.status).toBe('pass');
    for (const u of UNPROBEABLE) expect(byId[`scope:${u.scope}`]!.status).toBe('skip');
    expect(doc.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect((await deps.config.getProfile('default'))?.lastSuccessfulTest).toBeDefined();
  });

  it('costs about two round trips: one request per check, no more', async () => {
    await saveSandboxProfile(deps, sandbox);
    await report();
    const gateway = sandbox.requests.filter((r) => r.path.startsWith('/ex/jira/'));
    // /myself serves api-token and read:jira-user; + /mypermissions for jira-permissions
    expect(gateway).toHaveLength(PROBES.length + 1);
    expect(sandbox.requests).toHaveLength(PROBES.length + 3); // + tenant_info + token endpoint
  });

  it.each(TOKEN_SCOPES.map((s) => [s]))('a token without %s fails exactly the checks whose probe needs it', async (scope) => {
    sandbox.options.tokens = [tokenWithout(scope)];
    await saveSandboxProfile(deps, sandbox, { apiToken: `ATATT3x-without-${scope}` });
    const { doc, byId, error } = await report();
    const probe = PROBES.find((p) => p.scope === scope);
    if (probe) {
      expect(byId[`scope:${scope}`]!.status).toBe('fail');
      expect(byId[`scope:${scope}`]!.hint).toContain('rotate-token');
      expect(error).toBeInstanceOf(ChecksFailedError);
    } else {
      expect(byId[`scope:${scope}`]!.status).toBe('skip');
    }
    for (const other of PROBES.filter((p) => p.scope !== scope)) {
      const needs = !satisfies(
        operationById(other.operationId).scopeSets,
        TOKEN_SCOPES.filter((s) => s !== scope),
      );
      expect(byId[`scope:${other.scope}`]!.status, other.scope).toBe(needs ? 'fail' : 'pass');
    }
    expect(byId['api-token']!.status).toBe('pass');
    expect(doc.ok).toBe(!probe);
  });

  it('an invalid token fails api-token and skips the probes instead of failing them', async () => {
    await saveSandboxProfile(deps, sandbox, { apiToken: 'ATATT3x-not-the-token' });
    const { byId, error, doc } = await report();
    expect(error).toBeInstanceOf(ChecksFailedError);
    expect(byId['api-token']!.status).toBe('fail');
    expect(byId['api-token']!.detail).toContain('e-mail and API token pair');
    for (const scope of TOKEN_SCOPES) expect(byId[`scope:${scope}`]!.status).toBe('skip');
    expect(doc.ok).toBe(false);
    expect(byId['jira-permissions']!.status).toBe('skip');
    expect(sandbox.requests.filter((r) => r.path.startsWith('/ex/jira/'))).toHaveLength(1);
  });

  it('a classic (unscoped) token is diagnosed as such', async () => {
    sandbox.options.classicTokens = [{ token: 'classic-token-123', email: SANDBOX.email, scopes: [] }];
    await saveSandboxProfile(deps, sandbox, { apiToken: 'classic-token-123' });
    const { byId } = await report();
    expect(byId['api-token']!.detail).toContain('classic token');
  });

  it('only Kendis’ callback URL registered, token endpoint checking redirect_uri first: oauth-client still passes', async () => {
    sandbox.options.callbackUrls = ['https://app.kendis.io/jira/callback'];
    sandbox.options.tokenChecksRedirectFirst = true;
    await saveSandboxProfile(deps, sandbox, { profile: { callbackUrl: 'https://app.kendis.io/jira/callback' } });
    const { byId } = await report();
    expect(byId['oauth-client']!.status).toBe('pass');
    // The sandbox really rejects an unregistered redirect_uri first (this is not a kind emulator).
    const res = await fetch(`${sandbox.authUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        client_id: SANDBOX.clientId,
        client_secret: SANDBOX.clientSecret,
        code: 'x',
        redirect_uri: 'http://localhost:8976/callback',
      }),
    });
    expect(((await res.json()) as { error: string }).error).toBe('unauthorized_client');
  });

  it('a wrong client secret fails oauth-client only', async () => {
    await saveSandboxProfile(deps, sandbox, { clientSecret: 'wrong-secret-123' });
    const { byId, doc } = await report();
    expect(byId['oauth-client']!.status).toBe('fail');
    expect(byId['oauth-client']!.hint).toContain('Settings tab');
    expect(doc.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['oauth-client']);
  });

  it('still passes when the first request of every path is answered 429 with Retry-After', async () => {
    sandbox.options.rateLimitFirstRequestPerPath = { retryAfter: '1' };
    await saveSandboxProfile(deps, sandbox);
    const { doc } = await report();
    expect(doc.checks.filter((c) => c.status === 'fail' || c.status === 'warn' || c.status === 'error')).toEqual([]);
    expect(sandbox.requests.filter((r) => r.status === 429).length).toBeGreaterThan(5);
  });

  it('a site that now has another cloud fails `site` and skips the probes', async () => {
    await saveSandboxProfile(deps, sandbox, { profile: { cloudId: 'another-cloud' } });
    const { byId } = await report();
    expect(byId.site!.status).toBe('fail');
    expect(byId['scope:read:sprint:jira-software']!.status).toBe('skip');
  });

  it('a 403 past the scope check proves the scope: every probeable scope passes and jira-permissions warns', async () => {
    await saveSandboxProfile(deps, sandbox);
    sandbox.options.faults = { forbiddenPastScope: true };
    const { byId, doc } = await report();
    for (const p of PROBES) expect(byId[`scope:${p.scope}`]!.status, p.scope).toBe('pass');
    expect(byId['jira-permissions']!.status).toBe('warn');
    expect(byId['jira-permissions']!.detail).toContain('Browse Projects');
    expect(doc.ok).toBe(true);
    // The sandbox really answered 403 past the gateway (not a kind 200).
    expect(sandbox.requests.filter((r) => r.path.startsWith('/ex/jira/') && r.status === 403).length).toBe(PROBES.length - 1);
  });

  it('scope drift: a probe fails although another passed probe proves its scope is on the token, and the hint says the rules changed, not "make a new token"', async () => {
    await saveSandboxProfile(deps, sandbox);
    // Atlassian now wants another scope for the project search (the read:jira-work probe).
    sandbox.options.scopeOverrides = { 'project-search': [['read:project:jira', 'manage:jira-configuration']] };
    const { byId } = await report();
    expect(byId['scope:read:jira-work']!.status).toBe('fail');
    expect(byId['scope:read:jira-work']!.hint).toContain('scope rules for the test request may have changed');
    expect(byId['scope:read:jira-work']!.hint).toContain('npm run scopes:update');
    expect(byId['scope:read:jira-work']!.hint).not.toContain('create a new token');
    // A genuinely missing scope still gets the new-token fix.
    sandbox.options.scopeOverrides = undefined;
  });

  it('an account that is not a Jira admin: no scope doubt, jira-permissions names Administer Jira and what it is for', async () => {
    await saveSandboxProfile(deps, sandbox);
    sandbox.options.account = { admin: false };
    const { byId, doc } = await report();
    expect(byId['scope:manage:jira-project']!.status).toBe('pass');
    expect(byId['scope:manage:jira-webhook']!.status).toBe('pass');
    expect(byId['jira-permissions']!.status).toBe('warn');
    expect(byId['jira-permissions']!.detail).toContain('Administer Jira');
    expect(byId['jira-permissions']!.detail).toContain('webhooks');
    expect(byId['jira-permissions']!.detail).not.toContain('Browse Projects');
    expect(doc.ok).toBe(true);
  });

  it.each([
    ['a 502 HTML page from the gateway', { gatewayHtmlStatus: 502 }],
    ['a 500 JSON answer from the gateway', { gatewayStatus: 500 }],
  ] as const)('%s is `error`, not a pass: ok false and lastSuccessfulTest kept', async (_name, faults) => {
    await saveSandboxProfile(deps, sandbox, { profile: { lastSuccessfulTest: '2026-01-02T03:04:05.000Z' } });
    sandbox.options.faults = faults;
    const { byId, doc, error } = await report();
    expect(byId['api-token']!.status).toBe('error');
    expect(byId['api-token']!.detail).toMatch(/did not answer \(50\d from 127\.0\.0\.1/);
    for (const p of PROBES) expect(byId[`scope:${p.scope}`]!.status).not.toBe('pass');
    expect(doc.checks.some((c) => c.status === 'pass' && c.id.startsWith('scope:'))).toBe(false);
    expect(doc.ok).toBe(false);
    expect(error).toBeInstanceOf(ChecksFailedError);
    expect((error as Error).message).toContain('could not be checked');
    expect((await deps.config.getProfile('default'))?.lastSuccessfulTest).toBe('2026-01-02T03:04:05.000Z');
  });

  it('the token endpoint down makes oauth-client `error`, not a pass or a fail', async () => {
    await saveSandboxProfile(deps, sandbox);
    sandbox.options.faults = { tokenEndpointStatus: 503 };
    const { byId, doc } = await report();
    expect(byId['oauth-client']!.status).toBe('error');
    expect(doc.ok).toBe(false);
  });

  it('an expired token says so and how to rotate', async () => {
    await saveSandboxProfile(deps, sandbox, { profile: { token: { expiresOn: '2020-01-01' } } });
    const { byId } = await report();
    expect(byId['token-expiry']!.status).toBe('fail');
    expect(byId['token-expiry']!.hint).toContain('rotate-token');
  });

  it('prints one line per check and a summary without --json', async () => {
    await saveSandboxProfile(deps, sandbox);
    await runTestConnection({ ...json, json: false }, deps);
    const lines = deps.stdout.text
      .trim()
      .split('\n')
      .filter((l) => /^[✔!✖?–] /.test(l));
    expect(lines).toHaveLength(7 + TOKEN_SCOPES.length);
    expect(deps.stdout.text.trim().split('\n').at(-1)).toMatch(/^Connection OK: \d+ passed/);
    expect(lines.find((l) => l.includes('write:sprint:jira-software'))).toMatch(/^✔ Update and delete sprints/);
    expect(deps.stdout.text).toContain('Connection OK');
  });

  it('exits 3 (NotConfiguredError) with no profile', async () => {
    await expect(runTestConnection(json, deps)).rejects.toBeInstanceOf(NotConfiguredError);
  });

  it('--oauth runs the browser round trip and adds the three oauth checks', async () => {
    sandbox.options.autoApprove = true;
    const port = await freePort();
    const d = makeTestDeps({ onOpen: (url) => void followInBrowser(url), browserOpens: true });
    await saveSandboxProfile(d, sandbox, { profile: { redirectUri: localCallback(sandbox, port) } });
    const { byId, doc } = await report(d, { ...json, oauth: true, browser: true });
    // With the verdict's words: a failure here says what the CLI saw.
    for (const id of ['oauth-grant', 'oauth-identity', 'oauth-personal-data']) expect(byId[id]!.status, `${id}: ${byId[id]!.detail}`).toBe('pass');
    expect(doc.ok).toBe(true);
    expect(d.opened[0]).toContain('/authorize?');
  });

  it('--oauth with a permission missing from the app: no callback ever comes (as on real Atlassian), and the timeout names both causes', async () => {
    sandbox.options.autoApprove = true;
    sandbox.options.appScopes = sandbox.options.appScopes!.filter((s) => s !== 'read:epic:jira-software');
    const port = await freePort();
    const d = makeTestDeps({ onOpen: (url) => void followInBrowser(url), browserOpens: true });
    await saveSandboxProfile(d, sandbox, { profile: { redirectUri: localCallback(sandbox, port) } });
    const started = Date.now();
    const { byId, doc } = await report(d, { ...json, oauth: true, browser: true, oauthTimeoutSeconds: 5 });
    expect(Date.now() - started).toBeLessThan(9000);
    // A timeout proves nothing either way (checks.md): could not be checked, with both likely causes.
    expect(byId['oauth-grant']!.status).toBe('error');
    expect(byId['oauth-grant']!.detail).toContain('No answer from the browser within 5 s: Atlassian probably showed an error page');
    expect(byId['oauth-grant']!.hint).toContain('requested scopes that have not been added');
    expect(byId['oauth-grant']!.hint).toContain('"View epics and related issues"');
    expect(byId['oauth-grant']!.hint).toContain('redirect_uri');
    expect(doc.ok).toBe(false);
  }, 20_000);
});

describe('jira-permissions in the Kendis boards’ projects (--project)', () => {
  it('without a project it says "in at least one project"; with one, it asks Jira about that project exactly', async () => {
    await saveSandboxProfile(deps, sandbox);
    const any = await report();
    expect(any.byId['jira-permissions']!.detail).toContain('the project ones in at least one project');
    const d = makeTestDeps({ configDir: deps.configDirPath, keychain: deps.keychain });
    const exact = await report(d, { ...json, projects: ['KEN'] });
    expect(exact.byId['jira-permissions']).toMatchObject({ status: 'pass', detail: expect.stringMatching(/in project KEN\.$/) });
    expect(sandbox.requests.filter((r) => r.path.endsWith('/rest/api/3/mypermissions')).length).toBe(2);
  });

  it('a project Jira does not have is a warning naming it (never a fail); several projects are one check', async () => {
    await saveSandboxProfile(deps, sandbox);
    const r = await report(deps, { ...json, projects: ['KEN', 'NOPE'] });
    expect(r.doc.ok).toBe(true);
    expect(r.byId['jira-permissions']!.status).toBe('warn');
    expect(r.byId['jira-permissions']!.detail).toContain('in project KEN.');
    expect(r.byId['jira-permissions']!.detail).toContain('Jira has no project NOPE that this account can see');
    expect(r.doc.checks.filter((c) => c.id === 'jira-permissions')).toHaveLength(1);
  });

  it('the projects saved at setup are used when none is given', async () => {
    await saveSandboxProfile(deps, sandbox);
    await deps.config.update((c) => {
      for (const p of Object.values(c.profiles)) p.projects = ['KEN'];
    });
    const r = await report(makeTestDeps({ configDir: deps.configDirPath, keychain: deps.keychain }));
    expect(r.byId['jira-permissions']!.detail).toMatch(/in project KEN\.$/);
  });
});
