/**
 * The real parts a test needs (a Secret Service, Chromium, openssl). A test never skips silently:
 * when a part is missing its title says so and a line on stderr says why; under CI=true a missing
 * part fails the run instead (the global setup already refuses to start without them).
 */
import { inject } from 'vitest';
import { have } from './keyring-session.js';

export type Part = 'keyring' | 'chromium' | 'openssl';

const WHY: Record<Part, string> = {
  keyring:
    process.platform === 'linux'
      ? 'no Secret Service (install dbus gnome-keyring libsecret-tools)'
      : 'these tests read the keyring with secret-tool (Linux); macOS and Windows are covered by their own keychain in the other tests',
  chromium: 'no Chromium (install chromium)',
  openssl: 'no openssl (install openssl)',
};

export function isCi(): boolean {
  return Boolean(process.env.CI && process.env.CI !== 'false');
}

export function missingParts(parts: Part[]): Part[] {
  return parts.filter((p) => (p === 'keyring' ? !inject('keyringEnv') : p === 'chromium' ? !inject('chromium') : !have('openssl')));
}

/** `describe.skipIf(needs.skip)(title + needs.note, …)`: the reason is in the title and on stderr. */
export function needs(...parts: Part[]): { skip: boolean; note: string } {
  const missing = missingParts(parts);
  if (missing.length === 0) return { skip: false, note: '' };
  const why = missing.map((p) => WHY[p]).join('; ');
  // On Linux CI has every part (.ci/run installs them); elsewhere (macOS, Windows runners) the
  // Linux-only parts skip by nature, said in the title.
  if (isCi() && process.platform === 'linux') throw new Error(`CI must run every test, but ${why}: .ci/run installs these.`);
  process.stderr.write(`[kendis-jira tests] skipping: ${why}\n`);
  return { skip: true, note: ` (SKIPPED: ${why})` };
}
