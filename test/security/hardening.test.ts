/**
 * What a red team found (issue "Hardening"), one test per item, through the built CLI where the
 * item is about the CLI's behaviour. Each fails without its fix.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { sampleProfile } from '../helpers/fixtures.js';
import { startTestSandbox } from '../helpers/sandbox-profile.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => sandbox?.close());
beforeEach(() => {
  sandbox.options.tenantCloudId = undefined;
  sandbox.options.myself = undefined;
});

// eslint-disable-next-line no-control-regex
const STEERING = /\u001b\]|\u001b\[2J|\u001b\[H|\u0007/;
const HOSTILE = '\u001b]52;c;ZXZpbCBjbGlwYm9hcmQ=\u0007\u001b[2J\u001b[H\n✔ All checks passed, nothing to see';

/** A profile stored in the 0600 file (no keychain needed), pointing at the sandbox. */
function fileProfile(profile: Partial<ReturnType<typeof sampleProfile>> = {}): string {
  const dir = join(tempDir('kj-hard-'), 'cfg');
  mkdirSync(dir, { mode: 0o700 });
  const p = sampleProfile({ site: sandbox.url, cloudId: SANDBOX.cloudId, email: SANDBOX.email, endpoints: { auth: sandbox.authUrl, api: sandbox.apiUrl }, clientId: SANDBOX.clientId, callbackUrl: SANDBOX.kendisCallbackUrl, storage: 'file', ...profile });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, profiles: { default: p }, progress: {} }), { mode: 0o600 });
  writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ version: 1, secrets: { 'default:client-secret': SANDBOX.clientSecret, 'default:api-token': SANDBOX.apiToken } }), { mode: 0o600 });
  return dir;
}

describe('5. escape sequences from the network or a file never reach the terminal', () => {
  it('a site whose tenant_info cloud id is an escape-sequence payload: refused, printed nowhere, saved nowhere', async () => {
    sandbox.options.tenantCloudId = HOSTILE;
    const dir = join(tempDir('kj-hard-'), 'cfg');
    const r = await runCli(['setup', '--non-interactive', '--insecure-storage', '--site', sandbox.url, '--email', SANDBOX.email, '--callback-url', SANDBOX.kendisCallbackUrl, '--client-id', SANDBOX.clientId, '--skip-oauth'], {
      env: { KENDIS_JIRA_CONFIG_DIR: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/none`, KENDIS_JIRA_AUTH_URL: sandbox.authUrl, KENDIS_JIRA_API_URL: sandbox.apiUrl, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken },
    });
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(STEERING);
    expect(r.stderr).not.toMatch(/^✔ All checks passed/m);
    if (existsSync(join(dir, 'config.json'))) expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain('ZXZpbCBjbGlwYm9hcmQ');
  });

  it('a /myself answer with escapes and line breaks in the name is printed as one plain line', async () => {
    sandbox.options.myself = { displayName: HOSTILE, emailAddress: null };
    const r = await runCli(['test-connection'], { env: { KENDIS_JIRA_CONFIG_DIR: fileProfile() } });
    expect(r.stdout + r.stderr).not.toMatch(STEERING);
    expect(r.stdout).not.toMatch(/^✔ All checks passed/m);
    expect(r.stdout).toMatch(/Signed in as .*ZXZpbCBjbGlwYm9hcmQ.*All checks passed, nothing to see/);
  });

  it('a config file with a planted escape sequence is refused as damaged, without echoing it (exit 2)', async () => {
    const dir = fileProfile({ cloudId: HOSTILE });
    for (const command of [['status'], ['test-connection'], ['status', '--json']]) {
      const r = await runCli(command, { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr).toContain('damaged');
      expect(r.stdout + r.stderr).not.toMatch(STEERING);
    }
  });
});
