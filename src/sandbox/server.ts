/**
 * The built-in Atlassian emulator on 127.0.0.1 (`--sandbox`, and every integration test), as strict
 * as real Atlassian (../shared/spec/atlassian.md, "What real Atlassian does…"): three origins on
 * three ports (auth: authorize page and token endpoint; api: the gateway, accessible-resources,
 * /me, report-accounts; site: tenant_info), callback URLs compared exactly with the app's
 * registered list, an error page with no redirect when the app asks for scopes it was not given,
 * the token endpoint checking the redirect_uri before the code, scope enforcement per operation
 * from Atlassian's own table (401 "scope does not match" + X-Failure-Category), app-only and
 * admin-only 403s past that check, and knobs for unknown sites, latency, rate limits and faults.
 * Every knob lives in the one options object the tests set.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { matchOperation, pathFits, satisfies } from '../atlassian/operations.js';
import { APP_SCOPES, TOKEN_SCOPES, USER_TOKEN_SCOPES, appScopeTitle } from '../atlassian/scopes.js';
import { DEFAULT_REDIRECT_URI } from '../auth/redirect.js';
import { SANDBOX } from './fixtures.js';
import SPEC_TABLE from '../atlassian/openapi-scopes.json' with { type: 'json' };

export interface SandboxToken {
  token: string;
  email: string;
  scopes: string[];
}

export interface SandboxFaults {
  /** Answer every gateway request with this status. */
  gatewayStatus?: number;
  /** Close the socket mid-response on gateway requests. */
  resetGateway?: boolean;
  /** Send a non-JSON body from tenant_info. */
  garbageTenantInfo?: boolean;
  /** Answer gateway requests 200 with a body that is not JSON. */
  garbageGateway?: boolean;
  /** Answer every request 429 with this Retry-After. */
  rateLimitStorm?: { retryAfter: string };
  /** Answer every request with this status (token endpoint and tenant_info included). */
  everythingStatus?: number;
  /** Answer gateway requests with this status and an HTML error page (an outage or load balancer page). */
  gatewayHtmlStatus?: number;
  /** Answer the OAuth token endpoint with this status and an HTML page (the auth host is down). */
  tokenEndpointStatus?: number;
  /** Something in between answers every gateway request but /myself with this status and a plain-text body. */
  plainTextProbeStatus?: number;
  /** Past the scope check, Jira answers 403 to every operation but /myself (an account with no permissions). */
  forbiddenPastScope?: boolean;
  /** The token endpoint quotes a wrong client secret back in its error description (a careless server). */
  tokenEndpointEcho?: boolean;
}

export interface SandboxOptions {
  port?: number;
  /** Skip the consent page: /authorize redirects straight back with a code. */
  autoApprove?: boolean;
  /** Scopes added to the app in the console. */
  appScopes?: string[];
  /** The callback URLs registered on the app's Authorization tab, compared exactly. */
  callbackUrls?: string[];
  /** The token endpoint rejects an unregistered redirect_uri before looking at the code (default true). */
  tokenChecksRedirectFirst?: boolean;
  /**
   * How the token endpoint refuses a bad, used or expired code from an authenticated client:
   * 'today' (default) as Atlassian does now, 400 invalid_request "authorization_code is invalid";
   * 'auth0' as it did until 2023, 403 invalid_grant "Invalid authorization code" (atlassian.md).
   */
  codeRefusal?: 'today' | 'auth0';
  /**
   * Atlassian's consent pages that never send the browser back (atlassian.md): an app no site admin
   * has approved, an app whose sharing is off used by someone else, an account without site access.
   */
  consentBlock?: 'admin-approval' | 'sharing-off' | 'no-site-access';
  /** Jira projects that exist (mypermissions?projectKey=…): default KEN. */
  projects?: string[];
  /** The site does not exist: tenant_info answers 404 (atlassian.md, "Unknown site"). */
  unknownSite?: boolean;
  /** A hostile site: tenant_info answers this as its cloud id. */
  tenantCloudId?: string;
  /** What /myself says of the account (a hostile answer may hide the e-mail and plant escapes in the name). */
  myself?: { displayName?: string; emailAddress?: string | null };
  clientId?: string;
  clientSecret?: string;
  /** The scoped API tokens that exist (default: the sandbox token with all 15 scopes). */
  tokens?: SandboxToken[];
  /** Classic (unscoped) API tokens: they work on the site URL, never through the gateway. */
  classicTokens?: SandboxToken[];
  /** Extra delay before every answer. */
  latencyMs?: number;
  /** 429 with Retry-After on the first request to each path. */
  rateLimitFirstRequestPerPath?: { retryAfter: string } | undefined;
  faults?: SandboxFaults;
  /** Atlassian changed its rules: these operations (by id) now need these scope sets instead. */
  scopeOverrides?: Record<string, string[][]>;
  /** The OAuth audience /authorize accepts (default: the sandbox's own host). */
  audience?: string;
  /** The account behind the API token: a Jira admin by default; `admin: false` gets 403 from admin-only operations. */
  account?: { admin?: boolean };
}

