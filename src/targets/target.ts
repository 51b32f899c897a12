/**
 * Where "Atlassian" is for one run: Atlassian's own hosts, or the built-in sandbox. It is an
 * adapter chosen when a command starts (as gh's Factory chooses its parts): the wizard, the checks,
 * the OAuth flow and the Atlassian client get one and never ask which it is. The target supplies
 * the endpoints, the site when it is fixed, the answers it offers as defaults, the browser, and the
 * notes to print.
 */
import type { Endpoints, Profile } from '../config/schema.js';
import { endpointsFromEnv } from '../atlassian/endpoints.js';
import type { BrowserOpener } from '../io/browser.js';
import type { Terminal } from '../io/terminal.js';
import { profileFlagFor } from '../config/profile-name.js';

/** Answers a target offers (Enter accepts them; a non-interactive run uses them). */
export interface TargetDefaults {
  email?: string;
  clientId?: string;
  callbackUrl?: string;
  clientSecret?: string;
  apiToken?: string;
  /** A second, different API token (so a rotation can be tried). */
  nextApiToken?: string;
  /** A user's own token (the 20 scopes of Kendis' individual-user article), and a second one. */
  userApiToken?: string;
  nextUserApiToken?: string;
}

export const TARGET_KINDS = ['atlassian', 'sandbox'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface Target {
  readonly kind: TargetKind;
  /** Added to the setup heading, e.g. " — sandbox (…)"; empty for Atlassian. */
  readonly headingNote: string;
  readonly endpoints: Endpoints;
  /** A fixed site (nothing to ask); undefined: the user types theirs. */
  readonly site: string | undefined;
  readonly defaults: TargetDefaults;
  /** The browser for this target's pages (the sandbox's approves its consent page by itself). */
  readonly browser: BrowserOpener;
  /** The target's Developer Console pages are not real: this is printed instead of opening them. */
  readonly consolePageNote: string | undefined;
  /** The OAuth check opens the consent page even with --no-browser (nobody needs to click). */
  readonly alwaysOpensConsent: boolean;
  /** Its secrets are fake: with no keychain they may go to the 0600 file (announced). */
  readonly fakeSecrets: boolean;
  /** Flags that start this target again, for the commands this tool prints (" --sandbox"). */
  readonly flags: string;
  /** What the saved profile records so later commands reach the same target. */
  readonly profileFields: Partial<Pick<Profile, 'sandbox'>>;
  /** Said with the sign-in that proves the app's permissions, in brackets (who approves it, what is kept). */
  readonly signInNote: string;
  /** The --profile words for the commands printed for this profile (a target's own profile needs none). */
  profileFlag(profile: string): string;
  /** Said after logout instead of Atlassian's "revoke the token" advice, when there is nothing real to revoke. */
  readonly fakeCredentialsNote: string | undefined;
  /**
   * The user puts this callback URL on the app's Authorization tab (Step 5). Atlassian's console is
   * the user's to change; a target that plays the console records it, as the user would have.
   */
  registerCallbackUrl(url: string): void;
  close(): Promise<void>;
}

export interface TargetParts {
  env: Record<string, string | undefined>;
  io: Terminal;
  browser: BrowserOpener;
  /** The callback URLs the app has registered (the sandbox registers them, as Step 4 asks). */
  callbackUrls: string[];
  /** May a real browser be opened (false with --no-browser)? */
  realBrowser: boolean;
}

/** Atlassian itself: its hosts (or KENDIS_JIRA_AUTH_URL / KENDIS_JIRA_API_URL), the user's browser. */
export function atlassianTarget(parts: TargetParts, endpoints: Endpoints = endpointsFromEnv(parts.env)): Target {
  return {
    kind: 'atlassian',
    headingNote: '',
    endpoints,
    site: undefined,
    defaults: {},
    browser: parts.browser,
    consolePageNote: undefined,
    alwaysOpensConsent: false,
    fakeSecrets: false,
    flags: '',
    profileFields: {},
    signInNote: 'its tokens are thrown away',
    profileFlag: profileFlagFor,
    fakeCredentialsNote: undefined,
    registerCallbackUrl: () => undefined,
    close: async () => undefined,
  };
}

/** The target a command asked for (setup --sandbox) or a saved profile was set up with. */
export async function openTarget(kind: TargetKind, parts: TargetParts, saved?: Endpoints): Promise<Target> {
  if (kind === 'atlassian') return atlassianTarget(parts, saved);
  const { openSandboxTarget } = await import('./sandbox-target.js');
  return openSandboxTarget(parts);
}

/** Which target a saved profile belongs to. */
export function targetOf(profile: Pick<Profile, 'sandbox'>): TargetKind {
  return profile.sandbox ? 'sandbox' : 'atlassian';
}

/** Where a saved profile points, in words. */
export function describeProfileTarget(profile: Pick<Profile, 'sandbox' | 'site'>): string {
  return profile.sandbox ? 'the built-in sandbox' : profile.site;
}
