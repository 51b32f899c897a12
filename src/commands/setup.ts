/** `kendis-jira setup`: parse the flags, then run the wizard. */
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { parseRedirectUri } from '../auth/callback-server.js';
import { parseTimeout } from './test-connection.js';
import type { SetupOptions } from '../wizard/context.js';

const str = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

export function parseSetupOptions(raw: Record<string, unknown>): SetupOptions {
  const redirectUri = str(raw.redirectUri) ?? 'http://localhost:8976/callback';
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
    insecureStorage: Boolean(raw.insecureStorage),
    sandbox: Boolean(raw.sandbox),
    restart: Boolean(raw.restart),
  };
  if (options.sandbox && options.site) throw new UsageError('--sandbox and --site do not go together: the sandbox is its own site.');
  return options;
}

export async function runSetup(options: SetupOptions, deps: Deps): Promise<void> {
  // The sandbox gets its own profile, so trying it never touches a real one.
  if (options.sandbox && !deps.globals.profileExplicit) deps.globals.profile = 'sandbox';
  const { runWizard } = await import('../wizard/run-wizard.js');
  await runWizard(options, deps);
}
