/**
 * The wizard: a pre-flight that finds every problem it can before any secret is typed
 * (src/wizard/preflight.ts), then the site step and Steps 1–8 in order over one context
 * (src/wizard/runner.ts). Progress is saved after each step and resumable; nothing final is
 * written before Step 8 passes. How a stopped run ends is decided in one place: classifyStop.
 */
import { typed } from '../io/typed.js';
import { caseTwin, profileFlagFor } from '../config/profile-name.js';
import type { Deps } from '../deps.js';
import { CancelledError, UsageError } from '../errors.js';
import type { TargetKind } from '../targets/target.js';
import type { ProfileKind } from '../config/schema.js';
import { discardStaged } from './commit.js';
import { answersFrom } from './answers.js';
import { PausedError } from '../input/ask.js';
import type { WizardOptions } from './context.js';
import { runSteps } from './runner.js';
import { PREFLIGHT, STEPS, type WizardRun } from './preflight.js';

export { chooseKind, missingForNonInteractive, STEPS, USER_STEPS } from './preflight.js';

/** What a stopped run does: says a line and ends well (paused), or ends with an error, first dropping what it staged. */
export type Stop = { kind: 'paused'; say: string } | { kind: 'error'; error: unknown; discardStaged: boolean };

/** How a run that stopped ends: one decision for every way it can stop. */
export async function classifyStop(error: unknown, run: WizardRun): Promise<Stop> {
  const { deps, profile } = run;
  const rerun = run.rerun(run.kind);
  // Stopped after the profile was saved (e.g. Ctrl-C at "Show a secret?"): nothing to resume.
  if (run.ctx?.committed && (error instanceof PausedError || error instanceof CancelledError)) {
    const check = `\`${typed()} test-connection${profileFlagFor(profile)}\``;
    return { kind: 'error', error: new CancelledError(`Profile "${profile}" was already saved: check it with ${check}.`), discardStaged: false };
  }
  if (error instanceof PausedError) {
    return { kind: 'paused', say: `Paused. Your answers so far are saved: run \`${rerun}\` again when ready — it resumes where you stopped.` };
  }
  if (error instanceof CancelledError) {
    const kept = await deps.config.getProgress(profile).catch(() => undefined);
    const say = kept
      ? `Your answers up to the last finished step are kept: run \`${rerun}\` again to resume.`
      : `Nothing was saved yet: run \`${rerun}\` to start again.`;
    return { kind: 'error', error: new CancelledError(say), discardStaged: false };
  }
  // No pass without proof: a setup that did not finish keeps its answers (to resume) but no secret.
  return { kind: 'error', error, discardStaged: Boolean(run.backend && !run.ctx?.committed) };
}

/** The profile name is free regardless of case; the saved profile and an unfinished setup this run may resume. */
async function findProfile(deps: Deps, options: WizardOptions, profile: string, target: TargetKind): Promise<Pick<WizardRun, 'existing' | 'resumable'>> {
  const config = await deps.config.load();
  const twin = caseTwin(profile, [...Object.keys(config.profiles), ...Object.keys(config.progress)]);
  if (twin) {
    throw new UsageError(
      `A profile "${twin}" exists already: profile names are the same regardless of case (Windows Credential Manager would mix their secrets).`,
      `Use \`--profile ${twin}\` to set that one up again, or choose another name.`,
    );
  }
  const progress = options.restart ? undefined : config.progress[profile];
  // Progress from another target (or that no longer parses) is not resumed.
  const saved = progress && answersFrom(progress.answers);
  const resumable = saved && (saved.target ?? 'atlassian') === target ? { answers: saved, step: progress.step } : undefined;
  return { existing: config.profiles[profile], resumable };
}

export async function runWizard(options: WizardOptions, deps: Deps, p: { profile: string; target: TargetKind }): Promise<void> {
  const { profile } = p;
  // Starting again: what the unfinished setup verified is not this run's.
  if (options.restart) await discardStaged(deps, profile);
  const found = await findProfile(deps, options, profile, p.target);
  // The app's callback URLs as the user set them: the flags, and the one saved with the progress.
  const callbackUrls = [options.callbackUrl, options.redirectUri, found.resumable?.answers.callbackUrl].filter((u): u is string => Boolean(u));
  const target = await deps.target(p.target, { callbackUrls, realBrowser: options.browser });
  const flag = target.profileFlag(profile);
  const rerun = (kind: ProfileKind | undefined) => `${typed()} setup${target.flags}${kind === 'user' || options.user ? ' --user' : ''}${flag}`;
  const run: WizardRun = { deps, options, profile, target, ...found, rerun, answers: {} };
  try {
    for (const step of PREFLIGHT) if ((await step(run)) === 'stop') return;
    if (!run.ctx) throw new Error('internal: the pre-flight built no context');
    await runSteps(run.ctx, run.steps ?? STEPS, run.start ?? 0);
  } catch (error) {
    const stop = await classifyStop(error, run);
    if (stop.kind === 'paused') return void deps.io.info(stop.say);
    if (stop.discardStaged) await discardStaged(deps, profile).catch(() => undefined);
    throw stop.error;
  } finally {
    await target.close();
  }
}
