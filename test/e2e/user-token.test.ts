/**
 * Every Kendis user, not only the admin: `setup --user` sets up a user's own scoped token, and
 * test-connection, rotate-token, status and logout work on that kind of profile (built CLI,
 * sandbox, real Secret Service).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { USER_TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { PROBES } from '../../src/atlassian/probes.js';
import { runCli } from '../helpers/cli.js';
import { PtySession } from '../helpers/pty.js';
import { tempDir } from '../helpers/test-deps.js';
import { startTestSandbox } from '../helpers/sandbox-profile.js';
import { needs } from '../helpers/real-parts.js';
import { keychainAccounts } from '../helpers/secret-tool.js';

const keyringEnv = inject('keyringEnv');
const parts = needs('keyring');
let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(async () => sandbox?.close());

const keychainItems = (profile: string): string[] => keychainAccounts({ ...process.env, ...keyringEnv! }, profile);

type Doc = { ok: boolean; checks: { id: string; status: string; detail: string }[] };

describe.skipIf(parts.skip)(`setup --user: a Kendis user's own token${parts.note}`, () => {
  let n = 0;
  const fresh = () => {
    n += 1;
    const home = tempDir('kj-user-');
    const profile = `user${process.pid}x${n}`;
    const env = { HOME: home, KENDIS_JIRA_CONFIG_DIR: home, ...keyringEnv!, KENDIS_JIRA_AUTH_URL: sandbox.authUrl, KENDIS_JIRA_API_URL: sandbox.apiUrl };
    return { profile, env };
  };
  const setupUser = (f: ReturnType<typeof fresh>, token: string = SANDBOX.userApiToken) =>
    runCli(['setup', '--user', '--non-interactive', '--profile', f.profile, '--site', sandbox.url, '--email', SANDBOX.email, '--token-expires', '2027-08-01'], {
      env: { ...f.env, KENDIS_JIRA_API_TOKEN: token },
    });

  it('stores exactly one keychain item, the user’s token; test-connection has one scope check per user scope and nothing that needs a client secret', async () => {
    const f = fresh();
    const setup = await setupUser(f);
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stderr).toContain('Step 2 of 2');
    expect(setup.stderr).toContain('Profile settings');
    expect(keychainItems(f.profile)).toEqual([`${f.profile}:api-token`]);

    const test = await runCli(['test-connection', '--json', '--profile', f.profile], { env: f.env });
    expect(test.code, test.stderr).toBe(0);
    const doc = JSON.parse(test.stdout) as Doc;
    const scopeChecks = doc.checks.filter((c) => c.id.startsWith('scope:'));
    expect(scopeChecks.map((c) => c.id.slice(6)).sort()).toEqual([...USER_TOKEN_SCOPES].sort());
    for (const c of scopeChecks) expect(['pass', 'skip'], c.id).toContain(c.status);
    for (const p of PROBES.filter((x) => USER_TOKEN_SCOPES.includes(x.scope)))
      expect(doc.checks.find((c) => c.id === `scope:${p.scope}`)?.status, p.scope).toBe('pass');
    expect(doc.checks.map((c) => c.id)).not.toContain('oauth-client');
    expect(doc.checks.find((c) => c.id === 'scope:delete:cmdb-object:jira')?.detail).toContain('Assets');
    // The user's Jira permissions do not include Administer Jira.
    expect(doc.checks.find((c) => c.id === 'jira-permissions')?.detail).not.toContain('Administer Jira');

    const status = await runCli(['status', '--json', '--profile', f.profile], { env: f.env });
    expect(JSON.parse(status.stdout)).toMatchObject({ kind: 'user' });
    expect(JSON.parse(status.stdout).clientId).toBeUndefined();
    const check = await runCli(['rotate-token', '--check', '--profile', f.profile], { env: f.env });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('2027-08-01');
    const logout = await runCli(['logout', '--yes', '--profile', f.profile], { env: f.env });
    expect(logout.code).toBe(0);
    expect(keychainItems(f.profile)).toEqual([]);
  });

  it.each(PROBES.filter((p) => USER_TOKEN_SCOPES.includes(p.scope)).map((p) => [p.scope] as const))(
    'a user token without %s fails that scope check and is not stored',
    async (scope) => {
      const f = fresh();
      const token = `ATATT3x-user-without-${scope}`;
      sandbox.options.tokens!.push({ token, email: SANDBOX.email, scopes: USER_TOKEN_SCOPES.filter((s) => s !== scope) });
      const r = await setupUser(f, token);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(scope);
      expect(keychainItems(f.profile)).toEqual([]);
    },
  );

  it('a user token never replaces the ALM account’s profile (and back): the sandbox keeps it in sandbox-user; exit 2 naming --profile; the user can rotate in the sandbox', async () => {
    const home = tempDir('kj-user-');
    const env = { HOME: home, KENDIS_JIRA_CONFIG_DIR: home, DBUS_SESSION_BUS_ADDRESS: `unix:path=${home}/no-bus` };
    expect((await runCli(['setup', '--sandbox', '--non-interactive', '--skip-oauth'], { env })).code).toBe(0);
    // The sandbox keeps a user's token in a profile of its own, beside the ALM account's.
    const own = await runCli(['setup', '--sandbox', '--user', '--non-interactive'], { env });
    expect(own.code, own.stderr).toBe(0);
    expect(own.stderr).toContain('Saved profile "sandbox-user"');
    const clash = await runCli(['setup', '--sandbox', '--user', '--non-interactive', '--profile', 'sandbox'], { env });
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('is the organisation’s ALM account');
    expect(clash.stderr).toContain('--user --profile me');
    const mine = await runCli(['setup', '--sandbox', '--user', '--non-interactive', '--profile', 'me'], { env });
    expect(mine.code, mine.stderr).toBe(0);
    const rotate = await runCli(['rotate-token', '--profile', 'me', '--non-interactive'], { env });
    expect(rotate.code, rotate.stderr).toBe(0);
    expect(rotate.stderr).toContain('verified and stored');
    const ics = join(home, 'me.ics');
    expect((await runCli(['rotate-token', '--check', '--calendar', ics, '--profile', 'me'], { env })).code).toBe(0);
    expect(readFileSync(ics, 'utf8').replace(/\r\n /g, '')).toContain('your Kendis Profile settings');
  });

  it('every probe of the user token is harmless: the sandbox saw no successful write or delete', async () => {
    const writes = sandbox.requests.filter((q) => q.origin === 'api' && q.method !== 'GET' && q.status >= 200 && q.status < 300);
    expect(writes).toEqual([]);
  });

  it('interactively, setup asks which kind first and walks the user flow', async () => {
    const f = fresh();
    const session = new PtySession(['setup', '--profile', f.profile], { PATH: process.env.PATH!, TERM: 'xterm-256color', ...f.env } as Record<string, string>);
    try {
      await session.answer('What are you setting up?', '\u001b[B\r'); // "My own scoped API token"
      await session.answer('Your Jira Cloud site', `${sandbox.url}\r`);
      await session.answer('Your Atlassian account e-mail', `${SANDBOX.email}\r`);
      await session.waitFor('Step 1 of 2');
      await session.answer('API token (hidden', `${SANDBOX.userApiToken}\r`);
      await session.answer('The expiry date you picked', '\r');
      await session.waitFor('Step 2 of 2');
      await session.answer('Optional: the Jira project keys', '\r');
      const before = session.text.length;
      await session.answer('The token, to paste into Kendis:', '\u001b[B\r'); // "Show it on this terminal"
      expect(await session.exit()).toBe(0);
      // Shown once, only after the explicit yes, and never before it.
      expect(session.text.slice(0, before)).not.toContain(SANDBOX.userApiToken);
      expect(session.text.slice(before).split(SANDBOX.userApiToken).length - 1).toBe(1);
    } finally {
      session.kill();
    }
    expect(session.text).toContain('Profile settings');
    expect(session.text).toContain('Delete (10):');
    expect(session.text).toContain('Kendis User Scope Token');
    expect(keychainItems(f.profile)).toEqual([`${f.profile}:api-token`]);
  }, 60_000);
});
