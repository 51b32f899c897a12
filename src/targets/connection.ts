/**
 * The live connection for a saved profile: the target it was set up with (Atlassian's hosts it
 * saved, or a freshly started sandbox), an Atlassian client, and the browser to use.
 */
import type { Deps } from '../deps.js';
import type { Profile } from '../config/schema.js';
import { AtlassianClient } from '../atlassian/client.js';
import { foreignHostsWarning } from '../atlassian/domains.js';
import type { Target } from './target.js';

export interface Connection {
  /** The profile with the target's live site and endpoints. */
  profile: Profile;
  client: AtlassianClient;
  target: Target;
  close(): Promise<void>;
}

export async function openConnection(saved: Profile, deps: Deps, useRealBrowser = true, redirectUri?: string): Promise<Connection> {
  const callbackUrls = saved.kind === 'user' ? [] : [saved.callbackUrl, redirectUri ?? saved.redirectUri];
  const target = await deps.target(saved.sandbox ? 'sandbox' : 'atlassian', { callbackUrls, realBrowser: useRealBrowser, endpoints: saved.endpoints });
  const profile = { ...saved, site: target.site ?? saved.site, endpoints: target.endpoints };
  if (!target.site) {
    const warning = foreignHostsWarning(profile.endpoints, profile.site);
    if (warning) deps.io.warn(warning);
  }
  return { profile, client: new AtlassianClient(await deps.http(), target.endpoints), target, close: () => target.close() };
}
