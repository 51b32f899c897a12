/**
 * Proof by contract, through the built CLI and the real Secret Service (checks.md, "What counts as
 * Jira's own answer"): a reverse middlebox in front of the sandbox answers in Atlassian's place with
 * shaped or empty successes, empty ErrorCollections, gateway-shaped JSON, plain text and HTML, on
 * every kind of request. Nothing it says passes a check, nothing is stored on it, and each check it
 * touched is `error` saying what came back. And the token endpoint, in today's answer and the older
 * one, lets setup and test-connection through.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { PROBES } from '../../src/atlassian/probes.js';
import { runCli } from '../helpers/cli.js';
import { TEST_KEYCHAIN_SERVICE } from '../helpers/test-keychain.js';
import { tempDir } from '../helpers/test-deps.js';
import { needs } from '../helpers/real-parts.js';
import { localCallback, startTestSandbox, scriptedSetup } from '../helpers/sandbox-profile.js';
import { freePort } from '../helpers/ports.js';
import { MIDDLEBOX_ANSWERS, startMiddlebox, type Canned, type MiddleboxRule, type RunningMiddlebox } from '../helpers/middlebox.js';
import { recordingBrowser } from '../helpers/recording-browser.js';

const keyringEnv = inject('keyringEnv');
const GOOD = 'ATATT3xContractGoodToken01';
// A token without the three classic scopes a middlebox once "proved" (issue "Proof by contract").
const LACKING = 'ATATT3xContractLacking0001';
const LACKING_SCOPES = TOKEN_SCOPES.filter((s) => !['read:jira-work', 'manage:jira-project', 'manage:jira-webhook'].includes(s));
const PROBED = PROBES.filter((p) => (TOKEN_SCOPES as readonly string[]).includes(p.scope)).map((p) => `scope:${p.scope}`);

let sandbox: RunningSandbox;
let rule: MiddleboxRule | undefined;
const boxes: Record<'site' | 'auth' | 'api', RunningMiddlebox> = {} as never;

beforeAll(async () => {
  sandbox = await startTestSandbox({
    tokens: [
      { token: GOOD, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] },
      { token: LACKING, email: SANDBOX.email, scopes: LACKING_SCOPES },
    ],
  });
  boxes.site = await startMiddlebox(sandbox.url, () => rule);
  boxes.auth = await startMiddlebox(sandbox.authUrl, () => rule);
  boxes.api = await startMiddlebox(sandbox.apiUrl, () => rule);
});
afterAll(async () => {
  for (const box of Object.values(boxes)) await box?.close();
  await sandbox?.close();
});
beforeEach(() => {
  rule = undefined;
});
const setRule = (next: MiddleboxRule | undefined) => {
  rule = next;
};

function keychain(account: string): string {
  return spawnSync('secret-tool', ['lookup', 'service', TEST_KEYCHAIN_SERVICE, 'username', account], {
    env: { ...process.env, ...keyringEnv! },
    encoding: 'utf8',
  }).stdout;
}

type Doc = { ok: boolean; checks: { id: string; status: string; detail: string }[] };
const byId = (doc: Doc) => Object.fromEntries(doc.checks.map((c) => [c.id, c]));

/** Every gateway request but /myself (so the sign-in is real and the probes count). */
const probesAnswered =
  (canned: Canned): MiddleboxRule =>
  ({ path }) =>
    path.startsWith('/ex/jira/') && !path.endsWith('/rest/api/3/myself') ? canned : undefined;
const myselfAnswered =
  (canned: Canned): MiddleboxRule =>
  ({ path }) =>
    path.endsWith('/rest/api/3/myself') ? canned : undefined;
const tenantAnswered =
  (canned: Canned): MiddleboxRule =>
  ({ path }) =>
    path === '/_edge/tenant_info' ? canned : undefined;
const tokenEndpointAnswered =
  (canned: Canned): MiddleboxRule =>
  ({ path }) =>
    path === '/oauth/token' ? canned : undefined;

