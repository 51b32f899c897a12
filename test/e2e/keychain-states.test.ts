/**
 * What the CLI says about the keychain, told apart: absent (no D-Bus session) and present but
 * locked — each with a fix that works as typed — and a keychain that becomes unreachable after setup.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleProfile } from '../helpers/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { startKeyringSession, type KeyringSession } from '../helpers/keyring-session.js';
import { needs } from '../helpers/real-parts.js';

const parts = needs('keyring');
const setupArgs = [
  'setup',
  '--non-interactive',
  '--site',
  'https://acme.atlassian.net',
  '--email',
  'a@b.co',
  '--callback-url',
  'https://app.kendis.io/cb',
  '--client-id',
  'abcdefghijklmnopqrstuvwxyz012345',
  '--skip-oauth',
];
const secrets = { KENDIS_JIRA_CLIENT_SECRET: 'x'.repeat(20), KENDIS_JIRA_API_TOKEN: 'y'.repeat(30) };

describe.skipIf(parts.skip)(`keychain states${parts.note}`, () => {
  let locked: KeyringSession | undefined;
  beforeAll(async () => {
    locked = await startKeyringSession();
    const env = { ...process.env, ...locked.env };
    spawnSync('secret-tool', ['lock', '--collection=login'], { env, encoding: 'utf8', timeout: 10_000 });
    // Locked for real: a write is refused now.
    const write = spawnSync('sh', ['-c', 'printf x | secret-tool store --label=t service kj-lock-check account a'], { env, encoding: 'utf8', timeout: 10_000 });
    expect(write.status, 'the test keyring could be locked').not.toBe(0);
  }, 60_000);
  afterAll(() => locked?.stop());

  it('no D-Bus session: "no Secret Service", and the fix starts one with a password on stdin (no silent wait)', async () => {
    const dir = tempDir('kj-kc-');
    const r = await runCli(setupArgs, { env: { KENDIS_JIRA_CONFIG_DIR: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/none`, ...secrets } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no D-Bus session is reachable');
    expect(r.stderr).toContain("dbus-run-session -- bash`, then `printf %s 'choose-a-password' | gnome-keyring-daemon --unlock --components=secrets`");
    expect(r.stderr).not.toMatch(/autolaunch|X11/);
  });

  it('a running but locked keyring is called locked, with how to unlock it', async () => {
    const dir = tempDir('kj-kc-');
    const r = await runCli(setupArgs, { env: { KENDIS_JIRA_CONFIG_DIR: dir, ...locked!.env, ...secrets }, timeoutMs: 40_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the Secret Service is running but its keyring is locked');
    expect(r.stderr).toContain("printf %s 'your keyring password' | gnome-keyring-daemon --replace --unlock --components=secrets");
    expect(r.stderr).not.toContain('Start one in this terminal');
  }, 60_000);

  it('a keychain unreachable after setup: test-connection blames the keychain and says how to reach it, not "run setup again"', async () => {
    const dir = join(tempDir('kj-kc-'), 'cfg');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, profiles: { default: sampleProfile({ storage: 'keychain' }) }, progress: {} }), {
      mode: 0o600,
    });
    const r = await runCli(['test-connection', '--json'], { env: { KENDIS_JIRA_CONFIG_DIR: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/none` } });
    const doc = JSON.parse(r.stdout) as { checks: { id: string; status: string; detail: string; hint?: string }[] };
    const secretsCheck = doc.checks.find((c) => c.id === 'secrets')!;
    expect(secretsCheck.detail).toContain('cannot be read from this session');
    expect(secretsCheck.hint).toContain('dbus-run-session');
    expect(secretsCheck.hint).not.toContain('setup');
    expect(doc.checks.find((c) => c.id === 'scope:read:sprint:jira-software')?.detail).toContain('the API token could not be read');
    expect(JSON.stringify(doc)).not.toContain('did not sign in');
  });
});