export interface SandboxRequestLog {
  /** Which of the three hosts answered it. */
  origin: 'auth' | 'api' | 'site';
  method: string;
  path: string;
  status: number;
  authorization?: string;
}

export interface RunningSandbox {
  /** The site (tenant_info, the site's own REST paths). */
  url: string;
  /** The OAuth host (authorize, token endpoint): what KENDIS_JIRA_AUTH_URL points at. */
  authUrl: string;
  /** The API gateway host: what KENDIS_JIRA_API_URL points at. */
  apiUrl: string;
  cloudId: string;
  options: SandboxOptions;
  requests: SandboxRequestLog[];
  /** Every authorization code and access token handed out (for leak tests). */
  issued: string[];
  close(): Promise<void>;
}

export function defaultSandboxOptions(): SandboxOptions {
  return {
    appScopes: APP_SCOPES.map((s) => s.scope),
    callbackUrls: [SANDBOX.kendisCallbackUrl, DEFAULT_REDIRECT_URI],
    tokenChecksRedirectFirst: true,
    clientId: SANDBOX.clientId,
    clientSecret: SANDBOX.clientSecret,
    tokens: [
      { token: SANDBOX.apiToken, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] },
      { token: SANDBOX.nextApiToken, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] },
      { token: SANDBOX.userApiToken, email: SANDBOX.email, scopes: [...USER_TOKEN_SCOPES] },
      { token: SANDBOX.nextUserApiToken, email: SANDBOX.email, scopes: [...USER_TOKEN_SCOPES] },
    ],
  };
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  used: boolean;
  expires: number;
}

const SCOPE_MISMATCH = { code: 401, message: 'Unauthorized; scope does not match' };
const NOT_AUTHENTICATED = { code: 401, message: 'Client must be authenticated to access this resource.' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

type Origin = 'auth' | 'api' | 'site';

/** What one running sandbox keeps between requests. */
interface SandboxState {
  options: SandboxOptions;
  codes: Map<string, PendingCode>;
  accessTokens: Map<string, { scopes: string[]; clientId: string }>;
  consents: Map<string, { clientId: string; redirectUri: string; scopes: string[]; state: string }>;
  seenPaths: Set<string>;
  issued: string[];
  origins: Record<Origin, string>;
}

type Consent = { clientId: string; redirectUri: string; scopes: string[]; state: string };

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json', ...headers });
  res.end(text);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location });
  res.end();
}

