/**
 * The whole sandbox run as a new admin sees it (setup, status, test-connection, rotate-token,
 * logout), committed as a reviewed transcript: a change to any word is a visible diff. Addresses,
 * dates and temp paths are normalised; to accept a reviewed change, run
 * `npx vitest run test/e2e/sandbox-transcript.test.ts -u`.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { freePort } from '../helpers/ports.js';
import { isoDate, addDays } from '../../src/dates/dates.js';

function normalise(text: string, home: string): string {
  const today = new Date();
  return text
    .split(home)
    .join('<config>')
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://127.0.0.1:<port>')
    .replace(/http:\/\/localhost:\d+/g, 'http://localhost:<port>')
    .replace(/localhost%3A\d+/g, 'localhost%3A<port>')
    .replace(/127\.0\.0\.1%3A\d+/g, '127.0.0.1%3A<port>')
    .replace(/state=[\w-]+/g, 'state=<state>')
    .replaceAll(isoDate(addDays(today, 365)), '<today+365>')
    .replaceAll(isoDate(addDays(today, 300)), '<today+300>')
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}( [A-Z][\w+-]*)? \([^)]*\)/g, '<local time> (<how long ago>)')
    .replace(/ +$/gm, '');
}

describe('the sandbox run, word for word', () => {
  it('setup, status, test-connection, rotate-token and logout', async () => {
    const home = tempDir('kj-transcript-');
    // No keychain in this environment on purpose: the transcript is the same on every machine.
    const env = { HOME: home, KENDIS_JIRA_CONFIG_DIR: home, DBUS_SESSION_BUS_ADDRESS: `unix:path=${home}/no-bus`, NO_COLOR: '1' };
    const transcript: string[] = [];
    const run = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await runCli(args, { env: { ...env, ...extra }, timeoutMs: 60_000 });
      transcript.push(`$ kendis-jira ${args.join(' ')}  → exit ${r.code}`, '--- stdout', r.stdout.trimEnd(), '--- stderr', r.stderr.trimEnd(), '');
      return r;
    };
    // Its own free port for the local callback: other tests run setups at the same time.
    const port = await freePort();
    expect(
      (
        await run([
          'setup',
          '--sandbox',
          '--non-interactive',
          '--redirect-uri',
          `http://localhost:${port}/callback`,
          '--token-expires',
          isoDate(addDays(new Date(), 365)),
        ])
      ).code,
    ).toBe(0);
    expect((await run(['status', '--profile', 'sandbox'])).code).toBe(0);
    expect((await run(['test-connection', '--profile', 'sandbox'])).code).toBe(0);
    expect((await run(['rotate-token', '--profile', 'sandbox', '--non-interactive', '--token-expires', isoDate(addDays(new Date(), 300))])).code).toBe(0);
    expect((await run(['rotate-token', '--check', '--profile', 'sandbox'])).code).toBe(0);
    expect((await run(['status'])).code).toBe(3);
    expect((await run(['logout', '--profile', 'sandbox', '--yes'])).code).toBe(0);
    await expect(normalise(transcript.join('\n'), home)).toMatchFileSnapshot('__transcripts__/sandbox-run.txt');
  }, 120_000);
});
