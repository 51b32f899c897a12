/** The loopback listener against real sockets. */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { request } from 'node:http';
import { startCallbackServer, parseRedirectUri, type RunningCallbackServer } from '../../src/auth/callback-server.js';
import { CancelledError, UsageError } from '../../src/errors.js';
import { freePort, hasIpv6Loopback } from '../helpers/ports.js';

const STATE = 'the-real-state';
let server: RunningCallbackServer | undefined;
let blockers: Server[] = [];

afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const b of blockers) b.close();
  blockers = [];
});

function get(host: string, port: number, path: string, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, method }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function start(host = 'localhost', onRejected?: (r: string) => void) {
  const port = await freePort();
  server = await startCallbackServer({ redirectUri: `http://${host}:${port}/callback`, state: STATE, ...(onRejected ? { onRejected } : {}) });
  return port;
}

describe('the loopback callback listener', () => {
  it('accepts the real callback and shows a success page', async () => {
    const port = await start();
    const waiting = server!.wait(5000);
    const res = await get('127.0.0.1', port, `/callback?code=C1&state=${STATE}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('Return to the terminal');
    expect(await waiting).toEqual({ kind: 'code', code: 'C1' });
  });

  it('a wrong state gets an error page and a warning, and it keeps waiting for the real one', async () => {
    const rejected: string[] = [];
    const port = await start('localhost', (r) => rejected.push(r));
    const waiting = server!.wait(5000);
    const forged = await get('127.0.0.1', port, '/callback?code=EVIL&state=forged');
    expect(forged.status).toBe(400);
    expect(rejected).toEqual(['the state does not match this sign-in']);
    await get('127.0.0.1', port, `/callback?code=GOOD&state=${STATE}`);
    expect(await waiting).toEqual({ kind: 'code', code: 'GOOD' });
  });

  it('answers 404 on any other path (e.g. /favicon.ico) and 405 on another method', async () => {
    const port = await start();
    expect((await get('127.0.0.1', port, '/favicon.ico')).status).toBe(404);
    expect((await get('127.0.0.1', port, `/callback/../callback?code=x&state=${STATE}`)).status).not.toBe(200);
    expect((await get('127.0.0.1', port, `/callback?code=x&state=${STATE}`, 'POST')).status).toBe(405);
  });

  it('reports error=access_denied', async () => {
    const port = await start();
    const waiting = server!.wait(5000);
    const res = await get('127.0.0.1', port, `/callback?error=access_denied&error_description=cancelled&state=${STATE}`);
    expect(res.body).toContain('You pressed Cancel');
    expect(await waiting).toEqual({ kind: 'error', error: 'access_denied', description: 'cancelled' });
  });

  it('times out with a hint about the Authorization tab', async () => {
    await start();
    await expect(server!.wait(100)).rejects.toThrow('No answer from the browser');
    await expect(server!.wait(100)).rejects.toMatchObject({ hint: expect.stringContaining('Authorization tab') });
  });

  it('stops waiting on abort', async () => {
    await start();
    const controller = new AbortController();
    const waiting = server!.wait(10_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(CancelledError);
  });

  it('ignores a second callback', async () => {
    const port = await start();
    const waiting = server!.wait(5000);
    await get('127.0.0.1', port, `/callback?code=FIRST&state=${STATE}`);
    const second = await get('127.0.0.1', port, `/callback?code=SECOND&state=${STATE}`).catch(() => ({ status: 0, body: '' }));
    expect(second.status).not.toBe(200);
    expect(await waiting).toEqual({ kind: 'code', code: 'FIRST' });
  });

  it('names the port and --redirect-uri when the port is taken', async () => {
    const port = await freePort();
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
    const error = await startCallbackServer({ redirectUri: `http://localhost:${port}/callback`, state: STATE }).then(
      () => new Error('started') as Error & { hint?: string },
      (e: unknown) => e as Error & { hint?: string },
    );
    expect(error.message).toContain(`Port ${port}`);
    expect(error.hint).toContain('--redirect-uri');
  });

  it('listens on IPv4 and IPv6 loopback for "localhost"', async () => {
    const port = await start('localhost');
    expect(server!.addresses).toContain(`127.0.0.1:${port}`);
    if (await hasIpv6Loopback()) {
      expect(server!.addresses).toContain(`[::1]:${port}`);
      const waiting = server!.wait(5000);
      await get('::1', port, `/callback?code=V6&state=${STATE}`);
      expect(await waiting).toEqual({ kind: 'code', code: 'V6' });
    }
  });

  it('binds only the named loopback address for 127.0.0.1', async () => {
    const port = await start('127.0.0.1');
    expect(server!.addresses).toEqual([`127.0.0.1:${port}`]);
  });

  it('accepts a pasted redirect URL as a fallback', async () => {
    await start();
    const waiting = server!.wait(5000);
    expect(server!.offer(`http://localhost:1/callback?code=PASTED&state=${STATE}`)).toEqual({ kind: 'code', code: 'PASTED' });
    expect(await waiting).toEqual({ kind: 'code', code: 'PASTED' });
  });
});

describe('parseRedirectUri', () => {
  it.each([
    ['https://localhost:8976/callback', 'http'],
    ['http://example.com:8976/callback', 'this machine'],
    ['http://localhost/callback', 'explicit port'],
    ['not a url', 'valid URL'],
  ])('%s is refused', (uri, words) => {
    expect(() => parseRedirectUri(uri)).toThrow(UsageError);
    expect(() => parseRedirectUri(uri)).toThrow(words);
  });
});
