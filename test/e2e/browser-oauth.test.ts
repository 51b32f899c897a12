/**
 * Headless Chromium (via BROWSER) follows the sandbox's authorize redirect to the real binary's
 * loopback listener, and the code is exchanged (issue 3 acceptance).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { freePort } from '../helpers/ports.js';
import { headlessBrowserScript } from '../helpers/browser.js';
import { needs } from '../helpers/real-parts.js';
import { startTestSandbox, localCallback } from '../helpers/sandbox-profile.js';

const chromium = inject('chromium');
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({ autoApprove: true });
});
afterAll(async () => sandbox?.close());

const parts = needs('chromium');
describe.skipIf(parts.skip)(`the OAuth round trip in a real browser${parts.note}`, () => {
  it('setup --non-interactive: Chromium brings the code back and the exchange succeeds', async () => {
    const browser = headlessBrowserScript(chromium!);
    const port = await freePort();
    const dir = tempDir();
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
        'https://app.kendis.io/jira/callback',
        '--client-id',
        SANDBOX.clientId,
        '--token-expires',
        '2027-09-01',
        '--redirect-uri',
        localCallback(sandbox, port),
        '--oauth-timeout',
        '60',
      ],
      {
        env: {
          KENDIS_JIRA_CONFIG_DIR: dir,
          KENDIS_JIRA_AUTH_URL: sandbox.authUrl,
          KENDIS_JIRA_API_URL: sandbox.apiUrl,
          KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret,
          KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken,
          BROWSER: browser.path,
          DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/no-bus`,
        },
        timeoutMs: 90_000,
      },
    );
    expect(r.stderr).toContain('The 3 APIs and 6 Jira permissions were granted');
    expect(r.code).toBe(0);
    expect(readFileSync(browser.log, 'utf8')).toContain(`${sandbox.authUrl}/authorize?`);
    const exchanged = sandbox.requests.filter((q) => q.path === '/oauth/token' && q.status === 200);
    expect(exchanged).toHaveLength(1);
    const callbackHit = sandbox.requests.find((q) => q.path === '/authorize');
    expect(callbackHit?.status).toBe(302);
  }, 120_000);
});
