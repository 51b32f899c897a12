/**
 * Every change to a profile — setup, rotate-token, logout — killed at each of its points (the real
 * built binary SIGKILLs itself where KENDIS_JIRA_TEST_CRASH_AT names). After the next command:
 *   - pairing: the stored token works and its saved expiry is its own — the old pair before the
 *     flip, the new pair from the flip on; never a token under another's settings;
 *   - nothing lost: a profile always has its whole set of secrets;
 *   - nothing outlives the next command: no generation, leftover, lock or temp file remains; only
 *     the contract's accounts (`<profile>:client-secret`, `<profile>:api-token`).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { ROTATION_POINTS } from '../../src/profiles/rotation.js';
import { SETUP_POINTS } from '../../src/wizard/commit.js';
import { LOGOUT_POINTS } from '../../src/profiles/transaction.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { keychainAccounts } from '../helpers/secret-tool.js';
import { configWithFileProfile, startTestSandbox } from '../helpers/sandbox-profile.js';

const NEW = 'ATATT3x-crash-points-new-token';
const OLD_EXPIRY = '2027-06-01';
const NEW_EXPIRY = '2027-10-01';
const OWN_ACCOUNTS = ['default:api-token', 'default:client-secret'];
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sandbox.options.tokens!.push({ token: NEW, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] });
});
afterAll(async () => sandbox.close());

interface Saved {
  secrets: Record<string, string>;
  config: { profiles: Record<string, { token: { expiresOn: string }; generation?: string }>; progress: Record<string, unknown>; leftovers: unknown[] };
}
function saved(dir: string): Saved {
  return {
    secrets: (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> }).secrets,
    config: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Saved['config'],
  };
}

/** The next command: test-connection proves the stored pair; then nothing of the change is left. */
async function nextCommandProves(dir: string): Promise<{ token: string | undefined; expiresOn: string | undefined }> {
  const r = await runCli(['test-connection', '--json'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
  const doc = JSON.parse(r.stdout) as { ok: boolean; token: { expiresOn: string } };
  expect(doc.ok, r.stderr).toBe(true);
  const { secrets, config } = saved(dir);
  expect(doc.token.expiresOn, 'the checked expiry is the saved one').toBe(config.profiles.default?.token.expiresOn);
  return { token: secrets['default:api-token'], expiresOn: config.profiles.default?.token.expiresOn };
}

function nothingLeft(dir: string, accounts: string[] = OWN_ACCOUNTS): void {
  const { secrets, config } = saved(dir);
  expect(Object.keys(secrets).sort(), 'only the contract’s accounts').toEqual(accounts);
  expect(config.leftovers, 'no leftover listed').toEqual([]);
  expect(config.profiles.default?.generation, 'settled on the contract’s names').toBeUndefined();
  expect(
    readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock') || f.startsWith('.write-check')),
    'no lock or temp file',
  ).toEqual([]);
}

const setupArgs = (expires: string) => [
  'setup',
  '--non-interactive',
  '--insecure-storage',
  '--skip-oauth',
  '--site',
  sandbox.url,
  '--email',
  SANDBOX.email,
  '--callback-url',
  SANDBOX.kendisCallbackUrl,
  '--client-id',
  SANDBOX.clientId,
  '--token-expires',
  expires,
];
const setupEnv = (dir: string, token: string, crashAt?: string) => ({
  KENDIS_JIRA_CONFIG_DIR: dir,
  KENDIS_JIRA_AUTH_URL: sandbox.authUrl,
  KENDIS_JIRA_API_URL: sandbox.apiUrl,
  KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret,
  KENDIS_JIRA_API_TOKEN: token,
  ...(crashAt ? { KENDIS_JIRA_TEST_CRASH_AT: crashAt } : {}),
});

describe('setup replacing a profile, killed at every point', () => {
  it.each(SETUP_POINTS.map((p) => [p] as const))('killed at "%s": the old pair or the new pair, and the next setup finishes clean', async (point) => {
    const dir = configWithFileProfile(sandbox, OLD_EXPIRY);
    const r = await runCli(setupArgs(NEW_EXPIRY), { env: setupEnv(dir, NEW, point), timeoutMs: 60_000 });
    expect(r.code, `killed at ${point}: ${r.stderr}`).toBeNull();
    const flipped = SETUP_POINTS.indexOf(point) >= SETUP_POINTS.indexOf('setup:flipped');
    expect(await nextCommandProves(dir)).toEqual(flipped ? { token: NEW, expiresOn: NEW_EXPIRY } : { token: SANDBOX.apiToken, expiresOn: OLD_EXPIRY });
    if (flipped) {
      nothingLeft(dir);
      expect(saved(dir).config.progress).toEqual({});
    } else {
      // Killed before the flip: the unfinished setup keeps what it verified, to resume; its rerun finishes it.
      const again = await runCli(setupArgs(NEW_EXPIRY), { env: setupEnv(dir, NEW), timeoutMs: 60_000 });
      expect(again.code, again.stderr).toBe(0);
      expect(await nextCommandProves(dir)).toEqual({ token: NEW, expiresOn: NEW_EXPIRY });
      nothingLeft(dir);
      expect(saved(dir).config.progress).toEqual({});
    }
  });

  it('killed before the flip, then logout: the profile and what the unfinished setup staged are all gone', async () => {
    const dir = configWithFileProfile(sandbox, OLD_EXPIRY);
    expect((await runCli(setupArgs(NEW_EXPIRY), { env: setupEnv(dir, NEW, 'setup:written'), timeoutMs: 60_000 })).code).toBeNull();
    expect(Object.keys(saved(dir).secrets).length, 'staged beside the profile’s own').toBeGreaterThan(2);
    const out = await runCli(['logout', '--yes'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(out.code, out.stderr).toBe(0);
    nothingLeft(dir, []);
  });
});

describe('rotate-token killed at every point', () => {
  it.each(ROTATION_POINTS.map((p) => [p] as const))('killed at "%s": a working token with its own expiry, nothing left over', async (point) => {
    const dir = configWithFileProfile(sandbox, OLD_EXPIRY);
    const r = await runCli(['rotate-token', '--token-expires', NEW_EXPIRY], {
      env: { KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_API_TOKEN: NEW, KENDIS_JIRA_TEST_CRASH_AT: point },
    });
    expect(r.code, `killed at ${point}: ${r.stderr}`).toBeNull();
    const flipped = ROTATION_POINTS.indexOf(point) >= ROTATION_POINTS.indexOf('rotate:flipped');
    expect(await nextCommandProves(dir)).toEqual(flipped ? { token: NEW, expiresOn: NEW_EXPIRY } : { token: SANDBOX.apiToken, expiresOn: OLD_EXPIRY });
    nothingLeft(dir);
    expect(saved(dir).secrets['default:client-secret'], 'the client secret went along').toBe(SANDBOX.clientSecret);
  });

  it('completes when not interrupted, leaving only the contract’s accounts', async () => {
    const dir = configWithFileProfile(sandbox, OLD_EXPIRY);
    const r = await runCli(['rotate-token', '--token-expires', NEW_EXPIRY], { env: { KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_API_TOKEN: NEW } });
    expect(r.code, r.stderr).toBe(0);
    nothingLeft(dir);
    expect(await nextCommandProves(dir)).toEqual({ token: NEW, expiresOn: NEW_EXPIRY });
  });
});

describe('logout killed at every point', () => {
  it.each(LOGOUT_POINTS.map((p) => [p] as const))('killed at "%s": the profile is gone, and its secrets are gone after the next command', async (point) => {
    const dir = configWithFileProfile(sandbox, OLD_EXPIRY);
    const r = await runCli(['logout', '--yes'], { env: { KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_TEST_CRASH_AT: point } });
    expect(r.code, `killed at ${point}: ${r.stderr}`).toBeNull();
    const next = await runCli(['status'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(next.code, 'not configured').toBe(3);
    expect(saved(dir).config.profiles).toEqual({});
    nothingLeft(dir, []);
  });
});

describe('a holder stopped while it holds the profile lock', () => {
  it('is never taken from, however long it is stopped (40 s): logout waits, then removes what the rotation stored', async () => {
    const dir = configWithFileProfile(sandbox, OLD_EXPIRY);
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const { TEST_KEYCHAIN_ENV } = await import('../helpers/test-keychain.js');
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...TEST_KEYCHAIN_ENV, KENDIS_JIRA_CONFIG_DIR: dir };
    const rotation = spawn(process.execPath, [BIN, 'rotate-token', '--token-expires', NEW_EXPIRY], {
      env: { ...env, KENDIS_JIRA_API_TOKEN: NEW, KENDIS_JIRA_TEST_STOP_AT: 'rotate:recorded' },
      stdio: 'ignore',
    });
    const rotated = new Promise<number | null>((resolve) => rotation.on('close', resolve));
    const state = () => readFileSync(`/proc/${rotation.pid}/stat`, 'utf8').split(') ')[1]?.[0];
    for (let i = 0; i < 200 && state() !== 'T'; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(state(), 'the rotation stopped itself holding the lock').toBe('T');
    const lock = join(dir, 'rotate-default.lock');
    expect(readFileSync(lock, 'utf8')).toContain(`:${rotation.pid}:`);

    const logout = runCli(['logout', '--yes'], { env: { KENDIS_JIRA_CONFIG_DIR: dir }, timeoutMs: 90_000 });
    let loggedOut = false;
    void logout.then(() => (loggedOut = true));
    await new Promise((r) => setTimeout(r, 40_000));
    expect(loggedOut, 'logout still waits').toBe(false);
    expect(readFileSync(lock, 'utf8'), 'the lock is still the stopped holder’s').toContain(`:${rotation.pid}:`);
    expect(saved(dir).config.profiles.default, 'nothing changed meanwhile').toBeDefined();

    rotation.kill('SIGCONT');
    expect(await rotated, 'the rotation finished its change').toBe(0);
    const out = await logout;
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('Removed profile "default"');
    nothingLeft(dir, []);
  }, 120_000);
});

describe('a setup staging a secret while logout runs', () => {
  it('logout waits for the staging; what the setup stages after is its own and nothing is left that nothing points at', async () => {
    const dir = configWithFileProfile(sandbox, OLD_EXPIRY);
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const { TEST_KEYCHAIN_ENV } = await import('../helpers/test-keychain.js');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...TEST_KEYCHAIN_ENV,
      ...setupEnv(dir, NEW),
      KENDIS_JIRA_TEST_STOP_AT: 'stage:recorded',
    };
    const setup = spawn(process.execPath, [BIN, ...setupArgs(NEW_EXPIRY)], { env, stdio: 'ignore' });
    const finished = new Promise<number | null>((resolve) => setup.on('close', resolve));
    const state = () => readFileSync(`/proc/${setup.pid}/stat`, 'utf8').split(') ')[1]?.[0];
    for (let i = 0; i < 200 && state() !== 'T'; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(state(), 'the setup stopped itself while staging').toBe('T');
    const logout = runCli(['logout', '--yes'], { env: { KENDIS_JIRA_CONFIG_DIR: dir }, timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 1500));
    setup.kill('SIGCONT');
    expect(await finished, 'the setup went on and saved its profile').toBe(0);
    expect((await logout).code).toBe(0);
    // Whichever came first, nothing is left that nothing points at.
    await runCli(['status'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    const { secrets, config } = saved(dir);
    const pointedAt = config.profiles.default ? OWN_ACCOUNTS : [];
    expect(Object.keys(secrets).sort()).toEqual(pointedAt);
    expect(config.leftovers).toEqual([]);
  }, 60_000);
});

const leftoversIn = (dir: string) => (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { leftovers: unknown[] }).leftovers;

describe('setup killed while it proves the keychain works', () => {
  it.skipIf(!inject('keyringEnv'))(
    'the dummy item is under a listed generation, so the next command deletes it',
    async () => {
      const keyring = inject('keyringEnv')!;
      const dir = join(tempDir(), 'cfg');
      const env = { ...keyring, KENDIS_JIRA_CONFIG_DIR: dir };
      const killed = await runCli(['setup', '--sandbox', '--non-interactive', '--skip-oauth', '--profile', 'probe-crash'], {
        env: { ...env, KENDIS_JIRA_TEST_CRASH_AT: 'probe:written' },
        timeoutMs: 60_000,
      });
      expect(killed.code, killed.stderr).toBeNull();
      expect(keychainAccounts(env, 'probe-crash'), 'the dummy item is there').toHaveLength(1);
      expect(leftoversIn(dir), 'and listed').toHaveLength(1);
      await runCli(['status', '--profile', 'probe-crash'], { env });
      expect(keychainAccounts(env, 'probe-crash'), 'gone after the next command').toEqual([]);
      expect(leftoversIn(dir)).toEqual([]);
    },
    90_000,
  );
});
