/** `kendis-jira status`: what is configured, where the secrets live, when the token expires. */
import type { Deps } from '../deps.js';
import { SECRET_KINDS, type SecretKind } from '../secrets/backend.js';
import { SECRET_ENV } from '../secrets/secret-store.js';
import { daysUntil, describeDaysLeft } from '../dates/dates.js';
import { requireProfile, secretStoreFor, warnIfTokenExpiring } from './saved-profile.js';
import { foreignHostsWarning } from '../atlassian/domains.js';

export interface StatusOptions {
  json: boolean;
}

type SecretState = { location: 'keychain' | 'file' | 'environment' | 'missing' | 'unreadable'; detail?: string };

export async function runStatus(options: StatusOptions, deps: Deps): Promise<void> {
  const profile = await requireProfile(deps);
  const store = secretStoreFor(profile, deps);
  const secrets = {} as Record<SecretKind, SecretState>;
  for (const kind of SECRET_KINDS) {
    try {
      const found = await store.get(kind);
      secrets[kind] = found ? { location: found.location } : { location: 'missing' };
    } catch (error) {
      secrets[kind] = { location: 'unreadable', detail: (error as Error).message };
    }
  }
  const daysLeft = daysUntil(profile.token.expiresOn, deps.now());
  const doc = {
    profile: deps.globals.profile,
    site: profile.site,
    cloudId: profile.cloudId,
    email: profile.email,
    clientId: profile.clientId,
    appId: profile.appId ?? null,
    callbackUrls: { kendis: profile.callbackUrl, local: profile.redirectUri },
    endpoints: profile.endpoints,
    sandbox: Boolean(profile.sandbox),
    secrets: {
      clientSecret: secrets['client-secret'],
      apiToken: secrets['api-token'],
      store: store.backend.description,
    },
    token: { expiresOn: profile.token.expiresOn, daysLeft },
    lastSuccessfulTest: profile.lastSuccessfulTest ?? null,
  };
  if (options.json) {
    deps.io.out(JSON.stringify(doc, null, 2));
    warnIfTokenExpiring(profile, deps);
    const foreign = profile.sandbox ? undefined : foreignHostsWarning(profile.endpoints, profile.site);
    if (foreign) deps.io.warn(foreign);
    return;
  }
  const p = deps.io.paint;
  const where = (kind: SecretKind): string => {
    const s = secrets[kind];
    switch (s.location) {
      case 'environment':
        return `environment (${SECRET_ENV[kind]} overrides the stored value for this run)`;
      case 'keychain':
        return `keychain — ${store.backend.description}`;
      case 'file':
        return p.yellow(`file — ${store.backend.description}`);
      case 'missing':
        return p.red('missing — run `kendis-jira setup` again');
      default:
        return p.red(`unreadable — ${s.detail ?? ''}`);
    }
  };
  const rows: [string, string][] = [
    ['Profile', deps.globals.profile + (profile.sandbox ? p.dim('  (built-in sandbox)') : '')],
    ['Jira site', profile.sandbox ? 'the built-in sandbox (each command starts its own)' : profile.site],
    ['Cloud ID', profile.cloudId],
    ['E-mail', profile.email],
    ['Client ID', profile.clientId],
    ['Kendis callback', profile.callbackUrl],
    ['Local callback', profile.redirectUri],
    ['Atlassian hosts', profile.sandbox ? 'the built-in sandbox' : `${profile.endpoints.auth}, ${profile.endpoints.api}`],
    ['Client secret', where('client-secret')],
    ['API token', where('api-token')],
    ['Token expires', `${profile.token.expiresOn} (${describeDaysLeft(daysLeft)})`],
    ['Last good test', profile.lastSuccessfulTest ?? 'never — run `kendis-jira test-connection`'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) deps.io.out(`${key.padEnd(width)}  ${value}`);
  warnIfTokenExpiring(profile, deps);
  const foreign = profile.sandbox ? undefined : foreignHostsWarning(profile.endpoints, profile.site);
  if (foreign) deps.io.warn(foreign);
}
