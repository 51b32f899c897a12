/**
 * The asking helpers the wizard's steps and rotate-token share: a value from a flag or a validated
 * prompt, a secret from the environment or a masked prompt (never a flag), the token's expiry
 * date, a page to open (its URL printed first), a checklist, a "done?" question.
 */
import { typed } from '../io/typed.js';
import type { Deps } from '../deps.js';
import { profileFlagFor } from '../config/profile-name.js';
import { UsageError } from '../errors.js';
import { SECRET_ENV } from '../secrets/secret-store.js';
import type { SecretKind } from '../secrets/backend.js';
import type { BrowserOutcome } from '../io/browser.js';
import { addDays, isoDate, validateTokenExpiry } from '../dates/dates.js';
import { checkSecretValue, type Checked } from './validate.js';
import { clearCommand, secretEnvCommand, shellKind } from '../io/shell-advice.js';
import { copiedSentence, copyToClipboard } from '../io/clipboard.js';

const LABEL: Record<SecretKind, 'Client Secret' | 'API token'> = { 'client-secret': 'Client Secret', 'api-token': 'API token' };

/** A value from a flag, or asked until it validates. A flag that fails validation is exit 2 naming it. */
export async function askValue(
  deps: Deps,
  q: { id: string; message: string; flag: string; given: string | undefined; default?: string | undefined; check: (v: string) => Checked },
): Promise<string> {
  if (q.given !== undefined) {
    const checked = q.check(q.given);
    if (!checked.ok) throw new UsageError(`${q.flag}: ${checked.message}`);
    if (checked.notice) deps.io.warn(checked.notice);
    return checked.value;
  }
  if (!deps.io.interactive) {
    if (q.default !== undefined) {
      // A saved or offered answer is checked like a typed one: the progress file is input too.
      const checked = q.check(q.default);
      if (!checked.ok)
        throw new UsageError(`${q.flag}: the saved answer is not usable (${checked.message})`, `Pass ${q.flag}, or run \`${typed('setup --restart')}\`.`);
      return checked.value;
    }
    throw new UsageError(`Missing ${q.flag}.`, `Pass ${q.flag} (see \`${typed('help setup')}\`).`);
  }
  const answer = await deps.prompter.input({
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
  if (checked.notice) deps.io.warn(checked.notice);
  return checked.value;
}

/**
 * A secret's environment variable, when set: checked (a mangled value is an input error, exit 2,
 * naming the variable and how to set it in this shell; the value is never echoed).
 */
export function secretFromEnvironment(deps: Pick<Deps, 'env' | 'platform'>, kind: SecretKind): string | undefined {
  const name = SECRET_ENV[kind];
  const value = deps.env[name];
  if (value === undefined || value === '') return undefined;
  const checked = checkSecretValue(value, LABEL[kind]);
  if (!checked.ok)
    throw new UsageError(
      `${name}: ${checked.message}`,
      `Set ${name} again, e.g. \`${secretEnvCommand(name, shellKind(deps.env, deps.platform))}\`, and paste the value.`,
    );
  return checked.value;
}

/**
 * A secret: from its environment variable when set (checked; its value never echoed), else a
 * masked prompt. `offered` is a (fake) value the target offers: Enter takes it.
 */
export async function askSecret(deps: Deps, q: { kind: SecretKind; message?: string; offered?: string | undefined }): Promise<string> {
  const name = SECRET_ENV[q.kind];
  const label = LABEL[q.kind];
  const fromEnv = secretFromEnvironment(deps, q.kind);
  if (fromEnv !== undefined) return fromEnv;
  if (!deps.io.interactive) {
    if (q.offered !== undefined) {
      deps.io.hint(`Using the fake ${label} (${name} is not set).`);
      return q.offered;
    }
    throw new UsageError(
      `Missing ${name}.`,
      `Set it in the environment (secrets are never flags): \`${secretEnvCommand(name, shellKind(deps.env, deps.platform))}\`.`,
    );
  }
  if (q.offered !== undefined) deps.io.hint(`Press Enter to use the fake ${label} offered here.`);
  const answer = await deps.prompter.secret({
    id: q.kind,
    message: q.message ?? `${label} (hidden as you type):`,
    validate: (v) => {
      if (q.offered !== undefined && v === '') return true;
      const c = checkSecretValue(v, label);
      return c.ok ? true : c.message;
    },
  });
  if (q.offered !== undefined && answer === '') return q.offered;
  const checked = checkSecretValue(answer, label);
  if (!checked.ok) throw new UsageError(checked.message);
  return checked.value;
}

/** The expiry date chosen for a new token: the flag, else asked (default: the maximum, a year). */
export async function askExpiry(deps: Deps, q: { given: string | undefined; previous?: string | undefined; flag?: string }): Promise<string> {
  const now = deps.now();
  const fallback = isoDate(addDays(now, 365));
  if (q.given !== undefined) {
    const verdict = validateTokenExpiry(q.given, now);
    if (verdict !== true) throw new UsageError(`${q.flag ?? '--token-expires'}: ${verdict}`);
    return q.given.trim();
  }
  if (!deps.io.interactive) {
    deps.io.warn(`No --token-expires: assuming the maximum, ${fallback}.`);
    return fallback;
  }
  const answer = await deps.prompter.input({
    id: 'token.expires',
    message: 'The expiry date you picked (YYYY-MM-DD):',
    default: q.previous ?? fallback,
    validate: (v) => validateTokenExpiry(v, now),
  });
  return answer.trim();
}

/** Said once per run: "no browser here" is true for every page after the first. */
const toldNoBrowser = new WeakSet<Deps>();

/** Print the page's URL, then open it for a person at the terminal (or print the target's note). */
export async function openPage(
  deps: Deps,
  p: { label: string; url: string; browser: boolean; note: string | undefined; open: (url: string) => Promise<BrowserOutcome> },
): Promise<void> {
  deps.io.info(`${p.label}:`);
  deps.io.url(p.url);
  if (p.note) {
    deps.io.hint(p.note);
    return;
  }
  // Pages are opened only for a person at the terminal; scripts get the URLs printed.
  if (!p.browser || !deps.io.interactive) return;
  if ((await p.open(p.url)) === 'unavailable' && !toldNoBrowser.has(deps)) {
    toldNoBrowser.add(deps);
    deps.io.hint('(No browser could be opened here: open the addresses shown yourself.)');
  }
}

export function checklist(deps: Deps, items: string[]): void {
  for (const [i, item] of items.entries()) deps.io.info(`  ${i + 1}. ${item}`);
}

/** Interactive: "Done?" (No: wait, or pause the wizard); non-interactive: nothing to confirm. */
export async function confirmDone(deps: Deps, id: string, message: string): Promise<void> {
  if (!deps.io.interactive) return;
  for (;;) {
    if (await deps.prompter.confirm({ id, message, default: true })) return;
    // "No" usually means "not yet": wait for the user, or pause with the progress saved.
    const next = await deps.prompter.select<'wait' | 'pause'>({
      id: `${id}.not-yet`,
      message: 'Not yet? Then:',
      choices: [
        { name: 'Ask me again when I am done', value: 'wait' },
        { name: 'Pause setup here (progress is saved; run setup again to continue)', value: 'pause' },
      ],
    });
    if (next === 'pause') throw new PausedError();
  }
}

/** The user chose to stop for now; progress is saved (exit 0). */
export class PausedError extends Error {
  constructor() {
    super('paused');
    this.name = 'PausedError';
  }
}

/** After a secret was shown: it stays in the scrollback, and how to clear it in this shell. */
export function scrollbackHint(deps: Pick<Deps, 'env' | 'platform'>): string {
  return `It stays in this terminal’s scrollback: clear it (\`${clearCommand(shellKind(deps.env, deps.platform))}\`) once it is in Kendis.`;
}

export function mask(secret: string): string {
  // Nothing of the secret itself: only the "ATATT" every Atlassian API token starts with, which tells
  // a token from a client secret when both are listed.
  return `${secret.startsWith('ATATT') ? 'ATATT' : ''}${'•'.repeat(12)}`;
}

/**
 * Offer one secret to paste into Kendis: copied to the clipboard (never shown), or shown once on
 * this terminal's stdout — only to a person at a terminal, only when asked.
 */
export async function offerReveal(deps: Deps, what: string, value: string, profile: string): Promise<void> {
  if (!deps.io.interactive) {
    deps.io.hint(
      `The ${what} is not printed here (the run is not interactive); \`${typed()} copy api-token${profileFlagFor(profile)}\` puts it on the clipboard later.`,
    );
    return;
  }
  const choice = await deps.prompter.select<'done' | 'copy' | 'show'>({
    id: 'reveal',
    message: `The ${what}, to paste into Kendis:`,
    choices: [
      { name: 'Copy it to the clipboard (not shown)', value: 'copy' },
      { name: 'Show it on this terminal', value: 'show' },
      { name: 'No, I have it', value: 'done' },
    ],
  });
  if (choice === 'copy' && (await copySecret(deps, what, value))) return;
  if (choice === 'done') return;
  deps.io.streams.stdout.write(`    ${value}\n`);
  deps.io.hint(scrollbackHint(deps));
}

/** Copy a secret for the user; false (said why) when no clipboard can be used, so the caller may show it instead. */
export async function copySecret(deps: Deps, what: string, value: string): Promise<boolean> {
  const outcome = await copyToClipboard(value, { platform: deps.platform, env: deps.env, interactive: deps.io.interactive });
  if (outcome.kind === 'copied') {
    deps.io.success(copiedSentence(what, outcome));
    return true;
  }
  deps.io.warn(`No clipboard can be used here${outcome.tried.length ? ` (tried: ${outcome.tried.join(', ')})` : ''}: it is shown instead.`);
  return false;
}
