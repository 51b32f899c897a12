/** A saved profile pointing at a running sandbox, with its secrets in the test keychain. */
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import type { Profile } from '../../src/config/schema.js';
import type { TestDeps } from './test-deps.js';
import { sampleProfile } from './fixtures.js';

export async function saveSandboxProfile(deps: TestDeps, sandbox: RunningSandbox, p: { name?: string; profile?: Partial<Profile>; clientSecret?: string; apiToken?: string } = {}): Promise<Profile> {
  const name = p.name ?? 'default';
  const profile = sampleProfile({
    site: sandbox.url,
    cloudId: sandbox.cloudId,
    email: SANDBOX.email,
    endpoints: { auth: sandbox.url, api: sandbox.url },
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
  for (let i = 0; next && i < 5; i += 1) {
    const res: Response = await fetch(next, { redirect: 'manual' });
    await res.arrayBuffer();
    next = res.headers.get('location');
  }
}
