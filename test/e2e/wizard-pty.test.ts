/**
 * The real binary in a pseudo-terminal, typed through all eight steps against the sandbox, with
 * headless Chromium as the browser and the real Secret Service (issue 4 acceptance).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { TEST_KEYCHAIN_SERVICE } from '../helpers/test-keychain.js';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { PtySession } from '../helpers/pty.js';
import { headlessBrowserScript } from '../helpers/browser.js';
import { tempDir } from '../helpers/test-deps.js';
import { freePort } from '../helpers/ports.js';
import { needs } from '../helpers/real-parts.js';
import { startTestSandbox, localCallback } from '../helpers/sandbox-profile.js';

const chromium = inject('chromium');
const keyringEnv = inject('keyringEnv');
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({ autoApprove: true });
});
afterAll(async () => sandbox?.close());

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    if (info.isDirectory()) out.push(...filesUnder(path));
    else if (info.isFile() && info.size < 5_000_000) out.push(path);
  }
  return out;
}

const parts = needs('chromium', 'keyring');
describe.skipIf(parts.skip)(`setup in a real terminal${parts.note}`, () => {
  it('typing through all eight steps ends with exit 0, both secrets in the keychain and none in any file', async () => {
    const home = tempDir('kj-home-');
    const config = join(home, '.config', 'kendis-jira');
    const port = await freePort();
    const browser = headlessBrowserScript(chromium!);
    const profile = `pty${process.pid}`;
    const env: Record<string, string> = {
      PATH: process.env.PATH!,
      HOME: home,
      TERM: 'xterm-256color',
      ...keyringEnv!,
      BROWSER: browser.path,
      KENDIS_JIRA_AUTH_URL: sandbox.authUrl,
      KENDIS_JIRA_API_URL: sandbox.apiUrl,
    };
    const session = new PtySession(['setup', '--profile', profile, '--redirect-uri', localCallback(sandbox, port), '--oauth-timeout', '60'], env);
    try {
      await session.answer('What are you setting up?', '\r'); // the organisation's ALM account
      await session.answer('Your Jira Cloud site', `${sandbox.url}\r`);
      await session.answer('Your Atlassian account e-mail', `${SANDBOX.email}\r`);
      await session.answer('Paste the new app', `https://developer.atlassian.com/console/myapps/${SANDBOX.appId}/overview\r`);
      await session.answer('Have you added all three APIs?', 'y\r');
      await session.answer('Have you saved all six permissions?', '\r');
      await session.answer('Paste Kendis’ callback URL', 'https://app.kendis.io/jira/callback\r');
      await session.answer('Client ID:', `${SANDBOX.clientId}\r`);
      await session.answer('Client Secret (hidden', `${SANDBOX.clientSecret}\r`);
      await session.waitFor('The 3 APIs and 6 Jira permissions were granted', 60_000);
      await session.answer('API token (hidden', `${SANDBOX.apiToken}\r`);
      await session.answer('The expiry date you picked', '\r');
      await session.answer('Optional: the Jira project keys', 'ken\r');
      await session.answer('Copy or show a secret to paste it into Kendis?', '\r');
      expect(await session.exit()).toBe(0);
    } finally {
      session.kill();
    }
    const screen = session.text;
    for (let n = 1; n <= 8; n += 1) expect(screen).toContain(`Step ${n} of 8`);
    expect(screen).not.toContain(SANDBOX.clientSecret);
    expect(screen).not.toContain(SANDBOX.apiToken);

    const lookup = (account: string) =>
      spawnSync('secret-tool', ['lookup', 'service', TEST_KEYCHAIN_SERVICE, 'username', account], { env: { ...process.env, ...keyringEnv! }, encoding: 'utf8' })
        .stdout;
    expect(lookup(`${profile}:client-secret`)).toBe(SANDBOX.clientSecret);
    expect(lookup(`${profile}:api-token`)).toBe(SANDBOX.apiToken);
    expect(lookup(`${profile}:setup:api-token`)).toBe('');

    for (const file of filesUnder(home)) {
      const text = readFileSync(file, 'latin1');
      expect(text.includes(SANDBOX.clientSecret), file).toBe(false);
      expect(text.includes(SANDBOX.apiToken), file).toBe(false);
    }
    expect(statSync(join(config, 'config.json')).mode & 0o777).toBe(0o600);
    // The project typed at Step 8 (in small letters) is saved as Jira writes it, and was checked.
    expect(
      Object.values(JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')).profiles as Record<string, { projects?: string[] }>)[0]?.projects,
    ).toEqual(['KEN']);
    expect(readFileSync(browser.log, 'utf8')).toContain('/authorize?');
  }, 180_000);
});

describe('Ctrl-C in a real terminal', () => {
  it('Ctrl-C at a confirm prompt (fresh and after resuming) exits 130 and keeps the progress so far', async () => {
    const home = tempDir('kj-home-');
    const config = join(home, 'cfg');
    const env: Record<string, string> = {
      PATH: process.env.PATH!,
      HOME: home,
      TERM: 'xterm-256color',
      KENDIS_JIRA_CONFIG_DIR: config,
      ...(keyringEnv ?? { DBUS_SESSION_BUS_ADDRESS: `unix:path=${home}/no-bus` }),
    };
    const ctrlcPort = await freePort();
    const first = new PtySession(
      ['setup', '--sandbox', '--no-browser', '--redirect-uri', `http://localhost:${ctrlcPort}/callback`, '--profile', `ctrlc${process.pid}`],
      env,
    );
    try {
      await first.answer('What are you setting up?', '\r'); // the organisation's ALM account
      await first.answer('Your Atlassian account e-mail', '\r');
      await first.answer('Paste the new app', '\r');
      await first.answer('Have you added all three APIs?', '\u0003');
      expect(await first.exit()).toBe(130);
    } finally {
      first.kill();
    }
    expect(first.text).toContain('Cancelled');
    expect(first.text).toContain('Your answers up to the last finished step are kept');
    const saved = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as { progress: Record<string, { step: number }>; profiles: object };
    expect(saved.progress[`ctrlc${process.pid}`]?.step).toBe(1);
    expect(saved.profiles).toEqual({});

    const second = new PtySession(
      ['setup', '--sandbox', '--no-browser', '--redirect-uri', `http://localhost:${ctrlcPort}/callback`, '--profile', `ctrlc${process.pid}`],
      env,
    );
    try {
      // The unfinished setup says which kind it is: no "What are you setting up?" again.
      // It says which site and account it resumes.
      await second.answer('Resume the unfinished setup as jira.admin@example.com at Step 2?', '\r');
      // Resuming does not ask again what was already answered (the e-mail of the site step).
      await second.answer('Have you added all three APIs?', '\u0003');
      expect(await second.exit()).toBe(130);
    } finally {
      second.kill();
    }
    expect(second.text).toContain('Resuming at Step 2');
    expect(second.text).not.toContain('Your Atlassian account e-mail');
    expect(second.text).not.toContain('What are you setting up?');
  }, 60_000);
});
