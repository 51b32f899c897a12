/** The sandbox as a newcomer meets it: any free port, its own profile per kind, --sandbox on every command. */
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';

const env = (home: string) => ({ HOME: home, KENDIS_JIRA_CONFIG_DIR: home, DBUS_SESSION_BUS_ADDRESS: `unix:path=${home}/no-bus` });

describe('the sandbox', () => {
  it('does not need port 8976: with it taken, setup --sandbox picks a free one and the browser check still runs', async () => {
    const home = tempDir('kj-port-');
    const holder = createServer();
    const held = await new Promise<boolean>((resolve) => {
      holder.once('error', () => resolve(false));
      holder.listen(8976, '127.0.0.1', () => resolve(true));
    });
    try {
      const r = await runCli(['setup', '--sandbox', '--non-interactive', '--insecure-storage', '--no-browser'], { env: env(home), timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('The 3 APIs and 6 Jira permissions were granted');
      const status = await runCli(['status', '--sandbox', '--json'], { env: env(home) });
      expect(JSON.parse(status.stdout).callbackUrls.local).toMatch(/^http:\/\/localhost:(?!8976\/)\d+\/callback$/);
    } finally {
      if (held) holder.close();
    }
  });

  it('--sandbox on the other commands means the sandbox’s profile', async () => {
    const home = tempDir('kj-flag-');
    expect(
      (await runCli(['setup', '--sandbox', '--non-interactive', '--insecure-storage', '--no-browser', '--skip-oauth'], { env: env(home), timeoutMs: 60_000 }))
        .code,
    ).toBe(0);
    const status = await runCli(['status', '--sandbox', '--json'], { env: env(home) });
    expect(status.code, status.stderr).toBe(0);
    const doc = JSON.parse(status.stdout);
    expect(doc.profile).toBe('sandbox');
    // Machine-readable: the site says "sandbox", the store where, and the file's path.
    expect(doc.site).toBe('sandbox');
    expect(doc.secrets.store).toBe('file');
    expect(doc.secrets.file).toBe(`${home}/secrets.json`);
    expect((await runCli(['rotate-token', '--check', '--sandbox'], { env: env(home) })).stdout).toMatch(
      /^Token expires \d{4}-\d{2}-\d{2} \(\d+ days left\)\.$/m,
    );
    const test = await runCli(['test-connection', '--sandbox'], { env: env(home), timeoutMs: 60_000 });
    expect(test.code, test.stderr).toBe(0);
    expect((await runCli(['rotate-token', '--check', '--sandbox'], { env: env(home) })).code).toBe(0);
    expect((await runCli(['logout', '--sandbox', '--yes'], { env: env(home) })).code).toBe(0);
  });

  it('status redirected to a file from a terminal with colours writes no colour code into the file', async () => {
    const home = tempDir('kj-color-');
    expect(
      (await runCli(['setup', '--sandbox', '--non-interactive', '--insecure-storage', '--no-browser', '--skip-oauth'], { env: env(home), timeoutMs: 60_000 }))
        .code,
    ).toBe(0);
    const { spawn } = await import('@lydell/node-pty');
    const file = `${home}/status.txt`;
    const pty = spawn('sh', ['-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} status --sandbox > ${JSON.stringify(file)}`], {
      cols: 100,
      rows: 30,
      env: { ...env(home), PATH: process.env.PATH!, TERM: 'xterm-256color' } as Record<string, string>,
    });
    let screen = '';
    pty.onData((d) => (screen += d));
    await new Promise<void>((resolve) => pty.onExit(() => resolve()));
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('Profile');
    expect(written).not.toContain('\u001b');
    // The time carries its zone.
    expect(written).toMatch(/Last good test\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} [A-Z][\w+-]* \(/);
    void screen;
  });

  it('help shows defaults in words, not as quoted strings', async () => {
    const r = await runCli(['help', 'setup']);
    expect(r.stdout).toContain('(default 300)');
    expect(r.stdout).not.toMatch(/\(default: "/);
  });
});
