/**
 * Where requests go. Defaults are Atlassian's commercial cloud; KENDIS_JIRA_AUTH_URL and
 * KENDIS_JIRA_API_URL select another cloud (e.g. Government Cloud) or a test server. The OAuth
 * audience is the API URL's host. https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/
 */
import { UsageError } from '../errors.js';
import { isLoopbackHost } from '../net/loopback.js';
import type { Endpoints } from '../config/schema.js';

export const DEFAULT_AUTH_URL = 'https://auth.atlassian.com';
export const DEFAULT_API_URL = 'https://api.atlassian.com';
export const API_TOKENS_PAGE = 'https://id.atlassian.com/manage-profile/security/api-tokens';
export const CONSOLE_APPS = 'https://developer.atlassian.com/console/myapps/';

export { isLoopbackHost } from '../net/loopback.js';

function endpointUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name} is not a valid URL: ${value}`, `Unset ${name} to use Atlassian's default.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new UsageError(`${name} must use https (http only for a loopback test server): ${value}`, `Unset ${name} to use Atlassian's default.`);
  }
  return url.toString().replace(/\/+$/, '');
}

export function endpointsFromEnv(env: Record<string, string | undefined>): Endpoints {
  return {
    auth: endpointUrl(env.KENDIS_JIRA_AUTH_URL || DEFAULT_AUTH_URL, 'KENDIS_JIRA_AUTH_URL'),
    api: endpointUrl(env.KENDIS_JIRA_API_URL || DEFAULT_API_URL, 'KENDIS_JIRA_API_URL'),
  };
}

export function audienceOf(endpoints: Endpoints): string {
  return new URL(endpoints.api).host;
}

export function gatewayUrl(endpoints: Endpoints, cloudId: string, path: string): string {
  return `${endpoints.api}/ex/jira/${encodeURIComponent(cloudId)}${path}`;
}

export function authorizeUrl(endpoints: Endpoints, p: { clientId: string; scopes: readonly string[]; redirectUri: string; state: string }): string {
  const url = new URL(`${endpoints.auth}/authorize`);
  url.searchParams.set('audience', audienceOf(endpoints));
  url.searchParams.set('client_id', p.clientId);
  url.searchParams.set('scope', p.scopes.join(' '));
  url.searchParams.set('redirect_uri', p.redirectUri);
  url.searchParams.set('state', p.state);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('prompt', 'consent');
  return url.toString();
}

/** Developer Console pages for an app (the Settings path is unsure: fall back to overview). */
export function consolePages(appId: string | undefined) {
  const base = appId ? `${CONSOLE_APPS}${encodeURIComponent(appId)}` : undefined;
  return {
    list: CONSOLE_APPS,
    overview: base ? `${base}/overview` : CONSOLE_APPS,
    permissions: base ? `${base}/permissions` : CONSOLE_APPS,
    authorization: base ? `${base}/authorization/auth-code-grant` : CONSOLE_APPS,
    settings: base ? `${base}/settings` : CONSOLE_APPS,
  };
}

/** An app id (UUID) from a bare id or any Developer Console URL of the app. */
export function parseAppId(input: string): string | undefined {
  const match = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(input.trim());
  return match ? match[1]!.toLowerCase() : undefined;
}
