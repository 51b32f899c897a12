/**
 * The one HTTP client: undici `request` with an injectable dispatcher, a timeout on every request,
 * bounded retries for 429/503 that honour Retry-After and X-RateLimit-Reset, HTTPS_PROXY/NO_PROXY
 * through EnvHttpProxyAgent, a redacted --debug log, and network errors told in a sentence.
 * https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */
import type { Dispatcher } from 'undici';
import { Agent, EnvHttpProxyAgent, request } from './undici-core.js';
import { CliError, CancelledError } from '../errors.js';

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

export type NetworkFailure = 'dns' | 'refused' | 'timeout' | 'tls' | 'reset' | 'proxy' | 'other';

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
}

const LOOPBACK_NO_PROXY = ['localhost', '127.0.0.1', '::1', '[::1]'];

export function proxySettings(env: Record<string, string | undefined>): { httpsProxy?: string; httpProxy?: string; noProxy: string } | undefined {
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy || undefined;
  const httpProxy = env.HTTP_PROXY || env.http_proxy || undefined;
  if (!httpsProxy && !httpProxy) return undefined;
  const noProxy = [env.NO_PROXY || env.no_proxy, ...LOOPBACK_NO_PROXY].filter(Boolean).join(',');
  return { ...(httpsProxy ? { httpsProxy } : {}), ...(httpProxy ? { httpProxy } : {}), noProxy };
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

export function describeNetworkError(error: unknown, url: string, usesProxy: boolean): NetworkError {
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  const code = String((error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? '');
  const proxyHint = usesProxy ? ' A proxy is configured (HTTPS_PROXY): check that it is reachable and allows this host.' : '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new NetworkError('dns', `Could not find ${host} (DNS lookup failed).`, `Check the address and your network connection.${proxyHint}`, error);
  }
  if (code === 'ECONNREFUSED') {
    return new NetworkError(usesProxy ? 'proxy' : 'refused', `${usesProxy ? 'The proxy' : host} refused the connection.`, usesProxy ? 'Check HTTPS_PROXY / NO_PROXY.' : 'Check the address, or whether a firewall or proxy is needed (set HTTPS_PROXY).', error);
  }
  if (code.startsWith('UND_ERR_') && code.includes('TIMEOUT')) {
    return new NetworkError('timeout', `${host} did not answer in time.`, `Try again; if it keeps happening, check your connection.${proxyHint}`, error);
  }
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return new NetworkError('tls', `The secure connection to ${host} could not be verified (${code}).`, 'A corporate proxy may be intercepting TLS: point NODE_EXTRA_CA_CERTS at its CA certificate.', error);
  }
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
    return new NetworkError('reset', `The connection to ${host} was cut off.`, `Try again.${proxyHint}`, error);
  }
  if (code === 'UND_ERR_PROXY' || /proxy/i.test(String((error as Error)?.message))) {
    return new NetworkError('proxy', `The proxy could not reach ${host}.`, 'Check HTTPS_PROXY / NO_PROXY.', error);
  }
  return new NetworkError('other', `The request to ${host} failed (${code || (error as Error)?.message || 'unknown error'}).`, `Check your network connection and try again.${proxyHint}`, error);
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const proxy = proxySettings(options.env);
  const dispatcher: Dispatcher =
    options.dispatcher ?? (proxy ? new EnvHttpProxyAgent(proxy) : new Agent({ connect: { timeout: 10_000 } }));
  const usesProxy = !options.dispatcher && Boolean(proxy);
  const log = options.log ?? (() => undefined);
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryWaitMs = options.maxRetryWaitMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 20_000;

  async function once(req: HttpRequest): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'kendis-jira', ...req.headers };
    let body: string | undefined = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    }
    const timeout = req.timeoutMs ?? timeoutMs;
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeout)]) : AbortSignal.timeout(timeout);
    try {
      const res = await request(req.url, {
        method: req.method,
        headers,
        ...(body !== undefined ? { body } : {}),
        dispatcher,
        signal,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: flattenHeaders(res.headers), text, url: req.url };
    } catch (error) {
      if (options.signal?.aborted) throw new CancelledError();
      if ((error as Error)?.name === 'TimeoutError' || (error as Error)?.name === 'AbortError') {
        throw new NetworkError('timeout', `${safeHost(req.url)} did not answer within ${Math.round(timeout / 1000)} s.`, 'Try again; if it keeps happening, check your connection or proxy.', error);
      }
      throw describeNetworkError(error, req.url, usesProxy);
    }
  }

  return {
    usesProxy,
    async request(req) {
      for (let attempt = 0; ; attempt += 1) {
        const started = now();
        log(`→ ${req.method} ${redactUrl(req.url)}`);
        let res: HttpResponse;
        try {
          res = await once(req);
        } catch (error) {
          log(`✖ ${req.method} ${redactUrl(req.url)}: ${(error as Error).message}`);
          throw error;
        }
        log(`← ${res.status} ${req.method} ${redactUrl(req.url)} (${now() - started} ms)`);
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

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}
