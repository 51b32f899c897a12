/**
 * The one HTTP client: undici `request` with an injectable dispatcher, a timeout on every request,
 * bounded retries for 429/503 that honour Retry-After and X-RateLimit-Reset, HTTPS_PROXY/NO_PROXY
 * through EnvHttpProxyAgent, a redacted --debug log, and network errors told in a sentence.
 * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */
import { setFlagsFromString } from 'node:v8';
// undici's public entry point only: its internal lib/ files once broke the proxy in the bundle while
// the tests, on full undici, stayed green (issue "Ship what you test").
import { Agent, EnvHttpProxyAgent, Pool, buildConnector, request, type Dispatcher } from 'undici';
import { CliError, CancelledError } from '../errors.js';
import { LOOPBACK_HOSTS } from '../net/loopback.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as JSON with content-type application/json. */
  json?: unknown;
  /** Sent as-is (e.g. a form body); set content-type yourself. */
  body?: string;
  timeoutMs?: number;
  /** Retry 429/503 (default true). */
  retry?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  url: string;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
  readonly usesProxy: boolean;
}

export type NetworkFailure = 'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'proxy' | 'too-large' | 'other';

export class NetworkError extends CliError {
  readonly failure: NetworkFailure;
  constructor(failure: NetworkFailure, message: string, hint: string, cause?: unknown) {
    super(message, { hint, cause });
    this.failure = failure;
  }
}

export interface HttpClientOptions {
  env: Record<string, string | undefined>;
  log?: (line: string) => void;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  timeoutMs?: number;
  maxRetries?: number;
  /** Longest single wait for Retry-After; longer waits give up (the caller reports "rate limited"). */
  maxRetryWaitMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** The largest answer read (default MAX_BODY_BYTES); a larger one is an error, not a pass. */
  maxBodyBytes?: number;
  /** Failed connection attempts to one host (or through the proxy to it) before its requests fail (default 3). */
  maxConnectAttempts?: number;
}

/** Atlassian's answers to this CLI are a few kilobytes; a site streaming gigabytes is cut off here. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

async function readCapped(body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown }, url: string, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new NetworkError(
        'too-large',
        `The answer from ${safeHost(url)} was larger than ${Math.round(limit / 1024 / 1024)} MB, which no Atlassian answer to this tool is: it was cut off and nothing was concluded.`,
        'Check the site address and any proxy (HTTPS_PROXY) in between.',
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The request id Atlassian support asks for: Jira answers carry `x-arequestid` and `atl-traceid`
 * (atlassian.md; whether the gateway passes them on is unconfirmed). Absent proves nothing.
 */
export function requestIdOf(headers: Record<string, string>): string | undefined {
  const id = headers['x-arequestid'] ?? headers['atl-traceid'];
  if (id === undefined) return undefined;
  // Only a plain token is shown: a header is server text and must not carry escapes into the terminal.
  const clean = id.trim().slice(0, 80);
  return /^[\w.:/+=-]+$/.test(clean) ? clean : undefined;
}

/** What undici's client reads as "retry the connection": a proxy closing every CONNECT makes it loop. */
export const CONNECT_GIVE_UP = 'KJ_CONNECT_ATTEMPTS';

/**
 * A connector that gives up after `limit` failed attempts in a row to one origin. undici treats a
 * socket closed during connect (UND_ERR_SOCKET) as recoverable and reconnects at once, forever,
 * ignoring timeouts and the AbortSignal: behind a proxy that reads CONNECT and hangs up (how
 * firewalls and DLP proxies drop blocked hosts) that was tens of thousands of connections, each
 * resending Proxy-Authorization. Any other error code makes undici fail the queued requests.
 */
export function boundedConnector(connect: buildConnector.connector, limit: number): buildConnector.connector {
  let failures = 0;
  return (opts, callback) =>
    connect(opts, (error, socket) => {
      if (error === null) {
        failures = 0;
        return callback(null, socket);
      }
      failures += 1;
      if (failures < limit) return callback(error, null);
      failures = 0;
      const gaveUp = Object.assign(new Error(`gave up after ${limit} failed connection attempts: ${error.message}`), {
        code: CONNECT_GIVE_UP,
        attempts: limit,
        cause: error,
      });
      return callback(gaveUp, null);
    });
}

/** An Agent factory whose pools connect through boundedConnector (public undici API only). */
function boundedPools(limit: number) {
  return (origin: string | URL, opts: object): Dispatcher => {
    const given = (opts as { connect?: buildConnector.connector | buildConnector.BuildOptions }).connect;
    const connect = typeof given === 'function' ? given : buildConnector({ ...(given ?? {}) } as buildConnector.BuildOptions);
    return new Pool(origin, { ...opts, connect: boundedConnector(connect, limit) });
  };
}

export function proxySettings(env: Record<string, string | undefined>): { httpsProxy?: string; httpProxy?: string; noProxy: string } | undefined {
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy || undefined;
  const httpProxy = env.HTTP_PROXY || env.http_proxy || undefined;
  if (!httpsProxy && !httpProxy) return undefined;
  const noProxy = [env.NO_PROXY || env.no_proxy, ...LOOPBACK_HOSTS].filter(Boolean).join(',');
  return { ...(httpsProxy ? { httpsProxy } : {}), ...(httpProxy ? { httpProxy } : {}), noProxy };
}

