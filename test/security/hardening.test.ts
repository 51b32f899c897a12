/**
 * What a red team found (issue "Hardening"), one test per item, through the built CLI where the
 * item is about the CLI's behaviour. Each fails without its fix.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { sampleProfile } from '../helpers/fixtures.js';
import { startTestSandbox } from '../helpers/sandbox-profile.js';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => sandbox?.close());
beforeEach(() => {
  sandbox.options.tenantCloudId = undefined;
  sandbox.options.myself = undefined;
});

const STEERING = /\u001b\]|\u001b\[2J|\u001b\[H|\u0007/;
const HOSTILE = '\u001b]52;c;ZXZpbCBjbGlwYm9hcmQ=\u0007\u001b[2J\u001b[H\n✔ All checks passed, nothing to see';

/** A profile stored in the 0600 file (no keychain needed), pointing at the sandbox. */
function fileProfile(profile: Partial<ReturnType<typeof sampleProfile>> = {}): string {
  const dir = join(tempDir('kj-hard-'), 'cfg');
  mkdirSync(dir, { mode: 0o700 });
  const p = sampleProfile({
    site: sandbox.url,
    cloudId: SANDBOX.cloudId,
    email: SANDBOX.email,
    endpoints: { auth: sandbox.authUrl, api: sandbox.apiUrl },
    clientId: SANDBOX.clientId,
    callbackUrl: SANDBOX.kendisCallbackUrl,
    storage: 'file',
    ...profile,
  });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, profiles: { default: p }, progress: {} }), { mode: 0o600 });
  writeFileSync(
    join(dir, 'secrets.json'),
    JSON.stringify({ version: 1, secrets: { 'default:client-secret': SANDBOX.clientSecret, 'default:api-token': SANDBOX.apiToken } }),
    { mode: 0o600 },
  );
  return dir;
}

