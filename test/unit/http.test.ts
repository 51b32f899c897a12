/** The HTTP client and Atlassian client against undici's MockAgent: every error path. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { createHttpClient, NetworkError, proxySettings, redactUrl, requestIdOf, retryDelayMs } from '../../src/atlassian/http.js';
import { NoProofError, AtlassianClient, UnknownSiteError, isScopeMismatch } from '../../src/atlassian/client.js';
import { probeVerdict } from '../../src/checks/verdicts.js';
import { PROBES } from '../../src/atlassian/probes.js';

const probe = (scope: string) => PROBES.find((p) => p.scope === scope)!;

const API = 'https://api.atlassian.com';
const SITE = 'https://acme.atlassian.net';
const endpoints = { auth: 'https://auth.atlassian.com', api: API };
let agent: MockAgent;
let slept: number[];
let log: string[];

function client(extra: Partial<Parameters<typeof createHttpClient>[0]> = {}) {
  return createHttpClient({ env: {}, dispatcher: agent, sleep: async (ms) => void slept.push(ms), log: (l) => log.push(l), ...extra });
}

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  slept = [];
  log = [];
});

afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

describe('gateway answers', () => {
  it('tells a missing scope (401 + X-Failure-Category) from bad credentials (401)', async () => {
    const pool = agent.get(API);
    pool
      .intercept({ path: '/ex/jira/c1/rest/agile/1.0/sprint/0', method: 'GET' })
      .reply(401, { code: 401, message: 'Unauthorized; scope does not match' }, { headers: { 'x-failure-category': 'FAILURE_CLIENT_SCOPE_CHECK' } });
    pool
      .intercept({ path: '/ex/jira/c1/rest/agile/1.0/sprint/0', method: 'GET' })
      .reply(401, { code: 401, message: 'Client must be authenticated to access this resource.' });
    const c = new AtlassianClient(client(), endpoints);
    const auth = { kind: 'basic' as const, email: 'a@b.c', token: 't' };
    const first = await c.gateway('c1', auth, { method: 'GET', path: '/rest/agile/1.0/sprint/0' });
    const second = await c.gateway('c1', auth, { method: 'GET', path: '/rest/agile/1.0/sprint/0' });
    expect(isScopeMismatch(first)).toBe(true);
    expect(isScopeMismatch(second)).toBe(false);
    expect(probeVerdict(first, probe('read:sprint:jira-software')).status).toBe('fail');
    expect(probeVerdict(second, probe('read:sprint:jira-software'))).toMatchObject({
      status: 'skip',
      detail: expect.stringContaining('see the api-token check'),
    });
  });

  it('recognises the scope message without the header', async () => {
    agent
      .get(API)
      .intercept({ path: '/ex/jira/c1/rest/api/3/myself', method: 'GET' })
      .reply(401, '{"code":401,"message":"Unauthorized; scope does not match"}');
    const res = await new AtlassianClient(client(), endpoints).myself('c1', { kind: 'basic', email: 'a@b.c', token: 't' });
    expect(isScopeMismatch(res)).toBe(true);
  });

  it('sends Basic e-mail:token to the gateway, never to the site', async () => {
    agent
      .get(API)
      .intercept({ path: '/ex/jira/c1/rest/api/3/myself', method: 'GET', headers: { authorization: `Basic ${Buffer.from('a@b.c:tok').toString('base64')}` } })
      .reply(200, { accountId: 'x', emailAddress: 'a@b.c' });
    const res = await new AtlassianClient(client(), endpoints).myself('c1', { kind: 'basic', email: 'a@b.c', token: 'tok' });
    expect(res.status).toBe(200);
  });

  it.each([403, 404])('passes %i through for the verdicts', async (status) => {
    agent
      .get(API)
      .intercept({ path: '/ex/jira/c1/rest/agile/1.0/epic/0', method: 'GET' })
      .reply(status, { errorMessages: ['x'] });
    const res = await new AtlassianClient(client(), endpoints).gateway('c1', { kind: 'bearer', token: 't' }, { method: 'GET', path: '/rest/agile/1.0/epic/0' });
    expect(res.status).toBe(status);
    expect(probeVerdict(res, probe('read:epic:jira-software')).status).toBe('pass');
  });
});

describe('rate limits', () => {
  it('retries a 429 after Retry-After seconds, then succeeds', async () => {
    const pool = agent.get(API);
    pool.intercept({ path: '/me', method: 'GET' }).reply(429, 'slow down', { headers: { 'retry-after': '2' } });
    pool.intercept({ path: '/me', method: 'GET' }).reply(200, { account_id: 'x' });
    const res = await client().request({ method: 'GET', url: `${API}/me` });
    expect(res.status).toBe(200);
    expect(slept).toEqual([2000]);
  });

  it('retries a 503 that carries Retry-After, and honours X-RateLimit-Reset', async () => {
    const pool = agent.get(API);
    const reset = new Date(Date.now() + 1500).toISOString();
    pool.intercept({ path: '/me', method: 'GET' }).reply(503, '', { headers: { 'retry-after': '1' } });
    pool.intercept({ path: '/me', method: 'GET' }).reply(429, '', { headers: { 'x-ratelimit-reset': reset } });
    pool.intercept({ path: '/me', method: 'GET' }).reply(200, '{}');
    const res = await client().request({ method: 'GET', url: `${API}/me` });
    expect(res.status).toBe(200);
    expect(slept[0]).toBe(1000);
    expect(slept[1]).toBeGreaterThan(500);
    expect(slept[1]).toBeLessThanOrEqual(1500);
  });

  it('gives up after a bounded number of retries and returns the 429', async () => {
    agent
      .get(API)
      .intercept({ path: '/me', method: 'GET' })
      .reply(429, '', { headers: { 'retry-after': '0' } })
      .times(4);
    const res = await client({ maxRetries: 3 }).request({ method: 'GET', url: `${API}/me` });
    expect(res.status).toBe(429);
    expect(slept).toHaveLength(3);
  });

  it('does not wait longer than the budget', async () => {
    agent
      .get(API)
      .intercept({ path: '/me', method: 'GET' })
      .reply(429, '', { headers: { 'retry-after': '3600' } });
    const res = await client().request({ method: 'GET', url: `${API}/me` });
    expect(res.status).toBe(429);
    expect(slept).toEqual([]);
  });

  it('does not retry a plain 503', async () => {
    agent.get(API).intercept({ path: '/me', method: 'GET' }).reply(503, 'down');
    expect((await client().request({ method: 'GET', url: `${API}/me` })).status).toBe(503);
  });

  it('computes delays from both headers', () => {
    expect(retryDelayMs({ 'retry-after': '3' }, 0, 0)).toBe(3000);
    expect(retryDelayMs({ 'retry-after': new Date(10_000).toUTCString() }, 0, 0)).toBe(10_000);
    expect(retryDelayMs({ 'x-ratelimit-reset': new Date(5000).toISOString() }, 0, 0)).toBe(5000);
    expect(retryDelayMs({}, 2, 0)).toBeGreaterThanOrEqual(1000);
  });
});

describe('network failures, told in a sentence', () => {
  it('a timeout', async () => {
    agent.get(API).intercept({ path: '/me', method: 'GET' }).reply(200, '{}').delay(500);
    const error = await client({ timeoutMs: 50 })
      .request({ method: 'GET', url: `${API}/me` })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).failure).toBe('timeout');
    expect((error as Error).message).toContain('did not answer');
  });

  it('a DNS failure', async () => {
    agent
      .get(API)
      .intercept({ path: '/me', method: 'GET' })
      .replyWithError(Object.assign(new Error('getaddrinfo ENOTFOUND api.atlassian.com'), { code: 'ENOTFOUND' }));
    const error = (await client()
      .request({ method: 'GET', url: `${API}/me` })
      .catch((e: unknown) => e)) as NetworkError;
    expect(error.failure).toBe('dns');
    expect(error.message).toBe('Could not find api.atlassian.com (DNS lookup failed).');
    expect(error.hint).toContain('network');
  });

  it('a refused connection and a reset', async () => {
    const pool = agent.get(API);
    pool.intercept({ path: '/a', method: 'GET' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    pool.intercept({ path: '/b', method: 'GET' }).replyWithError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    const a = (await client()
      .request({ method: 'GET', url: `${API}/a` })
      .catch((e: unknown) => e)) as NetworkError;
    const b = (await client()
      .request({ method: 'GET', url: `${API}/b` })
      .catch((e: unknown) => e)) as NetworkError;
    expect(a.failure).toBe('refused');
    expect(b.failure).toBe('reset');
  });

  it('a TLS problem points at NODE_EXTRA_CA_CERTS', async () => {
    agent
      .get(API)
      .intercept({ path: '/me', method: 'GET' })
      .replyWithError(Object.assign(new Error('self signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }));
    const e = (await client()
      .request({ method: 'GET', url: `${API}/me` })
      .catch((x: unknown) => x)) as NetworkError;
    expect(e.failure).toBe('tls');
    expect(e.hint).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('invalid JSON from tenant_info is a clear error, not a crash', async () => {
    agent.get(SITE).intercept({ path: '/_edge/tenant_info', method: 'GET' }).reply(200, '<html>login</html>');
    await expect(new AtlassianClient(client(), endpoints).tenantInfo(SITE)).rejects.toThrow(
      'Something other than Atlassian answered (200 from acme.atlassian.net, an HTML page',
    );
  });

  it('a 404 from tenant_info says there is probably no site there, with what came back and the other cause', async () => {
    agent.get(SITE).intercept({ path: '/_edge/tenant_info', method: 'GET' }).reply(404, 'nope');
    const e = (await new AtlassianClient(client(), endpoints).tenantInfo(SITE).catch((x: unknown) => x)) as UnknownSiteError;
    expect(e).toBeInstanceOf(UnknownSiteError);
    expect(e.message).toBe(
      'https://acme.atlassian.net is probably not a Jira Cloud site: instead of a cloud id it answered 404 from acme.atlassian.net, not JSON.',
    );
    expect(e.hint).toContain('a proxy');
  });

  it('tenant_info: a 200 without a UUID cloud id, a 5xx or a redirect elsewhere proves nothing (NoProofError)', async () => {
    const pool = agent.get(SITE);
    pool.intercept({ path: '/_edge/tenant_info', method: 'GET' }).reply(200, { cloudId: 'not-a-uuid' });
    pool.intercept({ path: '/_edge/tenant_info', method: 'GET' }).reply(200, { status: 'blocked' });
    pool.intercept({ path: '/_edge/tenant_info', method: 'GET' }).reply(502, { cloudId: '0b5c2f4e-5a1d-4c1e-9f0a-000000000001' });
    pool.intercept({ path: '/_edge/tenant_info', method: 'GET' }).reply(302, '', { headers: { location: 'https://login.example.com/' } });
    const c = new AtlassianClient(client(), endpoints);
    for (let i = 0; i < 4; i += 1) await expect(c.tenantInfo(SITE)).rejects.toBeInstanceOf(NoProofError);
  });

  it('tenant_info: a redirect to Atlassian (its sign-up page) is probably no site', async () => {
    agent
      .get(SITE)
      .intercept({ path: '/_edge/tenant_info', method: 'GET' })
      .reply(302, '', { headers: { location: 'https://www.atlassian.com/try' } });
    await expect(new AtlassianClient(client(), endpoints).tenantInfo(SITE)).rejects.toBeInstanceOf(UnknownSiteError);
  });

  it('a token endpoint answer that is no OAuth error document proves nothing: NoProofError naming status and host', async () => {
    agent.get('https://auth.atlassian.com').intercept({ path: '/oauth/token', method: 'POST' }).reply(500, 'oops');
    const r = new AtlassianClient(client(), endpoints).exchangeCode({ clientId: 'c', clientSecret: 's', code: 'x', redirectUri: 'http://localhost:1/cb' });
    await expect(r).rejects.toBeInstanceOf(NoProofError);
    await expect(r).rejects.toThrow('500 from auth.atlassian.com, not JSON');
  });
});

describe('the debug log is redacted', () => {
  it('never shows a code, a state, a token or the Authorization header', async () => {
    agent
      .get('https://auth.atlassian.com')
      .intercept({ path: (p) => p.startsWith('/x'), method: 'GET' })
      .reply(200, '{}');
    await client().request({
      method: 'GET',
      url: 'https://auth.atlassian.com/x?code=SECRETCODE&state=S1&ok=1',
      headers: { authorization: 'Basic SECRETAUTH' },
    });
    const text = log.join('\n');
    expect(text).not.toContain('SECRETCODE');
    expect(text).not.toContain('SECRETAUTH');
    expect(text).not.toContain('S1');
    expect(text).toContain('ok=1');
    expect(redactUrl('https://u:p@h/x?client_secret=zz')).not.toMatch(/zz|:p@/);
  });
});

describe('proxy', () => {
  it('reads HTTPS_PROXY/NO_PROXY and always bypasses loopback', () => {
    expect(proxySettings({})).toBeUndefined();
    const p = proxySettings({ HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'corp.example' })!;
    expect(p.httpsProxy).toBe('http://proxy:3128');
    expect(p.noProxy.split(',')).toEqual(expect.arrayContaining(['corp.example', 'localhost', '127.0.0.1', '::1']));
  });

  it('sends requests through the proxy named by HTTP_PROXY', async () => {
    const seen: string[] = [];
    // The proxy answers itself (nothing leaves this machine): plain requests directly, CONNECT
    // tunnels by handing the socket to an inner HTTP server playing the destination.
    const destination = createServer((req, res) => {
      seen.push(`${req.method} ${req.headers.host}${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"cloudId":"0b5c2f4e-5a1d-4c1e-9f0a-000000000001"}');
    });
    const proxy = createServer((req, res) => destination.emit('request', req, res));
    proxy.on('connect', (req, socket) => {
      seen.push(`CONNECT ${req.url}`);
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      destination.emit('connection', socket);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as { port: number }).port;
    try {
      const http = createHttpClient({ env: { HTTP_PROXY: `http://127.0.0.1:${port}` } });
      expect(http.usesProxy).toBe(true);
      const cloudId = await new AtlassianClient(http, endpoints).tenantInfo('http://acme.atlassian.invalid');
      expect(cloudId).toBe('0b5c2f4e-5a1d-4c1e-9f0a-000000000001');
      expect(seen.join(' ')).toContain('acme.atlassian.invalid');
      expect(seen.at(-1)).toMatch(/_edge\/tenant_info$/);
    } finally {
      proxy.close();
    }
  });

  it('a proxy that refuses is named in the error', async () => {
    const http = createHttpClient({ env: { HTTP_PROXY: 'http://127.0.0.1:9' } });
    const e = (await http.request({ method: 'GET', url: 'http://acme.atlassian.invalid/x' }).catch((x: unknown) => x)) as NetworkError;
    expect(e).toBeInstanceOf(NetworkError);
    expect(`${e.message} ${e.hint}`).toMatch(/proxy/i);
  });
});

describe('every request ends', () => {
  it('a proxy that reads CONNECT and hangs up: the request fails within its deadline, after a bounded number of connections, naming the proxy', async () => {
    // How firewalls and DLP proxies drop blocked hosts. Plain undici reconnects to such a proxy in a
    // tight loop that neither its timeouts nor an AbortSignal stop, resending Proxy-Authorization.
    let connections = 0;
    let credentialsSent = 0;
    const proxy = createNetServer((socket) => {
      connections += 1;
      socket.on('error', () => undefined);
      socket.once('data', (data) => {
        if (/proxy-authorization/i.test(data.toString('latin1'))) credentialsSent += 1;
        socket.destroy();
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as { port: number }).port;
    try {
      const http = createHttpClient({ env: { HTTPS_PROXY: `http://user:secret@127.0.0.1:${port}` }, timeoutMs: 3000 });
      const started = Date.now();
      const outcomes = await Promise.allSettled(
        [1, 2, 3].map(() => http.request({ method: 'GET', url: 'https://api.atlassian.com/ex/jira/c1/rest/api/3/myself' })),
      );
      expect(Date.now() - started).toBeLessThan(4500);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        const e = (outcome as PromiseRejectedResult).reason as NetworkError;
        expect(e).toBeInstanceOf(NetworkError);
        expect(e.failure).toBe('proxy');
        expect(e.message).toMatch(/^The proxy closed the connection 3 times instead of opening a tunnel to api\.atlassian\.com\.$/);
      }
      const settled = connections;
      await new Promise((r) => setTimeout(r, 300));
      expect(connections).toBe(settled);
      expect(connections).toBeLessThanOrEqual(9);
      expect(credentialsSent).toBeLessThanOrEqual(9);
    } finally {
      proxy.close();
    }
  });

  it('a server that accepts and never answers: the request ends at its deadline', async () => {
    const silent = createNetServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const http = createHttpClient({ env: {}, timeoutMs: 400 });
      const e = (await http.request({ method: 'GET', url: `http://127.0.0.1:${port}/x` }).catch((x: unknown) => x)) as NetworkError;
      expect(e).toBeInstanceOf(NetworkError);
      expect(e.failure).toBe('timeout');
    } finally {
      silent.close();
    }
  });

  it('the request id Atlassian support asks for is in the --debug log', async () => {
    agent
      .get(API)
      .intercept({ path: '/x', method: 'GET' })
      .reply(500, 'oops', { headers: { 'x-arequestid': 'abc-123', 'content-type': 'text/plain' } });
    await client().request({ method: 'GET', url: `${API}/x` });
    expect(log.join('\n')).toMatch(/← 500 GET https:\/\/api\.atlassian\.com\/x \(\d+ ms, request id abc-123\)/);
  });

  it('a request id with escapes or spaces is not shown', () => {
    expect(requestIdOf({ 'x-arequestid': 'ok-1' })).toBe('ok-1');
    expect(requestIdOf({ 'atl-traceid': '9f0a1b' })).toBe('9f0a1b');
    expect(requestIdOf({ 'x-arequestid': 'a-1', 'atl-traceid': 'b-2' })).toBe('a-1');
    expect(requestIdOf({ 'x-arequestid': '\u001b[2Jbad' })).toBeUndefined();
    expect(requestIdOf({ 'x-arequestid': 'two words' })).toBeUndefined();
    expect(requestIdOf({})).toBeUndefined();
  });
});
