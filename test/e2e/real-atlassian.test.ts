/**
 * The built CLI against a sandbox set to behave as real Atlassian does (atlassian.md, "What real
 * Atlassian does that a kind emulator hides"): three origins, an error page with no callback when
 * the app lacks a permission, exact callback URLs, the token endpoint checking redirect_uri first,
 * an unknown site.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { APP_SCOPES } from '../../src/atlassian/scopes.js';
import { runCli } from '../helpers/cli.js';
import { PtySession } from '../helpers/pty.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/test-deps.js';
import { localCallback, startTestSandbox, TEST_KENDIS_CALLBACKS } from '../helpers/sandbox-profile.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => sandbox?.close());
beforeEach(() => {
  sandbox.options.appScopes = APP_SCOPES.map((s) => s.scope);
  sandbox.options.unknownSite = false;
});

function env(home: string): Record<string, string> {
  // No keychain here: --insecure-storage keeps the (fake) secrets in the 0600 file.
  return {
    PATH: process.env.PATH!,
    HOME: home,
    TERM: 'xterm-256color',
    KENDIS_JIRA_CONFIG_DIR: join(home, 'cfg'),
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${home}/no-bus`,
    KENDIS_JIRA_AUTH_URL: sandbox.authUrl,
    KENDIS_JIRA_API_URL: sandbox.apiUrl,
  };
}

describe('real Atlassian’s behaviour, through the built CLI', () => {
  it('the sandbox has three distinct origins, each serving only its own paths', async () => {
    expect(new Set([sandbox.url, sandbox.authUrl, sandbox.apiUrl]).size).toBe(3);
    expect((await fetch(`${sandbox.authUrl}/_edge/tenant_info`)).status).toBe(404);
    expect((await fetch(`${sandbox.url}/oauth/token`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${sandbox.apiUrl}/authorize`)).status).toBe(404);
    expect((await fetch(`${sandbox.url}/_edge/tenant_info`)).status).toBe(200);
  });

  it('an unknown site exits 2 naming it, before any secret is asked for or stored', async () => {
    sandbox.options.unknownSite = true;
    const before = sandbox.requests.length;
    const home = tempDir('kj-real-');
    const r = await runCli(
      [
        'setup',
        '--non-interactive',
        '--insecure-storage',
        '--site',
        sandbox.url,
        '--email',
        SANDBOX.email,
        '--callback-url',
        SANDBOX.kendisCallbackUrl,
        '--client-id',
        SANDBOX.clientId,
        '--skip-oauth',
      ],
      {
        env: { ...env(home), KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken },
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${sandbox.url} is probably not a Jira Cloud site`);
    expect(r.stderr).not.toContain('Step 1 of 8');
    expect(existsSync(join(home, 'cfg', 'secrets.json'))).toBe(false);
    const config = join(home, 'cfg', 'config.json');
    if (existsSync(config)) expect(JSON.parse(readFileSync(config, 'utf8')).profiles).toEqual({});
    expect(sandbox.requests.slice(before).map((q) => `${q.origin} ${q.path}`)).toEqual(['site /_edge/tenant_info']);
  });

  it('a permission missing from the app: a non-interactive `setup --oauth-timeout 8` ends soon after the timeout, naming both causes', async () => {
    sandbox.options.appScopes = APP_SCOPES.map((s) => s.scope).filter((s) => s !== 'read:sprint:jira-software');
    const home = tempDir('kj-real-');
    const port = await freePort();
    const started = Date.now();
    const r = await runCli(
      [
        'setup',
        '--non-interactive',
        '--insecure-storage',
        '--no-browser',
        '--site',
        sandbox.url,
        '--email',
        SANDBOX.email,
        '--callback-url',
        SANDBOX.kendisCallbackUrl,
        '--client-id',
        SANDBOX.clientId,
        '--token-expires',
        '2027-08-01',
        '--redirect-uri',
        localCallback(sandbox, port),
        '--oauth-timeout',
        '8',
      ],
      { env: { ...env(home), KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret, KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken }, timeoutMs: 30_000 },
    );
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(1);
    expect(seconds).toBeGreaterThanOrEqual(8);
    expect(seconds).toBeLessThan(14);
    expect(r.stderr).toContain('No answer from the browser within 8 s');
    expect(r.stderr).toContain('requested scopes that have not been added');
    expect(r.stderr).toContain('"View sprints"');
    expect(r.stderr).toContain('redirect_uri');
    expect(r.stderr).toMatch(/Step 4: .*exactly http:\/\/localhost:\d+\/callback/);
  }, 40_000);

  it('a permission missing from the app: in a terminal the user ends the wait at once and gets the fix', async () => {
    sandbox.options.appScopes = APP_SCOPES.map((s) => s.scope).filter((s) => s !== 'write:epic:jira-software');
    const home = tempDir('kj-real-');
    const port = await freePort();
    const session = new PtySession(
      ['setup', '--insecure-storage', '--no-browser', '--redirect-uri', localCallback(sandbox, port), '--oauth-timeout', '300'],
      env(home),
    );
    try {
      await session.answer('What are you setting up?', '\r'); // the organisation's ALM account
      await session.answer('Your Jira Cloud site', `${sandbox.url}\r`);
      await session.answer('Your Atlassian account e-mail', `${SANDBOX.email}\r`);
      await session.answer('Paste the new app', '\r');
      await session.answer('Have you added all three APIs?', 'y\r');
      await session.answer('Have you saved all six permissions?', '\r');
      await session.answer('Paste Kendis’ callback URL', `${TEST_KENDIS_CALLBACKS[0]}\r`);
      await session.answer('Client ID:', `${SANDBOX.clientId}\r`);
      await session.answer('Client Secret (hidden', `${SANDBOX.clientSecret}\r`);
      const asked = Date.now();
      await session.answer('If it shows an error page, type its number', '1\r');
      await session.waitFor('Steps 2–3', 10_000);
      expect(Date.now() - asked).toBeLessThan(10_000);
      await session.answer('What now?', '\u001b[B\r'); // "Stop here"
      expect(await session.exit()).toBe(0);
    } finally {
      session.kill();
    }
    expect(session.text).toContain('"Update epics"');
    expect(session.text).toContain('Paused');
  }, 60_000);
});