describe('5. escape sequences from the network or a file never reach the terminal', () => {
  it('a site whose tenant_info cloud id is an escape-sequence payload: refused, printed nowhere, saved nowhere', async () => {
    sandbox.options.tenantCloudId = HOSTILE;
    const dir = join(tempDir('kj-hard-'), 'cfg');
    const r = await runCli(
      [
        'setup',
        '--non-interactive',
        '--insecure-storage',
        '--site',
        sandbox.url,
        '--email',
        SANDBOX.email,
        '--callback-url',
        SANDBOX.kendisCallbackUrl,
        '--client-id',
        SANDBOX.clientId,
        '--skip-oauth',
      ],
      {
        env: {
          KENDIS_JIRA_CONFIG_DIR: dir,
          DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/none`,
          KENDIS_JIRA_AUTH_URL: sandbox.authUrl,
          KENDIS_JIRA_API_URL: sandbox.apiUrl,
          KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret,
          KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken,
        },
      },
    );
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).not.toMatch(STEERING);
    expect(r.stderr).not.toMatch(/^✔ All checks passed/m);
    if (existsSync(join(dir, 'config.json'))) expect(readFileSync(join(dir, 'config.json'), 'utf8')).not.toContain('ZXZpbCBjbGlwYm9hcmQ');
  });

  it('a /myself answer with escapes and line breaks in the name is printed as one plain line', async () => {
    sandbox.options.myself = { displayName: HOSTILE, emailAddress: null };
    // --verbose: every detail, the account's name included, is printed.
    const r = await runCli(['test-connection', '--verbose'], { env: { KENDIS_JIRA_CONFIG_DIR: fileProfile() } });
    expect(r.stdout + r.stderr).not.toMatch(STEERING);
    expect(r.stdout).not.toMatch(/^✔ All checks passed/m);
    expect(r.stdout).toMatch(/Signed in as .*ZXZpbCBjbGlwYm9hcmQ.*All checks passed, nothing to see/);
  });

  it('a config file with a planted escape sequence is refused as damaged, without echoing it (exit 2)', async () => {
    const dir = fileProfile({ cloudId: HOSTILE });
    for (const command of [['status'], ['test-connection'], ['status', '--json']]) {
      const r = await runCli(command, { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
      expect(r.code, command.join(' ')).toBe(2);
      expect(r.stderr).toContain('damaged');
      expect(r.stdout + r.stderr).not.toMatch(STEERING);
    }
  });
});

function readSecrets(dir: string): Record<string, string> {
  return (JSON.parse(readFileSync(join(dir, 'secrets.json'), 'utf8')) as { secrets: Record<string, string> }).secrets;
}

/** A real (non-sandbox) profile "acme" with Atlassian's hosts, stored in the 0600 file. */
function realProfileDir(): string {
  const dir = join(tempDir('kj-hard-'), 'cfg');
  mkdirSync(dir, { mode: 0o700 });
  const acme = sampleProfile({ site: 'https://acme.atlassian.net', storage: 'file' });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ version: 1, profiles: { acme }, progress: {} }), { mode: 0o600 });
  writeFileSync(
    join(dir, 'secrets.json'),
    JSON.stringify({ version: 1, secrets: { 'acme:client-secret': 'REAL-client-secret-1234', 'acme:api-token': 'ATATT3xREALtoken-cannot-be-viewed-again' } }),
    { mode: 0o600 },
  );
  return dir;
}

describe('1. the sandbox never overwrites a real profile', () => {
  it('KENDIS_JIRA_PROFILE=acme setup --sandbox uses the "sandbox" profile; acme is untouched', async () => {
    const dir = realProfileDir();
    const before = readFileSync(join(dir, 'secrets.json'), 'utf8');
    const r = await runCli(['setup', '--sandbox', '--non-interactive', '--skip-oauth'], {
      env: { KENDIS_JIRA_CONFIG_DIR: dir, KENDIS_JIRA_PROFILE: 'acme', DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/none` },
      timeoutMs: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Saved profile "sandbox"');
    const secrets = readSecrets(dir);
    expect(secrets['acme:api-token']).toBe('ATATT3xREALtoken-cannot-be-viewed-again');
    expect(secrets['acme:client-secret']).toBe('REAL-client-secret-1234');
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).profiles.acme.site).toBe('https://acme.atlassian.net');
    expect(before).toContain('REALtoken');
  });

  it('setup --sandbox --profile acme refuses (exit 2) and changes nothing', async () => {
    const dir = realProfileDir();
    const before = [readFileSync(join(dir, 'secrets.json'), 'utf8'), readFileSync(join(dir, 'config.json'), 'utf8')];
    const r = await runCli(['setup', '--sandbox', '--non-interactive', '--skip-oauth', '--profile', 'acme'], {
      env: { KENDIS_JIRA_CONFIG_DIR: dir, DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/none` },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Profile "acme" is a real connection');
    expect([readFileSync(join(dir, 'secrets.json'), 'utf8'), readFileSync(join(dir, 'config.json'), 'utf8')]).toEqual(before);
  });
});

describe('2. credentials go only to Atlassian’s domains', () => {
  it.each([['https://acme.atlassian.net.evil.example'], ['https://acme-atlassian.net'], ['https://jira.example.com']])(
    '%s is refused without an explicit yes (exit 2), before any secret is read',
    async (site) => {
      const dir = join(tempDir('kj-hard-'), 'cfg');
      const r = await runCli(
        [
          'setup',
          '--non-interactive',
          '--insecure-storage',
          '--site',
          site,
          '--email',
          SANDBOX.email,
          '--callback-url',
          SANDBOX.kendisCallbackUrl,
          '--client-id',
          SANDBOX.clientId,
          '--skip-oauth',
        ],
        {
          env: {
            KENDIS_JIRA_CONFIG_DIR: dir,
            DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/none`,
            KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret,
            KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken,
          },
        },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("is not in Atlassian's domains");
      expect(r.stderr).toContain('--allow-non-atlassian-site');
      expect(r.stderr).not.toContain('Looking up');
    },
  );

  /**
   * test-connection after the gateway refused the token (401): what the site itself was sent. Every
   * request to the site but the credential-free tenant_info is recorded, with its Authorization
   * header, and answered 401 — so a request that should not have been made is seen, not swallowed.
   */
  async function afterGateway401(
    site: string,
  ): Promise<{ toSite: { request: string; authorization: string | undefined }[]; tenantInfoPending: number; stderr: string }> {
    const { MockAgent } = await import('undici');
    const { makeTestDeps } = await import('../helpers/test-deps.js');
    const { runTestConnection } = await import('../../src/commands/test-connection.js');
    const agent = new MockAgent();
    agent.disableNetConnect();
    const toSite: { request: string; authorization: string | undefined }[] = [];
    const authorizationOf = (headers: unknown): string | undefined => {
      const entries: [string, unknown][] = Array.isArray(headers)
        ? (headers as unknown[]).reduce<[string, unknown][]>((all, value, i, list) => (i % 2 === 0 ? [...all, [String(value), list[i + 1]]] : all), [])
        : Object.entries((headers ?? {}) as Record<string, unknown>);
      const found = entries.find(([name]) => name.toLowerCase() === 'authorization');
      return found === undefined ? undefined : String(found[1]);
    };
    const pool = agent.get(site);
    pool.intercept({ path: '/_edge/tenant_info', method: 'GET' }).reply(200, { cloudId: SANDBOX.cloudId });
    pool
      .intercept({ path: (path: string) => !path.startsWith('/_edge/tenant_info'), method: (method: string) => method.length > 0 })
      .reply((request) => {
        toSite.push({ request: `${request.method} ${request.path}`, authorization: authorizationOf(request.headers) });
        return { statusCode: 401, data: { message: 'Client must be authenticated' } };
      })
      .persist();
    agent
      .get('https://api.atlassian.com')
      .intercept({ path: () => true, method: 'GET' })
      .reply(401, { message: 'Client must be authenticated' })
      .persist();
    agent.get('https://auth.atlassian.com').intercept({ path: '/oauth/token', method: 'POST' }).reply(403, { error: 'invalid_grant' });
    const deps = makeTestDeps({ http: { dispatcher: agent } });
    await deps.config.update((c) => {
      c.profiles.default = sampleProfile({ site, cloudId: SANDBOX.cloudId, storage: 'file' });
    });
    await deps.secretBackend('file').set('default:client-secret', SANDBOX.clientSecret);
    await deps.secretBackend('file').set('default:api-token', SANDBOX.apiToken);
    // A failed check may end the command with an error: what matters is what was sent.
    await runTestConnection({ json: true, oauth: false, browser: false, redirectUri: undefined, oauthTimeoutSeconds: 30 }, deps).catch(() => undefined);
    return {
      toSite,
      tenantInfoPending: agent.pendingInterceptors().filter((i) => i.origin === site && i.path === '/_edge/tenant_info').length,
      stderr: deps.stderr.text,
    };
  }

  it('after a gateway 401, a site outside Atlassian’s domains is never sent the e-mail and token', async () => {
    const { toSite, tenantInfoPending, stderr } = await afterGateway401('https://jira.example.com');
    expect(tenantInfoPending, 'the site was asked its (credential-free) tenant_info').toBe(0);
    // Not a single request beyond tenant_info reached the site: no /rest/api/3/myself, no Authorization.
    expect(toSite).toEqual([]);
    expect(stderr).toContain("Not Atlassian's hosts: site https://jira.example.com");
  });

  it('(control) the same run against a site in Atlassian’s domains does ask the site, with the credentials — so the recorder above sees such a request', async () => {
    const { toSite } = await afterGateway401('https://acme.atlassian.net');
    expect(toSite).toEqual([
      { request: 'GET /rest/api/3/myself', authorization: `Basic ${Buffer.from(`${sampleProfile().email}:${SANDBOX.apiToken}`).toString('base64')}` },
    ]);
  });
});

describe('3. a configuration folder or file others can write or own is refused (exit 2)', () => {
  it.each([
    ['the folder is mode 0777', (dir: string) => chmodSync(dir, 0o777), /folder .* can be changed by other users \(mode 777\)/, 'chmod 700'],
    [
      'config.json is mode 0666',
      (dir: string) => chmodSync(join(dir, 'config.json'), 0o666),
      /file .*config\.json can be changed by other users \(mode 666\)/,
      'chmod 600',
    ],
    [
      'secrets.json is group-writable',
      (dir: string) => chmodSync(join(dir, 'secrets.json'), 0o620),
      /secrets\.json can be (changed|read) by other users/,
      'chmod 600',
    ],
    [
      'secrets.json is readable by others (0644)',
      (dir: string) => chmodSync(join(dir, 'secrets.json'), 0o644),
      /secrets file .*secrets\.json can be read by other users \(mode 644\)/,
      'chmod 600',
    ],
    // The project's own sentences, in full: Node's own ELOOP message ("too many symbolic links
    // encountered") must not be able to pass for the refusal.
    [
      'the folder is given with a trailing slash and is a link',
      (dir: string) => {
        const real = `${dir}-real`;
        renameSync(dir, real);
        symlinkSync(real, dir);
      },
      (dir: string) => `✖ The configuration folder ${dir} is a symbolic link; kendis-jira does not follow links for its configuration.\n`,
      'Set KENDIS_JIRA_CONFIG_DIR to a real folder of your own.',
    ],
    [
      'config.json is a link to a planted file',
      (dir: string) => {
        const planted = join(dir, '..', 'planted.json');
        renameSync(join(dir, 'config.json'), planted);
        symlinkSync(planted, join(dir, 'config.json'));
      },
      (dir: string) => `✖ ${dir}/config.json is a symbolic link; kendis-jira does not follow links for its configuration.\n`,
      'Replace it with a regular file (or set KENDIS_JIRA_CONFIG_DIR to a folder you own).',
    ],
  ] as const)('%s', async (_name, spoil, said, fix) => {
    const dir = fileProfile();
    spoil(dir);
    const before = sandbox.requests.length;
    const r = await runCli(['test-connection'], { env: { KENDIS_JIRA_CONFIG_DIR: `${dir}/` } });
    expect(r.code).toBe(2);
    if (typeof said === 'function') expect(r.stderr).toContain(said(dir));
    else expect(r.stderr).toMatch(said);
    expect(r.stderr).toContain(fix);
    // Refused before a single request: nothing was sent where a planted config could point.
    expect(sandbox.requests.slice(before)).toEqual([]);
  });

  it.skipIf(process.getuid?.() !== 0)('a folder owned by another user (as root: chown to nobody)', async () => {
    const dir = fileProfile();
    chownSync(dir, 65534, 65534);
    const r = await runCli(['status'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/belongs to another user \(uid 65534\)/);
    expect(r.stderr).toContain(`chown ${process.getuid?.()}`);
  });

  it('a file where the folder should be is one sentence, exit 2', async () => {
    const file = join(tempDir('kj-hard-'), 'not-a-folder');
    writeFileSync(file, 'x');
    const r = await runCli(['status'], { env: { KENDIS_JIRA_CONFIG_DIR: file } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('should be the configuration folder, but it is a file');
  });
});

describe('5. (red team) saved progress and invisible characters', () => {
  it('an escape sequence planted in saved progress is refused as damaged, never printed (exit 2)', async () => {
    const dir = fileProfile();
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    config.progress.other = { step: 1, answers: { site: HOSTILE }, updatedAt: '2026-11-29T00:00:00.000Z' };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    const r = await runCli(['setup', '--profile', 'other', '--non-interactive', '--insecure-storage'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toMatch(STEERING);
  });

  it('bidi overrides and invisible characters from the network are removed', async () => {
    sandbox.options.myself = { displayName: 'Eve\u202Eeulav\u2066 \u200bA\u00adB\ufeff\u061c', emailAddress: null };
    const r = await runCli(['test-connection', '--verbose'], { env: { KENDIS_JIRA_CONFIG_DIR: fileProfile() } });
    expect(r.stdout + r.stderr).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b\u00ad\ufeff\u061c]/);
    expect(r.stdout).toContain('Signed in as Eveeulav AB');
  });
});

describe('4. endpoints that are not Atlassian’s are said on every run and shown by status', () => {
  it('test-connection and status warn about the loopback hosts; status lists them', async () => {
    const dir = fileProfile();
    const test = await runCli(['test-connection'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(test.stderr).toContain(`Not Atlassian's hosts: auth ${sandbox.authUrl}, API ${sandbox.apiUrl}, site ${sandbox.url}`);
    const status = await runCli(['status'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(status.stdout).toMatch(new RegExp(`Atlassian hosts +${sandbox.authUrl}, ${sandbox.apiUrl}`));
    expect(status.stderr).toContain("Not Atlassian's hosts");
  });

  it('a profile on Atlassian’s own hosts gets no such warning', async () => {
    const dir = realProfileDir();
    const status = await runCli(['status', '--profile', 'acme'], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('https://auth.atlassian.com, https://api.atlassian.com');
    expect(status.stderr).not.toContain("Not Atlassian's hosts");
  });
});

describe('6. --calendar never follows a planted link', () => {
  it('a link at the calendar path is refused (exit 2) and its target is untouched; a plain path is written', async () => {
    const dir = fileProfile();
    const work = tempDir('kj-cal-');
    const target = join(work, 'victim.txt');
    writeFileSync(target, 'precious');
    symlinkSync(target, join(work, 'kendis.ics'));
    const r = await runCli(['rotate-token', '--check', '--calendar', join(work, 'kendis.ics')], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a symbolic link');
    expect(readFileSync(target, 'utf8')).toBe('precious');
    const ok = await runCli(['rotate-token', '--check', '--calendar', join(work, 'plain.ics')], { env: { KENDIS_JIRA_CONFIG_DIR: dir } });
    expect(ok.code).toBe(0);
    expect(readFileSync(join(work, 'plain.ics'), 'utf8')).toContain('BEGIN:VCALENDAR');
    expect(readdirSync(work).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('8. an endless answer is cut off', () => {
  it('a site streaming without end: exit 1 with one sentence, bounded time and memory', async () => {
    const { createServer } = await import('node:http');
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (res.write(chunk)) {
          /* fill the buffer */
        }
      };
      res.on('drain', pump);
      pump();
      res.on('close', () => res.off('drain', pump));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const site = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const dir = join(tempDir('kj-hard-'), 'cfg');
      const started = Date.now();
      const r = await runCli(
        [
          'setup',
          '--non-interactive',
          '--insecure-storage',
          '--site',
          site,
          '--email',
          SANDBOX.email,
          '--callback-url',
          SANDBOX.kendisCallbackUrl,
          '--client-id',
          SANDBOX.clientId,
          '--skip-oauth',
        ],
        {
          env: {
            KENDIS_JIRA_CONFIG_DIR: dir,
            DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/none`,
            KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret,
            KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken,
          },
        },
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/The answer from 127\.0\.0\.1:\d+ was larger than 4 MB/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('9. the docs never put a secret on a command line', () => {
  it.each([['README.md'], ['SECURITY.md']])('%s', (file) => {
    const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    expect(text).not.toMatch(/KENDIS_JIRA_(CLIENT_SECRET|API_TOKEN)=\S/);
  });
  it('setup --help shows `read -rs` for the secrets', async () => {
    const r = await runCli(['help', 'setup']);
    expect(r.stdout).not.toMatch(/KENDIS_JIRA_(CLIENT_SECRET|API_TOKEN)=\S/);
    expect(r.stdout).toContain('read -rs KENDIS_JIRA_API_TOKEN && export KENDIS_JIRA_API_TOKEN');
  });
});
