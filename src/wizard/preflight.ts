/**
 * The setup's pre-flight: every problem it can find before any secret is typed, as a list of steps
 * over one WizardRun (src/wizard/run-wizard.ts runs them in order). A step returns 'stop' when the
 * setup ends there with nothing changed (the user keeps the existing profile).
 */
import { typed } from '../io/typed.js';
import type { Deps } from '../deps.js';
import { KeychainUnavailableError, UsageError } from '../errors.js';
import { AtlassianClient } from '../atlassian/client.js';
import { displayProxy, proxySettings } from '../atlassian/http.js';
import { startCallbackServer } from '../auth/callback-server.js';
import { SECRET_KINDS, type SecretBackend } from '../secrets/backend.js';
import { profileFlagFor } from '../config/profile-name.js';
import { describeDaysLeft, daysUntil } from '../dates/dates.js';
import { describeProfileTarget, type Target } from '../targets/target.js';
import type { Answers } from './answers.js';
import { secretFromEnvironment } from '../input/ask.js';
import type { WizardContext, WizardOptions, WizardStep } from './context.js';
import { profileKind, type Profile, type ProfileKind } from '../config/schema.js';
import { describeStep, resumeIndex, totalSteps } from './runner.js';
import { userFinishStep, userTokenStep } from './steps/user-token.js';
import { siteStep } from './steps/site.js';
import { createAppStep } from './steps/create-app.js';
import { addApisStep } from './steps/add-apis.js';
import { grantScopesStep } from './steps/grant-scopes.js';
import { authorizationStep } from './steps/authorization.js';
import { kendisCallbackStep } from './steps/kendis-callback.js';
import { clientCredentialsStep } from './steps/client-credentials.js';
import { apiTokenStep } from './steps/api-token.js';
import { finishStep } from './steps/finish.js';
import { probeListed } from '../profiles/transaction.js';

/** A Kendis user's own token: the site and e-mail, then two steps. */
export const USER_STEPS: readonly WizardStep[] = [siteStep, userTokenStep, userFinishStep];

/** The organisation's ALM account: the site and e-mail, then the eight steps of Kendis' guide. */
export const STEPS: readonly WizardStep[] = [
  siteStep,
  createAppStep,
  addApisStep,
  grantScopesStep,
  authorizationStep,
  kendisCallbackStep,
  clientCredentialsStep,
  apiTokenStep,
  finishStep,
];

/** One setup run, as the pre-flight fills it in. */
export interface WizardRun {
  deps: Deps;
  options: WizardOptions;
  profile: string;
  target: Target;
  /** The saved profile this run may replace. */
  existing: Profile | undefined;
  /** An unfinished setup of this target this run may resume. */
  resumable: { answers: Answers; step: number } | undefined;
  /** The command that runs this setup again, as the user types it. */
  rerun: (kind: ProfileKind | undefined) => string;
  kind?: ProfileKind;
  steps?: readonly WizardStep[];
  answers: Answers;
  savedIndex?: number;
  backend?: SecretBackend;
  ctx?: WizardContext;
  start?: number;
}

export type PreflightStep = (run: WizardRun) => Promise<'stop' | undefined>;

/** Where secrets go: the keychain (probed), or the file when asked (or when the target's secrets are fake). */
async function chooseBackend(deps: Deps, options: WizardOptions, target: Target, profile: string, kind: ProfileKind): Promise<SecretBackend> {
  const keychain = deps.secretBackend('keychain');
  try {
    await probeListed(deps, profile, keychain);
    deps.io.info(
      kind === 'user'
        ? `Your token will be stored in ${keychain.description}, account "${profile}:api-token".`
        : `Secrets will be stored in ${keychain.description}, accounts "${profile}:client-secret" and "${profile}:api-token".`,
    );
    return keychain;
  } catch (error) {
    if (!(error instanceof KeychainUnavailableError)) throw error;
    if (!options.insecureStorage && !target.fakeSecrets) throw error.offeringFile();
    const file = deps.secretBackend('file');
    deps.io.warn(
      options.insecureStorage
        ? `No usable OS keychain; as --insecure-storage asks, secrets will be stored in ${file.description}.`
        : `No usable OS keychain: these fake secrets go to ${file.description}.`,
    );
    // A target with fake secrets goes on with them; a real site's run stops with the whole fix.
    return file;
  }
}

