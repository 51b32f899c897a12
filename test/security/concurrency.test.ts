/** Several processes on one profile at once never corrupt the configuration. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { ConfigStore } from '../../src/config/store.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { sampleProfile } from '../helpers/fixtures.js';
import { startTestSandbox } from '../helpers/sandbox-profile.js';

let sandbox: RunningSandbox;
const tokens = Array.from({ length: 5 }, (_, i) => `ATATT3x-concurrent-token-${i}`);

beforeAll(async () => {
  sandbox = await startTestSandbox();
  for (const token of tokens) sandbox.options.tokens!.push({ token, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] });
});
afterAll(async () => sandbox.close());

describe('concurrent processes', () => {
  it('five rotate-token processes at once: one of the new tokens is stored with its own expiry, and no process says "stored" for a token it could not store', async () => {
    const dir = join(tempDir(), 'cfg');
    mkdirSync(dir, { mode: 0o700 });
    const profile = sampleProfile({
      site: sandbox.url,
      cloudId: SANDBOX.cloudId,
      email: SANDBOX.email,
      endpoints: { auth: sandbox.authUrl, api: sandbox.apiUrl },
      clientId: SANDBOX.clientId,
      storage: 'file',
    });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, profiles: { default: profile }, progress: {} }), { mode: 0o600 });
    writeFileSync(
      join(dir, 'secrets.json'),
      JSON.stringify({ version: 1, secrets: { 'default:client-secret': SANDBOX.clientSecret, 'default:api-token': SANDBOX.apiToken } }),
      { mode: 0o600 },
    );
    const results = await Promise.all(
      tokens.map((token, i) =>
        runCli(['rotate-token', '--token-expires', `2027-0${i + 1}-15`], {
          env: { KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_API_TOKEN: token },
          timeoutMs: 60_000,
        }),
      ),
    );
    // A rotation that finds another stored a token since it read the profile refuses (exit 1) and
    // keeps the other; one that read the profile after the other finished goes through.
    for (const r of results) {
      if (r.code === 0) continue;
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('Another rotate-token stored a new token for profile "default"');
      expect(r.stderr).toContain('so this token was not stored');
    }
    const config = await new ConfigStore(dir).load();
    const stored = (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> }).secrets;
    const winner = tokens.indexOf(stored['default:api-token']!);
    expect(winner).toBeGreaterThanOrEqual(0);
    // The stored token's process said it stored it; every refused process's token is not the one stored.
    expect(results[winner]!.code, results[winner]!.stderr).toBe(0);
    // The token and its expiry belong together: both written by the same process.
    expect(config.profiles.default?.token.expiresOn).toBe(`2027-0${winner + 1}-15`);
    expect(config.profiles.default?.generation).toBeUndefined();
    expect(config.leftovers).toEqual([]);
    expect(stored['default:client-secret']).toBe(SANDBOX.clientSecret);
    expect(Object.keys(stored).sort()).toEqual(['default:api-token', 'default:client-secret']);
  }, 90_000);

  it('two setups of one profile at once both finish and leave a valid config', async () => {
    const dir = join(tempDir(), 'cfg');
    const env = { KENDIS_JIRA_CONFIG_DIR: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/no-bus` };
    const runs = await Promise.all([0, 1].map(() => runCli(['setup', '--sandbox', '--non-interactive', '--skip-oauth'], { env, timeoutMs: 60_000 })));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const config = await new ConfigStore(dir).load();
    expect(Object.keys(config.profiles)).toEqual(['sandbox']);
    expect(config.progress).toEqual({});
  }, 90_000);
});
