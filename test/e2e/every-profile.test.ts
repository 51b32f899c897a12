/**
 * Every profile and every habit, through the built CLI: status --all and rotate-token --check --all
 * over three profiles (one due), test-connection --all, completion scripts that load in bash and
 * complete a profile name, and `copy` handing a stored token to the clipboard (a recording fake
 * program; OSC 52 in a terminal) while printing no part of it.
 */
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { sampleProfile } from '../helpers/fixtures.js';
import { PtySession } from '../helpers/pty.js';
import { isoDate, addDays } from '../../src/dates/dates.js';

const NO_KEYCHAIN = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent-bus' };

function threeProfiles(): { dir: string; env: Record<string, string> } {
  const dir = tempDir('kj-all-');
  const today = new Date();
  const profiles = {
    acme: sampleProfile({ token: { expiresOn: isoDate(addDays(today, 200)) }, lastSuccessfulTest: new Date().toISOString() }),
    beta: sampleProfile({ site: 'https://beta.atlassian.net', token: { expiresOn: isoDate(addDays(today, 5)) } }),
    me: sampleProfile({ kind: 'user', site: 'https://acme.atlassian.net', token: { expiresOn: isoDate(addDays(today, 90)) } } as never),
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, profiles, progress: {} }), { mode: 0o600 });
  return { dir, env: { HOME: dir, KENDIS_JIRA_CONFIG_DIR: dir, ...NO_KEYCHAIN } };
}

describe('--all', () => {
  it('status --all: one row per profile with kind, site, store, expiry and last test; no keychain needed', async () => {
    const { env } = threeProfiles();
    const r = await runCli(['status', '--all'], { env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^PROFILE\s+KIND\s+SITE\s+SECRETS\s+TOKEN EXPIRES\s+LAST GOOD TEST\s+PENDING$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['acme', 'beta', 'me']);
    expect(lines[2]).toMatch(/beta\s+ALM account\s+https:\/\/beta\.atlassian\.net\s+keychain\s+\d{4}-\d{2}-\d{2} \(5 days left\)\s+never/);
    expect(lines[3]).toMatch(/me\s+user token/);
    const json = await runCli(['status', '--all', '--json'], { env });
    const rows = JSON.parse(json.stdout) as { profile: string; kind: string; token: { daysLeft: number } }[];
    expect(rows.map((x) => [x.profile, x.kind, x.token.daysLeft])).toEqual([
      ['acme', 'alm-account', 200],
      ['beta', 'alm-account', 5],
      ['me', 'user', 90],
    ]);
    // No profile named and no "default": the same table, not "not set up".
    const implicit = await runCli(['status'], { env });
    expect(implicit.code).toBe(0);
    expect(implicit.stdout).toContain('PROFILE');
  });

  it('rotate-token --check --all: one line per profile, exit 4 naming the one that is due', async () => {
    const { env } = threeProfiles();
    const r = await runCli(['rotate-token', '--check', '--all'], { env });
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/✔ acme\s+\S+ \(200 days left\)\n✖ beta\s+\S+ \(5 days left\) — due\n✔ me\s+\S+ \(90 days left\)/);
    expect(r.stderr).toContain('1 of 3 profiles has a token that expires within 14 days: beta.');
    expect(r.stderr).toContain('rotate-token --profile beta');
    const quiet = await runCli(['rotate-token', '--check', '--all', '--within', '3', '--json'], { env });
    expect(quiet.code).toBe(0);
    expect((JSON.parse(quiet.stdout) as { due: boolean }[]).map((x) => x.due)).toEqual([false, false, false]);
    const refused = await runCli(['rotate-token', '--all'], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--all goes with --check');
  });

  it('test-connection --all: every profile checked, one line each, exit 1 when any did not pass', async () => {
    const dir = tempDir('kj-all-tc-');
    const env = { HOME: dir, KENDIS_JIRA_CONFIG_DIR: dir, ...NO_KEYCHAIN };
    for (const name of ['one', 'two']) {
      const setup = await runCli(['setup', '--sandbox', '--profile', name, '--non-interactive', '--insecure-storage', '--no-browser', '--skip-oauth'], {
        env,
        timeoutMs: 60_000,
      });
      expect(setup.code, setup.stderr).toBe(0);
    }
    const ok = await runCli(['test-connection', '--all'], { env, timeoutMs: 60_000 });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/✔ one\s+http:\/\/127\.0\.0\.1:\d+\s+OK: 18 passed/);
    expect(ok.stdout).toMatch(/✔ two\s+/);
    // Break one profile's stored token: only that one fails, and the exit code says so.
    const secrets = JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> };
    secrets.secrets['two:api-token'] = 'ATATT3xNotTheRightTokenAtAll000';
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify(secrets), { mode: 0o600 });
    const bad = await runCli(['test-connection', '--all', '--json'], { env, timeoutMs: 60_000 });
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as { profile: string; ok: boolean }[]).map((x) => [x.profile, x.ok])).toEqual([
      ['one', true],
      ['two', false],
    ]);
  });
});

