/**
 * Rotation killed at each point (a test variable makes the real binary SIGKILL itself there):
 * afterwards the stored token always works — the old one before the swap, the new one after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { sampleProfile } from '../helpers/fixtures.js';

const NEW = 'ATATT3x-crash-test-new-token';
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
  sandbox.options.tokens!.push({ token: NEW, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] });
});
afterAll(async () => sandbox.close());

function setupDir(): string {
  const dir = join(tempDir(), 'cfg');
  mkdirSync(dir, { mode: 0o700 });
  const profile = sampleProfile({ site: sandbox.url, cloudId: SANDBOX.cloudId, email: SANDBOX.email, endpoints: { auth: sandbox.url, api: sandbox.url }, clientId: SANDBOX.clientId, storage: 'file' });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, profiles: { default: profile }, progress: {} }), { mode: 0o600 });
  writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ version: 1, secrets: { 'default:client-secret': SANDBOX.clientSecret, 'default:api-token': SANDBOX.apiToken } }), { mode: 0o600 });
  return dir;
}

async function storedTokenWorks(dir: string): Promise<string> {
  const r = await runCli(['test-connection', '--json'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
  const doc = JSON.parse(r.stdout) as { ok: boolean; checks: { id: string; status: string }[] };
  expect(doc.checks.find((c) => c.id === 'api-token')?.status).toBe('pass');
  expect(doc.ok).toBe(true);
  const { readFileSync } = await import('node:fs');
  return (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> }).secrets['default:api-token']!;
}

describe('rotate-token is crash-safe', () => {
  it.each([
    ['verified', SANDBOX.apiToken],
    ['stored', NEW],
  ])('killed after "%s": a working token is stored', async (point, expected) => {
    const dir = setupDir();
    const r = await runCli(['rotate-token', '--token-expires', '2027-10-01'], {
      env: { KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_API_TOKEN: NEW, KENDIS_JIRA_TEST_CRASH_AT: point },
    });
    expect(r.code).toBeNull();
    expect(await storedTokenWorks(dir)).toBe(expected);
  });

  it('completes when not interrupted', async () => {
    const dir = setupDir();
    const r = await runCli(['rotate-token', '--token-expires', '2027-10-01'], { env: { KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_API_TOKEN: NEW } });
    expect(r.code).toBe(0);
    expect(await storedTokenWorks(dir)).toBe(NEW);
  });

  it('a child killed at a random moment mid-rotation leaves a working token', async () => {
    const dir = setupDir();
    sandbox.options.latencyMs = 40;
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('../helpers/cli.js');
    const child = spawn(process.execPath, [BIN, 'rotate-token', '--token-expires', '2027-10-01'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_API_TOKEN: NEW },
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 250));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    sandbox.options.latencyMs = 0;
    expect([SANDBOX.apiToken, NEW]).toContain(await storedTokenWorks(dir));
  });
});