/** A proxy URL as it may be shown: `http://user:***@host:port` (the password never printed). */
export function displayProxy(raw: string): string {
  try {
    const url = new URL(raw);
    const user = url.username ? `${decodeURIComponent(url.username)}${url.password ? ':***' : ''}@` : '';
    return `${url.protocol}//${user}${url.host}`;
  } catch {
    return '(an invalid proxy address)';
  }
}

/** Remove anything secret from a URL before it is logged or shown. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    for (const key of [...url.searchParams.keys()]) {
      if (/^(code|state|client_secret|token|access_token|refresh_token|password)$/i.test(key)) url.searchParams.set(key, 'REDACTED');
    }
    if (url.username || url.password) {
      url.username = 'REDACTED';
      url.password = '';
    }
    return url.toString();
  } catch {
    return '<invalid url>';
  }
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new CancelledError());
      },
      { once: true },
    );
  });

/** Milliseconds to wait before retrying, from Retry-After (seconds or date) or X-RateLimit-Reset. */
export function retryDelayMs(headers: Record<string, string>, attempt: number, now: number): number {
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers['x-ratelimit-reset'];
  if (reset !== undefined) {
    const date = Date.parse(reset);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return Math.min(4000, 250 * 2 ** attempt) + Math.floor(Math.random() * 100);
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined) out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The connector gave up after its attempts: a proxy that will not tunnel, or a host that keeps closing. */
function gaveUp(error: unknown, host: string, usesProxy: boolean): NetworkError {
  const attempts = Number((error as { attempts?: unknown }).attempts);
  return usesProxy
    ? new NetworkError(
        'proxy',
        `The proxy closed the connection ${attempts} times instead of opening a tunnel to ${host}.`,
        `The proxy or firewall (HTTPS_PROXY) is blocking ${host}: ask your network team to allow it, or check NO_PROXY.`,
        error,
      )
    : new NetworkError(
        'reset',
        `${host} closed the connection ${attempts} times before answering.`,
        'Check your network connection and any firewall, then try again.',
        error,
      );
}

const TLS_CODES = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'DEPTH_ZERO_SELF_SIGNED_CERT']);
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED']);

/** What the error's code says, if it says something. */
function byCode(code: string, host: string, usesProxy: boolean, error: unknown): NetworkError | undefined {
  const proxyHint = usesProxy ? ' A proxy is configured (HTTPS_PROXY): check that it is reachable and allows this host.' : '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new NetworkError('dns', `Could not find ${host} (DNS lookup failed).`, `Check the address and your network connection.${proxyHint}`, error);
  }
  if (code === 'ECONNREFUSED') {
    return new NetworkError(
      usesProxy ? 'proxy' : 'refused',
      `${usesProxy ? 'The proxy' : host} refused the connection.`,
      usesProxy ? 'Check HTTPS_PROXY / NO_PROXY.' : 'Check the address, or whether a firewall or proxy is needed (set HTTPS_PROXY).',
      error,
    );
  }
  if (code.startsWith('UND_ERR_') && code.includes('TIMEOUT')) {
    return new NetworkError('timeout', `${host} did not answer in time.`, `Try again; if it keeps happening, check your connection.${proxyHint}`, error);
  }
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || TLS_CODES.has(code)) {
    return new NetworkError(
      'tls',
      `The secure connection to ${host} could not be verified (${code}).`,
      'A corporate proxy may be intercepting TLS: point NODE_EXTRA_CA_CERTS at its CA certificate.',
      error,
    );
  }
  if (RESET_CODES.has(code)) return new NetworkError('reset', `The connection to ${host} was cut off.`, `Try again.${proxyHint}`, error);
  return undefined;
}

/** What undici's words about the proxy say, if they say something. */
function byProxyMessage(message: string, code: string, host: string, error: unknown): NetworkError | undefined {
  if (/proxy response \(407\)/i.test(message)) {
    return new NetworkError(
      'proxy',
      `The proxy refused its credentials (407 Proxy Authentication Required) for ${host}.`,
      'Check the user and password in HTTPS_PROXY (http://user:password@host:port).',
      error,
    );
  }
  const tunnel = /proxy response \((\d{3})\)/i.exec(message);
  if (tunnel) {
    return new NetworkError(
      'proxy',
      `The proxy would not open a connection to ${host} (it answered ${tunnel[1]}).`,
      'Ask your network team to allow this host through the proxy, or check NO_PROXY.',
      error,
    );
  }
  if (code === 'UND_ERR_PROXY' || /proxy/i.test(message))
    return new NetworkError('proxy', `The proxy could not reach ${host}.`, 'Check HTTPS_PROXY / NO_PROXY.', error);
  return undefined;
}