const parts = needs('keyring');
describe.skipIf(parts.skip)(`a middlebox in Atlassian's place proves nothing (built CLI)${parts.note}`, () => {
  let n = 0;
  const fresh = () => {
    n += 1;
    const config = tempDir('kj-contract-');
    const profile = `contract${process.pid}x${n}`;
    const env = { HOME: config, KENDIS_JIRA_CONFIG_DIR: config, ...keyringEnv!, KENDIS_JIRA_AUTH_URL: boxes.auth.url, KENDIS_JIRA_API_URL: boxes.api.url };
    return { config, profile, env };
  };
  const setupArgs = (profile: string) => scriptedSetup(boxes.site.url, profile);
  const lastGood = (f: { config: string; profile: string }) =>
    JSON.parse(readFileSync(join(f.config, 'config.json'), 'utf8')).profiles[f.profile]?.lastSuccessfulTest as string | undefined;

  let configured: ReturnType<typeof fresh>;
  beforeAll(async () => {
    configured = fresh();
    const setup = await runCli(setupArgs(configured.profile), {
      env: { ...configured.env, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: GOOD },
    });
    expect(setup.code, setup.stderr).toBe(0);
  });

  const answers = Object.entries(MIDDLEBOX_ANSWERS);

  it.each(answers)('test-connection with every probe answered by %s: no scope passes, each says what came back, exit 1', async (_name, canned) => {
    const before = lastGood(configured);
    rule = probesAnswered(canned);
    const r = await runCli(['test-connection', '--profile', configured.profile, '--json'], { env: configured.env });
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as Doc;
    const checks = byId(doc);
    expect(doc.ok).toBe(false);
    expect(checks['api-token']!.status).toBe('pass');
    // read:jira-user is proven by /myself itself (Jira's own answer passed through).
    for (const id of PROBED.filter((p) => p !== 'scope:read:jira-user')) {
      expect(checks[id]!.status, `${id}: ${checks[id]!.detail}`).toBe('error');
      expect(checks[id]!.detail).toMatch(new RegExp(`\\(${canned.status} from 127\\.0\\.0\\.1:\\d+`));
    }
    expect(checks['jira-permissions']!.status).toBe('error');
    expect(lastGood(configured)).toBe(before);
  });

  it.each(answers)('test-connection with /myself answered by %s: the sign-in is not proven, no scope passes', async (_name, canned) => {
    rule = myselfAnswered(canned);
    const r = await runCli(['test-connection', '--profile', configured.profile, '--json'], { env: configured.env });
    expect(r.code, r.stderr).toBe(1);
    const checks = byId(JSON.parse(r.stdout) as Doc);
    expect(checks['api-token']!.status).toBe('error');
    expect(checks['api-token']!.detail).toContain(`${canned.status} from 127.0.0.1`);
    // A refusal that is not Jira's is never stated as refused credentials, only as a likely cause.
    if (canned.status === 403) expect(checks['api-token']!.detail).toMatch(/probably .* or a proxy answered instead/);
    for (const id of PROBED) expect(checks[id]!.status, id).not.toBe('pass');
  });

  it.each(answers)(
    'rotate-token to a token lacking three scopes, every probe answered by %s: nothing stored, the working token kept',
    async (_name, canned) => {
      rule = probesAnswered(canned);
      const r = await runCli(['rotate-token', '--profile', configured.profile, '--token-expires', '2027-10-01'], {
        env: { ...configured.env, KENDIS_JIRA_API_TOKEN: LACKING },
      });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).not.toMatch(/verified and stored|revoke/i);
      expect(keychain(`${configured.profile}:api-token`)).toBe(GOOD);
    },
  );

  it.each(answers.slice(0, 4))('a fresh setup while every probe is answered by %s: exit 1, nothing stored', async (_name, canned) => {
    const f = fresh();
    rule = probesAnswered(canned);
    const r = await runCli(setupArgs(f.profile), { env: { ...f.env, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: GOOD } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).not.toMatch(/Saved profile/);
    for (const kind of ['client-secret', 'api-token']) {
      expect(keychain(`${f.profile}:${kind}`), kind).toBe('');
      expect(keychain(`${f.profile}:setup:${kind}`), `staged ${kind}`).toBe('');
    }
    if (existsSync(join(f.config, 'config.json'))) expect(JSON.parse(readFileSync(join(f.config, 'config.json'), 'utf8')).profiles[f.profile]).toBeUndefined();
  });

  it.each(answers)('tenant_info answered by %s: the site is never passed, and a 404 is only "probably" no site', async (_name, canned) => {
    rule = tenantAnswered(canned);
    const r = await runCli(['test-connection', '--profile', configured.profile, '--json'], { env: configured.env });
    expect(r.code).toBe(1);
    const site = byId(JSON.parse(r.stdout) as Doc).site!;
    expect(site.status).toBe('error');
    expect(site.detail).toContain(`${canned.status} from 127.0.0.1`);
    if (canned.status === 404) expect(site.detail).toContain('probably not a Jira Cloud site');
    const f = fresh();
    const setup = await runCli(setupArgs(f.profile), { env: { ...f.env, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: GOOD } });
    expect(setup.code).not.toBe(0);
    if (canned.status === 404) {
      expect(setup.code).toBe(2);
      expect(setup.stderr).toMatch(/probably not a Jira Cloud site[\s\S]*a proxy/);
    }
    expect(keychain(`${f.profile}:client-secret`)).toBe('');
  });

  it.each([
    ...answers,
    ['a 502 carrying today’s refusal of the code', { status: 502, body: '{"error":"invalid_request","error_description":"authorization_code is invalid"}' }],
    ['a 429 carrying invalid_grant', { status: 429, body: '{"error":"invalid_grant"}' }],
    ['a 302 to a login page', { status: 302, body: '' }],
    ['another invalid_request', { status: 400, body: '{"error":"invalid_request","error_description":"Missing grant_type"}' }],
  ] as [string, Canned][])('the token endpoint answered by %s: oauth-client is error, never a pass', async (_name, canned) => {
    rule = tokenEndpointAnswered(canned);
    const r = await runCli(['test-connection', '--profile', configured.profile, '--json'], { env: configured.env });
    expect(r.code).toBe(1);
    const client = byId(JSON.parse(r.stdout) as Doc)['oauth-client']!;
    expect(client.status, client.detail).toBe('error');
    expect(client.detail).toContain(String(canned.status));
  });
});

