/**
 * The built CLI behind a TLS-inspecting corporate proxy (CONNECT + Basic proxy auth, its own CA in
 * NODE_EXTRA_CA_CERTS), against Atlassian's real host names relayed to the sandbox on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createServer as createNetServer } from 'node:net';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { makeCertificates, startTlsProxy, type RunningProxy } from '../helpers/tls-proxy.js';
import { tempDir } from '../helpers/test-deps.js';
import { needs } from '../helpers/real-parts.js';
import { startTestSandbox, scriptedSetup } from '../helpers/sandbox-profile.js';

const keyringEnv = inject('keyringEnv');
const PASSWORD = 'pr0xyPassw0rdCanary';
const SITE = 'acme.atlassian.net';
const parts = needs('keyring', 'openssl');
let sandbox: RunningSandbox;
let proxy: RunningProxy;
let caPath: string;

beforeAll(async () => {
  if (parts.skip) return;
  sandbox = await startTestSandbox({ audience: 'api.atlassian.com' });
  const certs = makeCertificates(['auth.atlassian.com', 'api.atlassian.com', SITE]);
  caPath = certs.caPath;
  proxy = await startTlsProxy({
    user: 'corp.user',
    password: PASSWORD,
    certs,
    routes: { 'auth.atlassian.com': sandbox.authUrl, 'api.atlassian.com': sandbox.apiUrl, [SITE]: sandbox.url },
  });
});
afterAll(async () => {
  await proxy?.close();
  await sandbox?.close();
});

describe.skipIf(parts.skip)(`behind a TLS-inspecting proxy with a user and password${parts.note}`, () => {
  it('setup and test-connection succeed, every request goes through the proxy, and the password is printed nowhere', async () => {
    const home = tempDir('kj-proxy-home-');
    const profile = `proxy${process.pid}`;
    // Atlassian's defaults: no endpoint override, so the CLI talks to auth.atlassian.com and api.atlassian.com.
    const env = { HOME: home, KENDIS_JIRA_CONFIG_DIR: home, ...keyringEnv!, HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caPath };
    const setup = await runCli([...scriptedSetup(`https://${SITE}`, profile)], {
      env: { ...env, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken },
      timeoutMs: 60_000,
    });
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stderr).toMatch(/Using the proxy http:\/\/corp\.user:\*\*\*@127\.0\.0\.1:\d+/);
    const test = await runCli(['test-connection', '--profile', profile, '--json', '--debug'], { env, timeoutMs: 60_000 });
    expect(test.code, test.stderr).toBe(0);
    expect(JSON.parse(test.stdout).ok).toBe(true);

    for (const out of [setup.stdout, setup.stderr, test.stdout, test.stderr]) expect(out).not.toContain(PASSWORD);
    // Each of the three Atlassian hosts was reached, and only through an authorized CONNECT.
    expect(new Set(proxy.connects.map((c) => c.target))).toEqual(new Set(['auth.atlassian.com:443', 'api.atlassian.com:443', `${SITE}:443`]));
    expect(proxy.connects.every((c) => c.authorized)).toBe(true);
    // Every request the sandbox saw was relayed by the proxy: nothing bypassed it.
    expect(proxy.relayed.length).toBe(sandbox.requests.length);
    expect(proxy.relayed.some((r) => r.startsWith(`${SITE} GET /_edge/tenant_info`))).toBe(true);
    expect(proxy.relayed.some((r) => r.startsWith('auth.atlassian.com POST /oauth/token'))).toBe(true);
    expect(proxy.relayed.filter((r) => r.startsWith('api.atlassian.com GET /ex/jira/')).length).toBeGreaterThan(10);
  });

  it('a wrong proxy password is one clear sentence, exit 1', async () => {
    const home = tempDir('kj-proxy-home-');
    const bad = proxy.url.replace(PASSWORD, 'wrong-password');
    const r = await runCli(
      [
        'setup',
        '--profile',
        'p407',
        '--site',
        `https://${SITE}`,
        '--email',
        SANDBOX.email,
        '--callback-url',
        SANDBOX.kendisCallbackUrl,
        '--client-id',
        SANDBOX.clientId,
        '--skip-oauth',
      ],
      {
        env: {
          HOME: home,
          KENDIS_JIRA_CONFIG_DIR: home,
          ...keyringEnv!,
          HTTPS_PROXY: bad,
          NODE_EXTRA_CA_CERTS: caPath,
          KENDIS_JIRA_CLIENT_SECRET: 'x'.repeat(20),
          KENDIS_JIRA_API_TOKEN: 'y'.repeat(30),
        },
      },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/The proxy refused its credentials \(407 Proxy Authentication Required\)/);
    expect(r.stderr).not.toContain('wrong-password');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a proxy that reads CONNECT and hangs up (a firewall dropping a host): test-connection ends in seconds, after a few connections, naming the proxy', async () => {
    const home = tempDir('kj-proxy-home-');
    const profile = `drop${process.pid}`;
    const env = { HOME: home, KENDIS_JIRA_CONFIG_DIR: home, ...keyringEnv!, NODE_EXTRA_CA_CERTS: caPath };
    const setup = await runCli([...scriptedSetup(`https://${SITE}`, profile)], {
      env: { ...env, HTTPS_PROXY: proxy.url, KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken },
      timeoutMs: 60_000,
    });
    expect(setup.code, setup.stderr).toBe(0);
    let connections = 0;
    let credentialsSent = 0;
    const dropping = createNetServer((socket) => {
      connections += 1;
      socket.on('error', () => undefined);
      socket.once('data', (data) => {
        if (/proxy-authorization/i.test(data.toString('latin1'))) credentialsSent += 1;
        socket.destroy();
      });
    });
    await new Promise<void>((r) => dropping.listen(0, '127.0.0.1', () => r()));
    try {
      const url = `http://corp.user:${PASSWORD}@127.0.0.1:${(dropping.address() as { port: number }).port}`;
      const started = Date.now();
      const r = await runCli(['test-connection', '--profile', profile], { env: { ...env, HTTPS_PROXY: url }, timeoutMs: 30_000 });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(r.code).toBe(1);
      expect(`${r.stdout}${r.stderr}`).toMatch(/The proxy closed the connection 3 times instead of opening a tunnel to (auth|api)\.atlassian\.com/);
      for (const out of [r.stdout, r.stderr]) expect(out).not.toContain(PASSWORD);
      // Three hosts, three attempts each (a few more may be in flight at once): never a loop.
      expect(connections).toBeLessThanOrEqual(15);
      expect(credentialsSent).toBeLessThanOrEqual(15);
    } finally {
      dropping.close();
    }
  });
});
