/** `kendis-jira setup`: parse the flags, then run the wizard. */
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { parseRedirectUri } from '../auth/callback-server.js';
import { DEFAULTS } from './defaults.js';
import { parseTimeout } from './test-connection.js';
import type { WizardOptions } from '../wizard/context.js';

/** The wizard's options, plus which target (src/target.ts) it runs against. */
export interface SetupOptions extends WizardOptions {
  sandbox: boolean;
}
import { checkCallbackUrl, checkClientId, checkEmail, checkSiteUrl } from '../wizard/validate.js';
import { parseAppId } from '../atlassian/endpoints.js';
import { validateTokenExpiry } from '../dates/dates.js';

const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

export function parseSetupOptions(raw: Record<string, unknown>, now: Date = new Date()): SetupOptions {
  const redirectUri = str(raw.redirectUri) ?? DEFAULTS.redirectUri;
  parseRedirectUri(redirectUri);
  const options: SetupOptions = {
    site: str(raw.site),
    email: str(raw.email),
    appId: str(raw.appId),
    callbackUrl: str(raw.callbackUrl),
    clientId: str(raw.clientId),
    tokenExpires: str(raw.tokenExpires),
    redirectUri,
    oauthTimeoutSeconds: parseTimeout(raw.oauthTimeout),
    browser: raw.browser !== false,
    skipOAuth: Boolean(raw.skipOauth),
    allowNonAtlassianSite: Boolean(raw.allowNonAtlassianSite),
    insecureStorage: Boolean(raw.insecureStorage),
    sandbox: Boolean(raw.sandbox),
    restart: Boolean(raw.restart),
    user: raw.user === undefined ? undefined : Boolean(raw.user),
  };
  if (options.sandbox && options.site) throw new UsageError('--sandbox and --site do not go together: the sandbox is its own site.');
  // Every flag is checked before anything else happens (keychain, network), so a typo costs nothing.
  const check = (flag: string, value: string | undefined, fn: (v: string) => { ok: boolean; message?: string }) => {
    if (value === undefined) return;
    const r = fn(value);
    if (!r.ok) throw new UsageError(`${flag}: ${r.message}`);
  };
  check('--site', options.site, checkSiteUrl);
  check('--email', options.email, checkEmail);
  check('--callback-url', options.callbackUrl, checkCallbackUrl);
  check('--client-id', options.clientId, checkClientId);
  if (options.appId !== undefined && !parseAppId(options.appId)) {
    throw new UsageError('--app-id: that is not an app id or a Developer Console app URL.', 'Copy the address of the app’s page, e.g. https://developer.atlassian.com/console/myapps/<id>/overview.');
  }
  if (options.tokenExpires !== undefined) {
    const verdict = validateTokenExpiry(options.tokenExpires, now);
    if (verdict !== true) throw new UsageError(`--token-expires: ${verdict}`);
  }
  return options;
}

export async function runSetup(options: SetupOptions, deps: Deps): Promise<void> {
  // The sandbox gets its own profile, so trying it never touches a real one: "sandbox" unless
  // --profile names another, and never a profile that was set up against real Atlassian.
  const profile = options.sandbox && !deps.globals.profileExplicit ? 'sandbox' : deps.globals.profile;
  if (options.sandbox) {
    const existing = await deps.config.getProfile(profile);
    if (existing && !existing.sandbox) {
      throw new UsageError(
        `Profile "${profile}" is a real connection (${existing.site}); the sandbox never replaces it.`,
        'Run `kendis-jira setup --sandbox` without --profile (it uses the "sandbox" profile), or name a new profile.',
      );
    }
  }
  const { runWizard } = await import('../wizard/run-wizard.js');
  await runWizard(options, deps, { profile, target: options.sandbox ? 'sandbox' : 'atlassian' });
}
