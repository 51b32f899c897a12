/**
 * The wizard's shared context and its steps' shape. Each step declares the answers it needs (the
 * runner hands them over typed and present) and the verified secret it stages, if any; the runner
 * prints headings, saves progress, resumes, and restores staged secrets.
 */
import type { Deps } from '../deps.js';
import type { AtlassianClient } from '../atlassian/client.js';
import type { SecretBackend, SecretKind } from '../secrets/backend.js';
import type { Target } from '../targets/target.js';
import type { Answers } from './answers.js';

/** The setup flags the steps read (each question can be pre-answered by one). */
export interface WizardOptions {
  site: string | undefined;
  email: string | undefined;
  appId: string | undefined;
  callbackUrl: string | undefined;
  clientId: string | undefined;
  tokenExpires: string | undefined;
  /** --project keys (Jira projects of the Kendis boards); undefined: asked (optional) when interactive. */
  projects?: string[] | undefined;
  redirectUri: string;
  oauthTimeoutSeconds: number;
  browser: boolean;
  skipOAuth: boolean;
  /** --allow-non-atlassian-site: the user confirmed a site outside Atlassian's domains. */
  allowNonAtlassianSite: boolean;
  insecureStorage: boolean;
  restart: boolean;
  /** --user: a Kendis user's own token; undefined: asked when interactive, else the ALM account. */
  user: boolean | undefined;
}

export interface WizardContext {
  deps: Deps;
  options: WizardOptions;
  /** The profile being set up (chosen by the command; deps.globals is never changed). */
  profile: string;
  target: Target;
  answers: Answers;
  client: AtlassianClient;
  backend: SecretBackend;
  /** Verified secrets, in memory until Step 8 stores them (and staged for a resume). */
  secrets: Partial<Record<SecretKind, string>>;
  /** The command that runs this setup again (and resumes it), as the user types it. */
  rerun: string;
  /** Set once the profile is saved (src/wizard/commit.ts): from then on there is nothing to resume. */
  committed?: boolean;
}

/** The answers a step declared it needs, present and typed. */
export type Have<N extends keyof Answers> = { [K in N]-?: NonNullable<Answers[K]> };

export interface WizardStep<N extends keyof Answers = keyof Answers> {
  /** "Step n of N"; none for the site step before Step 1. */
  number?: number;
  title: string;
  needs: readonly N[];
  /** The verified secret this step stages (restored on resume, or the step runs again). */
  stages?: SecretKind;
  run(ctx: WizardContext, have: Have<N>): Promise<void>;
}

/** A step, type-checked against its own needs, then kept in the one list. */
export function defineStep<N extends keyof Answers>(step: WizardStep<N>): WizardStep {
  return step as unknown as WizardStep;
}
