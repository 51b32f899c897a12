/**
 * Setup's commit killed at each point of its write sequence, while it replaces an existing profile
 * (the real binary SIGKILLs itself where KENDIS_JIRA_TEST_CRASH_AT names): afterwards, once the next
 * command has run, the profile's settings and secrets belong together — the new, verified pair —
 * never new secrets under the old settings.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { SETUP_COMMIT_POINTS } from '../../src/wizard/commit.js';
import { runCli } from '../helpers/cli.js';
import { configWithFileProfile, startTestSandbox } from '../helpers/sandbox-profile.js';

const NEW = 'ATATT3x-setup-crash-new-token';
const OLD_EXPIRY = '2027-06-01';
const NEW_EXPIRY = '2027-10-01';
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sandbox.options.tokens!.push({ token: NEW, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] });
});
afterAll(async () => sandbox.close());

const existingProfile = (): string => configWithFileProfile(sandbox, OLD_EXPIRY);

function setup(dir: string, crashAt?: string) {
  return runCli(
    ['setup', '--non-interactive', '--insecure-storage', '--skip-oauth', '--site', sandbox.url, '--email', SANDBOX.email, '--callback-url', SANDBOX.kendisCallbackUrl, '--client-id', SANDBOX.clientId, '--token-expires', NEW_EXPIRY],
    {
      env: {
        KENDIS_JIRA_CONFIG_DIR: dir,
        KENDIS_JIRA_AUTH_URL: sandbox.authUrl,
        KENDIS_JIRA_API_URL: sandbox.apiUrl,
        KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret,
        KENDIS_JIRA_API_TOKEN: NEW,
        ...(crashAt ? { KENDIS_JIRA_TEST_CRASH_AT: crashAt } : {}),
      },
      timeoutMs: 60_000,
    },
  );
}

/** The next command runs (finishing an interrupted commit); returns what is stored. */
async function stored(dir: string) {
  const r = await runCli(['test-connection', '--json'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
  const doc = JSON.parse(r.stdout) as { ok: boolean; token: { expiresOn: string } };
  expect(doc.ok, r.stderr).toBe(true);
  const secrets = (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> }).secrets;
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, { token: { expiresOn: string } }>; progress: Record<string, unknown> };
  expect(config.progress, 'no commit left half-done').toEqual({});
  expect(Object.keys(secrets).filter((k) => k.includes(':setup:')), 'no staging entries left').toEqual([]);
  return { token: secrets['default:api-token'], expiresOn: config.profiles.default!.token.expiresOn, said: r.stderr };
}

describe("setup's commit is one transaction", () => {
  it.each(SETUP_COMMIT_POINTS.map((p) => [p] as const))('killed at "%s" while replacing a profile: the next command finishes it, settings and secrets together', async (point) => {
    const dir = existingProfile();
    const r = await setup(dir, point);
    expect(r.code, 'the process was killed at that point').toBeNull();
    const after = await stored(dir);
    expect(after).toMatchObject({ token: NEW, expiresOn: NEW_EXPIRY });
    expect(after.said).toContain('Finished an interrupted setup');
  });

  it('killed mid-commit, then setup --restart: the interrupted commit is finished first, never mixed with the new run', async () => {
    const dir = existingProfile();
    expect((await setup(dir, 'setup-stored')).code).toBeNull();
    const again = await runCli(
      ['setup', '--restart', '--non-interactive', '--insecure-storage', '--skip-oauth', '--site', sandbox.url, '--email', SANDBOX.email, '--callback-url', SANDBOX.kendisCallbackUrl, '--client-id', SANDBOX.clientId, '--token-expires', '2027-11-01'],
      { env: { KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_AUTH_URL: sandbox.authUrl, KENDIS_JIRA_API_URL: sandbox.apiUrl, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken }, timeoutMs: 60_000 },
    );
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Finished an interrupted setup');
    expect(await stored(dir)).toMatchObject({ token: SANDBOX.apiToken, expiresOn: '2027-11-01' });
  });

  it('completes when not interrupted', async () => {
    const dir = existingProfile();
    const r = await setup(dir);
    expect(r.code, r.stderr).toBe(0);
    expect(await stored(dir)).toMatchObject({ token: NEW, expiresOn: NEW_EXPIRY });
  });
});
