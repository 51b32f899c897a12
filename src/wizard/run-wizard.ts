/**
 * The wizard: the site step, then Steps 1–8 in order over one context (src/wizard/runner.ts),
 * after a preflight that finds every problem it can before any secret is typed. Progress is saved
 * after each step and resumable; nothing final is written before Step 8 passes.
 */
import { caseTwin } from '../config/profile-name.js';
import type { Deps } from '../deps.js';
import { CancelledError, KeychainUnavailableError, UsageError } from '../errors.js';
import { AtlassianClient } from '../atlassian/client.js';
import { displayProxy, proxySettings } from '../atlassian/http.js';
import { startCallbackServer } from '../auth/callback-server.js';
import { SECRET_KINDS, type SecretBackend } from '../secrets/backend.js';
import { profileFlagFor } from '../config/profile-name.js';
import { describeDaysLeft, daysUntil } from '../dates/dates.js';
import { describeProfileTarget, type Target, type TargetKind } from '../target.js';
import { discardStaged } from './commit.js';
import { answersFrom, type Answers } from './answers.js';
import { PausedError, secretFromEnvironment } from './ask.js';
import type { WizardContext, WizardOptions, WizardStep } from './context.js';
import { profileKind, type ProfileKind } from '../config/schema.js';
import { describeStep, resumeIndex, runSteps, totalSteps } from './runner.js';
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

