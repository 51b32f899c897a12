/**
 * Bad input everywhere, through the real binary: one clear sentence each (plus the next step),
 * the documented exit code, stdout untouched, and nothing lost.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { sampleProfile } from '../helpers/fixtures.js';

const noKeychain = (dir: string) => ({ KENDIS_JIRA_CONFIG_DIR: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/no-bus` });
const good = [
  '--site',
  'https://acme.atlassian.net',
  '--email',
  'admin@acme.com',
  '--callback-url',
  'https://app.kendis.io/cb',
  '--client-id',
  'abcdefghijklmnopqrstuvwxyz012345',
  '--skip-oauth',
];
const secrets = { KENDIS_JIRA_CLIENT_SECRET: 'client-secret-value', KENDIS_JIRA_API_TOKEN: 'ATATT3xtokenvalue' };

function expectOneSentence(stderr: string) {
  const lines = stderr.trim().split('\n');
  const error = lines.find((l) => l.startsWith('✖'))!;
  expect(error, stderr).toBeDefined();
  expect(error).toMatch(/\.$|\)$/);
  expect(stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
}

function withFlag(flag: string, value: string): string[] {
  const args = [...good];
  const i = args.indexOf(flag);
  if (i >= 0) args[i + 1] = value;
  else args.push(flag, value);
  return args;
}

describe('setup flags are checked before anything else (exit 2)', () => {
  it.each([
    ['--site', 'http://acme.atlassian.net', 'use https'],
    ['--site', 'acme', 'full host name'],
    ['--site', 'https://аcme.atlassian.net', 'non-ASCII'],
    ['--site', 'https://acme.atlassian.net:8443/', 'no port'],
    ['--email', 'admin(at)acme.com', 'not an e-mail'],
    ['--callback-url', 'http://app.kendis.io/cb', 'https://'],
    ['--callback-url', 'https://app.kendis.io/cb#x', '#'],
    ['--client-id', 'abc def', 'space'],
    ['--token-expires', '2020-01-01', 'past'],
    ['--token-expires', '31/12/2027', 'YYYY-MM-DD'],
    ['--token-expires', '2027-02-30', '2027-02-30 is not a day of the calendar'],
    ['--token-expires', '31/01/2027', 'is not a date like 2027-01-31 (YYYY-MM-DD)'],
    ['--redirect-uri', 'https://localhost:8976/callback', 'http'],
    ['--redirect-uri', 'http://example.com:8976/callback', 'this machine'],
    ['--oauth-timeout', 'soon', 'whole number'],
    ['--app-id', 'not-an-app', 'app id'],
  ])('%s %s', async (flag, value, words) => {
    const dir = tempDir();
    const r = await runCli(['setup', '--non-interactive', ...withFlag(flag, value)], { env: { ...noKeychain(dir), ...secrets } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stderr).toContain(words);
    expect(r.stdout).toBe('');
    expectOneSentence(r.stderr);
  });

  it.each([
    ['a space', 'ATATT3x abc'],
    ['a newline inside', 'ATATT3x\nabcdef'],
    ['only whitespace', '   '],
  ])('a token with %s: exit 2 naming KENDIS_JIRA_API_TOKEN before any request, the value never echoed', async (_what, token) => {
    const dir = tempDir();
    // A site that would refuse the connection: the token must be refused before anything is asked of it.
    const r = await runCli(
      [
        'setup',
        '--non-interactive',
        '--insecure-storage',
        '--site',
        'http://127.0.0.1:9',
        '--email',
        'a@b.co',
        '--callback-url',
        'https://app.kendis.io/cb',
        '--client-id',
        'abc',
      ],
      {
        env: { ...noKeychain(dir), KENDIS_JIRA_CLIENT_SECRET: 'client-secret-value', KENDIS_JIRA_API_TOKEN: token },
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/KENDIS_JIRA_API_TOKEN: The API token (contains a space or line break|is empty)/);
    expect(r.stderr).not.toContain('127.0.0.1:9');
    if (token.trim()) for (const part of token.split(/\s+/)) expect(r.stderr).not.toContain(part);
  });

  it('an empty or huge stdin does not hang a non-interactive run', async () => {
    const dir = tempDir();
    const empty = await runCli(['setup', '--non-interactive'], { env: noKeychain(dir), input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('--site, --email, --callback-url, --client-id, KENDIS_JIRA_CLIENT_SECRET, KENDIS_JIRA_API_TOKEN');
    const huge = await runCli(['setup'], { env: noKeychain(dir), input: 'y\n'.repeat(2_000_000) });
    expect(huge.code).toBe(2);
  });
});

describe('a bad config file is named, explained and left untouched', () => {
  const cases: [string, (path: string, dir: string) => void, string][] = [
    ['corrupt', (p) => writeFileSync(p, '{ this is not json'), 'damaged'],
    ['truncated', (p) => writeFileSync(p, JSON.stringify({ version: 1, profiles: { default: sampleProfile() }, progress: {} }).slice(0, 120)), 'damaged'],
    ['empty', (p) => writeFileSync(p, ''), 'damaged'],
    ['of a future version', (p) => writeFileSync(p, JSON.stringify({ version: 2, profiles: {}, progress: {} })), 'newer kendis-jira'],
    [
      'a symlink pointing elsewhere',
      (p, dir) => {
        const target = join(dir, '..', 'elsewhere.json');
        writeFileSync(target, JSON.stringify({ version: 1, profiles: {}, progress: {} }));
        symlinkSync(target, p);
      },
      'symbolic link',
    ],
  ];
  it.each(cases)('%s', async (_name, make, words) => {
    const dir = join(tempDir(), 'cfg');
    mkdirSync(dir);
    const path = join(dir, 'config.json');
    make(path, dir);
    const before = readFileSync(path, 'utf8');
    for (const args of [['status'], ['test-connection'], ['rotate-token', '--check'], ['logout', '--yes'], ['setup', '--non-interactive', ...good]]) {
      const r = await runCli(args, { env: { ...noKeychain(dir), ...secrets } });
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(words);
      expect(r.stderr).toContain(path);
      expectOneSentence(r.stderr);
    }
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});

describe('an unusable configuration location is one sentence, exit 2, before any question', () => {
  it.each([
    ['a path through a file', () => `${writeTempFile()}/cfg`, 'a part of that path is a file'],
    ['a folder that cannot be created (/sys)', () => '/sys/kendis-jira-test-config', 'Cannot create the configuration folder /sys/kendis-jira-test-config'],
  ])('%s', async (_name, dir, words) => {
    const r = await runCli(['setup', '--sandbox'], { env: { KENDIS_JIRA_CONFIG_DIR: dir() } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(words);
    expect(r.stderr).not.toContain('Unexpected error');
    expect(r.stderr).not.toMatch(/Step 1|What are you setting up|\?/);
  });
});

function writeTempFile(): string {
  const file = join(tempDir(), 'a-file');
  writeFileSync(file, 'x');
  return file;
}

describe('file modes', () => {
  it('a pre-existing config folder is made private (0700), files are 0600', async () => {
    const dir = join(tempDir(), 'cfg');
    mkdirSync(dir, { mode: 0o755 });
    const r = await runCli(['setup', '--sandbox', '--non-interactive', '--skip-oauth', '--insecure-storage'], { env: noKeychain(dir), timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });
});