async function checkPortFree(redirectUri: string): Promise<void> {
  const server = await startCallbackServer({ redirectUri, state: 'preflight' });
  await server.close();
}

/** Non-interactive: name every missing flag or variable at once (exit 2); what the target offers is not missing. */
export function missingForNonInteractive(
  options: WizardOptions,
  env: Record<string, string | undefined>,
  resumed: Answers,
  target: Pick<Target, 'defaults' | 'site'>,
  kind: ProfileKind = 'alm-account',
): string[] {
  const missing: string[] = [];
  const d = target.defaults;
  if (!options.site && !resumed.site && !target.site) missing.push('--site');
  if (!options.email && !resumed.email && !d.email) missing.push('--email');
  if (kind === 'user') {
    if (!env.KENDIS_JIRA_API_TOKEN && !d.userApiToken) missing.push('KENDIS_JIRA_API_TOKEN');
    return missing;
  }
  if (!options.callbackUrl && !resumed.callbackUrl && !d.callbackUrl) missing.push('--callback-url');
  if (!options.clientId && !resumed.clientId && !d.clientId) missing.push('--client-id');
  if (!env.KENDIS_JIRA_CLIENT_SECRET && !d.clientSecret) missing.push('KENDIS_JIRA_CLIENT_SECRET');
  if (!env.KENDIS_JIRA_API_TOKEN && !d.apiToken) missing.push('KENDIS_JIRA_API_TOKEN');
  return missing;
}

/** The organisation's ALM account (the admin, once) or a user's own token: --user, else asked, else the former. */
export async function chooseKind(deps: Deps, options: WizardOptions, resumed: ProfileKind | undefined): Promise<ProfileKind> {
  if (options.user) return 'user';
  // Not said: an unfinished setup of one kind resumes as that kind (its advice says just "setup").
  if (!deps.io.interactive || options.user === false) return options.user === false ? 'alm-account' : (resumed ?? 'alm-account');
  // An unfinished setup already says which kind it is: the next question is whether to resume it.
  if (resumed) return resumed;
  return deps.prompter.select<ProfileKind>({
    id: 'setup.kind',
    message: 'What are you setting up?',
    default: 'alm-account',
    choices: [
      { name: 'The organisation’s ALM account in Kendis (a Jira admin, once): the OAuth app and its token', value: 'alm-account' },
      { name: 'My own scoped API token, for my Kendis profile (every Kendis user)', value: 'user' },
    ],
  });
}

/** Where settings go must be writable: found before the first question, not after Step 1. */
const heading: PreflightStep = async (run) => {
  run.deps.io.heading(`kendis-jira setup${run.target.headingNote}, profile "${run.profile}"`);
  await run.deps.config.checkWritable();
  return undefined;
};

const kind: PreflightStep = async (run) => {
  const chosen = await chooseKind(run.deps, run.options, run.resumable?.answers.kind);
  run.kind = chosen;
  run.steps = chosen === 'user' ? USER_STEPS : STEPS;
  // The ALM account's eight steps say themselves ("Step 1 of 8"); a user's token says what it is.
  if (chosen === 'user') run.deps.io.info(`Your own scoped API token for Kendis, in ${totalSteps(run.steps)} checked steps.`);
  return undefined;
};

/** Non-interactive: every missing flag or variable named at once, and a mangled secret found now, not after Steps 1–6. */
const scriptInputs: PreflightStep = async ({ deps, options, resumable, target, kind }) => {
  if (deps.io.interactive) return undefined;
  const missing = missingForNonInteractive(options, deps.env, resumable?.answers ?? {}, target, kind);
  if (missing.length) {
    const why = deps.globals.nonInteractive ? '' : ' (stdin or stdout is not a terminal, so nothing can be asked)';
    throw new UsageError(
      `Missing in a non-interactive run${why}: ${missing.join(', ')}.`,
      `Pass the flags, and set the secrets as environment variables (never as flags). See \`${typed('help setup')}\`.`,
    );
  }
  for (const secret of SECRET_KINDS) secretFromEnvironment(deps, secret);
  return undefined;
};

/**
 * An existing profile is replaced only by one of its own kind (the ALM account and a user's own token
 * live side by side, in two profiles), and only when the user says so (a script is warned).
 */
