/** `kendis-jira status`: what is configured, where the secrets live, when the token expires. */
import { typed } from '../io/typed.js';
import { privateFileWords } from '../secrets/file-backend.js';
import { join } from 'node:path';
import type { Deps } from '../deps.js';
import { on, type RawOptions } from '../options/options.js';
import { SECRET_KINDS, type SecretKind } from '../secrets/backend.js';
import { SECRET_ENV } from '../secrets/secret-store.js';
import { daysUntil, describeDaysLeft, describeMoment } from '../dates/dates.js';
import { profileKind, type Profile } from '../config/schema.js';
import { profileFlag, requireProfile, secretStoreFor, warnIfTokenExpiring } from '../profiles/saved-profile.js';
import { foreignHostsWarning } from '../atlassian/domains.js';

export interface StatusOptions {
  json: boolean;
  all?: boolean;
}

export function parseStatusOptions(raw: RawOptions): StatusOptions {
  return { json: on(raw.json), all: on(raw.all) };
}

type SecretState = { location: 'keychain' | 'file' | 'environment' | 'missing' | 'unreadable'; detail?: string };

export async function runStatus(options: StatusOptions, deps: Deps): Promise<void> {
  if (options.all || (await noProfileNamedButOthers(deps))) {
    const { runStatusAll } = await import('./all-profiles.js');
    return runStatusAll(options.json, deps);
  }
  const profile = await requireProfile(deps);
  const { doc, secrets, store, kinds, kind, daysLeft, site, alm, now } = await statusDocument(deps.globals.profile, profile, deps);
  const foreign = profile.sandbox ? undefined : foreignHostsWarning(profile.endpoints, profile.site);
  if (options.json) {
    deps.io.json(doc);
    warnIfTokenExpiring(profile, deps);
    if (foreign) deps.io.warn(foreign);
    return;
  }
  // The rows go to stdout: its own colour policy (a report redirected to a file gets none).
  const p = deps.io.outPaint;
  const flag = profileFlag(deps);
  const where = (secret: SecretKind): string => {
    const s = secrets[secret];
    switch (s?.location) {
      case 'environment':
        return `environment (${SECRET_ENV[secret]} overrides the stored value for this run)`;
      case 'keychain':
        return 'keychain';
      case 'file':
        return p.yellow(`the secrets file (${privateFileWords(deps.platform)}, not encrypted)`);
      case 'missing':
        return p.red(`missing — run \`${typed()} setup${flag}\` again`);
      default:
        return p.red(`unreadable — ${s?.detail ?? ''}`);
    }
  };
  const rows: [string, string][] = [
    ['Profile', `${deps.globals.profile}${profile.sandbox ? p.dim('  (built-in sandbox)') : ''}`],
    ['Kind', kind === 'user' ? 'a user’s own scoped token' : 'the organisation’s ALM account'],
    ['Jira site', profile.sandbox ? 'the built-in sandbox (each command starts its own)' : site],
    ['Cloud ID', profile.cloudId],
    ['E-mail', profile.email],
    ...(alm
      ? ([
          ['Client ID', alm.clientId],
          ['Kendis callback', alm.callbackUrl],
          ['Local callback', alm.redirectUri],
        ] as [string, string][])
      : []),
    ['Atlassian hosts', profile.sandbox ? 'the built-in sandbox' : `${profile.endpoints.auth}, ${profile.endpoints.api}`],
    ...(kinds.includes('client-secret') ? ([['Client secret', where('client-secret')]] as [string, string][]) : []),
    ['API token', where('api-token')],
    ['Secrets store', store.backend.description],
    ['Token expires', `${profile.token.expiresOn} (${describeDaysLeft(daysLeft)})`],
    ['Last good test', profile.lastSuccessfulTest ? describeMoment(profile.lastSuccessfulTest, now) : `never — run \`${typed()} test-connection${flag}\``],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [key, value] of rows) deps.io.out(`${key.padEnd(width)}  ${value}`);
  warnIfTokenExpiring(profile, deps);
  if (foreign) deps.io.warn(foreign);
}

/** No profile was named (flag or KENDIS_JIRA_PROFILE), "default" does not exist, and several others do: show them all. */
async function noProfileNamedButOthers(deps: Deps): Promise<boolean> {
  if (deps.globals.profileExplicit || deps.env.KENDIS_JIRA_PROFILE) return false;
  const { profiles } = await deps.config.load();
  return profiles[deps.globals.profile] === undefined && Object.keys(profiles).length > 1;
}

/** The contract's status document for one profile (secret locations read from its store). */
export async function statusDocument(name: string, profile: Profile, deps: Deps) {
  const kind = profileKind(profile);
  const store = secretStoreFor(profile, deps);
  const kinds: SecretKind[] = kind === 'user' ? ['api-token'] : [...SECRET_KINDS];
  const secrets: Partial<Record<SecretKind, SecretState>> = {};
  for (const secret of kinds) {
    try {
      const found = await store.get(secret);
      secrets[secret] = found ? { location: found.location } : { location: 'missing' };
    } catch (error) {
      secrets[secret] = { location: 'unreadable', detail: (error as Error).message };
    }
  }
  const now = deps.now();
  const daysLeft = daysUntil(profile.token.expiresOn, now);
  // A sandbox profile has no lasting address: each command starts its own sandbox.
  const site = profile.sandbox ? 'sandbox' : profile.site;
  const alm = profile.kind === 'user' ? undefined : profile;
  const doc = {
    profile: name,
    kind,
    site,
    cloudId: profile.cloudId,
    email: profile.email,
    ...(alm ? { clientId: alm.clientId, appId: alm.appId ?? null, callbackUrls: { kendis: alm.callbackUrl, local: alm.redirectUri } } : {}),
    endpoints: profile.sandbox ? null : profile.endpoints,
    sandbox: Boolean(profile.sandbox),
    secrets: {
      ...(secrets['client-secret'] ? { clientSecret: secrets['client-secret'] } : {}),
      apiToken: secrets['api-token'],
      // Machine-readable: where (keychain or file), and the file's path; the sentence is for people.
      store: profile.storage,
      ...(profile.storage === 'file' ? { file: join(deps.config.dir, 'secrets.json') } : {}),
    },
    token: { expiresOn: profile.token.expiresOn, daysLeft },
    lastSuccessfulTest: profile.lastSuccessfulTest ?? null,
  };
  return { doc, secrets, store, kinds, kind, daysLeft, site, alm, now };
}