/** Where secrets go: the keychain (probed), or the file when asked (or when the target's secrets are fake). */
async function chooseBackend(deps: Deps, options: WizardOptions, target: Target, profile: string, kind: ProfileKind): Promise<SecretBackend> {
  const keychain = deps.secretBackend('keychain');
  try {
    await keychain.probe();
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
    // A sandbox run goes on with its fake secrets; a real site's run stops with the whole fix.
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

export async function runWizard(options: WizardOptions, deps: Deps, run: { profile: string; target: TargetKind }): Promise<void> {
  const io = deps.io;
  const { profile } = run;
  // Starting again: what the unfinished setup verified is not this run's.
  if (options.restart) await discardStaged(deps, profile);
  const config = await deps.config.load();
  const twin = caseTwin(profile, [...Object.keys(config.profiles), ...Object.keys(config.progress)]);
  if (twin) {
    throw new UsageError(
      `A profile "${twin}" exists already: profile names are the same regardless of case (Windows Credential Manager would mix their secrets).`,
      `Use \`--profile ${twin}\` to set that one up again, or choose another name.`,
    );
  }
  const existing = config.profiles[profile];
  const progress = options.restart ? undefined : await deps.config.getProgress(profile);
  // Progress from another target (or that no longer parses) is not resumed.
  const saved = progress && answersFrom(progress.answers);
  const resumable = saved && (saved.target ?? 'atlassian') === run.target ? { answers: saved, step: progress.step } : undefined;

  // The app's callback URLs as the user set them: the flags, and the one saved with the progress.
  const callbackUrls = [options.callbackUrl, options.redirectUri, resumable?.answers.callbackUrl].filter((u): u is string => Boolean(u));
  const target = await deps.target(run.target, { callbackUrls, realBrowser: options.browser });
  const flag = profileFlagFor(profile);
  // The sandbox's own profile needs no --profile: `setup --sandbox` uses it.
  const rerunFlag = target.kind === 'sandbox' && profile === 'sandbox' ? '' : flag;
  const rerunCommand = (kind: ProfileKind | undefined) => `${deps.cli} setup${target.flags}${kind === 'user' || options.user ? ' --user' : ''}${rerunFlag}`;
  let kindChosen: ProfileKind | undefined;
  let ctx: WizardContext | undefined;
  let backend: SecretBackend | undefined;
  try {
    io.heading(`kendis-jira setup${target.headingNote}, profile "${profile}"`);
    // Where settings go must be writable: found before the first question, not after Step 1.
    await deps.config.checkWritable();
    const kind = await chooseKind(deps, options, resumable?.answers.kind);
    kindChosen = kind;
    const steps = kind === 'user' ? USER_STEPS : STEPS;
    // The ALM account's eight steps say themselves ("Step 1 of 8"); a user's token says what it is.
    if (kind === 'user') io.info(`Your own scoped API token for Kendis, in ${totalSteps(steps)} checked steps.`);
    if (!io.interactive) {
      const missing = missingForNonInteractive(options, deps.env, resumable?.answers ?? {}, target, kind);
      if (missing.length) {
        const why = deps.globals.nonInteractive ? '' : ' (stdin or stdout is not a terminal, so nothing can be asked)';
        throw new UsageError(
          `Missing in a non-interactive run${why}: ${missing.join(', ')}.`,
          'Pass the flags, and set the secrets as environment variables (never as flags). See `kendis-jira help setup`.',
        );
      }
      // A mangled secret in the environment is an input error found now, not after Steps 1–6.
      for (const kind of SECRET_KINDS) secretFromEnvironment(deps, kind);
    }

    // Never turn one kind of profile into the other: the organisation's ALM account and a user's
    // own token live side by side, in two profiles.
    if (existing && profileKind(existing) !== kind) {
      throw new UsageError(
        `Profile "${profile}" is ${profileKind(existing) === 'user' ? 'a user’s own token' : 'the organisation’s ALM account'}; this setup would replace it with ${kind === 'user' ? 'your own token' : 'the ALM account'}.`,
        `Use another profile for it: \`${deps.cli} setup${target.flags}${kind === 'user' ? ' --user' : ''} --profile ${kind === 'user' ? 'me' : 'kendis'}\` (every command then takes that --profile).`,
      );
    }
    if (existing) {
      io.info(
        `Profile "${profile}" already exists: ${describeProfileTarget(existing)} as ${existing.email}, token expires ${existing.token.expiresOn} (${describeDaysLeft(daysUntil(existing.token.expiresOn, deps.now()))}).`,
      );
      if (io.interactive) {
        const replace = await deps.prompter.confirm({
          id: 'profile.replace',
          message: 'Set it up again? (It stays as it is until the new setup passes its final test.)',
          default: false,
        });
        if (!replace) {
          io.info(`Nothing changed. To check it: \`${deps.cli} test-connection${flag}\`; another site: \`${deps.cli} setup --profile <name>\`.`);
          return;
        }
      } else {
        io.warn('It will be replaced if this setup passes its final test.');
      }
    }

    const answers: Answers = {};
    let savedIndex: number | undefined;
    if (resumable && (resumable.answers.kind ?? 'alm-account') === kind) {
      const at = describeStep(steps[Math.min(resumable.step + 1, steps.length - 1)]);
      // Which one: its site (a sandbox's changes every run) and account.
      const site = target.site ? undefined : resumable.answers.site;
      const email = resumable.answers.email;
      const which = `${site ? ` of ${site}` : ''}${email ? ` as ${email}` : ''}`;
      const resume = io.interactive
        ? await deps.prompter.confirm({ id: 'resume', message: `Resume the unfinished setup${which} at ${at}?`, default: true })
        : true;
      if (resume) {
        Object.assign(answers, resumable.answers);
        savedIndex = resumable.step;
      }
    }
    answers.target = target.kind;
    answers.kind = kind;
    // A target with a fixed site (started anew by every run) is where this run's site is, whatever was saved.
    if (target.site) answers.site = target.site;

    // Preflight: where secrets go, the loopback port, the proxy — before any secret is typed.
    backend = await chooseBackend(deps, options, target, profile, kind);
    answers.storage = backend.location;
    if (kind === 'alm-account' && !options.skipOAuth) await checkPortFree(options.redirectUri);
    const proxy = proxySettings(deps.env);
    if (proxy) io.info(`Using the proxy ${displayProxy(proxy.httpsProxy ?? proxy.httpProxy ?? '')} for Atlassian (NO_PROXY honoured).`);

    ctx = {
      deps,
      options,
      profile,
      target,
      answers,
      client: new AtlassianClient(await deps.http(), target.endpoints),
      backend,
      secrets: {},
      rerun: rerunCommand(kind),
    };
    const start = await resumeIndex(ctx, steps, savedIndex);
    if (savedIndex !== undefined) io.info(`Resuming at ${describeStep(steps[start])}.`);
    await runSteps(ctx, steps, start);
  } catch (error) {
    // Stopped after the profile was saved (e.g. Ctrl-C at "Show a secret?"): nothing to resume.
    if (ctx?.committed && (error instanceof PausedError || error instanceof CancelledError)) {
      throw new CancelledError(`Profile "${profile}" was already saved: check it with \`${deps.cli} test-connection${flag}\`.`);
    }
    if (error instanceof PausedError) {
      io.info(`Paused. Your answers so far are saved: run \`${rerunCommand(kindChosen)}\` again when ready — it resumes where you stopped.`);
      return;
    }
    if (error instanceof CancelledError) {
      const kept = await deps.config.getProgress(profile).catch(() => undefined);
      throw new CancelledError(
        kept
          ? `Your answers up to the last finished step are kept: run \`${rerunCommand(kindChosen)}\` again to resume.`
          : `Nothing was saved yet: run \`${rerunCommand(kindChosen)}\` to start again.`,
      );
    }
    // No pass without proof: a setup that did not finish keeps its answers (to resume) but no secret.
    if (backend && !ctx?.committed) await discardStaged(deps, profile).catch(() => undefined);
    throw error;
  } finally {
    await target.close();
  }
}
