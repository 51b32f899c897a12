/**
 * A reverse middlebox in front of the sandbox (a proxy, firewall, DLP gateway or captive portal
 * answering in Atlassian's place): it relays every request to one sandbox origin unless `answer`
 * returns a canned reply for it. Loopback only; nothing leaves this machine.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';

export interface Canned {
  status: number;
  body: string;
  contentType?: string;
}

export type MiddleboxRule = (req: { method: string; path: string }) => Canned | undefined;

export interface RunningMiddlebox {
  url: string;
  /** Requests it answered itself, as "METHOD path". */
  answered: string[];
  close(): Promise<void>;
}

export async function startMiddlebox(upstream: string, rule: () => MiddleboxRule | undefined): Promise<RunningMiddlebox> {
  const answered: string[] = [];
  const target = new URL(upstream);
  const server: Server = createServer((req: IncomingMessage, res) => {
    const path = req.url ?? '/';
    const canned = rule()?.({ method: req.method ?? 'GET', path: path.split('?')[0] ?? path });
    if (canned) {
      answered.push(`${req.method} ${path.split('?')[0]}`);
      req.resume();
      res.writeHead(canned.status, { 'content-type': canned.contentType ?? 'application/json' });
      res.end(canned.body);
      return;
    }
    const relay = request({ host: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    relay.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(relay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    answered,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What middleboxes send instead of Atlassian: shaped or empty successes, empty or foreign refusals, text and HTML. */
export const MIDDLEBOX_ANSWERS: Record<string, Canned> = {
  'a 200 {"status":"blocked by policy"}': { status: 200, body: '{"status":"blocked by policy"}' },
  'a 200 []': { status: 200, body: '[]' },
  'a 200 {}': { status: 200, body: '{}' },
  'an empty 204': { status: 204, body: '' },
  'a 404 {"errorMessages":[]}': { status: 404, body: '{"errorMessages":[]}' },
  'a 400 {"errorMessages":[],"errors":{}}': { status: 400, body: '{"errorMessages":[],"errors":{}}' },
  'a 403 {"errors":null}': { status: 403, body: '{"errors":null}' },
  'a gateway-shaped 404 {"code":404,"message":…}': { status: 404, body: '{"code":404,"message":"Not Found"}' },
  'a plain-text 403': { status: 403, body: 'Forbidden by policy', contentType: 'text/plain' },
  'an HTML 404': { status: 404, body: '<!doctype html><html><body><h1>Blocked</h1></body></html>', contentType: 'text/html' },
};
