/**
 * Runs the wizard's steps in order over one context: prints each step's heading, hands it the
 * answers it declared (present and typed), saves progress after it, and on resume restores the
 * secrets earlier steps staged — or goes back to the step that stages one that is missing.
 */
import type { Answers } from './answers.js';
import { answersToRecord } from './answers.js';
import { stagedSecret } from './commit.js';
import type { Have, WizardContext, WizardStep } from './context.js';

function heading(step: WizardStep, total: number): string {
  return step.number === undefined ? step.title : `Step ${step.number} of ${total} · ${step.title}`;
}

/** How many numbered steps a list has (8 for the ALM account, 2 for a user's own token). */
export function totalSteps(steps: readonly WizardStep[]): number {
  return steps.filter((s) => s.number !== undefined).length;
}

function have(step: WizardStep, answers: Answers): Have<keyof Answers> {
  const missing = step.needs.filter((key) => answers[key] === undefined);
  // A step list whose needs are not met by the steps before is a bug, not a user error.
  if (missing.length) throw new Error(`internal: "${step.title}" needs ${missing.join(', ')}`);
  return answers as Have<keyof Answers>;
}

/** Where to start: after the saved step, unless a staged secret an earlier step verified is gone. */
export async function resumeIndex(ctx: WizardContext, steps: readonly WizardStep[], savedIndex: number | undefined): Promise<number> {
  if (savedIndex === undefined) return 0;
  const start = Math.min(savedIndex + 1, steps.length - 1);
  for (let i = 0; i < start; i += 1) {
    const kind = steps[i]?.stages;
    if (!kind) continue;
    const staged = await stagedSecret(ctx, kind);
    if (staged === null) return i;
    ctx.secrets[kind] = staged;
  }
  return start;
}

export function describeStep(step: WizardStep | undefined): string {
  return step?.number === undefined ? 'the start' : `Step ${step.number}`;
}

export async function runSteps(ctx: WizardContext, steps: readonly WizardStep[], from: number): Promise<void> {
  for (let i = from; i < steps.length; i += 1) {
    const step = steps[i];
    if (!step) break;
    ctx.deps.io.heading(heading(step, totalSteps(steps)));
    try {
      await step.run(ctx, have(step, ctx.answers));
    } catch (error) {
      // Stopped inside a step (paused, Ctrl-C, an outage): answers corrected in it (a callback URL,
      // an e-mail) are kept with the last finished step, so the resume starts from them.
      if (i > 0 && !ctx.committed) await saveProgress(ctx, i - 1).catch(() => undefined);
      throw error;
    }
    if (i < steps.length - 1) await saveProgress(ctx, i);
  }
}

/** Progress: the answers so far (never a secret) and the index of the last finished step. */
export async function saveProgress(ctx: WizardContext, index: number): Promise<void> {
  const answers = answersToRecord(ctx.answers);
  await ctx.deps.config.update((config) => {
    // Where the verified secrets wait (src/wizard/commit.ts) stays recorded.
    const staged = config.progress[ctx.profile]?.staged;
    config.progress[ctx.profile] = { step: index, answers, updatedAt: ctx.deps.now().toISOString(), ...(staged ? { staged } : {}) };
  });
}
