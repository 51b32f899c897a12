/**
 * The built CLI at the edges of a terminal: a reader that goes away (`| head -c 1`), and a
 * terminal that reports 0 columns (`script`, some CI runners, `docker -t`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';

let env: Record<string, string>;

beforeAll(async () => {
  const home = tempDir('kj-term-');
  // No keychain in this environment: the sandbox's fake secrets go to the 0600 file.
  env = { PATH: process.env.PATH!, HOME: home, KENDIS_JIRA_CONFIG_DIR: home };
  const setup = await runCli(['setup', '--sandbox', '--non-interactive', '--skip-oauth'], { env, timeoutMs: 60_000 });
  expect(setup.code, setup.stderr).toBe(0);
  setupOutput = setup.stderr;
});

let setupOutput = '';

describe('the commands it prints', () => {
  it('from a clone (kendis-jira not on PATH) are printed the way it was run: node bin/kendis-jira.js …', () => {
    expect(setupOutput).toMatch(/^ {2}node bin\/kendis-jira\.js rotate-token --check --calendar kendis-token\.ics --profile sandbox$/m);
    expect(setupOutput).not.toMatch(/^ {2}kendis-jira rotate-token/m);
  });

  it('from a Windows-style global install (a kendis-jira.cmd shim beside node_modules, no link) are printed as kendis-jira …', () => {
    const prefix = tempDir('kj-winprefix-');
    mkdirSync(join(prefix, 'node_modules'));
    symlinkSync(join(dirname(BIN), '..'), join(prefix, 'node_modules', 'kendis-jira'));
    writeFileSync(join(prefix, 'kendis-jira.cmd'), '@node "%~dp0\\node_modules\\kendis-jira\\bin\\kendis-jira.js" %*\r\n');
    const r = spawnSync(process.execPath, [join(prefix, 'node_modules', 'kendis-jira', 'bin', 'kendis-jira.js'), 'status', '--profile', 'nosuch'], {
      env: { ...env, PATH: `${prefix}:${process.env.PATH}` },
      encoding: 'utf8',
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('`kendis-jira setup --profile nosuch`');
  });
});

describe('the commands in a --json document', () => {
  it('from a clone are the way it was run too (built by the same helper, not rewritten)', async () => {
    const file = join(env.HOME!, 'secrets.json');
    const before = readFileSync(file, 'utf8');
    const doc = JSON.parse(before) as { secrets: Record<string, string> };
    delete doc.secrets['sandbox:api-token'];
    writeFileSync(file, JSON.stringify(doc), { mode: 0o600 });
    try {
      const r = await runCli(['test-connection', '--profile', 'sandbox', '--json'], { env, timeoutMs: 60_000 });
      const report = JSON.parse(r.stdout) as { checks: { id: string; hint?: string }[] };
      const hint = report.checks.find((c) => c.id === 'secrets')?.hint ?? '';
      expect(hint).toMatch(/`node bin\/kendis-jira\.js setup --sandbox --profile sandbox`/);
      expect(r.stdout).not.toMatch(/`kendis-jira /);
    } finally {
      writeFileSync(file, before, { mode: 0o600 });
    }
  });
});

function sh(command: string, timeoutMs = 30_000) {
  return spawnSync('bash', ['-c', command], {
    env: { ...env, KJ: `${process.execPath} ${BIN}` },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe('a closed pipe', () => {
  it('`status | head -c 1` ends quietly with exit 0 in every one of 25 runs', () => {
    const r = sh(
      'for i in $(seq 1 25); do $KJ status --profile sandbox 2>>"$HOME/err.log" | head -c 1 >/dev/null; echo "${PIPESTATUS[0]}"; done; cat "$HOME/err.log" >&2',
    );
    expect(r.stdout.trim().split('\n')).toEqual(Array(25).fill('0'));
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|at .*\.js:\d+/);
  });

  it('`test-connection --json | head -c 1` keeps its own exit code', () => {
    const r = sh('$KJ test-connection --profile sandbox --json | head -c 1 >/dev/null; echo "${PIPESTATUS[0]}"');
    expect(r.stdout.trim()).toBe('0');
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
  });
});

describe('a terminal that reports 0 columns', () => {
  const inZeroTerminal = (args: string) => sh(`script -qec 'stty cols 0 rows 0; $KJ ${args}; echo "exit=$?"' /dev/null`, 30_000);

  it.each([['test-connection --profile sandbox'], ['setup --sandbox --non-interactive --skip-oauth --profile sandbox2']])(
    '`%s` ends, with bounded output and no redraws',
    (args) => {
      const r = inZeroTerminal(args);
      expect(r.error, 'did not end within 30 s').toBeUndefined();
      expect(r.stdout).toMatch(/exit=0/);
      expect(r.stdout.length).toBeLessThan(64 * 1024);
      // No cursor movement or line clearing: the spinner stayed off.
      expect(r.stdout).not.toMatch(/\u001b\[\d*[GK]|\u001b\[\?25l/);
    },
  );
});

describe('colours on a terminal that wants them', () => {
  it('FORCE_COLOR: marks and headings carry whole colour codes, never a stray "[32m"', () => {
    const r = sh('FORCE_COLOR=1 $KJ test-connection --profile sandbox 2>&1');
    expect(r.stdout).toContain('\u001b[32m✔\u001b[39m');
    expect(r.stdout.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/\[\d+m/);
  });
});
