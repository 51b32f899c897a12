/**
 * The keychain backend against a real Secret Service (gnome-keyring on a private D-Bus, started
 * by the global setup). The D-Bus connection is per process, so "no keychain" runs in a child.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keychainService } from '../../src/secrets/backend.js';
import { TEST_KEYCHAIN_SERVICE } from '../helpers/test-keychain.js';
import { KeychainBackend, SLOW_MS, keychainTimeoutMs } from '../../src/secrets/keychain.js';
import { describeKeychainError, isRemoteSession, keychainFix } from '../../src/secrets/keychain-advice.js';
import { KeychainUnavailableError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { sampleProfile } from '../helpers/fixtures.js';
import { needs } from '../helpers/real-parts.js';
import { searchKeychain } from '../helpers/secret-tool.js';

const keyringEnv = inject('keyringEnv');

describe('the keychain service', () => {
  it('is kendis-jira, or a kendis-jira-… name from KENDIS_JIRA_KEYCHAIN_SERVICE (never another program’s)', () => {
    expect(keychainService({})).toBe('kendis-jira');
    expect(keychainService({ KENDIS_JIRA_KEYCHAIN_SERVICE: 'kendis-jira-test' })).toBe('kendis-jira-test');
    expect(keychainService({ KENDIS_JIRA_KEYCHAIN_SERVICE: ' kendis-jira-2 ' })).toBe('kendis-jira-2');
    for (const other of ['', 'kendis-jira', 'kendis-jira-', 'github.com', 'gh:github.com', 'kendis-jira-a b', `kendis-jira-${'x'.repeat(70)}`]) {
      expect(keychainService({ KENDIS_JIRA_KEYCHAIN_SERVICE: other }), other).toBe('kendis-jira');
    }
  });
});

const parts = needs('keyring');
describe.skipIf(parts.skip)(`KeychainBackend on the Secret Service${parts.note}`, () => {
  beforeAll(() => {
    Object.assign(process.env, keyringEnv);
  });

  it('stores, reads and deletes a secret; secret-tool sees it under the tests’ own service', async () => {
    const backend = new KeychainBackend({ service: TEST_KEYCHAIN_SERVICE });
    const account = `test-${process.pid}:api-token`;
    const value = `canary-${Math.random().toString(36).slice(2)}`;
    expect(await backend.get(account)).toBeNull();
    await backend.set(account, value);
    expect(await backend.get(account)).toBe(value);
    const search = searchKeychain(process.env);
    expect(search).toContain(account);
    expect(search).toContain(value);
    await backend.set(account, `${value}-2`);
    expect(await backend.get(account)).toBe(`${value}-2`);
    expect(await backend.delete(account)).toBe(true);
    expect(await backend.get(account)).toBeNull();
    expect(await backend.delete(account)).toBe(false);
  });

  it('passes its own probe', async () => {
    await expect(new KeychainBackend({ service: TEST_KEYCHAIN_SERVICE }).probe()).resolves.toBeUndefined();
  });
});

describe('no usable keychain', () => {
  it('is a typed error with the fix, in a child process with no D-Bus', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, profiles: { default: sampleProfile() }, progress: {} }));
    const r = await runCli(['logout', '--yes'], {
      env: { KENDIS_JIRA_CONFIG_DIR: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}`, XDG_RUNTIME_DIR: dir },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No usable OS keychain');
    // The way to reach the keychain, not a flag logout does not have.
    expect(r.stderr).toContain('dbus-run-session');
    expect(r.stderr).not.toContain('--insecure-storage');
    // Nothing was removed: the profile is still there.
    const again = await runCli(['status', '--json'], { env: { KENDIS_JIRA_CONFIG_DIR: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(dir, 'no-bus')}` } });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).secrets.apiToken.location).toBe('unreadable');
  });

  it('KeychainUnavailableError carries a per-OS fix', () => {
    expect(new KeychainUnavailableError('x', { platform: 'darwin' }).hint).toContain('Keychain Access');
    expect(new KeychainUnavailableError('x', { platform: 'linux' }).hint).toContain('gnome-keyring-daemon');
    expect(new KeychainUnavailableError('x', { platform: 'linux' }).hint).not.toContain('--insecure-storage');
    expect(new KeychainUnavailableError('x', { platform: 'linux' }).offeringFile().hint).toContain('--insecure-storage');
    expect(new KeychainUnavailableError('x', { platform: 'win32' }).hint).toContain('Credential Manager');
  });

  it('each platform’s own failures are told in words with a fix that works there', () => {
    // Windows over SSH with a key, or runas /netonly: ERROR_NO_SUCH_LOGON_SESSION.
    const windows = describeKeychainError(
      'Platform secure storage failure: A specified logon session does not exist. It may already have been terminated. (os error 1312)',
    );
    expect(windows).toEqual({ reason: 'Windows has no credential store for this logon session', state: 'no-session' });
    expect(keychainFix({ platform: 'win32', state: 'no-session' })).toContain('sign in over SSH with your password');
    // macOS over SSH: errSecInteractionNotAllowed.
    const mac = describeKeychainError('Platform secure storage failure: User interaction is not allowed.');
    expect(mac.state).toBe('locked');
    expect(keychainFix({ platform: 'darwin', state: 'locked', remote: true })).toContain('security unlock-keychain ~/Library/Keychains/login.keychain-db');
    expect(keychainFix({ platform: 'darwin', state: 'locked' })).toContain('Always Allow');
    expect(keychainFix({ platform: 'darwin', remote: true, offerFile: true })).toContain('--insecure-storage');
    expect(describeKeychainError('org.freedesktop.DBus.Error.ServiceUnknown').state).toBe('absent');
    expect(describeKeychainError('Something odd.')).toEqual({ reason: 'Something odd', state: 'other' });
    expect(isRemoteSession({ SSH_CONNECTION: '1 2 3 4' })).toBe(true);
    expect(isRemoteSession({})).toBe(false);
  });

  it('a person at a Mac gets time for the "allow access?" dialog, and is told about it once a call is slow', async () => {
    expect(keychainTimeoutMs('darwin', true)).toBe(60_000);
    expect(keychainTimeoutMs('darwin', false)).toBe(8_000);
    expect(keychainTimeoutMs('linux', true)).toBe(8_000);
    let told = 0;
    const backend = new KeychainBackend({ service: TEST_KEYCHAIN_SERVICE, timeoutMs: 4_000, onSlow: () => (told += 1) });
    // A call that never answers (a dialog nobody clicks): told once after SLOW_MS, then the timeout.
    const stuck = (backend as unknown as { call: (what: string, work: () => Promise<never>) => Promise<never> }).call(
      'reading from the keychain',
      () => new Promise<never>(() => undefined),
    );
    await expect(stuck).rejects.toThrow(/did not answer within 4 s \(it may be locked, not running, or waiting for an answer in a dialog\)/);
    expect(told).toBe(1);
    expect(SLOW_MS).toBe(2_000);
  });
});
