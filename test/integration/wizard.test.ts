/** The setup wizard with a strict scripted prompter, against the sandbox (issue 4 acceptance). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningSandbox } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { runSetup } from '../../src/commands/setup.js';
import type { SetupOptions } from '../../src/commands/setup.js';
import { CancelledError, ChecksFailedError, KeychainUnavailableError, NotConfiguredError, UsageError } from '../../src/errors.js';
import { runStatus } from '../../src/commands/status.js';
import { MemoryBackend } from '../../src/secrets/memory-backend.js';
import { sampleProfile } from '../helpers/fixtures.js';
import { untilWithdrawn, ScriptedPrompter, CANCEL, type Scripted } from '../helpers/scripted-prompter.js';
import { makeTestDeps, tempDir, type TestDeps } from '../helpers/test-deps.js';
import { followInBrowser } from '../helpers/sandbox-profile.js';
import { freePort } from '../helpers/ports.js';
import { startTestSandbox, localCallback, saveSandboxProfile } from '../helpers/sandbox-profile.js';

let sandbox: RunningSandbox;
let port: number;

beforeEach(async () => {
  sandbox = await startTestSandbox({ autoApprove: true });
  port = await freePort();
});
afterEach(async () => sandbox.close());

function options(overrides: Partial<SetupOptions> = {}): SetupOptions {
  return {
    site: undefined,
    email: undefined,
    appId: undefined,
    callbackUrl: undefined,
    clientId: undefined,
    tokenExpires: undefined,
    redirectUri: localCallback(sandbox, port),
    oauthTimeoutSeconds: 20,
    browser: true,
    skipOAuth: false,
    insecureStorage: false,
    sandbox: false,
    restart: false,
    allowNonAtlassianSite: false,
    user: false,
    ...overrides,
  };
}

function interactive(script: Scripted[], extra: { keychain?: MemoryBackend; configDir?: string; onOpen?: (url: string) => void } = {}) {
  const prompter = new ScriptedPrompter(script);
  const deps = makeTestDeps({
    prompter,
    interactive: true,
    env: { KENDIS_JIRA_AUTH_URL: sandbox.authUrl, KENDIS_JIRA_API_URL: sandbox.apiUrl },
    browserOpens: true,
    onOpen: extra.onOpen ?? ((url) => void (url.startsWith(sandbox.authUrl) && followInBrowser(url))),
    ...(extra.keychain ? { keychain: extra.keychain } : {}),
    ...(extra.configDir ? { configDir: extra.configDir } : {}),
  });
  return { deps, prompter };
}

const steps1to5 = (): Scripted[] => [
  { id: 'app.url', answer: `https://developer.atlassian.com/console/myapps/${SANDBOX.appId}/overview` },
  { id: 'apis.done', answer: true },
  { id: 'scopes.done', answer: true },
  { id: 'callback.url', answer: 'https://app.kendis.io/jira/callback' },
];
const step6 = (): Scripted[] => [
  { id: 'client.id', answer: SANDBOX.clientId },
  { id: 'client-secret', answer: SANDBOX.clientSecret },
  // While the browser signs in, "waiting for Atlassian…" is on screen; the callback withdraws it.
  { id: 'oauth.wait', answer: untilWithdrawn },
];
const step7and8 = (): Scripted[] => [
  { id: 'api-token', answer: SANDBOX.apiToken },
  { id: 'token.expires', answer: '' },
  { id: 'projects', answer: '' },
  { id: 'reveal', answer: 'done' },
];

function siteScript(): Scripted[] {
  return [
    { id: 'site', answer: sandbox.url },
    { id: 'email', answer: SANDBOX.email },
  ];
}

async function expectFinished(deps: TestDeps) {
  const profile = await deps.config.getProfile('default');
  expect(profile).toMatchObject({
    site: sandbox.url,
    cloudId: SANDBOX.cloudId,
    email: SANDBOX.email,
    clientId: SANDBOX.clientId,
    appId: SANDBOX.appId,
    callbackUrl: 'https://app.kendis.io/jira/callback',
    storage: 'keychain',
  });
  expect(await deps.keychain.get('default:client-secret')).toBe(SANDBOX.clientSecret);
  expect(await deps.keychain.get('default:api-token')).toBe(SANDBOX.apiToken);
  // Nothing staged or left over: only the contract's accounts.
  expect([...(deps.keychain as MemoryBackend).entries.keys()].sort()).toEqual(['default:api-token', 'default:client-secret']);
  expect((await deps.config.load()).progress).toEqual({});
  expect((await deps.config.load()).leftovers).toEqual([]);
  const config = readFileSync(join(deps.configDirPath, 'config.json'), 'utf8');
  expect(config).not.toContain(SANDBOX.clientSecret);
  expect(config).not.toContain(SANDBOX.apiToken);
  expect(deps.stderr.text).not.toContain(SANDBOX.apiToken);
  expect(deps.stdout.text).toBe('');
}

describe('setup wizard (interactive, scripted)', () => {
  it('walks all eight steps and saves a verified profile', async () => {
    const { deps, prompter } = interactive([...siteScript(), ...steps1to5(), ...step6(), ...step7and8()]);
    await runSetup(options(), deps);
    prompter.assertDone();
    for (let n = 1; n <= 8; n += 1) expect(deps.stderr.text).toContain(`Step ${n} of 8`);
    expect(deps.stderr.text).toContain('The 3 APIs and 6 Jira permissions were granted');
    expect(deps.stderr.text).toContain(localCallback(sandbox, port));
    expect(deps.stderr.text).toContain('Jira Login ID');
    expect(deps.opened.some((u) => u.includes(`/myapps/${SANDBOX.appId}/permissions`))).toBe(true);
    await expectFinished(deps);
  });

  it('asks again after a wrong site, a bad e-mail and a malformed callback URL', async () => {
    const closed = await freePort();
    const { deps, prompter } = interactive([
      { id: 'site', answer: `http://127.0.0.1:${closed}` },
      { id: 'site', answer: sandbox.url },
      { id: 'email', answer: 'not-an-email' },
      { id: 'email', answer: SANDBOX.email },
      ...steps1to5().slice(0, 3),
      { id: 'callback.url', answer: 'http://app.kendis.io/cb#frag' },
      { id: 'callback.url', answer: 'https://app.kendis.io/jira/callback' },
      ...step6(),
      ...step7and8(),
    ]);
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(deps.stderr.text).toContain('refused the connection');
    expect(prompter.rejections.map((r) => r.id)).toEqual(['email', 'callback.url']);
    await expectFinished(deps);
  });

  it('says when the client secret is rejected and lets the user type it again', async () => {
    const { deps, prompter } = interactive([
      ...siteScript(),
      ...steps1to5(),
      { id: 'client.id', answer: SANDBOX.clientId },
      { id: 'client-secret', answer: 'wrong-secret-value' },
      ...step6(),
      ...step7and8(),
    ]);
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(deps.stderr.text).toContain('Client ID and Client Secret: Atlassian rejected them');
    await expectFinished(deps);
  });

  it('a callback URL the app does not have: the same ID and Secret are checked again once the URL is fixed, never asked again', async () => {
    const { deps, prompter } = interactive([
      ...siteScript(),
      ...steps1to5().slice(0, 3),
      { id: 'callback.url', answer: 'https://app.kendis.io/jira/callbak' },
      { id: 'client.id', answer: SANDBOX.clientId },
      { id: 'client-secret', answer: SANDBOX.clientSecret },
      { id: 'callback.refused', answer: 'change' },
      { id: 'callback.url', answer: 'https://app.kendis.io/jira/callback' },
      { id: 'oauth.wait', answer: untilWithdrawn },
      ...step7and8(),
    ]);
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(deps.stderr.text).toContain('Atlassian refused the callback URL');
    expect(deps.stderr.text).not.toContain('Copy them again from the Settings tab');
    expect(deps.stderr.text).not.toMatch(/run `[^`]*setup[^`]*` again\./);
    await expectFinished(deps);
  });

  it('a callback URL the app does not have, non-interactively: exit 1 naming the Authorization tab, nothing stored', async () => {
    const deps = makeTestDeps({
      env: {
        KENDIS_JIRA_AUTH_URL: sandbox.authUrl,
        KENDIS_JIRA_API_URL: sandbox.apiUrl,
        KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret,
        KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken,
      },
    });
    const error = await runSetup(
      options({
        site: sandbox.url,
        email: SANDBOX.email,
        callbackUrl: 'https://app.kendis.io/jira/callbak',
        clientId: SANDBOX.clientId,
        tokenExpires: '2027-08-01',
        skipOAuth: true,
      }),
      deps,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChecksFailedError);
    expect((error as ChecksFailedError).hint).toContain('Authorization tab');
    // The client secret staged at Step 6 is gone with the failed run; nothing is left over.
    expect((deps.keychain as MemoryBackend).entries.size).toBe(0);
    expect((await deps.config.load()).leftovers).toEqual([]);
  });

  it('a look-alike site at the prompt: warned, and when the user says no, the site probably meant is what Enter takes', async () => {
    const { deps, prompter } = interactive([
      { id: 'site', answer: 'acme.atlasian.net' },
      { id: 'site.foreign', answer: false },
      { id: 'site', answer: CANCEL },
    ]);
    const error = await runSetup(options(), deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).hint).toContain('Nothing was saved yet');
    expect(deps.stderr.text).toContain('Did you mean https://acme.atlassian.net?');
    expect(prompter.offered.filter((o) => o.id === 'site').map((o) => o.default)).toEqual([undefined, 'https://acme.atlassian.net']);
  });

  it('reports Cancel on the consent page and can stop there, keeping progress', async () => {
    sandbox.options.autoApprove = false;
    const cancelInBrowser = async (url: string) => {
      const page = await (await fetch(url)).text();
      const tx = /name="tx" value="([^"]+)"/.exec(page)![1]!;
      await followInBrowser(`${sandbox.authUrl}/authorize/decision?tx=${tx}&decision=cancel`);
    };
    const { deps, prompter } = interactive([...siteScript(), ...steps1to5(), ...step6(), { id: 'oauth.retry', answer: 'stop' }], {
      onOpen: (url) => void (url.startsWith(sandbox.authUrl) && cancelInBrowser(url)),
    });
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(deps.stderr.text).toContain('You pressed Cancel');
    expect(deps.stderr.text).toContain('Paused. Your answers so far are saved');
    expect(await deps.config.getProfile('default')).toBeUndefined();
    expect((await deps.config.getProgress('default'))?.step).toBe(5);
  });

  it('a permission missing from the app: Atlassian shows its error page, the user says so and gets the fix at once', async () => {
    sandbox.options.appScopes = sandbox.options.appScopes!.filter((s) => s !== 'write:sprint:jira-software');
    const { deps, prompter } = interactive([
      ...siteScript(),
      ...steps1to5(),
      ...step6().slice(0, 2),
      { id: 'oauth.wait', answer: '1' },
      { id: 'oauth.retry', answer: 'stop' },
    ]);
    const started = Date.now();
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(Date.now() - started).toBeLessThan(5000);
    // Real Atlassian never calls back in this case: the sandbox did not either.
    expect(sandbox.requests.some((r) => r.path === '/oauth/token' && r.status === 200)).toBe(false);
    expect(deps.stderr.text).toContain('requested scopes that have not been added');
    expect(deps.stderr.text).toContain('Steps 2–3');
    expect(deps.stderr.text).toContain('"Update and delete sprints"');
  });

  it.each([
    ['admin-approval', '3', 'Your site admin must authorize this app', /Ask a site admin to allow it: Atlassian Administration → Apps → Sites/],
    ['sharing-off', '4', 'only its developer can use it', /Distribution tab, choose Edit → Sharing/],
    ['no-site-access', '5', 'requires access to a Jira site which you don', /give this account Jira access/],
  ] as const)('Atlassian stops at its "%s" page (it never calls back): the user types %s and gets that page’s own fix', async (block, typed, page, fix) => {
    sandbox.options.consentBlock = block;
    try {
      const { deps, prompter } = interactive([
        ...siteScript(),
        ...steps1to5(),
        ...step6().slice(0, 2),
        { id: 'oauth.wait', answer: typed },
        { id: 'oauth.retry', answer: 'stop' },
      ]);
      const started = Date.now();
      await runSetup(options(), deps);
      prompter.assertDone();
      expect(Date.now() - started).toBeLessThan(5000);
      expect(sandbox.requests.some((r) => r.path === '/oauth/token' && r.status === 200)).toBe(false);
      // The waiting text named the page before the user said which one it was.
      expect(deps.stderr.text).toContain(page.replace(/’/g, "'"));
      expect(deps.stderr.text).toMatch(fix);
      expect(deps.stderr.text).not.toContain('Steps 2–3: on the app');
    } finally {
      delete sandbox.options.consentBlock;
    }
  });

  it('a local callback URL not registered: the user types 2 and is sent to Step 4 with the exact URL', async () => {
    sandbox.options.callbackUrls = sandbox.options.callbackUrls!.filter((u) => !u.startsWith('http://localhost'));
    const { deps, prompter } = interactive([
      ...siteScript(),
      ...steps1to5(),
      ...step6().slice(0, 2),
      { id: 'oauth.wait', answer: '2' },
      { id: 'oauth.retry', answer: 'stop' },
    ]);
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(deps.stderr.text).toMatch(/Step 4: on the app's Authorization tab the callback URL must be exactly http:\/\/localhost:\d+\/callback/);
  });

  it('names a scope missing from the token and accepts a new token', async () => {
    sandbox.options.tokens!.push({
      token: 'ATATT3x-missing-epic-write',
      email: SANDBOX.email,
      scopes: TOKEN_SCOPES.filter((s) => s !== 'write:epic:jira-software'),
    });
    const { deps, prompter } = interactive([
      ...siteScript(),
      ...steps1to5(),
      ...step6(),
      { id: 'api-token', answer: 'ATATT3x-missing-epic-write' },
      { id: 'token.expires', answer: '' },
      ...step7and8(),
    ]);
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(deps.stderr.text).toContain('The token lacks a scope: write:epic:jira-software');
    await expectFinished(deps);
  });

  it('a token refused with the e-mail given: the e-mail is asked again and the same token is tried with it', async () => {
    const { deps, prompter } = interactive([
      { id: 'site', answer: sandbox.url },
      { id: 'email', answer: 'pat.user@example.com' },
      ...steps1to5(),
      ...step6(),
      // Declined at Step 6: Step 7's sign-in then asks the e-mail again.
      { id: 'email.from-consent', answer: false },
      { id: 'api-token', answer: SANDBOX.apiToken },
      { id: 'token.expires', answer: '' },
      { id: 'email', answer: SANDBOX.email },
      { id: 'projects', answer: '' },
      { id: 'reveal', answer: 'done' },
    ]);
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(deps.stderr.text).toContain('Atlassian rejected the e-mail and API token pair');
    // Nothing is stored yet: the fix is this setup, not rotate-token; and it is said once.
    expect(deps.stderr.text).not.toMatch(/run `[^`]*rotate-token/);
    expect(deps.stderr.text.split('Type the e-mail of the account that created the token below').length - 1).toBe(1);
    await expectFinished(deps);
  });

  it('"not yet" at a checklist waits and asks again; "pause" stops with the progress saved', async () => {
    const { deps, prompter } = interactive([
      ...siteScript(),
      { id: 'app.url', answer: `https://developer.atlassian.com/console/myapps/${SANDBOX.appId}/overview` },
      { id: 'apis.done', answer: false },
      { id: 'apis.done.not-yet', answer: 'wait' },
      { id: 'apis.done', answer: true },
      { id: 'scopes.done', answer: false },
      { id: 'scopes.done.not-yet', answer: 'pause' },
    ]);
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(deps.stderr.text).toContain('Paused. Your answers so far are saved');
    expect((await deps.config.load()).progress.default?.step).toBeGreaterThanOrEqual(2);
  });

  // A tab that keeps one callback URL: adding Kendis' in Step 5 replaced the local one, so Atlassian
  // stops at its redirect_uri page; the admin says so, and only then is asked about the tab.
  const onlyKendis = () => {
    sandbox.options.callbackUrls = ['https://app.kendis.io/jira/callback'];
  };
  it('one callback URL only: Atlassian refuses the local URL, the admin puts it there for the check, then switches back to Kendis’', async () => {
    const local = localCallback(sandbox, port);
    const script: Scripted[] = [
      ...siteScript(),
      ...steps1to5(),
      ...step6().slice(0, 2),
      { id: 'oauth.wait', answer: async () => (onlyKendis(), '2') },
      // The admin follows the advice: the local URL in the one field, for the check.
      { id: 'oauth.retry', answer: async () => ((sandbox.options.callbackUrls = [local]), 'switch') },
      { id: 'oauth.wait', answer: untilWithdrawn },
      { id: 'callback.switched', answer: false },
      { id: 'callback.switched', answer: async () => (onlyKendis(), true) },
      ...step7and8(),
    ];
    const { deps, prompter } = interactive(script);
    await runSetup(options({ redirectUri: local }), deps);
    prompter.assertDone();
    expect(deps.stderr.text).not.toContain('Does the Authorization tab take more than one');
    expect(deps.stderr.text).toContain('Put exactly this in the Authorization tab’s callback URL field for now');
    expect(deps.stderr.text).toContain('switch the Authorization tab’s Callback URL back to Kendis’ URL');
    await expectFinished(deps);
  });

  it('one callback URL only: or skip the browser check (the client credentials were checked)', async () => {
    const script: Scripted[] = [
      ...siteScript(),
      ...steps1to5(),
      ...step6().slice(0, 2),
      { id: 'oauth.wait', answer: async () => (onlyKendis(), '2') },
      { id: 'oauth.retry', answer: 'skip' },
      ...step7and8(),
    ];
    const { deps, prompter } = interactive(script);
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(deps.stderr.text).toContain('Client ID and Client Secret: Accepted by Atlassian');
    expect(sandbox.requests.filter((r) => r.path === '/oauth/token' && r.status === 200)).toHaveLength(0);
    await expectFinished(deps);
  });

  it('two callback URLs (the usual tab): a refused local URL is fixed on the tab, never asked about the tab', async () => {
    sandbox.options.callbackUrls = sandbox.options.callbackUrls!.filter((u) => !u.startsWith('http://localhost'));
    const { deps, prompter } = interactive([
      ...siteScript(),
      ...steps1to5(),
      ...step6().slice(0, 2),
      { id: 'oauth.wait', answer: '2' },
      { id: 'oauth.retry', answer: 'stop' },
    ]);
    await runSetup(options(), deps);
    prompter.assertDone();
    // The retry menu offers the single-URL ways out only after Atlassian refused the local URL.
    expect(deps.stderr.text).toMatch(/Step 4: on the app's Authorization tab the callback URL must be exactly http:\/\/localhost:\d+\/callback/);
  });

  it('no browser (SSH): the pasted redirect address completes the sign-in', async () => {
    let deps!: TestDeps;
    const paste = async () => {
      // The user's browser elsewhere followed the authorize URL and landed on an error page for
      // localhost; they copy its address.
      const authorize = deps.opened.find((u) => u.includes('/authorize?'))!;
      const res = await fetch(authorize, { redirect: 'manual' });
      return res.headers.get('location')!;
    };
    const prompter = new ScriptedPrompter([...siteScript(), ...steps1to5(), ...step6().slice(0, 2), { id: 'oauth.wait', answer: paste }, ...step7and8()]);
    deps = makeTestDeps({
      prompter,
      interactive: true,
      env: { KENDIS_JIRA_AUTH_URL: sandbox.authUrl, KENDIS_JIRA_API_URL: sandbox.apiUrl },
      browserOpens: false,
    });
    await runSetup(options(), deps);
    prompter.assertDone();
    expect(deps.stderr.text).toContain('The 3 APIs and 6 Jira permissions were granted');
    await expectFinished(deps);
  });

  it('stops before any secret is asked when no keychain is usable', async () => {
    const keychain = new MemoryBackend();
    keychain.failWith = new KeychainUnavailableError('the Secret Service is not running.', { platform: 'linux' });
    const { deps } = interactive([], { keychain });
    await expect(runSetup(options(), deps)).rejects.toBeInstanceOf(KeychainUnavailableError);
    expect(await deps.config.load()).toEqual({ version: 1, profiles: {}, progress: {}, leftovers: [] });
  });

  it('with --insecure-storage and no keychain, stores the secrets in a 0600 file and says so', async () => {
    const keychain = new MemoryBackend();
    keychain.failWith = new KeychainUnavailableError('the Secret Service is not running.', { platform: 'linux' });
    const { deps, prompter } = interactive([...siteScript(), ...steps1to5(), ...step6(), ...step7and8()], { keychain });
    await runSetup(options({ insecureStorage: true }), deps);
    prompter.assertDone();
    const file = join(deps.configDirPath, 'secrets.json');
    expect(existsSync(file)).toBe(true);
    expect((await import('node:fs')).statSync(file).mode & 0o777).toBe(0o600);
    expect(deps.stderr.text).toContain('--insecure-storage');
    expect((await deps.config.getProfile('default'))?.storage).toBe('file');
  });

  it('resumes at Step 5 after Ctrl-C there', async () => {
    const dir = tempDir();
    const keychain = new MemoryBackend();
    const first = interactive([...siteScript(), ...steps1to5().slice(0, 3), { id: 'callback.url', answer: CANCEL }], { configDir: dir, keychain });
    await expect(runSetup(options(), first.deps)).rejects.toBeInstanceOf(CancelledError);
    expect((await first.deps.config.getProgress('default'))?.step).toBe(4);
    const second = interactive([{ id: 'resume', answer: true }, ...steps1to5().slice(3), ...step6(), ...step7and8()], { configDir: dir, keychain });
    await runSetup(options(), second.deps);
    second.prompter.assertDone();
    expect(second.deps.stderr.text).toContain('Resuming at Step 5');
    expect(second.deps.stderr.text).not.toContain('Step 4 of 8');
    const profile = await second.deps.config.getProfile('default');
    expect(profile && 'appId' in profile ? profile.appId : undefined).toBe(SANDBOX.appId);
    expect(await keychain.get('default:api-token')).toBe(SANDBOX.apiToken);
  });

  it('shows an existing profile and changes nothing when the user says no', async () => {
    const done = interactive([...siteScript(), ...steps1to5(), ...step6(), ...step7and8()]);
    await runSetup(options(), done.deps);
    const again = interactive([{ id: 'profile.replace', answer: false }], {
      configDir: done.deps.configDirPath,
      keychain: done.deps.keychain as MemoryBackend,
    });
    await runSetup(options(), again.deps);
    again.prompter.assertDone();
    expect(again.deps.stderr.text).toContain('already exists');
    expect(again.deps.stderr.text).toContain('Nothing changed');
  });
});

describe('setup wizard (non-interactive)', () => {
  const env = () => ({
    KENDIS_JIRA_AUTH_URL: sandbox.authUrl,
    KENDIS_JIRA_API_URL: sandbox.apiUrl,
    KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret,
    KENDIS_JIRA_API_TOKEN: SANDBOX.apiToken,
  });

  it('names every missing flag and variable at once (exit 2)', async () => {
    const deps = makeTestDeps({ env: {} });
    const error = await runSetup(options(), deps).then(
      () => new UsageError('no error'),
      (e: unknown) => e as UsageError,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('--site, --email, --callback-url, --client-id, KENDIS_JIRA_CLIENT_SECRET, KENDIS_JIRA_API_TOKEN');
  });

  it('runs every step from flags and variables', async () => {
    const deps = makeTestDeps({ env: env(), onOpen: (url) => void (url.startsWith(sandbox.authUrl) && followInBrowser(url)), browserOpens: true });
    await runSetup(
      options({
        site: sandbox.url,
        email: SANDBOX.email,
        callbackUrl: 'https://app.kendis.io/jira/callback',
        clientId: SANDBOX.clientId,
        tokenExpires: '2027-06-30',
        appId: SANDBOX.appId,
      }),
      deps,
    );
    const profile = await deps.config.getProfile('default');
    expect(profile?.token.expiresOn).toBe('2027-06-30');
    expect(await deps.keychain.get('default:api-token')).toBe(SANDBOX.apiToken);
    expect(deps.stderr.text).toContain('/authorize?');
  });

  it('a rejected client secret exits 1 and stores nothing', async () => {
    const deps = makeTestDeps({ env: { ...env(), KENDIS_JIRA_CLIENT_SECRET: 'wrong-secret-value' } });
    const error = await runSetup(
      options({ site: sandbox.url, email: SANDBOX.email, callbackUrl: 'https://app.kendis.io/cb', clientId: SANDBOX.clientId, skipOAuth: true }),
      deps,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksFailedError);
    expect(await deps.config.getProfile('default')).toBeUndefined();
    expect(await deps.keychain.get('default:client-secret')).toBeNull();
  });

  it('a flag that fails validation is a usage error naming the flag', async () => {
    const deps = makeTestDeps({ env: env() });
    const error = await runSetup(
      options({
        site: 'http://acme.atlassian.net',
        email: SANDBOX.email,
        callbackUrl: 'https://app.kendis.io/cb',
        clientId: SANDBOX.clientId,
        skipOAuth: true,
      }),
      deps,
    ).then(
      () => new UsageError('no error'),
      (e: unknown) => e as UsageError,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toContain('--site');
  });

  it('a real profile created while a --sandbox setup runs is not replaced by it at the end', async () => {
    const keychain = new MemoryBackend();
    let deps!: TestDeps;
    const plantRealProfile = async () => {
      await deps.config.update((c) => {
        c.profiles.sandbox = sampleProfile({ site: 'https://acme.atlassian.net' });
      });
      await keychain.set('sandbox:api-token', 'ATATT3xREAL-token-never-shown-again');
      return '';
    };
    const prompter = new ScriptedPrompter([
      { id: 'email', answer: '' },
      { id: 'app.url', answer: plantRealProfile },
      { id: 'apis.done', answer: true },
      { id: 'scopes.done', answer: true },
      { id: 'callback.url', answer: '' },
      { id: 'client.id', answer: '' },
      { id: 'client-secret', answer: '' },
      { id: 'api-token', answer: '' },
      { id: 'token.expires', answer: '' },
      { id: 'projects', answer: '' },
    ]);
    deps = makeTestDeps({ prompter, interactive: true, keychain });
    const error = await runSetup(options({ sandbox: true, browser: false, skipOAuth: true }), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('was set up meanwhile against https://acme.atlassian.net');
    expect(await keychain.get('sandbox:api-token')).toBe('ATATT3xREAL-token-never-shown-again');
    expect((await deps.config.getProfile('sandbox'))?.site).toBe('https://acme.atlassian.net');
  });

  it('a user’s own token saved meanwhile under the same (sandbox) name is not turned into the ALM account at the end', async () => {
    const keychain = new MemoryBackend();
    let deps!: TestDeps;
    const plantUserProfile = async () => {
      await deps.config.update((c) => {
        c.profiles.sandbox = { ...sampleProfile({ site: 'https://x.example', sandbox: true }), kind: 'user' } as never;
      });
      await keychain.set('sandbox:api-token', 'ATATT3x-the-users-own-token');
      return '';
    };
    const prompter = new ScriptedPrompter([
      { id: 'email', answer: '' },
      { id: 'app.url', answer: '' },
      { id: 'apis.done', answer: true },
      { id: 'scopes.done', answer: true },
      { id: 'callback.url', answer: '' },
      { id: 'client.id', answer: '' },
      { id: 'client-secret', answer: '' },
      { id: 'api-token', answer: '' },
      { id: 'token.expires', answer: '' },
      { id: 'projects', answer: plantUserProfile },
    ]);
    deps = makeTestDeps({ prompter, interactive: true, keychain });
    const error = await runSetup(options({ sandbox: true, browser: false, skipOAuth: true }), deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('was set up meanwhile as a user’s own token');
    expect((await deps.config.getProfile('sandbox'))?.kind).toBe('user');
    expect(await keychain.get('sandbox:api-token')).toBe('ATATT3x-the-users-own-token');
    // What this run staged is gone with it: only the user's own account is left.
    expect([...keychain.entries.keys()]).toEqual(['sandbox:api-token']);
  });

  it('a --sandbox setup resumed in a later run uses that run’s sandbox, not the address saved with the progress', async () => {
    const deps = makeTestDeps({ env: {} });
    await deps.config.update((c) => {
      c.progress.sandbox = {
        step: 6,
        answers: {
          site: 'http://127.0.0.1:9',
          cloudId: SANDBOX.cloudId,
          email: SANDBOX.email,
          callbackUrl: SANDBOX.kendisCallbackUrl,
          callbackMode: 'skip',
          clientId: SANDBOX.clientId,
          redirectUri: 'http://localhost:8976/callback',
          target: 'sandbox',
          kind: 'alm-account',
          storage: 'keychain',
        },
        updatedAt: '2026-11-29T00:00:00.000Z',
        staged: { generation: 'g0123456789ab', storage: 'keychain' },
      };
    });
    await deps.keychain.set('sandbox:g0123456789ab:client-secret', SANDBOX.clientSecret);
    await runSetup(options({ sandbox: true, browser: false, skipOAuth: true }), deps);
    expect(deps.stderr.text).toContain('Resuming at Step 7');
    expect((await deps.config.getProfile('sandbox'))?.site).not.toBe('http://127.0.0.1:9');
    expect(await deps.keychain.get('sandbox:api-token')).toBe(SANDBOX.apiToken);
    expect(await deps.keychain.get('sandbox:client-secret')).toBe(SANDBOX.clientSecret);
    // The staged generation became the profile's, then settled on the contract's names: nothing else is left.
    expect([...(deps.keychain as MemoryBackend).entries.keys()].sort()).toEqual(['sandbox:api-token', 'sandbox:client-secret']);
    expect((await deps.config.load()).leftovers).toEqual([]);
  });

  it('--sandbox: a callback URL typed at Step 5 is on the sandbox app, as the user would have added it', async () => {
    const prompter = new ScriptedPrompter([
      { id: 'email', answer: '' },
      { id: 'app.url', answer: '' },
      { id: 'apis.done', answer: true },
      { id: 'scopes.done', answer: true },
      { id: 'callback.url', answer: 'https://app.kendis.io/alm/jira/oauth/callback' },
      { id: 'client.id', answer: '' },
      { id: 'client-secret', answer: '' },
      { id: 'api-token', answer: '' },
      { id: 'token.expires', answer: '' },
      { id: 'projects', answer: '' },
      { id: 'reveal', answer: 'done' },
    ]);
    const deps = makeTestDeps({ prompter, interactive: true, env: {} });
    await runSetup(options({ sandbox: true, browser: false, skipOAuth: true }), deps);
    prompter.assertDone();
    expect(((await deps.config.getProfile('sandbox')) as { callbackUrl?: string } | undefined)?.callbackUrl).toBe(
      'https://app.kendis.io/alm/jira/oauth/callback',
    );
  });

  it('--sandbox: stopped after Step 5 and resumed, the callback URL typed there is still on the (new) sandbox app', async () => {
    const configDir = tempDir();
    const keychain = new MemoryBackend();
    const first = new ScriptedPrompter([
      { id: 'email', answer: '' },
      { id: 'app.url', answer: '' },
      { id: 'apis.done', answer: true },
      { id: 'scopes.done', answer: true },
      { id: 'callback.url', answer: 'https://app.kendis.io/alm/jira/oauth/callback' },
      { id: 'client.id', answer: CANCEL },
    ]);
    await expect(
      runSetup(options({ sandbox: true, browser: false, skipOAuth: true }), makeTestDeps({ prompter: first, interactive: true, env: {}, configDir, keychain })),
    ).rejects.toBeInstanceOf(CancelledError);
    const second = new ScriptedPrompter([
      { id: 'resume', answer: true },
      { id: 'client.id', answer: '' },
      { id: 'client-secret', answer: '' },
      { id: 'api-token', answer: '' },
      { id: 'token.expires', answer: '' },
      { id: 'projects', answer: '' },
      { id: 'reveal', answer: 'done' },
    ]);
    const deps = makeTestDeps({ prompter: second, interactive: true, env: {}, configDir, keychain });
    await runSetup(options({ sandbox: true, browser: false, skipOAuth: true }), deps);
    second.assertDone();
    expect(((await deps.config.getProfile('sandbox')) as { callbackUrl?: string } | undefined)?.callbackUrl).toBe(
      'https://app.kendis.io/alm/jira/oauth/callback',
    );
  });

  it('stopped inside a step, the answers corrected in it are kept for the resume', async () => {
    const { deps, prompter } = interactive([
      ...siteScript(),
      ...steps1to5().slice(0, 3),
      { id: 'callback.url', answer: 'https://app.kendis.io/jira/callbak' },
      { id: 'client.id', answer: SANDBOX.clientId },
      { id: 'client-secret', answer: SANDBOX.clientSecret },
      { id: 'callback.refused', answer: 'change' },
      { id: 'callback.url', answer: 'https://app.kendis.io/jira/callbackk' },
      { id: 'callback.refused', answer: 'stop' },
    ]);
    await runSetup(options(), deps);
    prompter.assertDone();
    expect((await deps.config.getProgress('default'))?.answers.callbackUrl).toBe('https://app.kendis.io/jira/callbackk');
  });

  it('--sandbox: a token can be rotated, and rotated back, without typing one', async () => {
    const deps = makeTestDeps({ env: {}, globals: { profile: 'sandbox' } });
    await runSetup(options({ sandbox: true, browser: false, skipOAuth: true }), deps);
    const { parseRotateOptions, runRotateToken } = await import('../../src/commands/rotate-token.js');
    await runRotateToken(parseRotateOptions({ tokenExpires: '2027-09-01' }), deps);
    expect(await deps.keychain.get('sandbox:api-token')).toBe(SANDBOX.nextApiToken);
    await runRotateToken(parseRotateOptions({ tokenExpires: '2027-10-01' }), deps);
    expect(await deps.keychain.get('sandbox:api-token')).toBe(SANDBOX.apiToken);
  });

  it('a keychain write that fails during the commit keeps the old profile whole: old settings with the old token, nothing left behind', async () => {
    const keychain = new MemoryBackend();
    const configDir = tempDir();
    await saveSandboxProfile(makeTestDeps({ configDir, keychain }), sandbox, { profile: { token: { expiresOn: '2027-06-01' } } });
    sandbox.options.tokens!.push({ token: 'ATATT3x-commit-error-new', email: SANDBOX.email, scopes: [...TOKEN_SCOPES] });
    // The commit's own write of the api-token fails once (a locked keychain, a full disk).
    const set = keychain.set.bind(keychain);
    let staged = false;
    let failed = false;
    keychain.set = async (account, value) => {
      if (/^default:g[0-9a-f]{12}:api-token$/.test(account)) {
        if (staged && !failed) {
          failed = true;
          throw new Error('the keychain refused the write');
        }
        staged = true;
      }
      return set(account, value);
    };
    const deps = makeTestDeps({
      configDir,
      keychain,
      env: {
        KENDIS_JIRA_AUTH_URL: sandbox.authUrl,
        KENDIS_JIRA_API_URL: sandbox.apiUrl,
        KENDIS_JIRA_CLIENT_SECRET: SANDBOX.clientSecret,
        KENDIS_JIRA_API_TOKEN: 'ATATT3x-commit-error-new',
      },
    });
    await expect(
      runSetup(
        options({
          site: sandbox.url,
          email: SANDBOX.email,
          callbackUrl: SANDBOX.kendisCallbackUrl,
          clientId: SANDBOX.clientId,
          tokenExpires: '2027-10-01',
          skipOAuth: true,
        }),
        deps,
      ),
    ).rejects.toThrow('the keychain refused the write');
    expect(failed).toBe(true);
    expect((await deps.config.getProfile('default'))?.token.expiresOn).toBe('2027-06-01');
    expect(await keychain.get('default:api-token')).toBe(SANDBOX.apiToken);
    expect(JSON.stringify(await deps.config.load())).not.toContain('ATATT3x-commit-error-new');
    // The next command removes what the failed commit wrote: only the profile's own accounts remain.
    const next = makeTestDeps({ configDir, keychain });
    const { tidy } = await import('../../src/profiles/transaction.js');
    await tidy(next);
    expect([...keychain.entries.keys()].sort()).toEqual(['default:api-token', 'default:client-secret']);
    expect((await next.config.load()).leftovers).toEqual([]);
  });

  it('Ctrl-C at "Show a secret?" after the profile was saved: nothing to resume, and it says the profile is saved', async () => {
    const { deps, prompter } = interactive([
      ...siteScript(),
      ...steps1to5(),
      ...step6(),
      { id: 'api-token', answer: SANDBOX.apiToken },
      { id: 'token.expires', answer: '' },
      { id: 'projects', answer: '' },
      { id: 'reveal', answer: CANCEL },
    ]);
    const error = await runSetup(options(), deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    prompter.assertDone();
    expect(error).toBeInstanceOf(CancelledError);
    expect((error as CancelledError).hint).toContain('was already saved');
    expect((await deps.config.load()).progress).toEqual({});
    expect(await deps.keychain.get('default:api-token')).toBe(SANDBOX.apiToken);
  });

  it('--sandbox needs nothing at all and uses its own profile', async () => {
    const deps = makeTestDeps({ env: {} });
    sandbox.options.autoApprove = true;
    await runSetup(options({ sandbox: true, browser: false }), deps);
    // The command chose the profile; the global options were not rewritten.
    expect(deps.globals.profile).toBe('default');
    expect(await deps.config.getProfile('default')).toBeUndefined();
    expect((await deps.config.getProfile('sandbox'))?.sandbox).toBe(true);
    expect(await deps.keychain.get('sandbox:api-token')).toBe(SANDBOX.apiToken);
  });
});

describe('profile names are the same regardless of case (Windows Credential Manager ignores case)', () => {
  it('setup refuses a name that differs from an existing profile only in case, naming it, and changes nothing', async () => {
    const deps = makeTestDeps({
      env: { KENDIS_JIRA_AUTH_URL: sandbox.authUrl, KENDIS_JIRA_API_URL: sandbox.apiUrl },
      globals: { profile: 'ACME', profileExplicit: true },
    });
    await saveSandboxProfile(deps, sandbox, { name: 'acme' });
    const before = readFileSync(join(deps.configDirPath, 'config.json'), 'utf8');
    const error = (await runSetup(options({ skipOAuth: true }), deps).catch((e: unknown) => e)) as UsageError;
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      'A profile "acme" exists already: profile names are the same regardless of case (Windows Credential Manager would mix their secrets).',
    );
    expect(error.hint).toContain('`--profile acme`');
    expect(readFileSync(join(deps.configDirPath, 'config.json'), 'utf8')).toBe(before);
    expect(await deps.keychain.get('ACME:api-token')).toBeNull();
  });
  it('a command for a name that differs only in case points at the profile that exists', async () => {
    const deps = makeTestDeps({ globals: { profile: 'Acme', profileExplicit: true } });
    await saveSandboxProfile(deps, sandbox, { name: 'acme' });
    const error = (await runStatus({ json: false }, deps).catch((e: unknown) => e)) as NotConfiguredError;
    expect(error).toBeInstanceOf(NotConfiguredError);
    expect(error.hint).toContain('Did you mean `--profile acme`? Profile names are the same regardless of case.');
  });
});

describe('Newcomer paper cuts', () => {
  let sandbox2: RunningSandbox;
  let port2: number;
  beforeEach(async () => {
    sandbox2 = await startTestSandbox({ autoApprove: true });
    port2 = await freePort();
  });
  afterEach(async () => sandbox2.close());
  const run = (script: Scripted[]) => {
    const prompter = new ScriptedPrompter(script);
    const deps = makeTestDeps({
      prompter,
      interactive: true,
      env: { KENDIS_JIRA_AUTH_URL: sandbox2.authUrl, KENDIS_JIRA_API_URL: sandbox2.apiUrl },
      browserOpens: true,
      onOpen: (url) => void (url.startsWith(sandbox2.authUrl) && followInBrowser(url)),
    });
    const opts: SetupOptions = {
      site: undefined,
      email: undefined,
      appId: undefined,
      callbackUrl: undefined,
      clientId: undefined,
      tokenExpires: undefined,
      redirectUri: localCallback(sandbox2, port2),
      oauthTimeoutSeconds: 20,
      browser: true,
      skipOAuth: false,
      insecureStorage: false,
      sandbox: false,
      restart: false,
      allowNonAtlassianSite: false,
      user: false,
    };
    return { prompter, deps, go: () => runSetup(opts, deps) };
  };
  const tail = (): Scripted[] => [
    { id: 'apis.done', answer: true },
    { id: 'scopes.done', answer: true },
    { id: 'callback.url', answer: 'https://app.kendis.io/jira/callback' },
    { id: 'client.id', answer: SANDBOX.clientId },
    { id: 'client-secret', answer: SANDBOX.clientSecret },
    { id: 'oauth.wait', answer: untilWithdrawn },
  ];

  it('Step 1: after a refused app address, Enter again (the same text) skips, as the prompt says', async () => {
    const { prompter, deps, go } = run([
      { id: 'site', answer: sandbox2.url },
      { id: 'email', answer: SANDBOX.email },
      { id: 'app.url', answer: 'https://example.com/not-an-app' },
      { id: 'app.url', answer: 'https://example.com/not-an-app' },
      ...tail(),
      ...step7and8(),
    ]);
    await go();
    prompter.assertDone();
    expect(prompter.rejections.map((r) => r.message)).toEqual(['That address has no app id: copy it from the app’s page, or press Enter again to skip.']);
    expect(deps.stderr.text).toContain('Skipped: the next steps open the app list');
  });

  it('Step 6: the browser consented as another account: the fix is offered there, and Step 7 signs in with it', async () => {
    const { prompter, deps, go } = run([
      { id: 'site', answer: sandbox2.url },
      { id: 'email', answer: 'someone.else@example.com' },
      { id: 'app.url', answer: '' },
      ...tail(),
      { id: 'email.from-consent', answer: true },
      ...step7and8(),
    ]);
    await go();
    prompter.assertDone();
    expect(deps.stderr.text).toContain(`The account for Kendis is now ${SANDBOX.email}.`);
    expect((await deps.config.getProfile('default'))?.email).toBe(SANDBOX.email);
    // Step 7 never had to ask the e-mail again.
    expect(prompter.asked.filter((id) => id === 'email')).toHaveLength(1);
  });
});
