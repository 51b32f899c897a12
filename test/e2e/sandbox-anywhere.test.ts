/** The sandbox as a newcomer meets it: any free port, its own profile per kind, --sandbox on every command. */
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { runCli } from '../helpers/cli.js';
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
    expect((await runCli(['setup', '--sandbox', '--non-interactive', '--insecure-storage', '--no-browser', '--skip-oauth'], { env: env(home), timeoutMs: 60_000 })).code).toBe(0);
    const status = await runCli(['status', '--sandbox', '--json'], { env: env(home) });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).profile).toBe('sandbox');
    const test = await runCli(['test-connection', '--sandbox'], { env: env(home), timeoutMs: 60_000 });
    expect(test.code, test.stderr).toBe(0);
    expect((await runCli(['rotate-token', '--check', '--sandbox'], { env: env(home) })).code).toBe(0);
    expect((await runCli(['logout', '--sandbox', '--yes'], { env: env(home) })).code).toBe(0);
  });

  it('help shows defaults in words, not as quoted strings', async () => {
    const r = await runCli(['help', 'setup']);
    expect(r.stdout).toContain('(default 300)');
    expect(r.stdout).not.toMatch(/\(default: "/);
  });
});
