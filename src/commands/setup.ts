/** `kendis-jira setup`: parse the flags, then run the wizard. */
import { typed } from '../io/typed.js';
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { DEFAULTS } from '../options/defaults.js';
import {
  list,
  oauthTimeoutSeconds,
  on,
  type RawOptions,
  redirectUriCheck,
  refuse,
  refuseIfAny,
  said,
  text,
  unlessOff,
  type Check,
} from '../options/options.js';
import type { WizardOptions } from '../wizard/context.js';
import { checkCallbackUrl, checkClientId, checkEmail, checkSiteUrl, type Checked } from '../input/validate.js';
import { parseAppId } from '../atlassian/endpoints.js';
import { foreignSiteProblem } from '../atlassian/domains.js';
import { validateTokenExpiry } from '../dates/dates.js';

/** The wizard's options, plus which target (src/targets/target.ts) it runs against. */
export interface SetupOptions extends WizardOptions {
  sandbox: boolean;
  /** --redirect-uri was typed (the sandbox otherwise picks a free port). */
  redirectUriGiven?: boolean;
}

/** A validate.ts check as an option check, its message led by the flag. */
const as =
  (name: string, fn: (value: string) => Checked): Check =>
  (value) => {
    const r = fn(value);
    return r.ok ? undefined : `${name}: ${r.message}`;
  };

const appIdCheck: Check = (v) =>
  parseAppId(v)
    ? undefined
    : {
        message: '--app-id: that is not an app id or a Developer Console app URL.',
        hint: 'Copy the address of the app’s page, e.g. https://developer.atlassian.com/console/myapps/<id>/overview.',
      };

/** Credentials go to the site: a typo is refused with the flags, before any question or keychain. */
function foreignSite(site: string | undefined, allowed: boolean): ReturnType<Check> {
  if (site === undefined || allowed) return undefined;
  const checked = checkSiteUrl(site);
  const problem = checked.ok ? foreignSiteProblem(checked.value) : undefined;
  return problem && { message: `--site: ${problem.message}`, hint: problem.hint };
}

export function parseSetupOptions(raw: RawOptions, now: Date = new Date()): SetupOptions {
  const redirectUri = text(raw.redirectUri, redirectUriCheck);
  const site = text(raw.site, as('--site', checkSiteUrl));
  const options: SetupOptions = {
    site,
    email: text(raw.email, as('--email', checkEmail)),
    appId: text(raw.appId, appIdCheck),
    callbackUrl: text(raw.callbackUrl, as('--callback-url', checkCallbackUrl)),
    clientId: text(raw.clientId, as('--client-id', checkClientId)),
    tokenExpires: text(raw.tokenExpires, (v) => {
      const verdict = validateTokenExpiry(v, now);
      return verdict === true ? undefined : `--token-expires: ${verdict}`;
    }),
    projects: list(raw.project),
    redirectUri: redirectUri ?? DEFAULTS.redirectUri,
    redirectUriGiven: redirectUri !== undefined,
    oauthTimeoutSeconds: oauthTimeoutSeconds(raw.oauthTimeout),
    browser: unlessOff(raw.browser),
    skipOAuth: on(raw.skipOauth),
    allowNonAtlassianSite: on(raw.allowNonAtlassianSite),
    insecureStorage: on(raw.insecureStorage),
    sandbox: on(raw.sandbox),
    restart: on(raw.restart),
    user: said(raw.user),
  };
  refuse(options.sandbox && site !== undefined, '--sandbox and --site do not go together: the sandbox is its own site.');
  refuseIfAny(foreignSite(site, options.allowNonAtlassianSite));
  return options;
}

export async function runSetup(options: SetupOptions, deps: Deps): Promise<void> {
  if (options.sandbox) options = await sandboxOptions(options, deps);
  // The sandbox gets its own profiles, so trying it never touches a real one: "sandbox" (the ALM
  // account) or "sandbox-user" (a user's token) unless --profile names another, and never a
  // profile that was set up against real Atlassian.
  const profile = options.sandbox && !deps.globals.profileExplicit ? (options.user ? 'sandbox-user' : 'sandbox') : deps.globals.profile;
  if (options.sandbox) {
    const existing = await deps.config.getProfile(profile);
    if (existing && !existing.sandbox) {
      throw new UsageError(
        `Profile "${profile}" is a real connection (${existing.site}); the sandbox never replaces it.`,
        `Run \`${typed('setup --sandbox')}\` without --profile (it uses the "sandbox" profiles), or name a new profile.`,
      );
    }
  }
  const { runWizard } = await import('../wizard/run-wizard.js');
  await runWizard(options, deps, { profile, target: options.sandbox ? 'sandbox' : 'atlassian' });
}

/**
 * The sandbox accepts any local callback port, so it picks a free one unless --redirect-uri names
 * one (8976 may be taken); which kind is asked first when it decides the profile's name.
 */
async function sandboxOptions(options: SetupOptions, deps: Deps): Promise<SetupOptions> {
  const { chooseKind } = await import('../wizard/run-wizard.js');
  const user = options.user === undefined && !deps.globals.profileExplicit ? (await chooseKind(deps, options, undefined)) === 'user' : options.user;
  if (options.redirectUriGiven) return { ...options, user };
  const { freeLoopbackPort } = await import('../net/loopback.js');
  return { ...options, user, redirectUri: `http://localhost:${await freeLoopbackPort()}/callback` };
}
