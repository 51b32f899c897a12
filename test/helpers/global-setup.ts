/**
 * Real parts for the tests: a Secret Service (private D-Bus + gnome-keyring) and the Debian
 * Chromium for browser tests. In CI (CI=true) a missing part is a failure, not a skip; on a
 * developer machine without them the tests that need them skip with a message.
 */
import type { TestProject } from 'vitest/node';
import { have, startKeyringSession, type KeyringSession } from './keyring-session.js';
import { searchKeychain } from './secret-tool.js';
import { KEYCHAIN_SERVICE } from '../../src/secrets/backend.js';

let session: KeyringSession | undefined;

export default async function setup(project: TestProject): Promise<() => void> {
  // The private keyring and Debian's Chromium are Linux parts: elsewhere their tests skip, by nature.
  const ci = Boolean(process.env.CI && process.env.CI !== 'false') && process.platform === 'linux';
  const missing = ['dbus-daemon', 'gnome-keyring-daemon', 'secret-tool'].filter((b) => !have(b));
  if (missing.length === 0) {
    session = await startKeyringSession();
    project.provide('keyringEnv', session.env);
  } else if (ci) {
    throw new Error(`CI needs a real Secret Service, but ${missing.join(', ')} is missing: .ci/run installs dbus gnome-keyring libsecret-tools.`);
  } else {
    project.provide('keyringEnv', null);
    console.warn(`[kendis-jira tests] no Secret Service (${missing.join(', ')} missing): keychain tests will skip.`);
  }
  if (!have('tmux') && ci) throw new Error('CI needs tmux for the terminal-width tests: .ci/run installs it.');
  const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find(have) ?? null;
  if (!chromium && ci) throw new Error('CI needs Debian chromium for the browser tests: .ci/run installs it.');
  project.provide('chromium', chromium);
  return () => {
    // Every CLI the tests start uses their own keychain service (test-keychain.ts): anything under
    // the real one means a test would have touched a contributor's real items on a Mac or Windows.
    const leaked = session ? searchKeychain(session.env, KEYCHAIN_SERVICE).match(/attribute\.username = \S+/g) : null;
    session?.stop();
    if (leaked)
      throw new Error(
        `A test wrote to the real "${KEYCHAIN_SERVICE}" keychain service (${leaked.join(', ')}): start the CLI with the tests' own service (test/helpers/test-keychain.ts).`,
      );
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    keyringEnv: Record<string, string> | null;
    chromium: string | null;
  }
}
