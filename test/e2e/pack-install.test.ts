/**
 * Test what ships: pack the project, install the tarball into an empty prefix (offline: the keyring
 * binding comes from this checkout's node_modules, packed the same way), and run the installed
 * command the way a user would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { TEST_KEYCHAIN_ENV } from '../helpers/test-keychain.js';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/test-deps.js';
import { needs } from '../helpers/real-parts.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const parts = needs('keyring');
let work: string;
let bin: string;
let app: string;
let installOutput: string;
let tarballs: string[];

function du(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => {
    const p = join(dir, name);
    const s = statSync(p);
    return sum + (s.isDirectory() ? du(p) : s.size);
  }, 0);
}

beforeAll(() => {
  work = tempDir('kj-pack-');
  // --ignore-scripts: dist/ was built by pretest; rebuilding here would pull it from under the other e2e tests.
  const tarball = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!;
  const napi = join(root, 'node_modules', '@napi-rs');
  const bindings = readdirSync(napi)
    .filter((d) => d.startsWith('keyring'))
    .map((d) => join(napi, d));
  const packed = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', ...bindings], { cwd: work, encoding: 'utf8' })
    .trim()
    .split('\n');
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{"name":"empty-prefix","private":true}');
  tarballs = [join(work, tarball), ...packed.map((p) => join(work, p))];
  const install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', app, ...tarballs], { cwd: app, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`npm install of the tarball failed: ${install.stderr}`);
  installOutput = `${install.stdout}\n${install.stderr}`;
  bin = join(app, 'node_modules', '.bin', 'kendis-jira');
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packed and installed package', () => {
  it('installs without a single npm warning (nothing runs at install: the build happens before packing)', () => {
    expect(installOutput).not.toMatch(/npm warn/i);
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules', 'kendis-jira', 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
      engines: { node: string };
      exports: unknown;
    };
    expect(Object.keys(pkg.scripts ?? {}).filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s))).toEqual([]);
    expect(pkg.engines.node).toBe('>=20.19');
    expect(pkg.exports).toEqual({ './package.json': './package.json' });
  });

  it('npm publish --dry-run is clean (exit 0, only the offline login notice)', () => {
    const r = spawnSync('npm', ['publish', '--dry-run', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.split('\n').filter((l) => /npm warn/i.test(l) && !/logged in/i.test(l))).toEqual([]);
  });

  it('npx --package <tarball> kendis-jira setup --sandbox works from an empty folder', () => {
    const empty = tempDir('kj-npx-');
    const r = spawnSync(
      'npm',
      [
        'exec',
        '--yes',
        '--offline',
        ...tarballs.flatMap((t) => ['--package', t]),
        '--',
        'kendis-jira',
        'setup',
        '--sandbox',
        '--non-interactive',
        '--insecure-storage',
        '--no-browser',
        '--skip-oauth',
      ],
      {
        cwd: empty,
        encoding: 'utf8',
        timeout: 120_000,
        env: { PATH: process.env.PATH!, HOME: empty, KENDIS_JIRA_CONFIG_DIR: empty, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', ...TEST_KEYCHAIN_ENV },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('Full test passed: 18 checks');
  });

  it('is small: at most 5 packages and 6 MB installed', () => {
    const modules = join(app, 'node_modules');
    const pkgs = readdirSync(modules)
      .filter((d) => !d.startsWith('.'))
      .flatMap((d) => (d.startsWith('@') ? readdirSync(join(modules, d)).map((s) => `${d}/${s}`) : [d]));
    expect(pkgs.length).toBeLessThanOrEqual(5);
    expect(du(modules)).toBeLessThanOrEqual(6_000_000);
  });

  it('ships the bundle, its source maps and the third-party notices, and no sources or tests', () => {
    const pkg = join(app, 'node_modules', 'kendis-jira');
    expect(existsSync(join(pkg, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'cli.js.map'))).toBe(true);
    expect(existsSync(join(pkg, 'dist', 'THIRD_PARTY_NOTICES.md'))).toBe(true);
    expect(existsSync(join(pkg, 'src'))).toBe(false);
    expect(existsSync(join(pkg, 'test'))).toBe(false);
  });

  it('runs --version', () => {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.skipIf(parts.skip)(`runs a full setup --sandbox --non-interactive with the real keychain${parts.note}`, async () => {
    const { inject } = await import('vitest');
    const home = tempDir('kj-pack-home-');
    const { freePort } = await import('../helpers/ports.js');
    const port = await freePort();
    const r = spawnSync(
      bin,
      ['setup', '--sandbox', '--non-interactive', '--no-browser', '--oauth-timeout', '20', '--redirect-uri', `http://localhost:${port}/callback`],
      {
        env: {
          PATH: `${join(app, 'node_modules', '.bin')}:${process.env.PATH!}`,
          HOME: home,
          KENDIS_JIRA_CONFIG_DIR: home,
          ...inject('keyringEnv')!,
          ...TEST_KEYCHAIN_ENV,
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('Saved profile "sandbox"');
    // Installed and on PATH: the printed commands use the command's own name.
    expect(r.stderr).toMatch(/^ {2}kendis-jira rotate-token --check --calendar kendis-token\.ics --profile sandbox$/m);
    expect(r.stderr).toMatch(/✔ App permissions: The 3 APIs and 6 Jira permissions were granted/);
    const status = spawnSync(bin, ['status', '--profile', 'sandbox', '--json'], {
      env: { PATH: process.env.PATH!, HOME: home, KENDIS_JIRA_CONFIG_DIR: home, ...inject('keyringEnv')!, ...TEST_KEYCHAIN_ENV },
      encoding: 'utf8',
    });
    expect(status.status).toBe(0);
  });
});
