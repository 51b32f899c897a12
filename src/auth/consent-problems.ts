/**
 * What real Atlassian does when the consent cannot go through: it stops on its own error page and
 * never sends the browser back (atlassian.md, "What real Atlassian does…"). This CLI cannot see
 * that page, so it says what to look for, lets the user say which one they see, and names the fix.
 * Sources: Atlassian's 3LO docs and support articles ("Your site admin must authorize this app",
 * app distribution/sharing, "This app requires access to a Jira site which you don't have").
 */
import { appScopeTitle } from '../atlassian/scopes.js';

/** The pages, in the order the wait menu numbers them (1–5). */
export const CONSENT_PROBLEMS = ['scopes-not-added', 'redirect-not-registered', 'admin-approval', 'sharing-off', 'no-site-access'] as const;
export type ConsentProblem = (typeof CONSENT_PROBLEMS)[number];

export interface ConsentProblemText {
  /** What Atlassian's page says, as the user will see it (short, quoted). */
  looksLike: string;
  message: string;
  hint: string;
}

export function consentProblem(problem: ConsentProblem, p: { redirectUri: string; scopes: readonly string[] }): ConsentProblemText {
  switch (problem) {
    case 'scopes-not-added': {
      const titles = p.scopes.map((s) => `"${appScopeTitle(s)}"`).join(', ');
      return {
        looksLike: '"This app has requested scopes that have not been added"',
        message: 'Atlassian stopped at its error page: the app asks for permissions that were not added to it in the Developer Console.',
        hint: `Steps 2–3: on the app's Permissions tab add the three APIs and, under Jira API → Granular scopes → Edit Scopes, tick ${titles}, then Save and check again.`,
      };
    }
    case 'redirect-not-registered':
      return {
        looksLike: '"redirect_uri is not registered"',
        message: 'Atlassian stopped at its error page: the local callback URL is not registered on the app.',
        hint: `Step 4: on the app's Authorization tab the callback URL must be exactly ${p.redirectUri} (same host, port and path, no trailing slash), then Save changes and check again.`,
      };
    case 'admin-approval':
      return {
        looksLike: '"Your site admin must authorize this app"',
        message: 'Atlassian stopped at its error page: no site admin has approved this app for the site yet.',
        hint: 'Ask a site admin to allow it: Atlassian Administration → Apps → Sites → your site → Connected apps (user-installed apps allowed); or run this check as a site admin. Then check again.',
      };
    case 'sharing-off':
      return {
        looksLike: 'an app that is not shared ("only its developer can use it")',
        message: 'Atlassian stopped: the app’s sharing (Distribution) is off, so only the account that created it can consent.',
        hint: "Sign in to the browser as the account that created the app, or in the Developer Console open the app's Distribution tab, choose Edit → Sharing, fill in the form and Save. Then check again.",
      };
    case 'no-site-access':
      return {
        looksLike: '"requires access to a Jira site which you don\'t have"',
        message: 'Atlassian stopped: the account signed in to the browser has no access to a Jira site the app can use.',
        hint: 'Sign in to the browser with the account Kendis uses (it must have Jira on this site), or ask a site admin to give this account Jira access (Atlassian Administration → Users). Then check again.',
      };
  }
}

/** The sentence said while waiting, and after a timeout: the pages Atlassian may show instead of sending the browser back. */
export function whatToLookFor(p: { redirectUri: string; scopes: readonly string[] }): string {
  const pages = CONSENT_PROBLEMS.map((k) => consentProblem(k, p).looksLike);
  return `If Atlassian shows an error page instead of sending the browser back, it says one of: ${pages.map((page, i) => `${i + 1}. ${page}`).join('; ')}.`;
}

/** The wait prompt: what to type. */
export const WAIT_PROMPT = 'Waiting for Atlassian… If it shows an error page, type its number (1–5 above); or paste the address the browser ended on:';

/** What the user typed while waiting: a number (1–5), words copied from Atlassian's page, or a URL. */
export function readWaitAnswer(answer: string): ConsentProblem | 'url' | undefined {
  const text = answer.trim();
  const index = /^[1-5]$/.test(text) ? Number(text) - 1 : -1;
  if (index >= 0) return CONSENT_PROBLEMS[index];
  if (/^https?:\/\//i.test(text)) return /[?&](code|error)=/.test(text) || !/redirect_uri/i.test(text) ? 'url' : 'redirect-not-registered';
  if (/scopes? that have not been added|invalid_scope/i.test(text)) return 'scopes-not-added';
  if (/redirect_uri|callback url/i.test(text)) return 'redirect-not-registered';
  if (/site admin must authori[sz]e/i.test(text)) return 'admin-approval';
  if (/not shared|sharing|distribution|only its developer/i.test(text)) return 'sharing-off';
  if (/requires access to a jira site|access denied/i.test(text)) return 'no-site-access';
  return undefined;
}
