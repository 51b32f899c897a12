/**
 * The sandbox as a target (src/targets/target.ts): the emulator started in this process, its endpoints and
 * site, its fake account offered as defaults, and a browser that approves the consent page by
 * itself when no real browser can be opened.
 */
import type { Target, TargetParts } from './target.js';
import { SANDBOX } from '../sandbox/fixtures.js';
import { startSandboxSession } from '../sandbox/session.js';
import { profileFlagFor } from '../config/profile-name.js';

export async function openSandboxTarget(parts: TargetParts): Promise<Target> {
  // The fake app has Kendis' (default) callback URL and the given ones registered, as Step 4 asks.
  const session = await startSandboxSession(parts.browser, parts.io, { callbackUrls: [SANDBOX.kendisCallbackUrl, ...parts.callbackUrls] }, parts.realBrowser);
  return {
    kind: 'sandbox',
    headingNote: ' — sandbox (nothing real is touched)',
    endpoints: session.endpoints,
    site: session.site,
    defaults: {
      email: SANDBOX.email,
      clientId: SANDBOX.clientId,
      callbackUrl: SANDBOX.kendisCallbackUrl,
      clientSecret: SANDBOX.clientSecret,
      apiToken: SANDBOX.apiToken,
      nextApiToken: SANDBOX.nextApiToken,
      userApiToken: SANDBOX.userApiToken,
      nextUserApiToken: SANDBOX.nextUserApiToken,
    },
    browser: session.browser,
    consolePageNote: '(Sandbox: nothing to do there; read the checklist.)',
    alwaysOpensConsent: true,
    fakeSecrets: true,
    flags: ' --sandbox',
    profileFields: { sandbox: true },
    signInNote: 'the sandbox approves it for you',
    // The sandbox's own profile needs no --profile: `setup --sandbox` uses it.
    profileFlag: (profile) => (profile === 'sandbox' ? '' : profileFlagFor(profile)),
    fakeCredentialsNote:
      'In the sandbox the credentials are fake: the steps above are what you would do with real ones; there is nothing to change in Kendis or to revoke at Atlassian.',
    registerCallbackUrl: (url) => {
      const registered = session.sandbox.options.callbackUrls ?? [];
      if (!registered.includes(url)) registered.push(url);
      session.sandbox.options.callbackUrls = registered;
    },
    close: () => session.close(),
  };
}
