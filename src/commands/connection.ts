/**
 * The live connection for a saved profile: its endpoints (or, for a sandbox profile, a freshly
 * started sandbox), an Atlassian client, and the browser opener to use.
 */
import type { Deps } from '../deps.js';
import type { Profile } from '../config/schema.js';
import { AtlassianClient } from '../atlassian/client.js';
import type { BrowserOpener } from '../io/browser.js';
import { foreignHostsWarning } from '../atlassian/domains.js';

export interface Connection {
  profile: Profile;
  client: AtlassianClient;
  browser: BrowserOpener;
  close(): Promise<void>;
}

export async function openConnection(saved: Profile, deps: Deps, useRealBrowser = true, redirectUri = saved.redirectUri): Promise<Connection> {
  const http = await deps.http();
  if (saved.sandbox) {
    const { startSandboxSession } = await import('../sandbox/session.js');
    // The sandbox app has the profile's callback URLs registered, as the user did in Step 4.
    const session = await startSandboxSession(deps.browser, deps.io, { callbackUrls: [saved.callbackUrl, redirectUri] }, useRealBrowser);
    const profile = { ...saved, site: session.site, endpoints: session.endpoints };
    return { profile, client: new AtlassianClient(http, session.endpoints), browser: session.browser, close: session.close };
  }
  const warning = foreignHostsWarning(saved.endpoints, saved.site);
  if (warning) deps.io.warn(warning);
  return { profile: saved, client: new AtlassianClient(http, saved.endpoints), browser: deps.browser, close: async () => undefined };
}