const scopeMismatch = (res: ServerResponse) => send(res, 401, SCOPE_MISMATCH, { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' });

function basicAuth(s: SandboxState, req: IncomingMessage): SandboxToken | 'invalid' | undefined {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const email = decoded.slice(0, colon);
  const token = decoded.slice(colon + 1);
  const found = s.options.tokens?.find((t) => t.token === token && t.email.toLowerCase() === email.toLowerCase());
  return found ?? 'invalid';
}

function bearer(s: SandboxState, req: IncomingMessage) {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? s.accessTokens.get(header.slice(7)) : undefined;
}

/** Exact comparison: scheme, host, port, path and trailing slash (atlassian.md). */
const redirectAllowed = (s: SandboxState, uri: string) => (s.options.callbackUrls ?? []).includes(uri);

function issueCode(s: SandboxState, c: Consent): string {
  const code = randomBytes(18).toString('base64url');
  s.issued.push(code);
  s.codes.set(code, { clientId: c.clientId, redirectUri: c.redirectUri, scopes: c.scopes, used: false, expires: Date.now() + 600_000 });
  const target = new URL(c.redirectUri);
  target.searchParams.set('code', code);
  target.searchParams.set('state', c.state);
  return target.toString();
}

/** Why Atlassian would stop this authorize request on its own error page (no redirect), if it would. */
function authorizeProblem(s: SandboxState, p: URLSearchParams): { status: number; detail: string } | undefined {
  const redirectUri = p.get('redirect_uri') ?? '';
  if ((p.get('client_id') ?? '') !== s.options.clientId) return { status: 400, detail: 'error=invalid_client: the app (client_id) does not exist.' };
  if (!redirectAllowed(s, redirectUri))
    return { status: 400, detail: `error=unauthorized_client: redirect_uri is not registered for this app (${redirectUri}).` };
  if (p.get('audience') !== (s.options.audience ?? new URL(s.origins.api).host)) return { status: 400, detail: 'error=invalid_request: unknown audience.' };
  if (p.get('response_type') !== 'code') return { status: 400, detail: 'error=unsupported_response_type.' };
  // Real Atlassian stops on its own error page when the app asks for a scope not added to it in the console (atlassian.md).
  const requested = (p.get('scope') ?? '').split(/\s+/).filter(Boolean);
  if (requested.some((scope) => !s.options.appScopes?.includes(scope))) {
    return { status: 200, detail: 'This app has requested scopes that have not been added to the app in the developer console. Contact the app developer.' };
  }
  return undefined;
}

function handleAuthorize(s: SandboxState, url: URL, res: ServerResponse) {
  const p = url.searchParams;
  const problem = authorizeProblem(s, p);
  if (problem) return send(res, problem.status, errorPage('Something went wrong', problem.detail));
  if (s.options.consentBlock) return send(res, 200, CONSENT_BLOCK_PAGES[s.options.consentBlock]);
  const scopes = (p.get('scope') ?? '').split(/\s+/).filter(Boolean);
  const consent = { clientId: p.get('client_id') ?? '', redirectUri: p.get('redirect_uri') ?? '', scopes, state: p.get('state') ?? '' };
  if (s.options.autoApprove || p.get('kj_sandbox_approve') === '1') return redirect(res, issueCode(s, consent));
  const tx = randomBytes(12).toString('base64url');
  s.consents.set(tx, consent);
  return send(res, 200, consentPage(tx, scopes));
}

function handleDecision(s: SandboxState, url: URL, res: ServerResponse) {
  const consent = s.consents.get(url.searchParams.get('tx') ?? '');
  if (!consent) return send(res, 400, errorPage('This request expired', 'Start again from the terminal.'));
  s.consents.delete(url.searchParams.get('tx') ?? '');
  if (url.searchParams.get('decision') === 'accept') return redirect(res, issueCode(s, consent));
  const target = new URL(consent.redirectUri);
  target.searchParams.set('error', 'access_denied');
  target.searchParams.set('error_description', 'The user did not authorize the app');
  target.searchParams.set('state', consent.state);
  return redirect(res, target.toString());
}

/** The token endpoint, answering as Atlassian does today (atlassian.md): a refused code is 400 invalid_request. */
async function handleToken(s: SandboxState, req: IncomingMessage, res: ServerResponse) {
  const { options } = s;
  if (options.faults?.tokenEndpointStatus)
    return send(res, options.faults.tokenEndpointStatus, errorPage('Service unavailable', 'The sandbox auth host is down.'));
  const raw = await readBody(req);
  let body: Record<string, string> = {};
  try {
    body = (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw));
  } catch {
    return send(res, 400, { error: 'invalid_request', error_description: 'Malformed body' });
  }
  if (body.client_id !== options.clientId || body.client_secret !== options.clientSecret) {
    if (options.faults?.tokenEndpointEcho)
      return send(res, 400, { error: 'invalid_request', error_description: `client_secret ${body.client_secret ?? ''} is malformed` });
    return send(res, 401, { error: 'access_denied', error_description: 'Unauthorized' });
  }
  if (body.grant_type !== 'authorization_code') return send(res, 400, { error: 'unsupported_grant_type' });
  if (options.tokenChecksRedirectFirst !== false && !redirectAllowed(s, body.redirect_uri ?? '')) {
    return send(res, 403, { error: 'unauthorized_client', error_description: 'redirect_uri is not registered for this app' });
  }
  const pending = s.codes.get(body.code ?? '');
  if (!pending || pending.used || pending.expires < Date.now() || pending.clientId !== body.client_id) {
    return options.codeRefusal === 'auth0'
      ? send(res, 403, { error: 'invalid_grant', error_description: 'Invalid authorization code' })
      : send(res, 400, { error: 'invalid_request', error_description: 'authorization_code is invalid' });
  }
  if (pending.redirectUri !== body.redirect_uri) return send(res, 403, { error: 'invalid_grant', error_description: 'redirect_uri does not match' });
  pending.used = true;
  const accessToken = randomBytes(24).toString('base64url');
  s.issued.push(accessToken);
  s.accessTokens.set(accessToken, { scopes: pending.scopes, clientId: pending.clientId });
  return send(res, 200, { access_token: accessToken, expires_in: 3600, token_type: 'Bearer', scope: pending.scopes.join(' ') });
}

/** A gateway fault the test asked for; true when it answered. */
function gatewayFault(s: SandboxState, req: IncomingMessage, res: ServerResponse, path: string): boolean {
  const faults = s.options.faults;
  if (faults?.resetGateway) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"partial":');
    req.socket.destroy();
  } else if (faults?.gatewayStatus) send(res, faults.gatewayStatus, { message: 'Sandbox fault' });
  else if (faults?.gatewayHtmlStatus) send(res, faults.gatewayHtmlStatus, errorPage('502 Bad Gateway', 'The server could not answer your request.'));
  else if (faults?.plainTextProbeStatus && !path.startsWith('/rest/api/3/myself')) {
    res.writeHead(faults.plainTextProbeStatus, { 'content-type': 'text/plain' });
    res.end(faults.plainTextProbeStatus === 404 ? '404 page not found\n' : '');
  } else if (faults?.garbageGateway) send(res, 200, '<html><body>Service temporarily unavailable</body></html>');
  else return false;
  return true;
}

