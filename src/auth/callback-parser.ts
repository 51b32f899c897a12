/**
 * The pure core of the loopback flow: what a callback URL says. Table-tested.
 * Atlassian redirects with ?code=…&state=… on consent and ?error=access_denied&… on Cancel.
 */
import { singleLine } from '../io/sanitize.js';
import { timingSafeEqual } from 'node:crypto';

export type CallbackResult =
  | { kind: 'code'; code: string }
  | { kind: 'error'; error: string; description: string | undefined }
  | { kind: 'invalid'; reason: string };

/** Constant-time comparison of the returned state with the one we sent. */
export function stateMatches(received: string, expected: string): boolean {
  // UTF-8, Buffer.from's default.
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

function single(params: URLSearchParams, name: string): string | undefined | null {
  const all = params.getAll(name);
  if (all.length > 1) return null;
  return all[0];
}

/**
 * Parse a callback (a request target like "/callback?code=…" or a full pasted URL).
 * `expectedPath` is compared exactly when given.
 */
export function parseCallback(target: string, expectedState: string, expectedPath?: string): CallbackResult {
  let url: URL;
  try {
    url = new URL(target.trim(), 'http://localhost');
  } catch {
    return { kind: 'invalid', reason: 'not a URL' };
  }
  if (expectedPath !== undefined && url.pathname !== expectedPath) return { kind: 'invalid', reason: `unexpected path ${url.pathname}` };
  const params = url.searchParams;
  const state = single(params, 'state');
  if (state === null) return { kind: 'invalid', reason: 'more than one state parameter' };
  if (!state) return { kind: 'invalid', reason: 'no state parameter' };
  if (!stateMatches(state, expectedState)) return { kind: 'invalid', reason: 'the state does not match this sign-in' };
  const error = single(params, 'error');
  if (error === null) return { kind: 'invalid', reason: 'more than one error parameter' };
  if (error) return { kind: 'error', error, description: single(params, 'error_description') ?? undefined };
  const code = single(params, 'code');
  if (code === null) return { kind: 'invalid', reason: 'more than one code parameter' };
  if (!code) return { kind: 'invalid', reason: 'no code parameter' };
  if (code.length > 4096) return { kind: 'invalid', reason: 'the code is too long' };
  return { kind: 'code', code };
}

/** What an OAuth error in the callback means for the user. */
export function describeCallbackError(rawError: string, rawDescription: string | undefined): { message: string; hint: string } {
  // Both came in on a URL anyone on this machine could send: one line of plain text each.
  const error = singleLine(rawError).slice(0, 80);
  const description = rawDescription === undefined ? undefined : singleLine(rawDescription).slice(0, 200);
  if (error === 'access_denied') {
    return { message: 'You pressed Cancel on Atlassian’s consent page, so no access was granted.', hint: 'Run the step again and click Accept.' };
  }
  if (error === 'unauthorized_client') {
    return {
      message: `Atlassian refused the app (${description || error}).`,
      hint: 'Check the callback URL on the Authorization tab and that the Client ID is this app’s.',
    };
  }
  if (error === 'invalid_scope') {
    return {
      message: `Atlassian refused the requested scopes (${description || error}).`,
      hint: 'Add the three APIs and six Jira permissions on the app’s Permissions tab (Steps 2 and 3), then try again.',
    };
  }
  return {
    message: `Atlassian answered with an error: ${error}${description ? ` (${description})` : ''}.`,
    hint: 'Check the app on the Developer Console and try again.',
  };
}