describe.skipIf(parts.skip)(`the browser round trip's requests answered by a middlebox (built CLI, test-connection --oauth)${parts.note}`, () => {
  const answers = Object.entries(MIDDLEBOX_ANSWERS);
  const meAnswered =
    (canned: Canned): MiddleboxRule =>
    ({ path }) =>
      path === '/me' ? canned : undefined;
  const reportAnswered =
    (canned: Canned): MiddleboxRule =>
    ({ path }) =>
      path === '/app/report-accounts/' ? canned : undefined;
  const resourcesAnswered =
    (canned: Canned): MiddleboxRule =>
    ({ path }) =>
      path === '/oauth/token/accessible-resources' ? canned : undefined;

  it.each(answers)(
    '/me, the site list and the Personal Data Reporting API answered by %s: none of the OAuth checks passes on it',
    async (_name, canned) => {
      sandbox.options.autoApprove = true;
      // The CLI asks for the API host it talks to (the middlebox) as the OAuth audience.
      sandbox.options.audience = new URL(boxes.api.url).host;
      const config = tempDir('kj-contract-oauth-');
      const env = {
        HOME: config,
        KENDIS_JIRA_CONFIG_DIR: config,
        ...keyringEnv!,
        KENDIS_JIRA_AUTH_URL: boxes.auth.url,
        KENDIS_JIRA_API_URL: boxes.api.url,
        BROWSER: recordingBrowser().path,
      };
      const redirect = localCallback(sandbox, await freePort());
      const profile = `oauth${process.pid}`;
      const setup = await runCli([...scriptedSetup(boxes.site.url, profile), '--redirect-uri', redirect], {
        env: { ...env, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: GOOD },
      });
      expect(setup.code, setup.stderr).toBe(0);
      for (const [rule, id] of [
        [meAnswered, 'oauth-identity'],
        [reportAnswered, 'oauth-personal-data'],
        [resourcesAnswered, 'oauth-grant'],
      ] as const) {
        // An empty 204 is the Personal Data Reporting API's own documented answer: no shape tells it apart.
        if (id === 'oauth-personal-data' && canned.status === 204) continue;
        setRule(rule(canned));
        const r = await runCli(['test-connection', '--profile', profile, '--oauth', '--json', '--oauth-timeout', '20'], { env, timeoutMs: 60_000 });
        expect(r.code, `${id}: ${r.stderr}`).toBe(1);
        const check = byId(JSON.parse(r.stdout) as Doc)[id]!;
        // An empty site list is the endpoint's documented answer for a grant that reaches no site: it
        // fails (never passes) and says to grant the site; anything else a middlebox says is error.
        if (id === 'oauth-grant' && canned.body === '[]') {
          expect(check.status, `${id}: ${check.detail}`).toBe('fail');
          continue;
        }
        expect(check.status, `${id}: ${check.detail}`).toBe('error');
        expect(check.detail).toContain(String(canned.status));
      }
      setRule(undefined);
      sandbox.options.autoApprove = false;
      delete sandbox.options.audience;
    },
    120_000,
  );
});

