/**
 * The loopback listener: binds loopback only, on the redirect URI's fixed (registered) port —
 * both 127.0.0.1 and ::1 when the host is "localhost" — serves one exact path, accepts one valid
 * callback, then closes and destroys every socket. A wrong state gets an error page and a
 * warning, and the listener keeps waiting for the real callback until the timeout or an abort.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { CancelledError, CliError, UsageError } from '../errors.js';
import { parseCallback, type CallbackResult } from './callback-parser.js';
import { bindAddresses, loopbackHostHeaders } from '../net/loopback.js';
import { resultPage } from './pages.js';

export type AcceptedCallback = Exclude<CallbackResult, { kind: 'invalid' }>;

export interface CallbackServerOptions {
  redirectUri: string;
  state: string;
  /** Called for a request that looked like a callback but was rejected (e.g. wrong state). */
  onRejected?: (reason: string) => void;
}

export interface RunningCallbackServer {
  /** Resolves with the first valid callback; rejects on timeout or abort. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<AcceptedCallback>;
  /** Offer a callback URL obtained another way (pasted by the user); same rules as the listener. */
  offer(target: string): CallbackResult;
  close(): Promise<void>;
  readonly addresses: string[];
}

/** No callback arrived in time (the caller knows best what to say about why). */
export class CallbackTimeoutError extends CliError {
  constructor(
    readonly timeoutMs: number,
    redirectUri: string,
  ) {
    super(`No answer from the browser within ${Math.round(timeoutMs / 1000)} s.`, {
      hint: `Check the callback URL on the app's Authorization tab is exactly ${redirectUri}; if the browser runs on another machine, paste the address it was sent to (…/callback?code=…) when asked, or rerun with --skip-oauth.`,
    });
  }
}

export interface RedirectTarget {
  hosts: string[];
  port: number;
  path: string;
}

/** Validate --redirect-uri: http, a loopback host, an explicit port, a path. */
export function parseRedirectUri(value: string): RedirectTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--redirect-uri is not a valid URL: ${value}`, 'Use e.g. http://localhost:8976/callback.');
  }
  const host = url.hostname.toLowerCase();
  if (url.protocol !== 'http:')
    throw new UsageError(`--redirect-uri must use http on this machine (got ${url.protocol}).`, 'Use e.g. http://localhost:8976/callback.');
  const hosts = bindAddresses(host);
  if (!hosts)
    throw new UsageError(
      `--redirect-uri must point at this machine (localhost, 127.0.0.1 or [::1]), not ${url.hostname}.`,
      'Use e.g. http://localhost:8976/callback.',
    );
  if (url.username || url.password)
    throw new UsageError('--redirect-uri must not contain a user name or password.', 'Use e.g. http://localhost:8976/callback.');
  // new URL() drops a typed default port (":80"), which browsers then leave out of the Host header
  // (the listener accepts both forms, src/net/loopback.ts).
  const typed80 = /^http:\/\/[^/?#]*:0*80(?=[/?#]|$)/i.test(value.trim());
  const port = url.port ? Number(url.port) : typed80 ? 80 : undefined;
  if (port === undefined)
    throw new UsageError('--redirect-uri needs an explicit port, the one registered on the Authorization tab.', 'Use e.g. http://localhost:8976/callback.');
  if (port === 0)
    throw new UsageError(
      '--redirect-uri needs a real port, not 0: Atlassian sends the browser back to exactly this address.',
      'Use e.g. http://localhost:8976/callback.',
    );
  if (url.search || url.hash) throw new UsageError('--redirect-uri must not have a query or fragment.', 'Use e.g. http://localhost:8976/callback.');
  return { hosts, port, path: url.pathname || '/' };
}

function portRefused(port: number): CliError {
  return new CliError(
    `Port ${port} on this machine cannot be used by this user${port < 1024 ? ' (ports below 1024 need administrator rights here)' : ''}, so the OAuth callback cannot be received there.`,
    {
      hint: `Pick a port from 1024 up with --redirect-uri http://localhost:<port>/callback (and register that exact URL on the app's Authorization tab).`,
    },
  );
}

function portInUse(port: number): CliError {
  return new CliError(`Port ${port} on this machine is already in use, so the OAuth callback cannot be received there.`, {
    hint: `Close the program using it, or pick another port with --redirect-uri http://localhost:<port>/callback (and register that exact URL on the app's Authorization tab).`,
  });
}

function listen(server: Server, host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      // No IPv6 on this machine: listening on IPv4 alone is fine for "localhost".
      if (host === '::1' && (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT')) resolve(false);
      else if (error.code === 'EADDRINUSE') reject(portInUse(port));
      else if (error.code === 'EACCES') reject(portRefused(port));
      else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve(true);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port, exclusive: true, ipv6Only: host === '::1' });
  });
}

const MAX_CONNECTIONS = 64;
const CONNECTION_DEADLINE_MS = 8_000;

