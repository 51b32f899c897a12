/** Small helpers the steps share: headings, opening a page (URL printed first), asking with validation. */
import type { Checked } from './validate.js';
import type { WizardContext } from './context.js';
import { TOTAL_STEPS } from './context.js';
import { UsageError } from '../errors.js';

export function stepHeading(ctx: WizardContext, number: number, title: string): void {
  ctx.deps.io.heading(`Step ${number} of ${TOTAL_STEPS} · ${title}`);
}

export async function openPage(ctx: WizardContext, label: string, url: string): Promise<void> {
  ctx.deps.io.info(`${label}:`);
  ctx.deps.io.url(url);
  if (ctx.options.sandbox) {
    ctx.deps.io.hint('(Sandbox: nothing to do on Atlassian’s real pages — read the checklist and continue.)');
    return;
  }
  // Console pages are opened only for a person at the terminal; scripts get the URLs printed.
  if (!ctx.options.browser || !ctx.deps.io.interactive) return;
  const opened = await ctx.browser.open(url);
  if (!opened && ctx.deps.io.interactive) ctx.deps.io.hint('(No browser could be opened here: open the address above yourself.)');
}

export function checklist(ctx: WizardContext, items: string[]): void {
  items.forEach((item, i) => ctx.deps.io.info(`  ${i + 1}. ${item}`));
}

/**
 * A value from a flag, or asked interactively until it validates. A flag that fails validation
 * is a usage error (exit 2) naming the flag.
 */
export async function askValue(
  ctx: WizardContext,
  q: { id: string; message: string; flag: string; given: string | undefined; default?: string | undefined; check: (v: string) => Checked },
): Promise<string> {
  if (q.given !== undefined) {
    const checked = q.check(q.given);
    if (!checked.ok) throw new UsageError(`${q.flag}: ${checked.message}`);
    if (checked.notice) ctx.deps.io.warn(checked.notice);
    return checked.value;
  }
  if (!ctx.deps.io.interactive) {
    if (q.default !== undefined) return q.default;
    throw new UsageError(`Missing ${q.flag}.`, `Pass ${q.flag} (see \`kendis-jira help setup\`).`);
  }
  const answer = await ctx.deps.prompter.input({
    id: q.id,
    message: q.message,
    ...(q.default !== undefined ? { default: q.default } : {}),
    validate: (v) => {
      const c = q.check(v);
      return c.ok ? true : c.message;
    },
  });
  const checked = q.check(answer);
  if (!checked.ok) throw new UsageError(checked.message);
  if (checked.notice) ctx.deps.io.warn(checked.notice);
  return checked.value;
}

/** Interactive: "Done?" — non-interactive: nothing to confirm. */
export async function confirmDone(ctx: WizardContext, id: string, message: string): Promise<void> {
  if (!ctx.deps.io.interactive) return;
  const done = await ctx.deps.prompter.confirm({ id, message, default: true });
  if (!done) throw new PausedError();
}

/** The user chose to stop for now; progress is saved (exit 0). */
export class PausedError extends Error {
  constructor() {
    super('paused');
    this.name = 'PausedError';
  }
}

export function mask(secret: string): string {
  if (secret.length <= 8) return '••••••••';
  return `${secret.slice(0, 4)}${'•'.repeat(12)}`;
}