const replacement: PreflightStep = async ({ deps, profile, target, existing, kind }) => {
  if (!existing) return undefined;
  const io = deps.io;
  if (profileKind(existing) !== kind) {
    throw new UsageError(
      `Profile "${profile}" is ${profileKind(existing) === 'user' ? 'a user’s own token' : 'the organisation’s ALM account'}; this setup would replace it with ${kind === 'user' ? 'your own token' : 'the ALM account'}.`,
      `Use another profile for it: \`${typed()} setup${target.flags}${kind === 'user' ? ' --user' : ''} --profile ${kind === 'user' ? 'me' : 'kendis'}\` (every command then takes that --profile).`,
    );
  }
  const left = describeDaysLeft(daysUntil(existing.token.expiresOn, deps.now()));
  io.info(`Profile "${profile}" already exists: ${describeProfileTarget(existing)} as ${existing.email}, token expires ${existing.token.expiresOn} (${left}).`);
  if (!io.interactive) {
    io.warn('It will be replaced if this setup passes its final test.');
    return undefined;
  }
  const message = 'Set it up again? (It stays as it is until the new setup passes its final test.)';
  if (await deps.prompter.confirm({ id: 'profile.replace', message, default: false })) return undefined;
  const flag = profileFlagFor(profile);
  io.info(`Nothing changed. To check it: \`${typed()} test-connection${flag}\`; another site: \`${typed()} setup --profile <name>\`.`);
  return 'stop';
};

/** An unfinished setup of the same kind: resumed (asked when interactive). */
const resume: PreflightStep = async (run) => {
  const { deps, resumable, target, kind, answers } = run;
  const steps = run.steps ?? STEPS;
  if (resumable && (resumable.answers.kind ?? 'alm-account') === kind) {
    const at = describeStep(steps[Math.min(resumable.step + 1, steps.length - 1)]);
    // Which one: its site (unless the target starts a new one every run) and account.
    const site = target.site ? undefined : resumable.answers.site;
    const email = resumable.answers.email;
    const which = `${site ? ` of ${site}` : ''}${email ? ` as ${email}` : ''}`;
    const yes = deps.io.interactive
      ? await deps.prompter.confirm({ id: 'resume', message: `Resume the unfinished setup${which} at ${at}?`, default: true })
      : true;
    if (yes) {
      Object.assign(answers, resumable.answers);
      run.savedIndex = resumable.step;
    }
  }
  answers.target = target.kind;
  answers.kind = kind;
  // A target with a fixed site (started anew by every run) is where this run's site is, whatever was saved.
  if (target.site) answers.site = target.site;
  return undefined;
};

/** Where secrets go, the loopback port, the proxy — before any secret is typed. */
const storageAndNetwork: PreflightStep = async (run) => {
  const { deps, options, target, profile } = run;
  const kindOf = run.kind ?? 'alm-account';
  run.backend = await chooseBackend(deps, options, target, profile, kindOf);
  run.answers.storage = run.backend.location;
  if (kindOf === 'alm-account' && !options.skipOAuth) await checkPortFree(options.redirectUri);
  const proxy = proxySettings(deps.env);
  if (proxy) deps.io.info(`Using the proxy ${displayProxy(proxy.httpsProxy ?? proxy.httpProxy ?? '')} for Atlassian (NO_PROXY honoured).`);
  return undefined;
};

/** The steps' context, and where they start (a resume goes back to a step whose staged secret is gone). */
const context: PreflightStep = async (run) => {
  const { deps, options, profile, target, answers, backend } = run;
  if (!backend) throw new Error('internal: the context is built before the store is chosen');
  const steps = run.steps ?? STEPS;
  const client = new AtlassianClient(await deps.http(), target.endpoints);
  run.ctx = { deps, options, profile, target, answers, client, backend, secrets: {}, rerun: run.rerun(run.kind) };
  run.start = await resumeIndex(run.ctx, steps, run.savedIndex);
  if (run.savedIndex !== undefined) deps.io.info(`Resuming at ${describeStep(steps[run.start])}.`);
  return undefined;
};

/** The pre-flight, in order. */
export const PREFLIGHT: readonly PreflightStep[] = [heading, kind, scriptInputs, replacement, resume, storageAndNetwork, context];
