/** A saved profile pointing at a running sandbox, with its secrets in the test keychain. */
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import { DEFAULT_REDIRECT_URI } from '../../src/auth/redirect.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import type { Profile } from '../../src/config/schema.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, type TestDeps } from './test-deps.js';
import { sampleProfile } from './fixtures.js';

export async function saveSandboxProfile(
  deps: TestDeps,
  sandbox: RunningSandbox,
  p: { name?: string; profile?: Partial<Profile>; clientSecret?: string; apiToken?: string } = {},
): Promise<Profile> {
  const name = p.name ?? 'default';
  const profile = sampleProfile({
    site: sandbox.url,
    cloudId: sandbox.cloudId,
    email: SANDBOX.email,
    endpoints: { auth: sandbox.authUrl, api: sandbox.apiUrl },
    clientId: SANDBOX.clientId,
    callbackUrl: SANDBOX.kendisCallbackUrl,
    ...p.profile,
  });
  await deps.config.update((c) => {
    c.profiles[name] = profile;
  });
  await deps.keychain.set(`${name}:client-secret`, p.clientSecret ?? SANDBOX.clientSecret);
  await deps.keychain.set(`${name}:api-token`, p.apiToken ?? SANDBOX.apiToken);
  return profile;
}

/** A stand-in browser: follows the authorize redirect to the listener, as a real one would. */
export async function followInBrowser(url: string): Promise<void> {
  let next: string | null = url;
  try {
    for (let i = 0; next && i < 5; i += 1) {
      const res: Response = await fetch(next, { redirect: 'manual' });
      await res.arrayBuffer();
      next = res.headers.get('location');
    }
  } catch {
    // A page that does not load (the test already ended, the listener closed) is the browser's
    // problem, as in real life; the test asserts on what the CLI saw.
  }
}

/** The Kendis callback URLs the tests type, registered on the sandbox app as Step 4 asks. */
export const TEST_KENDIS_CALLBACKS = [SANDBOX.kendisCallbackUrl, 'https://app.kendis.io/jira/callback', 'https://app.kendis.io/cb'];

/** A sandbox whose app has the tests' Kendis callback URLs (and the default local one) registered. */
export async function startTestSandbox(overrides: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ callbackUrls: [...TEST_KENDIS_CALLBACKS, DEFAULT_REDIRECT_URI], ...overrides });
}

/** Register a local callback on a test's own port, as the user would on the Authorization tab. */
export function localCallback(sandbox: RunningSandbox, port: number): string {
  const url = `http://localhost:${port}/callback`;
  sandbox.options.callbackUrls = [...(sandbox.options.callbackUrls ?? []), url];
  return url;
}

/**
 * A config folder holding a saved ALM profile against `sandbox`, its secrets in the 0600 file (so a
 * test reads exactly what is stored), the token expiring on `expiresOn`. For the crash tests.
 */
export function configWithFileProfile(sandbox: RunningSandbox, expiresOn: string): string {
  const dir = join(tempDir(), 'cfg');
  mkdirSync(dir, { mode: 0o700 });
  const profile = sampleProfile({
    site: sandbox.url,
    cloudId: SANDBOX.cloudId,
    email: SANDBOX.email,
    endpoints: { auth: sandbox.authUrl, api: sandbox.apiUrl },
    clientId: SANDBOX.clientId,
    storage: 'file',
    token: { expiresOn },
  });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, profiles: { default: profile }, progress: {} }), { mode: 0o600 });
  writeFileSync(
    join(dir, 'secrets.json'),
    JSON.stringify({ version: 1, secrets: { 'default:client-secret': SANDBOX.clientSecret, 'default:api-token': SANDBOX.apiToken } }),
    { mode: 0o600 },
  );
  return dir;
}

/** `setup` as a script runs it: every value a flag (the sandbox's app and account), the browser check skipped. */
export function scriptedSetup(site: string, profile: string): string[] {
  return [
    'setup',
    '--profile',
    profile,
    '--site',
    site,
    '--email',
    SANDBOX.email,
    '--callback-url',
    SANDBOX.kendisCallbackUrl,
    '--client-id',
    SANDBOX.clientId,
    '--token-expires',
    '2027-08-01',
    '--skip-oauth',
  ];
}