/** The one callback this listener accepts, and whoever waits for it. */
class Inbox {
  accepted: AcceptedCallback | undefined;
  settle: ((result: AcceptedCallback) => void) | undefined;

  accept(result: AcceptedCallback): void {
    if (this.accepted) return;
    this.accepted = result;
    this.settle?.(result);
  }

  /** The first valid callback; rejects on timeout or abort. */
  wait(timeoutMs: number, redirectUri: string, signal?: AbortSignal): Promise<AcceptedCallback> {
    if (this.accepted) return Promise.resolve(this.accepted);
    return new Promise<AcceptedCallback>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new CallbackTimeoutError(timeoutMs, redirectUri));
      }, timeoutMs);
      const onAbort = () => {
        cleanup();
        reject(new CancelledError());
      };
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.settle = undefined;
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.settle = (result) => {
        cleanup();
        resolve(result);
      };
    });
  }
}

/** The page a callback gets, by what it carried. */
function pageFor(result: AcceptedCallback): string {
  if (result.kind !== 'error') return resultPage(true, 'Authorization received', 'kendis-jira is now checking the granted scopes.');
  if (result.error === 'access_denied') return resultPage(false, 'Access was not granted', 'You pressed Cancel on the consent page.');
  return resultPage(false, 'Atlassian reported an error', `${result.error}${result.description ? `: ${result.description}` : ''}`);
}

/** One exact path, GET only, from this machine by a loopback name (no DNS rebinding), one valid callback. */
function callbackHandler(target: RedirectTarget, options: CallbackServerOptions, inbox: Inbox) {
  const loopbackHosts = loopbackHostHeaders(target.port);
  return (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('connection', 'close');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('referrer-policy', 'no-referrer');
    const send = (status: number, html: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
    };
    if (!loopbackHosts.has((req.headers.host ?? '').toLowerCase())) {
      options.onRejected?.('it was not addressed to this machine (Host header)');
      return send(421, resultPage(false, 'Wrong address', 'This listener only answers on this machine’s own address.'));
    }
    const path = (req.url ?? '').split('?')[0];
    if (path !== target.path) return send(404, resultPage(false, 'Not found', 'This address only accepts the OAuth callback.'));
    if (req.method !== 'GET') return send(405, resultPage(false, 'Method not allowed', 'Only the browser redirect is accepted here.'));
    if (inbox.accepted) return send(409, resultPage(false, 'Already done', 'The sign-in was already received; this extra request was ignored.'));
    const result = parseCallback(req.url ?? '', options.state, target.path);
    if (result.kind === 'invalid') {
      options.onRejected?.(result.reason);
      return send(400, resultPage(false, 'This sign-in link is not valid', `It was ignored (${result.reason}). Start again from the terminal if you need to.`));
    }
    send(200, pageFor(result));
    inbox.accept(result);
  };
}

/**
 * Timeouts are checked every second (Node's default is every 30 s), each connection has a hard
 * deadline (a client sending a byte a second cannot hold a socket), and at most MAX_CONNECTIONS are
 * open at once: the oldest is dropped for a new one, so idle sockets opened by something else
 * cannot lock the real browser out.
 */
function guardedServer(handler: ReturnType<typeof callbackHandler>, sockets: Set<Socket>): Server {
  const server = createServer({ maxHeaderSize: 8192, requestTimeout: 5_000, headersTimeout: 3_000, connectionsCheckingInterval: 1_000 }, handler);
  server.on('connection', (socket) => {
    if (sockets.size >= MAX_CONNECTIONS) sockets.values().next().value?.destroy();
    sockets.add(socket);
    const deadline = setTimeout(() => socket.destroy(), CONNECTION_DEADLINE_MS);
    deadline.unref();
    socket.setTimeout(3_000, () => socket.destroy());
    socket.on('close', () => {
      clearTimeout(deadline);
      sockets.delete(socket);
    });
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    socket.destroy();
  });
  return server;
}

function addressOf(server: Server): string {
  const a = server.address();
  return typeof a === 'object' && a ? `${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : String(a);
}

export async function startCallbackServer(options: CallbackServerOptions): Promise<RunningCallbackServer> {
  const target = parseRedirectUri(options.redirectUri);
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  const inbox = new Inbox();
  const handler = callbackHandler(target, options, inbox);
  for (const host of target.hosts) {
    const server = guardedServer(handler, sockets);
    try {
      if (await listen(server, host, target.port)) servers.push(server);
    } catch (error) {
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      throw error;
    }
  }
  let closed = false;
  return {
    addresses: servers.map(addressOf),
    offer(targetUrl) {
      const result = parseCallback(targetUrl, options.state);
      if (result.kind !== 'invalid') inbox.accept(result);
      return result;
    },
    wait: (timeoutMs, signal) => inbox.wait(timeoutMs, options.redirectUri, signal),
    async close() {
      if (closed) return;
      closed = true;
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
