/**
 * A TLS-inspecting corporate proxy for end-to-end tests: HTTP CONNECT with Basic proxy
 * authentication, TLS terminated with a leaf certificate for Atlassian's host names signed by its
 * own CA (trusted by the CLI only through NODE_EXTRA_CA_CERTS), each request relayed to a loopback
 * server chosen by host name. Nothing leaves 127.0.0.1: an unknown host is refused.
 */
import { spawnSync } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { tempDir } from './test-deps.js';

export interface Certificates {
  caPath: string;
  key: string;
  cert: string;
}

/** A CA and one leaf for `hosts`, made with openssl (installed by .ci/run). */
export function makeCertificates(hosts: string[]): Certificates {
  const dir = tempDir('kj-proxy-ca-');
  const run = (args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Test Corporate Proxy CA']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${hosts[0]}`]);
  writeFileSync(join(dir, 'ext.cnf'), `subjectAltName=${hosts.map((h) => `DNS:${h}`).join(',')}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '2', '-extfile', 'ext.cnf']);
  return { caPath: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'leaf.key'), 'utf8'), cert: readFileSync(join(dir, 'leaf.pem'), 'utf8') };
}

export interface RunningProxy {
  url: string;
  /** Every CONNECT target, in order, with whether its credentials were right. */
  connects: { target: string; authorized: boolean }[];
  /** Every request relayed, as `host method path`. */
  relayed: string[];
  close(): Promise<void>;
}

export async function startTlsProxy(p: { user: string; password: string; certs: Certificates; routes: Record<string, string> }): Promise<RunningProxy> {
  const connects: RunningProxy['connects'] = [];
  const relayed: string[] = [];
  const sockets = new Set<Socket>();
  const expected = `Basic ${Buffer.from(`${p.user}:${p.password}`).toString('base64')}`;

  // The inner server speaks HTTP over the intercepted TLS sockets and relays to the route's origin.
  const inner: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? '').replace(/:443$/, '');
    const target = p.routes[host];
    if (!target) {
      res.writeHead(502, { 'content-type': 'text/html' });
      return res.end('<html>proxy: no route</html>');
    }
    relayed.push(`${host} ${req.method} ${(req.url ?? '').split('?')[0]}`);
    const upstream = new URL(target);
    const out = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });

  const outer: Server = createServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  outer.on('connect', (req: IncomingMessage, socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const target = req.url ?? '';
    const authorized = req.headers['proxy-authorization'] === expected;
    connects.push({ target, authorized });
    if (!authorized) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (!p.routes[target.replace(/:443$/, '')]) {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const tls = new TLSSocket(socket, { isServer: true, key: p.certs.key, cert: p.certs.cert });
    tls.on('error', () => socket.destroy());
    inner.emit('connection', tls);
  });
  await new Promise<void>((resolve) => outer.listen(0, '127.0.0.1', () => resolve()));
  const address = outer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${p.user}:${p.password}@127.0.0.1:${port}`,
    connects,
    relayed,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => outer.close(() => r()));
    },
  };
}
