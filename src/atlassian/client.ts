/**
 * The Atlassian client: tenant_info (site → cloudId), gateway calls with Basic e-mail:token or a
 * Bearer token, the OAuth token exchange, accessible-resources, /me and report-accounts. Every
 * answer is parsed with zod. It knows nothing of prompts or the terminal.
 */
import { CliError, ExitCode } from '../errors.js';
import type { Endpoints } from '../config/schema.js';
import { gatewayUrl } from './endpoints.js';
import type { HttpClient, HttpResponse } from './http.js';
import { ACCESSIBLE_RESOURCES, TOKEN_ENDPOINT, TENANT_INFO, describeAnswer, readAnswer } from './answers.js';

export { describeAnswer, isScopeMismatch, parseJson } from './answers.js';
import { AccessibleResourcesSchema, TenantInfoSchema, TokenResponseSchema, type AccessibleResource, type TokenResponse } from './schemas.js';

export type GatewayAuth = { kind: 'basic'; email: string; token: string } | { kind: 'bearer'; token: string };

export function authHeader(auth: GatewayAuth): string {
  return auth.kind === 'basic' ? `Basic ${Buffer.from(`${auth.email}:${auth.token}`, 'utf8').toString('base64')}` : `Bearer ${auth.token}`;
}

/**
 * The site probably does not exist: tenant_info answered 404/410 or sent the browser to Atlassian's
 * sign-up, not a cloud id. Atlassian does not document its answer for an unknown site
 * (atlassian.md), so this is said as a likely diagnosis, with what came back and the other cause.
 * An input error (exit 2) in setup; `error` in test-connection (never a pass).
 */
export class UnknownSiteError extends CliError {
  constructor(site: string, what: string) {
    super(`${site} is probably not a Jira Cloud site: instead of a cloud id it answered ${what}.`, {
      exitCode: ExitCode.usage,
      hint: 'Check the address in your browser: it is the URL you use to open Jira, e.g. https://acme.atlassian.net. If Jira opens there, something in between (a proxy) answered instead: check HTTPS_PROXY / NO_PROXY.',
    });
  }
}

/**
 * Atlassian (or something in between) answered in a way that proves nothing: a 5xx, an HTML or
 * non-JSON page, a redirect. Never a pass and never a "no": the check is `error`.
 */
export class NoProofError extends CliError {
  constructor(readonly what: string) {
    super(`${noAnswer('Atlassian', what)}: nothing was concluded.`, {
      hint: 'Try again later; if it persists, check HTTPS_PROXY / NO_PROXY, or rerun with --debug.',
    });
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
    return '';
  }
}

export type ExchangeResult = { ok: true; token: TokenResponse } | { ok: false; status: number; error: string; description: string | undefined };

export class AtlassianClient {
  constructor(
    private readonly http: HttpClient,
    readonly endpoints: Endpoints,
  ) {}

  /** The site's cloudId, without credentials. https://support.atlassian.com/jira/kb/retrieve-my-atlassian-sites-cloud-id */
  async tenantInfo(site: string): Promise<string> {
    const res = await this.http.request({ method: 'GET', url: `${site}/_edge/tenant_info` });
    const reading = readAnswer(TENANT_INFO, res);
    if (reading.kind === 'success') {
      const parsed = TenantInfoSchema.safeParse(reading.body);
      if (parsed.success) return parsed.data.cloudId;
      throw new NoProofError(`${describeAnswer(res)}, not a cloud id`);
    }
    // A site that does not exist: 404/410, or a redirect to Atlassian's sign-up page (atlassian.md, unsure which).
    if (res.status === 404 || res.status === 410) throw new UnknownSiteError(site, describeAnswer(res));
    if (res.status >= 300 && res.status < 400 && /(^|\.)atlassian\.(com|net)$/i.test(hostOf(res.headers.location ?? '')))
      throw new UnknownSiteError(site, describeAnswer(res));
    throw new NoProofError(reading.kind === 'unproven' ? reading.what : describeAnswer(res));
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
    const reading = readAnswer(TOKEN_ENDPOINT, res);
    if (reading.kind === 'success') {
      const token = TokenResponseSchema.safeParse(reading.body);
      if (token.success) return { ok: true, token: token.data };
    }
    // Only an OAuth error document at a 4xx (not 429) is Atlassian's verdict; a 5xx, a redirect, rate
    // limiting, an HTML outage page or a proxy's answer proves nothing (checks.md, oauth-client).
    if (reading.kind === 'oauth-error') return { ok: false, status: reading.status, error: reading.error, description: reading.description };
    throw new NoProofError(reading.kind === 'unproven' ? reading.what : describeAnswer(res));
  }

  async accessibleResources(accessToken: string): Promise<AccessibleResource[]> {
    const res = await this.http.request({
      method: 'GET',
      url: `${this.endpoints.api}/oauth/token/accessible-resources`,
      headers: { authorization: `Bearer ${accessToken}` },
    });
    const reading = readAnswer(ACCESSIBLE_RESOURCES, res);
    const parsed = AccessibleResourcesSchema.safeParse(reading.kind === 'success' ? reading.body : undefined);
    if (!parsed.success) throw new NoProofError(reading.kind === 'unproven' ? reading.what : describeAnswer(res));
    return parsed.data;
  }

  /** GET {api}/me (User Identity API, scope read:me); the raw answer, for the checks to classify. */
  me(accessToken: string): Promise<HttpResponse> {
    return this.http.request({ method: 'GET', url: `${this.endpoints.api}/me`, headers: { authorization: `Bearer ${accessToken}` } });
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
