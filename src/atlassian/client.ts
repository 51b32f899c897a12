/**
 * The Atlassian client: tenant_info (site → cloudId), gateway calls with Basic e-mail:token or a
 * Bearer token, the OAuth token exchange, accessible-resources, /me and report-accounts. Every
 * answer is parsed with zod. It knows nothing of prompts or the terminal.
 */
import { CliError, ExitCode } from '../errors.js';
import type { Endpoints } from '../config/schema.js';
import { gatewayUrl } from './endpoints.js';
import type { HttpClient, HttpResponse } from './http.js';
import {
  AccessibleResourcesSchema,
  MeSchema,
  OAuthErrorSchema,
  TenantInfoSchema,
  TokenResponseSchema,
  type AccessibleResource,
  type TokenResponse,
} from './schemas.js';

export type GatewayAuth = { kind: 'basic'; email: string; token: string } | { kind: 'bearer'; token: string };

export function authHeader(auth: GatewayAuth): string {
  return auth.kind === 'basic' ? `Basic ${Buffer.from(`${auth.email}:${auth.token}`, 'utf8').toString('base64')}` : `Bearer ${auth.token}`;
}

/** "Unauthorized; scope does not match" (or its header) vs any other 401 (bad credentials). */
export function isScopeMismatch(res: Pick<HttpResponse, 'status' | 'headers' | 'text'>): boolean {
  if (res.status !== 401) return false;
  if ((res.headers['x-failure-category'] ?? '').toUpperCase() === 'FAILURE_CLIENT_SCOPE_CHECK') return true;
  return /scope does not match/i.test(res.text);
}

/** The site does not exist (tenant_info answered no cloud id): an input error (exit 2). */
export class UnknownSiteError extends CliError {
  constructor(site: string, status: number) {
    super(`There is no Jira Cloud site at ${site} (it answered ${status}).`, {
      exitCode: ExitCode.usage,
      hint: 'Check the address in your browser: it is the URL you use to open Jira, e.g. https://acme.atlassian.net.',
    });
  }
}

/**
 * Atlassian (or something in between) answered in a way that proves nothing: a 5xx, an HTML or
 * non-JSON page, a redirect. Never a pass and never a "no": the check is `error`.
 */
export class NoProofError extends CliError {
  constructor(readonly what: string) {
    super(`${noAnswer('Atlassian', what)}: nothing was concluded.`, { hint: 'Try again later; if it persists, check HTTPS_PROXY / NO_PROXY, or rerun with --debug.' });
  }
}

