/**
 * The `oauth-client` request: exchange a code that cannot be valid, so Atlassian's answer says
 * whether it knows the Client ID and Secret (invalid_grant) without a browser. The redirect_uri is
 * Kendis' callback URL, which is registered on the app in every console mode: Atlassian's token
 * endpoint may check the redirect_uri before the code (undocumented, atlassian.md), and the local
 * URL is not registered when the console keeps only Kendis' one.
 */
import type { AtlassianClient, ExchangeResult } from '../atlassian/client.js';

export const IMPOSSIBLE_CODE = 'kendis-jira-invalid-code-check';

export function checkClientCredentials(client: AtlassianClient, clientId: string, clientSecret: string, kendisCallbackUrl: string): Promise<ExchangeResult> {
  return client.exchangeCode({ clientId, clientSecret, code: IMPOSSIBLE_CODE, redirectUri: kendisCallbackUrl });
}
