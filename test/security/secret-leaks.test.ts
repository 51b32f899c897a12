/**
 * Canary secrets through setup, test-connection, rotate-token and status (real binary, sandbox,
 * real Secret Service), with and without --debug, interactive and not. The canaries, and every
 * authorization code and access token the sandbox handed out, must never appear in stdout, stderr,
 * any file under HOME or the config dir, or the argv/environment of the browser child.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { runCli } from '../helpers/cli.js';
import { PtySession } from '../helpers/pty.js';
import { recordingBrowser } from '../helpers/recording-browser.js';
import { tempDir } from '../helpers/test-deps.js';
import { freePort } from '../helpers/ports.js';
import { needs } from '../helpers/real-parts.js';
import { startTestSandbox, localCallback } from '../helpers/sandbox-profile.js';

const keyringEnv = inject('keyringEnv');
const CLIENT_SECRET = 'CANARYclientSECRET7f3e9a1b2c';
const TOKEN = 'ATATT3xCANARYtoken4d5e6f708192';
const NEW_TOKEN = 'ATATT3xCANARYrotated0a1b2c3d4e';
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startTestSandbox({
    autoApprove: true,
    clientSecret: CLIENT_SECRET,
    tokens: [
      { token: TOKEN, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] },
      { token: NEW_TOKEN, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] },
    ],
  });
});
afterAll(async () => sandbox?.close());

function allFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    const s = statSync(p);
    return s.isDirectory() ? allFiles(p) : s.isFile() ? [p] : [];
  });
}

/**
 * Every form a secret could leak in: raw, URL-encoded, base64 on its own, and base64 inside the
 * Basic credentials it is sent with (`email:token`, as a logged Authorization header would show).
 */
export function leakForms(secret: string, email: string): string[] {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  // base64 of the secret at each of the three byte alignments it can have inside a longer string.
  const aligned = [0, 1, 2]
    .map((pad) =>
      b64('\0'.repeat(pad) + secret)
        .slice(pad === 0 ? 0 : 4)
        .slice(0, -4),
    )
    .filter((x) => x.length >= 12);
  return [...new Set([secret, encodeURIComponent(secret), b64(secret), b64(`${email}:${secret}`), ...aligned])];
}

function expectClean(where: string, text: string) {
  for (const secret of [CLIENT_SECRET, TOKEN, NEW_TOKEN, ...sandbox.issued]) {
    for (const form of leakForms(secret, SANDBOX.email)) {
      expect(text.includes(form), `${where} contains a secret (${secret.slice(0, 8)}…, as ${form.slice(0, 8)}…)`).toBe(false);
    }
  }
}

it('the leak scan finds a token hidden in a logged Basic header, base64 or URL-encoded', () => {
  const header = `authorization: Basic ${Buffer.from(`${SANDBOX.email}:${TOKEN}`).toString('base64')}`;
  const scan = (text: string) => leakForms(TOKEN, SANDBOX.email).some((f) => text.includes(f));
  expect(scan(`[debug] → GET /rest ${header}`)).toBe(true);
  expect(scan(`x=${encodeURIComponent(`${TOKEN}/&`)}`)).toBe(true);
  expect(scan(`{"t":"${Buffer.from(`prefix-${TOKEN}-suffix`).toString('base64')}"}`)).toBe(true);
  expect(scan('nothing secret here')).toBe(false);
});