/** Who calls the gateway: a scoped API token (Basic) or an OAuth access token (Bearer); undefined when refused. */
function gatewayCaller(s: SandboxState, req: IncomingMessage): { scopes: string[]; email: string; basic: boolean } | undefined {
  const basic = basicAuth(s, req);
  if (basic === 'invalid') return undefined;
  if (basic) return { scopes: basic.scopes, email: basic.email, basic: true };
  const oauth = bearer(s, req);
  return oauth ? { scopes: oauth.scopes, email: SANDBOX.email, basic: false } : undefined;
}

/** GET /rest/api/3/mypermissions as Jira answers it: per key, in a project when one is named. */
function myPermissions(s: SandboxState, url: URL, res: ServerResponse, admin: boolean) {
  const asked = (url.searchParams.get('permissions') ?? '').split(',').filter(Boolean);
  if (asked.length === 0) return send(res, 400, { errorMessages: ['The permissions query parameter is required.'] });
  const project = url.searchParams.get('projectKey');
  if (project !== null && !(s.options.projects ?? ['KEN']).includes(project))
    return send(res, 404, { errorMessages: [`No project could be found with key '${project}'.`], errors: {} });
  const forbidden = Boolean(s.options.faults?.forbiddenPastScope);
  const permission = (key: string) => ({
    id: key,
    key,
    name: key,
    type: key === 'ADMINISTER' ? 'GLOBAL' : 'PROJECT',
    havePermission: !forbidden && (key !== 'ADMINISTER' || admin),
  });
  return send(res, 200, { permissions: Object.fromEntries(asked.map((key) => [key, permission(key)])) });
}

