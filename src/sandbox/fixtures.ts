/**
 * The sandbox's fixed, fake account: shown to the user in `setup --sandbox` so they can type
 * something that works. None of these is a real credential anywhere.
 */
export const SANDBOX = {
  cloudId: '0b5c2f4e-5a1d-4c1e-9f0a-5a4db0c0ffee',
  siteName: 'kendis-sandbox',
  email: 'jira.admin@example.com',
  accountId: '5b10ac8d82e05b22cc7d4ef5',
  displayName: 'Sandbox Admin',
  appId: '7f3c1a52-9d0e-4b7a-8c61-2e5f0d9b4a10',
  clientId: 'KjSandboxApp0000000000000000001A',
  clientSecret: 'sandbox-client-secret-not-a-real-secret',
  apiToken: 'ATATT3xSandboxScopedApiToken-not-a-real-token',
  /** A second token with the same scopes, so `rotate-token` can be tried in the sandbox. */
  nextApiToken: 'ATATT3xSandboxRotatedApiToken-not-a-real-token',
  /** A Kendis user's own token, with the 20 scopes of the individual-user article. */
  userApiToken: 'ATATT3xSandboxUserScopeToken-not-a-real-token',
  /** A second user token, so a user's rotation can be tried too. */
  nextUserApiToken: 'ATATT3xSandboxUserRotatedToken-not-a-real-token',
  kendisCallbackUrl: 'https://kendis.example/alm/jira/oauth/callback',
} as const;