describe.skipIf(parts.skip)(`the token endpoint as Atlassian answers today, and as it did before 2023 (built CLI)${parts.note}`, () => {
  it.each(['today', 'auth0'] as const)(
    '%s: setup with and without --skip-oauth, then test-connection, pass',
    async (mode) => {
      const modeSandbox = await startTestSandbox({
        codeRefusal: mode,
        autoApprove: true,
        tokens: [{ token: GOOD, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] }],
      });
      try {
        const browser = recordingBrowser();
        const config = tempDir('kj-mode-');
        const env = {
          HOME: config,
          KENDIS_JIRA_CONFIG_DIR: config,
          ...keyringEnv!,
          KENDIS_JIRA_AUTH_URL: modeSandbox.authUrl,
          KENDIS_JIRA_API_URL: modeSandbox.apiUrl,
          BROWSER: browser.path,
        };
        const secrets = { KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: GOOD };
        const base = [
          '--site',
          modeSandbox.url,
          '--email',
          SANDBOX.email,
          '--callback-url',
          SANDBOX.kendisCallbackUrl,
          '--client-id',
          SANDBOX.clientId,
          '--token-expires',
          '2027-08-01',
          '--non-interactive',
        ];
        const skip = await runCli(['setup', '--profile', `${mode}-skip`, ...base, '--skip-oauth'], { env: { ...env, ...secrets } });
        expect(skip.code, skip.stderr).toBe(0);
        const redirect = localCallback(modeSandbox, await freePort());
        const full = await runCli(['setup', '--profile', `${mode}-full`, ...base, '--redirect-uri', redirect], {
          env: { ...env, ...secrets },
          timeoutMs: 60_000,
        });
        expect(full.code, full.stderr).toBe(0);
        expect(full.stderr).toMatch(/granted/);
        for (const profile of [`${mode}-skip`, `${mode}-full`]) {
          const test = await runCli(['test-connection', '--profile', profile, '--json'], { env });
          expect(test.code, test.stderr).toBe(0);
          expect(byId(JSON.parse(test.stdout) as Doc)['oauth-client']).toMatchObject({ status: 'pass', detail: 'Accepted by Atlassian.' });
        }
        // The invalid code was refused the way this mode refuses it.
        const refusals = modeSandbox.requests.filter((q) => q.origin === 'auth' && q.path === '/oauth/token' && q.status !== 200).map((q) => q.status);
        expect(new Set(refusals)).toEqual(new Set([mode === 'today' ? 400 : 403]));
      } finally {
        await modeSandbox.close();
      }
    },
    120_000,
  );
});