const NOT_FOUND_BY_OPERATION: Record<string, string> = {
  'field-context-issuetype-mapping': 'The custom field was not found.',
  'board-versions': 'Board does not exist or you do not have permission to see it.',
  'sprint-get': 'Sprint does not exist or you do not have permission to see it.',
  'sprint-update': 'Sprint does not exist or you do not have permission to see it.',
};

/** What Jira answers each operation the checks use, past its own permission checks. */
function jiraAnswer(s: SandboxState, res: ServerResponse, operation: string, email: string) {
  const myself = s.options.myself;
  const answers: Record<string, [number, unknown]> = {
    myself: [
      200,
      {
        accountId: SANDBOX.accountId,
        ...(myself?.emailAddress === null ? {} : { emailAddress: myself?.emailAddress ?? email }),
        displayName: myself?.displayName ?? SANDBOX.displayName,
        active: true,
      },
    ],
    'project-search': [200, { startAt: 0, maxResults: 1, total: 1, isLast: true, values: [{ id: '10000', key: 'KEN', name: 'Kendis Demo' }] }],
    'issue-create': [400, { errorMessages: [], errors: { project: 'Specify a valid project ID or key', issuetype: 'Specify an issue type' } }],
    'issue-security-schemes': [200, { issueSecuritySchemes: [] }],
    webhooks: [200, { startAt: 0, maxResults: 1, total: 0, isLast: true, values: [] }],
    'issue-types': [200, []],
    'issue-link-types': [200, { issueLinkTypes: [] }],
  };
  const [status, body] = answers[operation] ?? [
    404,
    { errorMessages: [NOT_FOUND_BY_OPERATION[operation] ?? 'Epic does not exist or you do not have permission to see it.'] },
  ];
  return send(res, status, body);
}

/** The API gateway (/ex/jira/<cloudId>/…): its scope checks first, then Jira's own (atlassian.md, "What real Atlassian does…"). */
async function handleGateway(s: SandboxState, req: IncomingMessage, res: ServerResponse, url: URL, path: string, cloudId: string) {
  if (gatewayFault(s, req, res, path)) return;
  await readBody(req).catch(() => '');
  const caller = gatewayCaller(s, req);
  if (!caller) return send(res, 401, NOT_AUTHENTICATED);
  if (cloudId !== SANDBOX.cloudId) return send(res, 404, { message: 'Site not found' });
  const op = matchOperation(req.method ?? 'GET', path);
  if (!op) {
    // Any other Jira operation: Atlassian's own scope rules (the committed table), then a 404.
    const sets = specScopeSets(req.method ?? 'GET', path);
    if (!sets) return send(res, 404, { errorMessages: ['Not found in the sandbox'] });
    if (!satisfies(sets, caller.scopes)) return scopeMismatch(res);
    return send(res, 404, { errorMessages: ['The sandbox has no data for this operation.'] });
  }
  if (!satisfies(s.options.scopeOverrides?.[op.id] ?? op.scopeSets, caller.scopes)) return scopeMismatch(res);
  const admin = s.options.account?.admin !== false && !s.options.faults?.forbiddenPastScope;
  if (op.id === 'my-permissions') return myPermissions(s, url, res, admin);
  if (s.options.faults?.forbiddenPastScope && op.id !== 'myself') return send(res, 403, { errorMessages: ['You do not have permission to do this.'] });
  // GET /rest/api/3/webhook: "only for Connect and OAuth 2.0 apps" (its spec): 403 to a user's token.
  if (op.id === 'webhooks' && caller.basic) return send(res, 403, { errorMessages: ['Only Connect and OAuth 2.0 apps can use this operation.'] });
  if (op.id === 'issue-security-schemes' && !admin)
    return send(res, 403, { errorMessages: ['You are not authorized to perform this action. Administrator privileges are required.'] });
  return jiraAnswer(s, res, op.id, caller.email);
}

