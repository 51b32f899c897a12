/**
 * The wizard's shared context: what every step reads and adds. Answers (never secrets) are saved
 * as progress after each step; secrets live in memory until they are verified, then in the
 * profile's staging keychain entries until the final commit in Step 8.
 */
import type { Deps } from '../deps.js';
import type { Endpoints } from '../config/schema.js';
import type { AtlassianClient } from '../atlassian/client.js';
import type { SecretBackend } from '../secrets/backend.js';
import type { BrowserOpener } from '../io/browser.js';
import type { SandboxSession } from '../sandbox/session.js';

export interface SetupOptions {
  site: string | undefined;
  email: string | undefined;
  appId: string | undefined;
  callbackUrl: string | undefined;
  clientId: string | undefined;
  tokenExpires: string | undefined;
  redirectUri: string;
  oauthTimeoutSeconds: number;
  browser: boolean;
  skipOAuth: boolean;
  /** --allow-non-atlassian-site: the user confirmed a site outside Atlassian's domains. */
  allowNonAtlassianSite?: boolean;
  insecureStorage: boolean;
  sandbox: boolean;
  restart: boolean;
}

/** Keys of the saved progress. */
export type AnswerKey =
  | 'site'
  | 'email'
  | 'cloudId'
  | 'appId'
  | 'callbackUrl'
  | 'callbackMode'
  | 'clientId'
  | 'oauthVerified'
  | 'tokenExpires'
  | 'redirectUri'
  | 'storage'
  | 'sandbox';

export interface WizardContext {
  deps: Deps;
  options: SetupOptions;
  profile: string;
  answers: Partial<Record<AnswerKey, string>>;
  endpoints: Endpoints;
  client: AtlassianClient;
  backend: SecretBackend;
  browser: BrowserOpener;
  sandbox: SandboxSession | undefined;
  secrets: { clientSecret?: string; apiToken?: string };
  /** Persist answers and the last completed step. */
  save(step: number): Promise<void>;
}

export interface WizardStep {
  number: number;
  title: string;
  run(ctx: WizardContext): Promise<void>;
}

export const TOTAL_STEPS = 8;