const parts = needs('keyring');
describe.skipIf(parts.skip)(`no secret leaks${parts.note}`, () => {
  for (const debug of [false, true]) {
    it(`non-interactive lifecycle${debug ? ' with --debug' : ''}`, async () => {
      const home = tempDir('kj-leak-home-');
      const browser = recordingBrowser();
      const port = await freePort();
      const profile = `leak${debug ? 'd' : 'n'}${process.pid}`;
      const base = { HOME: home, ...keyringEnv!, BROWSER: browser.path, KENDIS_JIRA_AUTH_URL: sandbox.authUrl, KENDIS_JIRA_API_URL: sandbox.apiUrl };
      const flags = ['--profile', profile, ...(debug ? ['--debug'] : [])];
      const outputs: string[] = [];
      const run = async (args: string[], env: Record<string, string> = {}) => {
        const r = await runCli([...args, ...flags], { env: { ...base, ...env }, timeoutMs: 60_000 });
        outputs.push(`$ ${args.join(' ')} → ${r.code}\n${r.stdout}\n${r.stderr}`);
        return r;
      };
      const setup = await run(
        [
          'setup',
          '--site',
          sandbox.url,
          '--email',
          SANDBOX.email,
          '--callback-url',
          'https://app.kendis.io/cb',
          '--client-id',
          SANDBOX.clientId,
          '--token-expires',
          '2027-08-01',
          '--redirect-uri',
          localCallback(sandbox, port),
          '--oauth-timeout',
          '30',
        ],
        { KENDIS_JIRA_CLIENT_SECRET: CLIENT_SECRET, KENDIS_JIRA_API_TOKEN: TOKEN },
      );
      expect(setup.code, setup.stderr).toBe(0);
      expect((await run(['test-connection', '--json'])).code).toBe(0);
      expect((await run(['test-connection', '--oauth', '--redirect-uri', localCallback(sandbox, port)])).code).toBe(0);
      expect((await run(['status'])).code).toBe(0);
      expect((await run(['status', '--json'])).code).toBe(0);
      expect((await run(['rotate-token', '--token-expires', '2027-09-01'], { KENDIS_JIRA_API_TOKEN: NEW_TOKEN })).code).toBe(0);
      // A rejected token must not be echoed in the error either.
      const bad = await run(['rotate-token'], { KENDIS_JIRA_API_TOKEN: 'ATATT3xCANARY with space' });
      expect(bad.code).toBe(2);
      expect(bad.stderr).not.toContain('CANARY with space');
      if (debug) expect(outputs.join('\n')).toContain('[debug] →');
      expect(sandbox.issued.length).toBeGreaterThan(0);

      expectClean('the output', outputs.join('\n'));
      for (const file of allFiles(home)) expectClean(file, readFileSync(file, 'latin1'));
      const seen = readFileSync(browser.log, 'utf8');
      expect(seen).toContain('/authorize?');
      expectClean('the browser’s argv and environment', seen);
      for (const line of seen.trim().split('\n')) {
        const { env } = JSON.parse(line) as { env: Record<string, string> };
        expect(env.KENDIS_JIRA_CLIENT_SECRET).toBeUndefined();
        expect(env.KENDIS_JIRA_API_TOKEN).toBeUndefined();
      }
    }, 120_000);
  }

  it('interactive setup in a terminal, with --debug', async () => {
    const home = tempDir('kj-leak-home-');
    const browser = recordingBrowser();
    const port = await freePort();
    const session = new PtySession(['setup', '--debug', '--profile', `leaki${process.pid}`, '--redirect-uri', localCallback(sandbox, port)], {
      PATH: process.env.PATH!,
      HOME: home,
      TERM: 'xterm-256color',
      ...keyringEnv!,
      BROWSER: browser.path,
      KENDIS_JIRA_AUTH_URL: sandbox.authUrl,
      KENDIS_JIRA_API_URL: sandbox.apiUrl,
    });
    try {
      await session.answer('What are you setting up?', '\r'); // the organisation's ALM account
      await session.answer('Your Jira Cloud site', `${sandbox.url}\r`);
      await session.answer('Your Atlassian account e-mail', `${SANDBOX.email}\r`);
      await session.answer('Paste the new app', '\r');
      await session.answer('Have you added all three APIs?', '\r');
      await session.answer('Have you saved all six permissions?', '\r');
      await session.answer('Paste Kendis’ callback URL', 'https://app.kendis.io/cb\r');
      await session.answer('Client ID:', `${SANDBOX.clientId}\r`);
      await session.answer('Client Secret (hidden', `${CLIENT_SECRET}\r`);
      await session.answer('API token (hidden', `${TOKEN}\r`);
      await session.answer('The expiry date you picked', '\r');
      await session.answer('Optional: the Jira project keys', '\r');
      await session.answer('Copy or show a secret to paste it into Kendis?', '\r');
      expect(await session.exit()).toBe(0);
    } finally {
      session.kill();
    }
    expectClean('the terminal', session.text);
    for (const file of allFiles(home)) expectClean(file, readFileSync(file, 'latin1'));
    expectClean('the browser’s argv and environment', readFileSync(browser.log, 'utf8'));
  }, 120_000);
});