export function describeNetworkError(error: unknown, url: string, usesProxy: boolean): NetworkError {
  const host = hostOf(url);
  const code = String((error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? '');
  if (code === CONNECT_GIVE_UP) return gaveUp(error, host, usesProxy);
  const message = String((error as Error)?.message ?? '');
  const known = byCode(code, host, usesProxy, error) ?? byProxyMessage(message, code, host, error);
  if (known) return known;
  const proxyHint = usesProxy ? ' A proxy is configured (HTTPS_PROXY): check that it is reachable and allows this host.' : '';
  return new NetworkError(
    'other',
    `The request to ${host} failed (${code || (error as Error)?.message || 'unknown error'}).`,
    `Check your network connection and try again.${proxyHint}`,
    error,
  );
}

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8's optimising Wasm tier compiles the
 * whole module again in the background and roughly doubles this CLI's memory (≈95 → ≈60 MB for
 * test-connection) for a parser that handles a dozen small answers; the baseline tier (Liftoff) is
 * plenty. Set before the first request compiles the module; measured by `npm run bench`.
 */
let wasmTierSet = false;
function preferBaselineWasm(): void {
  if (wasmTierSet) return;
  wasmTierSet = true;
  setFlagsFromString('--liftoff-only');
}

/** What one request needs from the client it belongs to. */
interface Sender {
  dispatcher: Dispatcher;
  usesProxy: boolean;
  timeoutMs: number;
  maxBodyBytes: number;
  signal: AbortSignal | undefined;
}

/** One request, one answer or one NetworkError; never longer than its deadline. */
async function sendOnce(req: HttpRequest, sender: Sender): Promise<HttpResponse> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'kendis-jira', ...req.headers };
  let body: string | undefined = req.body;
  if (req.json !== undefined) {
    body = JSON.stringify(req.json);
    headers['content-type'] = 'application/json';
  }
  const timeout = req.timeoutMs ?? sender.timeoutMs;
  const timer = AbortSignal.timeout(timeout);
  const signal = sender.signal ? AbortSignal.any([sender.signal, timer]) : timer;
  const timedOut = (cause?: unknown) =>
    new NetworkError(
      'timeout',
      `${safeHost(req.url)} did not answer within ${Math.round(timeout / 1000)} s.`,
      'Try again; if it keeps happening, check your connection or proxy.',
      cause,
    );
  const exchange = async (): Promise<HttpResponse> => {
    const options = { method: req.method, headers, dispatcher: sender.dispatcher, signal, headersTimeout: timeout, bodyTimeout: timeout };
    const res = await request(req.url, { ...options, ...(body !== undefined ? { body } : {}) });
    const text = await readCapped(res.body, req.url, sender.maxBodyBytes);
    return { status: res.statusCode, headers: flattenHeaders(res.headers), text, url: req.url };
  };
  // The deadline undici cannot override: some of its reconnect paths ignore the AbortSignal.
  let hardStop: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    hardStop = setTimeout(() => reject(timedOut()), timeout + HARD_DEADLINE_GRACE_MS);
  });
  try {
    return await Promise.race([exchange(), deadline]);
  } catch (error) {
    if (error instanceof NetworkError) throw error;
    if (sender.signal?.aborted) throw new CancelledError();
    // Only our own timer is a timeout: undici also names a refused proxy tunnel "AbortError".
    if (timer.aborted) throw timedOut(error);
    throw describeNetworkError(error, req.url, sender.usesProxy);
  } finally {
    clearTimeout(hardStop);
  }
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  preferBaselineWasm();
  const proxy = proxySettings(options.env);
  const factory = boundedPools(options.maxConnectAttempts ?? 3);
  const dispatcher: Dispatcher =
    options.dispatcher ?? (proxy ? new EnvHttpProxyAgent({ ...proxy, factory }) : new Agent({ connect: { timeout: 10_000 }, factory }));
  const usesProxy = !options.dispatcher && Boolean(proxy);
  const sender: Sender = {
    dispatcher,
    usesProxy,
    timeoutMs: options.timeoutMs ?? 20_000,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    signal: options.signal,
  };
  const log = options.log ?? (() => undefined);
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 10_000;
  return {
    usesProxy,
    async request(req) {
      for (let attempt = 0; ; attempt += 1) {
        const started = now();
        log(`→ ${req.method} ${redactUrl(req.url)}`);
        let res: HttpResponse;
        try {
          res = await sendOnce(req, sender);
        } catch (error) {
          log(`✖ ${req.method} ${redactUrl(req.url)}: ${(error as Error).message}`);
          throw error;
        }
        const id = requestIdOf(res.headers);
        log(`← ${res.status} ${req.method} ${redactUrl(req.url)} (${now() - started} ms${id ? `, request id ${id}` : ''})`);
        const retriable = res.status === 429 || (res.status === 503 && res.headers['retry-after'] !== undefined);
        if (!retriable || req.retry === false || attempt >= maxRetries) return res;
        const wait = retryDelayMs(res.headers, attempt, now());
        if (wait > maxRetryWaitMs) return res;
        log(`  rate limited (${res.status}); retrying in ${wait} ms`);
        await sleep(wait, options.signal);
      }
    },
  };
}

/** How long after its own timeout a request is abandoned whatever undici does (it should have ended by then). */
const HARD_DEADLINE_GRACE_MS = 1000;

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