/** Faults that answer every request the same way; true when one answered. */
function globalFault(s: SandboxState, res: ServerResponse, method: string, path: string): boolean {
  const { options } = s;
  if (options.faults?.rateLimitStorm) send(res, 429, { message: 'Rate limit exceeded' }, { 'retry-after': options.faults.rateLimitStorm.retryAfter });
  else if (options.faults?.everythingStatus) send(res, options.faults.everythingStatus, { message: 'Sandbox fault' });
  else if (options.rateLimitFirstRequestPerPath && path !== '/authorize' && path !== '/authorize/decision' && !s.seenPaths.has(`${method} ${path}`)) {
    s.seenPaths.add(`${method} ${path}`);
    send(res, 429, { message: 'Rate limit exceeded' }, { 'retry-after': options.rateLimitFirstRequestPerPath.retryAfter });
  } else return false;
  return true;
}

/** The site host: its tenant info, and 401 to a scoped token sent to it (those work through the gateway only). */
function routeSite(s: SandboxState, req: IncomingMessage, res: ServerResponse, method: string, path: string): boolean {
  if (method === 'GET' && path === '/_edge/tenant_info') {
    if (s.options.unknownSite) send(res, 404, errorPage('Page not found', 'There is no Atlassian site here.'));
    else if (s.options.faults?.garbageTenantInfo) send(res, 200, '<html>not json</html>');
    else send(res, 200, { cloudId: s.options.tenantCloudId ?? SANDBOX.cloudId });
    return true;
  }
  if (!path.startsWith('/rest/')) return false;
  const header = req.headers.authorization ?? '';
  const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
  const classic = s.options.classicTokens?.find((t) => decoded === `${t.email}:${t.token}`);
  if (classic && path === '/rest/api/3/myself') send(res, 200, { accountId: SANDBOX.accountId, emailAddress: classic.email, displayName: SANDBOX.displayName });
  else send(res, 401, NOT_AUTHENTICATED);
  return true;
}

/** api.atlassian.com outside the gateway: accessible-resources, /me, the Personal Data Reporting API. */
async function routeApi(s: SandboxState, req: IncomingMessage, res: ServerResponse, method: string, path: string): Promise<boolean> {
  const own: Record<string, [string, string | undefined]> = {
    '/oauth/token/accessible-resources': ['GET', undefined],
    '/me': ['GET', 'read:me'],
    '/app/report-accounts/': ['POST', 'report:personal-data'],
  };
  const [wanted, scope] = own[path] ?? [];
  if (wanted !== method) return false;
  const token = bearer(s, req);
  if (!token) send(res, 401, NOT_AUTHENTICATED);
  else if (scope && !token.scopes.includes(scope)) scopeMismatch(res);
  else if (path === '/me') send(res, 200, { account_id: SANDBOX.accountId, email: SANDBOX.email, name: SANDBOX.displayName, account_status: 'active' });
  else if (path === '/app/report-accounts/') {
    await readBody(req);
    res.writeHead(204);
    res.end();
  } else {
    const site = { id: SANDBOX.cloudId, name: SANDBOX.siteName, url: s.origins.site, avatarUrl: `${s.origins.site}/avatar.png` };
    send(res, 200, [{ ...site, scopes: token.scopes.filter((scope) => scope.includes(':jira')) }]);
  }
  return true;
}

