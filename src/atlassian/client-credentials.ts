/**
 * The `oauth-client` request: exchange a code that cannot be valid, so Atlassian's answer says
 * whether it knows the Client ID and Secret (a refused *code*) without a browser. The redirect_uri is
 * Kendis' callback URL, which is registered on the app in every console mode: Atlassian's token
 * endpoint may check the redirect_uri before the code (undocumented, atlassian.md), and the local
 * URL is not registered when the console keeps only Kendis' one.
 */
import type { AtlassianClient, ExchangeResult } from './client.js';

export const IMPOSSIBLE_CODE = 'kendis-jira-invalid-code-check';

export function checkClientCredentials(client: AtlassianClient, clientId: string, clientSecret: string, kendisCallbackUrl: string): Promise<ExchangeResult> {
  return client.exchangeCode({ clientId, clientSecret, code: IMPOSSIBLE_CODE, redirectUri: kendisCallbackUrl });
}

/** The token endpoint's errors that mean "these client credentials are not accepted". */
export const CLIENT_REJECTED_ERRORS: readonly string[] = ['access_denied', 'invalid_client', 'unauthorized_client'];

export function clientRejected(error: string): boolean {
  return CLIENT_REJECTED_ERRORS.includes(error);
}

/** The fix for rejected client credentials (oauth-client and the OAuth flow), with the command that sets them again. */
export function clientRejectedFix(setupCommand = 'kendis-jira setup'): string {
  return `Copy both again from the app's Settings tab in the Developer Console, then run \`${setupCommand}\` again.`;
}

/** A 4xx that is Atlassian judging the request (not 429, which is load). */
export function judged(status: number): boolean {
  return status >= 400 && status <= 499 && status !== 429;
}

/**
 * Atlassian refused the *code* of an authenticated client: today `400 invalid_request
 * "authorization_code is invalid"`, formerly (Auth0 era) `403 invalid_grant` (atlassian.md, token endpoint).
 */
export function codeRefused(result: Extract<ExchangeResult, { ok: false }>): boolean {
  if (!judged(result.status)) return false;
  // Atlassian's older answer came with 403 (400 in OAuth's RFC); a 401 is about the client, never the code.
  if (result.error === 'invalid_grant') return result.status === 400 || result.status === 403;
  return result.error === 'invalid_request' && /authori[sz]ation[ _]code/i.test(result.description ?? '');
}
