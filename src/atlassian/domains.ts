/**
 * Where credentials may go. A scoped token is sent only to Atlassian's hosts: sites in Atlassian's
 * domains, and Atlassian's auth and API hosts (commercial and Government Cloud, atlassian.md
 * "Other clouds"). Anything else is a typo, a look-alike domain, or a test server, and is said so.
 */
import { isLoopbackHost } from './endpoints.js';
import type { Endpoints } from '../config/schema.js';

const SITE_DOMAINS = ['.atlassian.net', '.jira.com', '.atlassian-us-gov-mod.net'];
const ENDPOINT_HOSTS = new Set(['auth.atlassian.com', 'api.atlassian.com', 'auth.atlassian-us-gov-mod.com', 'api.atlassian-us-gov-mod.com']);

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    // Stryker disable next-line StringLiteral: equivalent; any other text without a dot that is no Atlassian, endpoint or loopback host is judged the same as ''
    return '';
  }
}

/** A Jira Cloud site in one of Atlassian's domains (e.g. https://acme.atlassian.net). */
export function isAtlassianSite(site: string): boolean {
  const host = hostOf(site);
  return SITE_DOMAINS.some((d) => host.endsWith(d) && host.length > d.length);
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** A likely typo of an Atlassian site ("acme.atlasian.net", "acme.atlassian.com") → the site meant. */
export function suggestedSite(site: string): string | undefined {
  const host = hostOf(site);
  const dot = host.indexOf('.');
  if (dot <= 0) return undefined;
  const name = host.slice(0, dot);
  const rest = host.slice(dot + 1);
  for (const domain of SITE_DOMAINS) {
    const d = domain.slice(1);
    if (rest !== d && distance(rest, d) <= 3) return `https://${name}${domain}`;
  }
  return undefined;
}

/**
 * A site that would receive the e-mail and token although it is outside Atlassian's domains (and
 * not this machine): the sentence and next step, with the site probably meant.
 */
export function foreignSiteProblem(site: string): { message: string; hint: string } | undefined {
  if (isAtlassianSite(site) || isLoopbackUrl(site)) return undefined;
  const meant = suggestedSite(site);
  return {
    message: `${site} is not in Atlassian's domains (*.atlassian.net, *.jira.com, *.atlassian-us-gov-mod.net): a mistyped or look-alike address would receive your e-mail and API token.`,
    hint: meant
      ? `Did you mean ${meant}? If ${site} really is your Jira Cloud site, add --allow-non-atlassian-site.`
      : 'Check the address you open Jira with; if this really is your Jira Cloud site, add --allow-non-atlassian-site.',
  };
}

export function isLoopbackUrl(url: string): boolean {
  return isLoopbackHost(hostOf(url));
}

/** Credentials may be sent to the site itself (only to diagnose a classic token): Atlassian's, or a local test server. */
export function mayReceiveCredentials(site: string): boolean {
  // Never over plain http to a real host (a hand-edited profile could say http://acme.atlassian.net).
  return (isAtlassianSite(site) && site.toLowerCase().startsWith('https://')) || isLoopbackUrl(site);
}

/** The sentence warned on every run whose hosts are not Atlassian's (issue "Hardening", item 4). */
export function foreignHostsWarning(endpoints: Endpoints, site: string | undefined): string | undefined {
  const foreign: string[] = [];
  if (!ENDPOINT_HOSTS.has(hostOf(endpoints.auth))) foreign.push(`auth ${endpoints.auth}`);
  if (!ENDPOINT_HOSTS.has(hostOf(endpoints.api))) foreign.push(`API ${endpoints.api}`);
  if (site && !isAtlassianSite(site)) foreign.push(`site ${site}`);
  if (foreign.length === 0) return undefined;
  return `Not Atlassian's hosts: ${foreign.join(', ')}. Your credentials go there (set by KENDIS_JIRA_AUTH_URL / KENDIS_JIRA_API_URL / --site, and saved in the profile); use this only for a test server you run.`;
}
