/**
 * Rotation killed at each point of its write sequence (the real binary SIGKILLs itself where
 * KENDIS_JIRA_TEST_CRASH_AT names, through the dependency object's faultPoint): afterwards the
 * stored token works and its saved expiry is its own — the old pair before the swap, the new pair
 * after it — once the next command has run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { ROTATION_POINTS } from '../../src/commands/rotation.js';
import { runCli } from '../helpers/cli.js';
import { configWithFileProfile, startTestSandbox } from '../helpers/sandbox-profile.js';

const NEW = 'ATATT3x-crash-test-new-token';
const OLD_EXPIRY = '2027-06-01';
const NEW_EXPIRY = '2027-10-01';
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  sandbox.options.tokens!.push({ token: NEW, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] });
});
afterAll(async () => sandbox.close());

const setupDir = (): string => configWithFileProfile(sandbox, OLD_EXPIRY);

/** The next command runs (finishing or dropping an interrupted rotation); returns the stored pair. */
async function storedPair(dir: string): Promise<{ token: string; expiresOn: string }> {
  const r = await runCli(['test-connection', '--json'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
  const doc = JSON.parse(r.stdout) as { ok: boolean; token: { expiresOn: string }; checks: { id: string; status: string }[] };
  expect(doc.checks.find((c) => c.id === 'api-token')?.status).toBe('pass');
  expect(doc.ok).toBe(true);
  const secrets = (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> }).secrets;
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { profiles: { default: { token: { expiresOn: string; pending?: unknown } } } };
  expect(config.profiles.default.token.pending, 'no rotation left pending').toBeUndefined();
  expect(Object.keys(secrets).filter((k) => k.includes(':rotate:')), 'no rotation account left').toEqual([]);
  expect(doc.token.expiresOn).toBe(config.profiles.default.token.expiresOn);
  return { token: secrets['default:api-token']!, expiresOn: config.profiles.default.token.expiresOn };
}

describe('rotate-token is one transaction', () => {
  it.each(ROTATION_POINTS.map((p, i) => [p, i] as const))('killed at "%s": a working token is stored with its own expiry', async (point, index) => {
    const dir = setupDir();
    const r = await runCli(['rotate-token', '--token-expires', NEW_EXPIRY], {
      env: { KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_API_TOKEN: NEW, KENDIS_JIRA_TEST_CRASH_AT: point },
    });
    expect(r.code, 'the process was killed at that point').toBeNull();
    const swapped = index >= ROTATION_POINTS.indexOf('stored');
    expect(await storedPair(dir)).toEqual(swapped ? { token: NEW, expiresOn: NEW_EXPIRY } : { token: SANDBOX.apiToken, expiresOn: OLD_EXPIRY });
  });

  it('completes when not interrupted', async () => {
    const dir = setupDir();
    const r = await runCli(['rotate-token', '--token-expires', NEW_EXPIRY], { env: { KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_API_TOKEN: NEW } });
    expect(r.code).toBe(0);
    expect(await storedPair(dir)).toEqual({ token: NEW, expiresOn: NEW_EXPIRY });
  });
});
