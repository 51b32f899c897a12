/** rotate-token, status and logout (issue 6). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { parseRotateOptions, runRotateToken } from '../../src/commands/rotate-token.js';
import { runStatus } from '../../src/commands/status.js';
import { runLogout } from '../../src/commands/logout.js';
import { withProfileLock } from '../../src/config/lock.js';
import { runTestConnection } from '../../src/commands/test-connection.js';
import { ChecksFailedError, NotConfiguredError, RotationDueError, UsageError } from '../../src/errors.js';
import { makeTestDeps, tempDir, type TestDeps } from '../helpers/test-deps.js';
import { saveSandboxProfile } from '../helpers/sandbox-profile.js';
import { ScriptedPrompter } from '../helpers/scripted-prompter.js';
import { MemoryBackend } from '../../src/secrets/memory-backend.js';
import { startTestSandbox } from '../helpers/sandbox-profile.js';

let sandbox: RunningSandbox;
const NEW = 'ATATT3x-the-new-token-0001';
const now = new Date(2026, 10, 29, 12, 0);

beforeEach(async () => {
  sandbox = await startTestSandbox();
  sandbox.options.tokens!.push({ token: NEW, email: SANDBOX.email, scopes: [...TOKEN_SCOPES] });
});
afterEach(async () => sandbox.close());

const rotateOpts = (raw: Record<string, unknown> = {}) => parseRotateOptions(raw, now);

describe('rotate-token', () => {
  it('verifies the new token, then swaps it and records the new expiry', async () => {
    const deps = makeTestDeps({ env: { KENDIS_JIRA_API_TOKEN: NEW }, now });
    await saveSandboxProfile(deps, sandbox);
    await runRotateToken(rotateOpts({ tokenExpires: '2027-11-01' }), deps);
    expect(await deps.keychain.get('default:api-token')).toBe(NEW);
    expect((await deps.config.getProfile('default'))?.token.expiresOn).toBe('2027-11-01');
    expect(deps.stderr.text).toContain('paste the new Scope-Based API Token');
    expect(deps.stderr.text).toContain('Revoke the old token');
    expect(deps.stderr.text).not.toContain(NEW);
  });

  it('a new token missing a scope changes nothing (exit 1) and the old one still passes', async () => {
    sandbox.options.tokens!.push({
      token: 'ATATT3x-no-sprint-write',
      email: SANDBOX.email,
      scopes: TOKEN_SCOPES.filter((s) => s !== 'write:sprint:jira-software'),
    });
    const deps = makeTestDeps({ env: { KENDIS_JIRA_API_TOKEN: 'ATATT3x-no-sprint-write' }, now });
    await saveSandboxProfile(deps, sandbox);
    const error = await runRotateToken(rotateOpts({ tokenExpires: '2027-11-01' }), deps).then(
      () => new Error('no error'),
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(ChecksFailedError);
    expect(error.message).toContain('Update and delete sprints');
    expect(error.message).toContain('old token is still stored');
    expect(await deps.keychain.get('default:api-token')).toBe(SANDBOX.apiToken);
    expect((await deps.config.getProfile('default'))?.token.expiresOn).toBe('2027-11-20');
    const check = makeTestDeps({ configDir: deps.configDirPath, keychain: deps.keychain, now });
    await runTestConnection({ json: true, oauth: false, browser: false, redirectUri: undefined, oauthTimeoutSeconds: 30 }, check);
    expect(JSON.parse(check.stdout.text).ok).toBe(true);
  });

  it('a rejected token changes nothing', async () => {
    const deps = makeTestDeps({ env: { KENDIS_JIRA_API_TOKEN: 'ATATT3x-revoked-token' }, now });
    await saveSandboxProfile(deps, sandbox);
    await expect(runRotateToken(rotateOpts(), deps)).rejects.toBeInstanceOf(ChecksFailedError);
    expect(await deps.keychain.get('default:api-token')).toBe(SANDBOX.apiToken);
  });

  it('refuses the same token again, a past date, and a missing token non-interactively', async () => {
    const same = makeTestDeps({ env: { KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken }, now });
    await saveSandboxProfile(same, sandbox);
    await expect(runRotateToken(rotateOpts(), same)).rejects.toThrow('already stored');
    // A past date is refused with the options, before anything is read or asked.
    expect(() => parseRotateOptions({ tokenExpires: '2026-01-01' }, new Date(now))).toThrow(UsageError);
    const none = makeTestDeps({ env: {}, now });
    await saveSandboxProfile(none, sandbox);
    await expect(runRotateToken(rotateOpts(), none)).rejects.toThrow('KENDIS_JIRA_API_TOKEN');
  });

  it('a token that signs in as another account is not stored (the sign-in must pass, not warn)', async () => {
    const deps = makeTestDeps({ env: { KENDIS_JIRA_API_TOKEN: NEW }, now });
    await saveSandboxProfile(deps, sandbox);
    sandbox.options.myself = { emailAddress: 'someone.else@example.com' };
    await expect(runRotateToken(rotateOpts({ tokenExpires: '2027-10-10' }), deps)).rejects.toBeInstanceOf(ChecksFailedError);
    expect(await deps.keychain.get('default:api-token')).toBe(SANDBOX.apiToken);
    expect(deps.stderr.text).toContain('signs in as someone.else@example.com');
  });

  it('a profile set up again while the new token was being checked is not given that token', async () => {
    const deps = makeTestDeps({ now });
    const verifiedFor = await saveSandboxProfile(deps, sandbox);
    // Meanwhile a setup replaced the profile (another e-mail, a new updatedAt).
    await deps.config.update((c) => {
      c.profiles.default = { ...c.profiles.default!, email: 'second@example.com', updatedAt: '2026-11-29T13:00:00.000Z' };
    });
    const { swapInToken } = await import('../../src/profiles/rotation.js');
    await expect(swapInToken({ deps, profile: 'default', token: NEW, expiresOn: '2027-10-10', verifiedFor })).rejects.toThrow(
      'was set up again while the new token was being checked',
    );
    expect(await deps.keychain.get('default:api-token')).toBe(SANDBOX.apiToken);
    expect((await deps.config.getProfile('default'))?.generation).toBeUndefined();
    expect((await deps.config.load()).leftovers).toEqual([]);
  });

  it('a keychain that stops answering after the swap: the new token is saved and said so, and the next command settles it', async () => {
    const keychain = new MemoryBackend();
    const deps = makeTestDeps({ now, keychain });
    const verifiedFor = await saveSandboxProfile(deps, sandbox);
    const set = keychain.set.bind(keychain);
    let refused = false;
    keychain.set = async (account, value) => {
      // The settling's copy back to the usual name fails once.
      if (account === 'default:api-token' && !refused) {
        refused = true;
        throw new Error('the keychain stopped answering');
      }
      return set(account, value);
    };
    const { swapInToken } = await import('../../src/profiles/rotation.js');
    await swapInToken({ deps, profile: 'default', token: NEW, expiresOn: '2027-10-10', verifiedFor });
    expect(refused).toBe(true);
    expect(deps.stderr.text).toContain('Saved, but moving the secrets back to their usual keychain names did not finish');
    const saved = await deps.config.getProfile('default');
    expect(saved?.token.expiresOn).toBe('2027-10-10');
    expect(await keychain.get(`default:${saved?.generation}:api-token`)).toBe(NEW);
    const { tidy } = await import('../../src/profiles/transaction.js');
    await tidy(deps);
    expect((await deps.config.getProfile('default'))?.generation).toBeUndefined();
    expect([...keychain.entries.keys()].sort()).toEqual(['default:api-token', 'default:client-secret']);
    expect(await keychain.get('default:api-token')).toBe(NEW);
  });

  it('two rotations at once: the second, verified against the token the first replaced, stores nothing and says the first is kept', async () => {
    const deps = makeTestDeps({ now });
    const verifiedFor = await saveSandboxProfile(deps, sandbox);
    const { swapInToken } = await import('../../src/profiles/rotation.js');
    const first = 'ATATT3x-the-first-rotation-01';
    // Both read the profile (verifiedFor) before either stored; the first stores, then the second tries.
    await swapInToken({ deps, profile: 'default', token: first, expiresOn: '2027-09-09', verifiedFor });
    await expect(swapInToken({ deps, profile: 'default', token: NEW, expiresOn: '2027-10-10', verifiedFor })).rejects.toThrow(
      'Another rotate-token stored a new token for profile "default" (expires 2027-09-09) while this one was being checked, so this token was not stored',
    );
    expect(await deps.keychain.get('default:api-token')).toBe(first);
    const saved = await deps.config.getProfile('default');
    expect(saved?.token.expiresOn).toBe('2027-09-09');
    expect(saved?.generation).toBeUndefined();
    expect(await deps.keychain.get('default:client-secret')).toBe(SANDBOX.clientSecret);
    // Read again after the first, the second goes through.
    await swapInToken({ deps, profile: 'default', token: NEW, expiresOn: '2027-10-10', verifiedFor: saved! });
    expect(await deps.keychain.get('default:api-token')).toBe(NEW);
  });

  it('interactive: asks for the token (masked) and its expiry; the old token pasted again is asked again; the new one is shown on a yes', async () => {
    const prompter = new ScriptedPrompter([
      { id: 'api-token', answer: SANDBOX.apiToken },
      { id: 'api-token', answer: NEW },
      { id: 'token.expires', answer: '2027-10-10' },
      { id: 'reveal', answer: 'show' },
    ]);
    const deps = makeTestDeps({ prompter, interactive: true, now });
    await saveSandboxProfile(deps, sandbox);
    await runRotateToken(rotateOpts({ browser: false }), deps);
    prompter.assertDone();
    expect(await deps.keychain.get('default:api-token')).toBe(NEW);
    expect((await deps.config.getProfile('default'))?.token.expiresOn).toBe('2027-10-10');
    expect(deps.stderr.text).toContain('That is the token already stored, not a new one');
    // Shown once, on stdout (the terminal), never on stderr.
    expect(deps.stdout.text.split(NEW).length - 1).toBe(1);
    expect(deps.stderr.text).not.toContain(NEW);
  });

  describe('--check', () => {
    it.each([
      ['2026-11-28', true, 'expired'],
      ['2026-11-29', true, 'expires today'],
      ['2026-12-13', true, 'within (14 days)'],
      ['2026-12-14', false, 'outside (15 days)'],
    ])('%s ⇒ due %s (%s)', async (expiresOn, due) => {
      const deps = makeTestDeps({ now });
      await saveSandboxProfile(deps, sandbox, { profile: { token: { expiresOn } } });
      const result = await runRotateToken(rotateOpts({ check: true, json: true }), deps).catch((e: unknown) => e);
      if (due) expect(result).toBeInstanceOf(RotationDueError);
      else expect(result).toBeUndefined();
      expect(JSON.parse(deps.stdout.text)).toMatchObject({ expiresOn, due });
      expect(sandbox.requests).toHaveLength(0);
    });

    it('--within changes the window, and --calendar writes an .ics reminder', async () => {
      const deps = makeTestDeps({ now });
      await saveSandboxProfile(deps, sandbox, { profile: { token: { expiresOn: '2027-01-20' } } });
      const file = join(tempDir(), 'reminder.ics');
      await expect(runRotateToken(rotateOpts({ check: true, within: '60', calendar: file }), deps)).rejects.toBeInstanceOf(RotationDueError);
      const ics = readFileSync(file, 'utf8');
      expect(ics).toContain('BEGIN:VCALENDAR');
      expect(ics).toContain('DTSTART;VALUE=DATE:20261129');
      // Lines are folded at 75 octets (RFC 5545): unfold before reading the text.
      for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
      expect(ics.replace(/\r\n /g, '')).toContain('kendis-jira rotate-token');
      expect(ics).not.toContain(SANDBOX.apiToken);
      // A CLI run from a clone at a path with a space: the reminder's command is absolute and quoted.
      const spaced = makeTestDeps({ now });
      const { runAs } = await import('../../src/io/typed.js');
      runAs("node 'my clone/bin/kendis-jira.js'");
      await saveSandboxProfile(spaced, sandbox, { profile: { token: { expiresOn: '2027-01-20' } } });
      const file2 = join(tempDir(), 'r2.ics');
      await expect(runRotateToken(rotateOpts({ check: true, within: '60', calendar: file2 }), spaced))
        .rejects.toBeInstanceOf(RotationDueError)
        .finally(() => runAs('kendis-jira'));
      expect(readFileSync(file2, 'utf8').replace(/\r\n /g, '')).toContain(`Run: node '${join(process.cwd(), 'my clone/bin/kendis-jira.js')}' rotate-token`);
      // The message names the day the reminder is really for: today, the window being longer than the days left.
      expect(deps.stderr.text).toContain('for today, 2026-11-29 (the token expires sooner than 60 days from now)');
    });

    it('says that --token-expires is ignored with --check, and names a missing calendar folder plainly', async () => {
      const deps = makeTestDeps({ now });
      await saveSandboxProfile(deps, sandbox, { profile: { token: { expiresOn: '2027-09-20' } } });
      await runRotateToken(rotateOpts({ check: true, tokenExpires: '2027-12-01' }), deps);
      expect(deps.stderr.text).toContain('--token-expires is ignored with --check');
      const error = await runRotateToken(rotateOpts({ check: true, calendar: join(tempDir(), 'no', 'such', 'k.ics') }), deps).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((error as Error).message).toMatch(/k\.ics: its folder does not exist\.$/);
    });

    it('rejects a bad --within', () => {
      expect(() => parseRotateOptions({ within: '-1', check: true })).toThrow(UsageError);
      expect(() => parseRotateOptions({ within: 'soon', check: true })).toThrow(UsageError);
    });
  });
});

describe('status', () => {
  it('shows everything but the secret values, and where each lives', async () => {
    const deps = makeTestDeps({ env: { KENDIS_JIRA_API_TOKEN: 'from-the-environment' }, now });
    await saveSandboxProfile(deps, sandbox);
    await runStatus({ json: true }, deps);
    const doc = JSON.parse(deps.stdout.text);
    expect(doc).toMatchObject({ site: sandbox.url, email: SANDBOX.email, clientId: SANDBOX.clientId, token: { expiresOn: '2027-11-20', daysLeft: 356 } });
    expect(doc.secrets.clientSecret.location).toBe('keychain');
    expect(doc.secrets.apiToken.location).toBe('environment');
    expect(deps.stdout.text).not.toContain(SANDBOX.clientSecret);
    expect(deps.stdout.text).not.toContain('from-the-environment');
  });

  it('warns on stderr when the token expires within 30 days', async () => {
    const deps = makeTestDeps({ now });
    await saveSandboxProfile(deps, sandbox, { profile: { token: { expiresOn: '2026-12-10' } } });
    await runStatus({ json: false }, deps);
    expect(deps.stdout.text).toContain('2026-12-10 (11 days left)');
    expect(deps.stderr.text).toContain('rotate-token');
  });

  it('exits 3 with no profile', async () => {
    await expect(runStatus({ json: false }, makeTestDeps())).rejects.toBeInstanceOf(NotConfiguredError);
  });
});

describe('logout and several profiles', () => {
  it('removes only the chosen profile and its keychain entries', async () => {
    const keychain = new MemoryBackend();
    const dir = tempDir();
    const a = makeTestDeps({ configDir: dir, keychain, globals: { profile: 'site-a' } });
    const b = makeTestDeps({ configDir: dir, keychain, globals: { profile: 'site-b' } });
    await saveSandboxProfile(a, sandbox, { name: 'site-a' });
    await saveSandboxProfile(b, sandbox, { name: 'site-b', apiToken: NEW });
    await expect(runLogout({ yes: false }, a)).rejects.toBeInstanceOf(UsageError);
    await runLogout({ yes: true }, a);
    expect(await a.config.getProfile('site-a')).toBeUndefined();
    expect(await keychain.get('site-a:api-token')).toBeNull();
    expect(await b.config.getProfile('site-b')).toBeDefined();
    expect(await keychain.get('site-b:api-token')).toBe(NEW);
    await runStatus({ json: true }, b);
    expect(JSON.parse(b.stdout.text).profile).toBe('site-b');
  });

  it('also removes the staged secrets of an unfinished setup of it', async () => {
    const deps = makeTestDeps();
    await saveSandboxProfile(deps, sandbox);
    await deps.config.update((c) => {
      c.progress.default = {
        step: 6,
        answers: { storage: 'keychain', target: 'atlassian' },
        updatedAt: '2026-11-29T00:00:00.000Z',
        staged: { generation: 'g0123456789ab', storage: 'keychain' },
      };
    });
    await deps.keychain.set('default:g0123456789ab:api-token', 'staged-token-value');
    await deps.keychain.set('default:g0123456789ab:client-secret', 'staged-secret-value');
    await runLogout({ yes: true }, deps);
    expect((deps.keychain as MemoryBackend).entries.size).toBe(0);
  });

  it('an unfinished setup (progress only) is removed without advice about Kendis, which never saw it', async () => {
    const deps = makeTestDeps();
    await deps.config.update((c) => {
      c.progress.default = {
        step: 1,
        answers: { site: 'https://acme.atlassian.net', email: 'a@acme.com', target: 'atlassian', kind: 'alm-account', storage: 'keychain' },
        updatedAt: '2026-11-29T00:00:00.000Z',
      };
    });
    await runLogout({ yes: true }, deps);
    expect((await deps.config.load()).progress).toEqual({});
    expect(deps.stderr.text).toContain('It was an unfinished setup: nothing of it reached Kendis');
    expect(deps.stderr.text).not.toContain('the ALM Account still holds');
  });

  it('a second store an unfinished setup once used, now unreachable, is warned about; the profile is still removed', async () => {
    const keychain = new MemoryBackend();
    const deps = makeTestDeps({ keychain });
    await saveSandboxProfile(deps, sandbox, { profile: { storage: 'file' } });
    await deps.config.update((c) => {
      c.progress.default = { step: 2, answers: { storage: 'keychain', target: 'atlassian' }, updatedAt: '2026-11-29T00:00:00.000Z' };
    });
    keychain.failWith = new Error('no Secret Service');
    await runLogout({ yes: true }, deps);
    expect(await deps.config.getProfile('default')).toBeUndefined();
    expect(deps.stderr.text).toContain('Could not reach memory (tests)');
  });

  it('waits for the profile’s lock (a rotation storing its token) and then removes what that rotation stored', async () => {
    const deps = makeTestDeps();
    await saveSandboxProfile(deps, sandbox);
    let logoutDone = false;
    let logout: Promise<void> | undefined;
    await withProfileLock(deps.config, 'default', async () => {
      logout = runLogout({ yes: true }, deps).then(() => {
        logoutDone = true;
      });
      // While the lock is held, logout removes nothing; the holder stores a new token meanwhile.
      await new Promise((r) => setTimeout(r, 300));
      expect(logoutDone).toBe(false);
      expect(await deps.config.getProfile('default')).toBeDefined();
      await deps.keychain.set('default:api-token', NEW);
    });
    await logout;
    expect(await deps.config.getProfile('default')).toBeUndefined();
    expect(await deps.keychain.get('default:api-token')).toBeNull();
  });

  it('a profile set up again (another site) while logout waited is not removed: that is not what was confirmed', async () => {
    const deps = makeTestDeps();
    await saveSandboxProfile(deps, sandbox);
    let logout: Promise<unknown> | undefined;
    await withProfileLock(deps.config, 'default', async () => {
      logout = runLogout({ yes: true }, deps).then(
        () => undefined,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 200));
      await deps.config.update((c) => {
        c.profiles.default = { ...c.profiles.default!, site: 'https://other.atlassian.net', sandbox: false };
      });
    });
    const error = (await logout) as Error;
    expect(error.message).toContain('Profile "default" changed while you were confirming (it is now https://other.atlassian.net), so nothing was removed.');
    expect((await deps.config.getProfile('default'))?.site).toBe('https://other.atlassian.net');
    expect(await deps.keychain.get('default:api-token')).toBe(SANDBOX.apiToken);
  });

  it('asks for confirmation interactively, and "no" removes nothing', async () => {
    const prompter = new ScriptedPrompter([{ id: 'logout.confirm', answer: false }]);
    const deps = makeTestDeps({ prompter, interactive: true });
    await saveSandboxProfile(deps, sandbox);
    await runLogout({ yes: false }, deps);
    prompter.assertDone();
    expect(await deps.config.getProfile('default')).toBeDefined();
  });
});

export type { TestDeps };
