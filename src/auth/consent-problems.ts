/**
 * What real Atlassian does when the consent cannot go through: it stops on its own error page and
 * never sends the browser back (atlassian.md, "What real Atlassian does…"). This CLI cannot see
 * that page, so it says what to look for, lets the user say which one they see, and names the fix.
 */
import { appScopeTitle } from '../atlassian/scopes.js';

export type ConsentProblem = 'scopes-not-added' | 'redirect-not-registered';

export interface ConsentProblemText {
  /** What Atlassian's page says, as the user will see it. */
  looksLike: string;
  message: string;
  hint: string;
}

export function consentProblem(problem: ConsentProblem, p: { redirectUri: string; scopes: readonly string[] }): ConsentProblemText {
  if (problem === 'scopes-not-added') {
    const titles = p.scopes.map((s) => `"${appScopeTitle(s)}"`).join(', ');
    return {
      looksLike: '"This app has requested scopes that have not been added…"',
      message: 'Atlassian stopped at its error page: the app asks for permissions that were not added to it in the Developer Console.',
      hint: `Steps 2–3: on the app's Permissions tab add the three APIs and, under Jira API → Granular scopes → Edit Scopes, tick ${titles}, then Save and check again.`,
    };
  }
  return {
    looksLike: '"redirect_uri is not registered" (or does not match)',
    message: 'Atlassian stopped at its error page: the local callback URL is not registered on the app.',
    hint: `Step 4: on the app's Authorization tab the callback URL must be exactly ${p.redirectUri} (same host, port and path, no trailing slash), then Save changes and check again.`,
  };
}

/** The sentence said while waiting, and after a timeout: the two pages Atlassian may show instead. */
export function whatToLookFor(p: { redirectUri: string; scopes: readonly string[] }): string {
  const a = consentProblem('scopes-not-added', p);
  const b = consentProblem('redirect-not-registered', p);
  return `If Atlassian shows an error page instead of sending the browser back: ${a.looksLike} means Steps 2–3 (permissions missing on the app); ${b.looksLike} means Step 4 (the callback URL must be exactly ${p.redirectUri}).`;
}

/** What the user typed while waiting: a choice (1, 2), words copied from Atlassian's page, or a URL. */
export function readWaitAnswer(answer: string): ConsentProblem | 'url' | undefined {
  const text = answer.trim();
  if (text === '1' || /scopes? that have not been added|invalid_scope/i.test(text)) return 'scopes-not-added';
  if (text === '2' || /redirect_uri|callback url/i.test(text)) return /^https?:\/\//i.test(text) && /[?&](code|error)=/.test(text) ? 'url' : 'redirect-not-registered';
  if (/^https?:\/\//i.test(text)) return 'url';
  return undefined;
}
