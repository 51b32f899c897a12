/**
 * The loopback listener under attack while it waits for the real callback: garbage bytes, huge
 * headers, wrong methods, path traversal, no Host, slow clients, many parallel connections,
 * forged states, duplicate parameters. No crash, no code accepted but the real one, memory
 * bounded, the real callback still completes. Every request goes to 127.0.0.0/8 only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { startCallbackServer, type RunningCallbackServer } from '../../src/auth/callback-server.js';
import { freePort } from '../helpers/ports.js';

const STATE = 'real-state-value-0123456789';
let server: RunningCallbackServer | undefined;
const open: Socket[] = [];

afterEach(async () => {
  for (const s of open) s.destroy();
  open.length = 0;
  await server?.close();
});

function raw(port: number, bytes: string | Buffer, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let answer = '';
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => resolve(answer || 'error'));
    socket.on('close', () => resolve(answer));
    socket.setTimeout(5000, () => socket.destroy());
    socket.write(bytes);
    socket.end();
  });
}

function get(port: number, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}

describe('the listener under attack', () => {
  it('survives hostile traffic and still completes with the real code only', async () => {
    const port = await freePort();
    const rejected: string[] = [];
    server = await startCallbackServer({ redirectUri: `http://localhost:${port}/callback`, state: STATE, onRejected: (r) => rejected.push(r) });
    const waiting = server.wait(30_000);
    let settled = false;
    void waiting.then(
      () => (settled = true),
      () => (settled = true),
    );
    const heapBefore = process.memoryUsage().heapUsed;

    // Slow clients that never finish their request.
    for (let i = 0; i < 20; i += 1) {
      const s = connect({ host: '127.0.0.1', port });
      s.on('error', () => undefined);
      s.write('GET /callback?code=SLOW&state=');
      open.push(s);
    }

    const attacks: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i += 1) {
      attacks.push(raw(port, Buffer.from(Array.from({ length: 512 }, () => Math.floor(Math.random() * 256)))));
      attacks.push(raw(port, `GET /callback?code=X&state=${STATE} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      attacks.push(raw(port, `GET /callback?code=NOHOST&state=wrong HTTP/1.0\r\n\r\n`));
      attacks.push(get(port, `/callback?code=FORGED${i}&state=forged-${i}`));
      attacks.push(get(port, `/callback?code=A&code=B&state=${STATE}`));
      attacks.push(get(port, `/callback?code=POSTED&state=${STATE}`, 'POST'));
      attacks.push(get(port, `/../../etc/passwd?code=T&state=${STATE}`));
      attacks.push(get(port, `/callback/..%2f..%2fetc?code=T&state=${STATE}`));
      attacks.push(get(port, '/favicon.ico'));
      attacks.push(get(port, `/callback?state=${STATE}`));
    }
    const answers = await Promise.all(attacks);
    // No attack was accepted as the callback: no 200 status, no raw answer that is an HTTP 200.
    const accepted = answers.filter((a) => a === 200 || (typeof a === 'string' && a.startsWith('HTTP/1.1 200')));
    expect(accepted).toEqual([]);
    expect(settled).toBe(false);
    expect(rejected.length).toBeGreaterThanOrEqual(120);

    const status = await get(port, `/callback?code=THE-REAL-CODE&state=${STATE}`);
    expect(status).toBe(200);
    await expect(waiting).resolves.toEqual({ kind: 'code', code: 'THE-REAL-CODE' });
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
  }, 60_000);

  it('a forged state never resolves the wait, even hundreds of times', async () => {
    const port = await freePort();
    server = await startCallbackServer({ redirectUri: `http://127.0.0.1:${port}/callback`, state: STATE });
    // The expectation is attached at once: on a slow machine the 300 requests outlast the wait.
    const waiting = expect(server.wait(2000)).rejects.toThrow('No answer from the browser');
    await Promise.all(Array.from({ length: 300 }, (_, i) => get(port, `/callback?code=C${i}&state=${i % 10}${STATE.slice(1)}`)));
    await waiting;
  });

  it('binds loopback only: not reachable on another address of the loopback range', async () => {
    const port = await freePort();
    server = await startCallbackServer({ redirectUri: `http://127.0.0.1:${port}/callback`, state: STATE });
    expect(server.addresses).toEqual([`127.0.0.1:${port}`]);
    const other = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.2', port });
      s.on('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    });
    expect(other).toBe('ECONNREFUSED');
  });

  it('closes every socket on close, even idle keep-alive ones', async () => {
    const port = await freePort();
    server = await startCallbackServer({ redirectUri: `http://127.0.0.1:${port}/callback`, state: STATE });
    const idle = connect({ host: '127.0.0.1', port });
    await new Promise((r) => idle.once('connect', r));
    const closed = new Promise((r) => idle.once('close', r));
    await server.close();
    await closed;
    server = undefined;
  });

  it('1,100 idle connections do not lock the real browser out (the oldest are dropped)', async () => {
    const port = await freePort();
    server = await startCallbackServer({ redirectUri: `http://127.0.0.1:${port}/callback`, state: STATE });
    const waiting = server.wait(20_000);
    for (let i = 0; i < 1100; i += 1) {
      const s = connect({ host: '127.0.0.1', port });
      s.on('error', () => undefined);
      open.push(s);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await get(port, `/callback?code=THE-REAL-CODE&state=${STATE}`)).toBe(200);
    await expect(waiting).resolves.toEqual({ kind: 'code', code: 'THE-REAL-CODE' });
  }, 30_000);

  it('a client sending a byte a second is cut off within seconds, not kept for half a minute', async () => {
    const port = await freePort();
    server = await startCallbackServer({ redirectUri: `http://127.0.0.1:${port}/callback`, state: STATE });
    const s = connect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    open.push(s);
    const request = `GET /callback?code=SLOW&state=${STATE} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`;
    let i = 0;
    const drip = setInterval(() => s.writable && s.write(request[i++ % request.length]!), 1000);
    const started = Date.now();
    await new Promise((r) => s.once('close', r));
    clearInterval(drip);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);

  it('a request whose Host is not this machine is refused, even with the right state (DNS rebinding)', async () => {
    const port = await freePort();
    const rejected: string[] = [];
    server = await startCallbackServer({ redirectUri: `http://localhost:${port}/callback`, state: STATE, onRejected: (r) => rejected.push(r) });
    const waiting = server.wait(3000);
    expect(await get(port, `/callback?code=REBOUND&state=${STATE}`, 'GET', { host: `evil.example:${port}` })).toBe(421);
    expect(rejected[0]).toContain('Host');
    await expect(waiting).rejects.toThrow('No answer from the browser');
  });

  it('200 junk requests while waiting print one warning and one summary, not 200 lines', async () => {
    const { runOAuthFlow } = await import('../../src/auth/oauth-flow.js');
    const { makeTestDeps } = await import('../helpers/test-deps.js');
    const port = await freePort();
    const deps = makeTestDeps();
    const client = { exchangeCode: async () => ({ ok: true as const, token: { access_token: 'x', scope: 'read:me' } }) };
    let state = '';
    const browser = {
      open: async (url: string) => {
        state = new URL(url).searchParams.get('state')!;
        // A web page in the browser fires junk at the listener, then the real redirect comes.
        await Promise.all(Array.from({ length: 200 }, (_, i) => get(port, `/callback?code=J${i}&state=junk-${i}`)));
        void get(port, `/callback?code=REAL&state=${encodeURIComponent(state)}`);
        return 'opened' as const;
      },
    };
    await runOAuthFlow(
      {
        endpoints: { auth: 'https://auth.atlassian.com', api: 'https://api.atlassian.com' },
        clientId: 'c',
        clientSecret: 's',
        redirectUri: `http://127.0.0.1:${port}/callback`,
        scopes: ['read:me'],
        timeoutMs: 10_000,
        openBrowser: true,
        interactive: false,
      },
      { io: deps.io, prompter: deps.prompter, browser, client: client as never, randomBytes: deps.randomBytes, signal: deps.signal },
    );
    const lines = deps.stderr.text.split('\n').filter((l) => /Ignored/.test(l));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Ignored 200 requests');
  }, 20_000);
});
