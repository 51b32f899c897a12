import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('the kendis-jira binary', () => {
  it('prints its version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('lists the five commands in --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['setup', 'test-connection', 'rotate-token', 'status', 'logout']) expect(r.stdout).toContain(c);
    expect(r.stdout).not.toContain('sandbox [options]');
  });

  it('shows a command’s help with `help <command>`', async () => {
    const r = await runCli(['help', 'setup']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--callback-url');
    expect(r.stdout).toContain('KENDIS_JIRA_API_TOKEN');
  });

  it('exits 2 on an unknown command or option', async () => {
    const a = await runCli(['frobnicate']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("unknown command 'frobnicate'");
    const b = await runCli(['status', '--frob']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("unknown option '--frob'");
    expect(b.stderr).toMatch(/`(kendis-jira|node \S*kendis-jira\.js) help status`/);
  });

  it('a --project that cannot be a Jira project key is exit 2 with the key explained, before anything else', async () => {
    const home = tempDir();
    for (const args of [
      ['test-connection', '--project', 'KEN-12'],
      ['setup', '--project', '1AB', '--non-interactive'],
      ['test-connection', '--project', 'a b'],
    ]) {
      const r = await runCli(args, { env: { HOME: home, KENDIS_JIRA_CONFIG_DIR: home } });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/--project takes a Jira project key, like KEN \(got "[^"]+"\)\./);
      expect(r.stderr).toContain('KEN in KEN-12');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('exits 2 on an invalid profile name', async () => {
    const r = await runCli(['status', '--profile', '../etc'], { env: { KENDIS_JIRA_CONFIG_DIR: tempDir() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a valid profile name');
  });

  it('an empty KENDIS_JIRA_PROFILE means the default profile, not an invalid name', async () => {
    const r = await runCli(['status'], { env: { KENDIS_JIRA_CONFIG_DIR: tempDir(), KENDIS_JIRA_PROFILE: '' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('Profile "default" is not set up');
  });

  it('status with no profile exits 3 and says how to set up', async () => {
    const r = await runCli(['status'], { env: { KENDIS_JIRA_CONFIG_DIR: tempDir() } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/`(kendis-jira|node \S*kendis-jira\.js) setup`/);
    expect(r.stdout).toBe('');
  });

  it('names the file and the fix for a corrupt config, and leaves it untouched', async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/config.json`, '{"version": 1, "profiles": ');
    const r = await runCli(['status'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${dir}/config.json`);
    expect(r.stderr).toContain('mv ');
    expect(readFileSync(`${dir}/config.json`, 'utf8')).toBe('{"version": 1, "profiles": ');
  });

  it('logout without --yes in a non-interactive session exits 3 when there is no profile, 2 with one', async () => {
    const dir = tempDir();
    const r = await runCli(['logout'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(r.code).toBe(3);
  });
});

describe('stack traces for bug reports', () => {
  it('--debug prints a stack whose frames name src/…ts lines and real class names; without it, no stack', async () => {
    const dir = tempDir('kj-stack-');
    const debug = await runCli(['status', '--profile', 'nobody', '--debug'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(debug.code).toBe(3);
    expect(debug.stderr).toMatch(/^NotConfiguredError: Profile "nobody" is not set up\./m);
    expect(debug.stderr).toMatch(/at requireProfile \(.*src\/profiles\/saved-profile\.ts:\d+:\d+\)/);
    const plain = await runCli(['status', '--profile', 'nobody'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(plain.stderr).not.toMatch(/\n\s+at /);
  });
});