async function route(s: SandboxState, where: Origin, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', s.origins[where]);
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (s.options.latencyMs) await new Promise((r) => setTimeout(r, s.options.latencyMs));
  if (globalFault(s, res, method, path)) return;
  if (where === 'site' && routeSite(s, req, res, method, path)) return;
  if (where === 'auth') {
    if (method === 'GET' && path === '/authorize') return handleAuthorize(s, url, res);
    if (method === 'GET' && path === '/authorize/decision') return handleDecision(s, url, res);
    if (method === 'POST' && path === '/oauth/token') return handleToken(s, req, res);
  }
  if (where === 'api') {
    if (await routeApi(s, req, res, method, path)) return;
    const gateway = /^\/ex\/jira\/([^/]+)(\/.*)$/.exec(path);
    if (gateway) return handleGateway(s, req, res, url, gateway[2]!, decodeURIComponent(gateway[1]!));
  }
  // Each host serves only its own paths, as Atlassian's three hosts do.
  return send(res, 404, { message: 'Not found' });
}

/** One of the three hosts, logging every request it answers. */
function hostServer(s: SandboxState, where: Origin, requests: SandboxRequestLog[], sockets: Set<Socket>): Server {
  const server = createServer((req, res) => {
    res.on('finish', () =>
      requests.push({
        origin: where,
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0]!,
        status: res.statusCode,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      }),
    );
    route(s, where, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, { message: 'Sandbox error' });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return server;
}

export async function startSandbox(overrides: SandboxOptions = {}): Promise<RunningSandbox> {
  const options: SandboxOptions = { ...defaultSandboxOptions(), ...overrides };
  const origins: Record<Origin, string> = { auth: '', api: '', site: '' };
  const s: SandboxState = { options, codes: new Map(), accessTokens: new Map(), consents: new Map(), seenPaths: new Set(), issued: [], origins };
  const requests: SandboxRequestLog[] = [];
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  for (const where of ['site', 'auth', 'api'] as const) {
    const server = hostServer(s, where, requests, sockets);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(where === 'site' ? (overrides.port ?? 0) : 0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    origins[where] = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    servers.push(server);
  }
  return {
    url: origins.site,
    authUrl: origins.auth,
    apiUrl: origins.api,
    cloudId: SANDBOX.cloudId,
    options,
    requests,
    issued: s.issued,
    async close() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((r) => server.close(() => r()))));
    },
  };
}

/** Scope sets of any operation in Atlassian's specs (src/atlassian/openapi-scopes.json), by concrete path. */
function specScopeSets(method: string, path: string): string[][] | undefined {
  for (const [key, sets] of Object.entries(SPEC_TABLE.operations as Record<string, string[][]>)) {
    const [m, template] = key.split(' ') as [string, string];
    if (m === method && pathFits(template, path)) return sets;
  }
  return undefined;
}

/** Atlassian's consent pages that never redirect (support articles; atlassian.md). */
const CONSENT_BLOCK_PAGES: Record<NonNullable<SandboxOptions['consentBlock']>, string> = {
  'admin-approval': errorPage(
    'Your site admin must authorize this app',
    `Your site admin must authorize this app for the site ${SANDBOX.siteName} before the app can access your account.`,
  ),
  'sharing-off': errorPage('You don’t have access to this app', 'This app is not shared: only its developer can use it. Contact the app developer.'),
  'no-site-access': errorPage('Access denied', 'This app requires access to a Jira site which you don’t have. Contact your site admin.'),
};

function errorPage(title: string, detail: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p><p>(Atlassian sandbox)</p></body></html>`;
}

function consentPage(tx: string, scopes: string[]): string {
  const items = scopes.map((s) => `<li>${escapeHtml(appScopeTitle(s))} <code>${escapeHtml(s)}</code></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorize app (sandbox)</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#172b4d}
button{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}</style></head>
<body><p><em>Atlassian sandbox — nothing here is real.</em></p>
<h1>Kendis (sandbox) is requesting access to your Atlassian account</h1>
<p>Use app on: <strong>${escapeHtml(SANDBOX.siteName)}</strong></p><ul>${items}</ul>
<form method="get" action="/authorize/decision"><input type="hidden" name="tx" value="${escapeHtml(tx)}">
<button name="decision" value="accept" id="accept">Accept</button><button name="decision" value="cancel" id="cancel">Cancel</button></form>
</body></html>`;
}