/** "X did not answer (502 …)", or, for a success that is not X's answer, "something other than X answered (200 …)". */
export function noAnswer(who: string, what: string): string {
  return /^2\d\d /.test(what) ? `Something other than ${who} answered (${what})` : `${who} did not answer (${what})`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

/** "502 from api.atlassian.com, an HTML page": what came back and from where, for `error` details. */
export function describeAnswer(res: Pick<HttpResponse, 'status' | 'headers' | 'text' | 'url'>): string {
  const type = res.headers['content-type'] ?? '';
  const looksHtml = /html/i.test(type) || /^\s*<(!doctype|html)/i.test(res.text);
  const kind = looksHtml ? ', an HTML page (a proxy, captive portal or outage page?)' : res.text.trim() !== '' && parseJson(res.text) === undefined ? ', not JSON' : '';
  const location = res.status >= 300 && res.status < 400 && res.headers.location ? ` redirecting to ${hostOf(res.headers.location)}` : '';
  return `${res.status} from ${hostOf(res.url)}${location}${kind}`;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export type ExchangeResult =
  | { ok: true; token: TokenResponse }
  | { ok: false; status: number; error: string; description: string | undefined };

export class AtlassianClient {
  constructor(
    private readonly http: HttpClient,
    readonly endpoints: Endpoints,
  ) {}

  /** The site's cloudId, without credentials. https://support.atlassian.com/jira/kb/retrieve-my-atlassian-sites-cloud-id */
  async tenantInfo(site: string): Promise<string> {
    const res = await this.http.request({ method: 'GET', url: `${site}/_edge/tenant_info` });
    const parsed = TenantInfoSchema.safeParse(parseJson(res.text));
    if (res.status === 200 && parsed.success) return parsed.data.cloudId;
    // A site that does not exist: 404/410, or a redirect to Atlassian's sign-up page (atlassian.md).
    if (res.status === 404 || res.status === 410) throw new UnknownSiteError(site, res.status);
    if (res.status >= 300 && res.status < 400 && /atlassian\.(com|net)$/i.test(hostOf(res.headers.location ?? ''))) throw new UnknownSiteError(site, res.status);
    throw new NoProofError(describeAnswer(res));
  }

  gateway(cloudId: string, auth: GatewayAuth, req: { method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown }): Promise<HttpResponse> {
    return this.http.request({
      method: req.method,
      url: gatewayUrl(this.endpoints, cloudId, req.path),
      headers: { authorization: authHeader(auth) },
      ...(req.body !== undefined ? { json: req.body } : {}),
    });
  }

  /** The same credentials sent to the site URL (only to diagnose a classic, unscoped token). */
  siteRequest(site: string, auth: GatewayAuth, path: string): Promise<HttpResponse> {
    return this.http.request({ method: 'GET', url: `${site}${path}`, headers: { authorization: authHeader(auth) } });
  }

  /** GET /rest/api/3/myself through the gateway; the raw answer, for the checks to classify. */
  myself(cloudId: string, auth: GatewayAuth): Promise<HttpResponse> {
    return this.gateway(cloudId, auth, { method: 'GET', path: '/rest/api/3/myself' });
  }

  async exchangeCode(p: { clientId: string; clientSecret: string; code: string; redirectUri: string }): Promise<ExchangeResult> {
    const res = await this.http.request({
      method: 'POST',
      url: `${this.endpoints.auth}/oauth/token`,
      json: { grant_type: 'authorization_code', client_id: p.clientId, client_secret: p.clientSecret, code: p.code, redirect_uri: p.redirectUri },
    });
    const body = parseJson(res.text);
    if (res.status === 200) {
      const token = TokenResponseSchema.safeParse(body);
      if (token.success) return { ok: true, token: token.data };
      return { ok: false, status: res.status, error: 'invalid_response', description: 'the token answer had no access_token' };
    }
    const error = OAuthErrorSchema.safeParse(body);
    // Not an OAuth error document (an HTML outage page, a proxy's answer): it proves nothing.
    if (!error.success) throw new NoProofError(describeAnswer(res));
    return { ok: false, status: res.status, error: error.data.error, description: error.data.error_description };
  }

  async accessibleResources(accessToken: string): Promise<AccessibleResource[]> {
    const res = await this.http.request({
      method: 'GET',
      url: `${this.endpoints.api}/oauth/token/accessible-resources`,
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const parsed = AccessibleResourcesSchema.safeParse(parseJson(res.text));
    if (res.status !== 200 || !parsed.success) {
      throw new CliError(`Atlassian's accessible-resources answered ${res.status}.`, { hint: 'Try again; if it persists, rerun with --debug.' });
    }
    return parsed.data;
  }

  /** GET {api}/me (User Identity API, scope read:me). */
  async me(accessToken: string): Promise<{ res: HttpResponse; me?: { account_id: string; email?: string | undefined; name?: string | undefined } }> {
    const res = await this.http.request({ method: 'GET', url: `${this.endpoints.api}/me`, headers: { authorization: `Bearer ${accessToken}` } });
    const parsed = MeSchema.safeParse(parseJson(res.text));
    return parsed.success && res.status === 200 ? { res, me: parsed.data } : { res };
  }

  /** POST {api}/app/report-accounts/ with the user's own account (Personal Data Reporting API). */
  reportAccounts(accessToken: string, accountId: string, updatedAt: Date): Promise<HttpResponse> {
    return this.http.request({
      method: 'POST',
      url: `${this.endpoints.api}/app/report-accounts/`,
      headers: { authorization: `Bearer ${accessToken}` },
      json: { accounts: [{ accountId, updatedAt: updatedAt.toISOString() }] },
    });
  }
}
