/**
 * "No pass without proof" through the built CLI, the real Secret Service and a sandbox in a lasting
 * outage: nothing is stored, nothing moves, and every command exits 1 saying Atlassian did not answer.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { runCli } from '../helpers/cli.js';
import { TEST_KEYCHAIN_SERVICE } from '../helpers/test-keychain.js';
import { tempDir } from '../helpers/test-deps.js';
import { needs } from '../helpers/real-parts.js';
import { startTestSandbox, localCallback, scriptedSetup } from '../helpers/sandbox-profile.js';

const keyringEnv = inject('keyringEnv');
const GOOD = 'ATATT3xOutageGoodToken0001';
const TYPO = 'ATATT3xOutageGoodToken000l';
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({ tokens: [{ token: GOOD, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] }] });
});
afterAll(async () => sandbox?.close());
beforeEach(() => {
  sandbox.options.faults = {};
});

function keychain(account: string): string {
  return spawnSync('secret-tool', ['lookup', 'service', TEST_KEYCHAIN_SERVICE, 'username', account], {
    env: { ...process.env, ...keyringEnv! },
    encoding: 'utf8',
  }).stdout;
}

function setupArgs(profile: string, port = 0): string[] {
  return [...scriptedSetup(sandbox.url, profile), ...(port ? ['--redirect-uri', localCallback(sandbox, port)] : [])];
}

const parts = needs('keyring');
describe.skipIf(parts.skip)(`a lasting outage proves nothing and changes nothing (built CLI)${parts.note}`, () => {
  let n = 0;
  const fresh = () => {
    n += 1;
    const config = tempDir('kj-outage-');
    const profile = `outage${process.pid}x${n}`;
    const env = { HOME: config, KENDIS_JIRA_CONFIG_DIR: config, ...keyringEnv!, KENDIS_JIRA_AUTH_URL: sandbox.authUrl, KENDIS_JIRA_API_URL: sandbox.apiUrl };
    return { config, profile, env };
  };

  async function configured() {
    const f = fresh();
    const setup = await runCli(setupArgs(f.profile), { env: { ...f.env, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: GOOD } });
    expect(setup.code, setup.stderr).toBe(0);
    return f;
  }

  it('test-connection with a 502 HTML page from the gateway exits 1 and keeps lastSuccessfulTest', async () => {
    const f = await configured();
    const before = JSON.parse(readFileSync(join(f.config, 'config.json'), 'utf8')).profiles[f.profile].lastSuccessfulTest;
    expect(before).toBeTruthy();
    sandbox.options.faults = { gatewayHtmlStatus: 502 };
    const r = await runCli(['test-connection', '--profile', f.profile], { env: f.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Connection has problems');
    expect(r.stdout).not.toContain('Connection OK');
    expect(r.stdout).toMatch(/\? E-mail and API token: not checked — Atlassian's API gateway did not answer \(502 from 127\.0\.0\.1:\d+, an HTML page/);
    expect(r.stdout).not.toMatch(/^✔ .*\(read:sprint:jira-software\)/m);
    expect(r.stderr).toContain('could not be checked because Atlassian did not answer');
    const after = JSON.parse(readFileSync(join(f.config, 'config.json'), 'utf8')).profiles[f.profile].lastSuccessfulTest;
    expect(after).toBe(before);
    const json = await runCli(['test-connection', '--profile', f.profile, '--json'], { env: f.env });
    const doc = JSON.parse(json.stdout) as { ok: boolean; checks: { id: string; status: string }[] };
    expect(doc.ok).toBe(false);
    expect(doc.checks.find((c) => c.id === 'api-token')?.status).toBe('error');
  });

  it('rotate-token to a mistyped token during a 502 outage exits 1; the keychain keeps the old token and the old expiry', async () => {
    const f = await configured();
    const expiryBefore = JSON.parse(readFileSync(join(f.config, 'config.json'), 'utf8')).profiles[f.profile].token.expiresOn;
    sandbox.options.faults = { gatewayHtmlStatus: 502 };
    const r = await runCli(['rotate-token', '--profile', f.profile, '--token-expires', '2027-10-01'], { env: { ...f.env, KENDIS_JIRA_API_TOKEN: TYPO } });
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('verified and stored');
    expect(r.stderr).not.toContain('Revoke the old token');
    expect(r.stderr).toMatch(/did not answer \(502 from 127\.0\.0\.1:\d+.*nothing was changed/);
    expect(keychain(`${f.profile}:api-token`)).toBe(GOOD);
    expect(JSON.parse(readFileSync(join(f.config, 'config.json'), 'utf8')).profiles[f.profile].token.expiresOn).toBe(expiryBefore);
  });

  it.each([[404], [403]])(
    'rotate-token to a token with no scopes while something in between answers every probe %i in plain text: nothing is stored',
    async (status) => {
      const f = await configured();
      const NOSCOPES = `ATATT3xNoScopes${status}`;
      sandbox.options.tokens!.push({ token: NOSCOPES, email: SANDBOX.email, scopes: ['read:jira-user'] });
      sandbox.options.faults = { plainTextProbeStatus: status };
      const r = await runCli(['rotate-token', '--profile', f.profile, '--token-expires', '2027-10-01'], { env: { ...f.env, KENDIS_JIRA_API_TOKEN: NOSCOPES } });
      expect(r.code).toBe(1);
      expect(r.stderr).not.toContain('verified and stored');
      expect(keychain(`${f.profile}:api-token`)).toBe(GOOD);
    },
  );

  it('rotate-token while the probes are refused 401 (no "scope does not match") after the sign-in: api-token fails, no scope is blamed, nothing is stored', async () => {
    const f = await configured();
    const WORKING = 'ATATT3xWorkingButRefusedLater';
    sandbox.options.tokens!.push({ token: WORKING, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] });
    sandbox.options.faults = { plainTextProbeStatus: 401 };
    const r = await runCli(['rotate-token', '--profile', f.profile, '--token-expires', '2027-10-01'], { env: { ...f.env, KENDIS_JIRA_API_TOKEN: WORKING } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('then refused them (401) on the scope checks');
    expect(r.stderr).not.toMatch(/lacks \d+ scopes|Missing from the API token/);
    expect(r.stderr).not.toContain('verified and stored');
    expect(keychain(`${f.profile}:api-token`)).toBe(GOOD);
  });

  it.each([
    ['the gateway answers a 502 HTML page', { gatewayHtmlStatus: 502 }, /Atlassian rejected them \(401 access_denied: Unauthorized\)/],
    [
      'the gateway and the token endpoint are down',
      { gatewayHtmlStatus: 502, tokenEndpointStatus: 503 },
      /token endpoint did not answer \(503 from 127\.0\.0\.1:\d+, an HTML page.*the Client Secret was not stored/,
    ],
  ] as const)('a fresh setup with wrong secrets while %s exits 1, stores no keychain item and no profile', async (_name, faults, said) => {
    const f = fresh();
    sandbox.options.faults = { ...faults };
    const r = await runCli(setupArgs(f.profile), { env: { ...f.env, KENDIS_JIRA_CLIENT_SECRET: 'wrong-client-secret-typed', KENDIS_JIRA_API_TOKEN: TYPO } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(said);
    expect(r.stderr).not.toMatch(/Saved profile/);
    for (const kind of ['client-secret', 'api-token']) {
      expect(keychain(`${f.profile}:${kind}`), kind).toBe('');
      expect(keychain(`${f.profile}:setup:${kind}`), `staged ${kind}`).toBe('');
    }
    const file = join(f.config, 'config.json');
    const profiles = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).profiles : {};
    expect(profiles[f.profile]).toBeUndefined();
  });

  it('a fresh setup with a right client secret but a gateway outage stores nothing, not even the verified client secret', async () => {
    const f = fresh();
    sandbox.options.faults = { gatewayHtmlStatus: 502 };
    const r = await runCli(setupArgs(f.profile), { env: { ...f.env, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: GOOD } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/did not answer \(502 from 127\.0\.0\.1:\d+, an HTML page.*the token was not stored\. Try again later/);
    for (const kind of ['client-secret', 'api-token']) {
      expect(keychain(`${f.profile}:${kind}`), kind).toBe('');
      expect(keychain(`${f.profile}:setup:${kind}`), `staged ${kind}`).toBe('');
    }
    // Once Atlassian answers again, the same command finishes (the answers were kept, not the secrets).
    sandbox.options.faults = {};
    const again = await runCli(setupArgs(f.profile), { env: { ...f.env, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: GOOD } });
    expect(again.code, again.stderr).toBe(0);
    expect(keychain(`${f.profile}:api-token`)).toBe(GOOD);
  });
});