describe('completion', () => {
  it('the bash script loads and completes commands, fixed values and profile names read from the settings', () => {
    const { env } = threeProfiles();
    const bin = tempDir('kj-bin-');
    writeFileSync(join(bin, 'kendis-jira'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(join(bin, 'kendis-jira'), 0o755);
    const complete = (words: string[]) => {
      const script = `source <(kendis-jira completion bash)
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _kendis_jira; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = spawnSync('bash', ['-c', script], { env: { ...process.env, ...env, PATH: `${bin}:${process.env.PATH}` }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim().split('\n');
    };
    expect(complete(['kendis-jira', 'status', '--profile', 'b'])).toEqual(['beta']);
    expect(complete(['kendis-jira', 'status', '--profile', ''])).toEqual(['acme', 'beta', 'me']);
    expect(complete(['kendis-jira', 'rot'])).toEqual(['rotate-token']);
    expect(complete(['kendis-jira', 'copy', 'api'])).toEqual(['api-token']);
    expect(complete(['kendis-jira', 'rotate-token', '--ch'])).toEqual(['--check']);
  });

  it('prints a script for each shell; an unknown shell is exit 2', async () => {
    for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
      const r = await runCli(['completion', shell]);
      expect(r.code, shell).toBe(0);
      expect(r.stdout, shell).toContain('__complete profiles');
      expect(r.stdout, shell).toContain('rotate-token');
    }
    const zsh = spawnSync('zsh', ['-n'], { input: (await runCli(['completion', 'zsh'])).stdout });
    if (zsh.error === undefined) expect(zsh.status).toBe(0);
    expect((await runCli(['completion', 'tcsh'])).code).toBe(2);
  });
});

describe('copy', () => {
  it('hands the stored token to the clipboard program on its stdin and prints no part of it', async () => {
    const dir = tempDir('kj-copy-');
    const env = { HOME: dir, KENDIS_JIRA_CONFIG_DIR: dir, ...NO_KEYCHAIN };
    const setup = await runCli(['setup', '--sandbox', '--non-interactive', '--insecure-storage', '--no-browser', '--skip-oauth'], { env, timeoutMs: 60_000 });
    expect(setup.code, setup.stderr).toBe(0);
    const token = (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> }).secrets['sandbox:api-token']!;
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'xclip'), `#!/bin/sh\necho "$@" >> ${JSON.stringify(join(dir, 'argv'))}\ncat > ${JSON.stringify(join(dir, 'clipboard'))}\n`);
    chmodSync(join(bin, 'xclip'), 0o755);
    const r = await runCli(['copy', 'api-token', '--profile', 'sandbox'], { env: { ...env, DISPLAY: ':99', PATH: `${bin}:${process.env.PATH}` } });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'clipboard'), 'utf8')).toBe(token);
    expect(readFileSync(join(dir, 'argv'), 'utf8')).not.toContain(token);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(token);
      expect(out).not.toContain(token.slice(0, 12));
      expect(out).not.toContain(token.slice(-12));
    }
    expect(r.stderr).toContain('The API token is on the clipboard (xclip)');
    // No clipboard at all, no terminal: a clear message, exit 1, still nothing of the token.
    const none = await runCli(['copy', 'api-token', '--profile', 'sandbox'], { env: { ...env, PATH: process.env.PATH! } });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No clipboard can be used here');
    expect(`${none.stdout}${none.stderr}`).not.toContain(token);
  });

  it('in a terminal with no clipboard program (SSH), OSC 52 carries it to the terminal: never the plain token', async () => {
    const dir = tempDir('kj-osc-');
    const env = { HOME: dir, KENDIS_JIRA_CONFIG_DIR: dir, ...NO_KEYCHAIN };
    const setup = await runCli(['setup', '--sandbox', '--non-interactive', '--insecure-storage', '--no-browser', '--skip-oauth'], { env, timeoutMs: 60_000 });
    expect(setup.code, setup.stderr).toBe(0);
    const token = (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> }).secrets['sandbox:api-token']!;
    const session = new PtySession(['copy', 'api-token', '--profile', 'sandbox'], { ...env, PATH: process.env.PATH!, TERM: 'xterm-256color' });
    try {
      expect(await session.exit()).toBe(0);
    } finally {
      session.kill();
    }
    expect(session.raw).toContain(`\u001b]52;c;${Buffer.from(token).toString('base64')}\u0007`);
    expect(session.raw).not.toContain(token);
    expect(session.text).toContain('OSC 52');
  });
});
