/**
 * `kendis-jira rotate-token`: replace the scoped API token before it expires. The new token is
 * verified with the token checks before it replaces the old one, and the replacement is a single
 * keychain write, so at no moment is there no working token stored.
 */
import { lstat } from 'node:fs/promises';
import { writeFileAtomic } from '../config/atomic-file.js';
import type { Deps } from '../deps.js';
import { ChecksFailedError, CliError, RotationDueError, UsageError } from '../errors.js';
import { API_TOKENS_PAGE } from '../atlassian/endpoints.js';
import { TOKEN_SCOPES } from '../atlassian/scopes.js';
import { runTokenChecks } from '../checks/run-checks.js';
import { printTokenScopes } from '../wizard/token-instructions.js';
import { refusalOf, renderCheckLines } from '../checks/report.js';
import { SECRET_ENV } from '../secrets/secret-store.js';
import { accountFor } from '../secrets/backend.js';
import { addDays, daysUntil, describeDaysLeft, isoDate, validateTokenExpiry } from '../dates/dates.js';
import { tokenReminderIcs } from '../dates/calendar.js';
import { checkSecretValue } from '../wizard/validate.js';
import { openConnection } from './atlassian-session.js';
import { swapInToken } from './rotation.js';
import { profileFlag, requireProfile, secretStoreFor, warnIfTokenExpiring } from './saved-profile.js';
import type { Profile } from '../config/schema.js';

export interface RotateOptions {
  check: boolean;
  within: number;
  json: boolean;
  tokenExpires: string | undefined;
  calendar: string | undefined;
  browser: boolean;
}

export function parseRotateOptions(raw: Record<string, unknown>): RotateOptions {
  const within = Number(raw.within ?? 14);
  if (!Number.isInteger(within) || within < 0 || within > 365) throw new UsageError(`--within must be a whole number of days from 0 to 365 (got ${String(raw.within)}).`);
  if (raw.json && !raw.check) throw new UsageError('--json goes with --check.', 'Use `kendis-jira rotate-token --check --json`.');
  return {
    check: Boolean(raw.check),
    within,
    json: Boolean(raw.json),
    tokenExpires: raw.tokenExpires === undefined ? undefined : String(raw.tokenExpires),
    calendar: raw.calendar === undefined ? undefined : String(raw.calendar),
    browser: raw.browser !== false,
  };
}

async function writeCalendar(path: string, profile: Profile, deps: Deps, daysBefore: number): Promise<void> {
  const ics = tokenReminderIcs({ profile: deps.globals.profile, site: profile.site, expiresOn: profile.token.expiresOn, daysBefore, now: deps.now(), uid: deps.randomBytes(8).toString('hex') });
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    throw new UsageError(`${path} is a symbolic link; the calendar reminder is never written through a link.`, 'Choose a new file name, e.g. --calendar kendis-token.ics.');
  }
  if (existing && !existing.isFile()) throw new UsageError(`${path} is not a regular file.`, 'Choose a new file name, e.g. --calendar kendis-token.ics.');
  try {
    await writeFileAtomic(path, ics, { mode: 0o644, shared: true });
  } catch (error) {
    throw new CliError(`Could not write the calendar file ${path}: ${(error as Error).message}.`, { hint: 'Choose a folder you can write to.' });
  }
  deps.io.success(`Calendar reminder written to ${path} (on ${daysBefore} days before expiry); import it into your calendar.`);
}

export async function runRotateToken(options: RotateOptions, deps: Deps): Promise<void> {
  const profile = await requireProfile(deps);
  if (options.check) return checkOnly(options, profile, deps);
  return rotate(options, profile, deps);
}

async function checkOnly(options: RotateOptions, profile: Profile, deps: Deps): Promise<void> {
  const daysLeft = daysUntil(profile.token.expiresOn, deps.now());
  const due = daysLeft <= options.within;
  if (options.json) {
    deps.io.out(JSON.stringify({ profile: deps.globals.profile, expiresOn: profile.token.expiresOn, daysLeft, within: options.within, expired: daysLeft < 0, due }, null, 2));
  } else {
    deps.io.out(`${profile.token.expiresOn} (${describeDaysLeft(daysLeft)})`);
  }
  if (options.calendar) await writeCalendar(options.calendar, profile, deps, Math.max(options.within, 1));
  if (due) {
    throw new RotationDueError(
      daysLeft < 0 ? `The API token expired on ${profile.token.expiresOn}.` : `The API token expires within ${options.within} days (${profile.token.expiresOn}, ${describeDaysLeft(daysLeft)}).`,
      `Run \`kendis-jira rotate-token${profileFlag(deps)}\` to replace it.`,
    );
  }
}

async function rotate(options: RotateOptions, saved: Profile, deps: Deps): Promise<void> {
  const io = deps.io;
  const now = deps.now();
  let expiresOn = options.tokenExpires?.trim();
  if (expiresOn !== undefined) {
    const verdict = validateTokenExpiry(expiresOn, now);
    if (verdict !== true) throw new UsageError(`--token-expires: ${verdict}`);
  }
  const envToken = deps.env[SECRET_ENV['api-token']];
  if (!io.interactive && !envToken) {
    throw new UsageError(`Missing ${SECRET_ENV['api-token']}: in a non-interactive run the new token comes from that variable.`, 'Set it (never pass a token as a flag), plus --token-expires with the date you chose.');
  }
  const store = secretStoreFor(saved, deps);
  const account = accountFor(deps.globals.profile, 'api-token');
  const old = await store.backend.get(account);

  io.heading(`Replace the scoped API token of profile "${deps.globals.profile}"`);
  io.info(`Current token: expires ${saved.token.expiresOn} (${describeDaysLeft(daysUntil(saved.token.expiresOn, now))}).`);
  warnIfTokenExpiring(saved, deps);
  io.info('Create the new token first:');
  io.url(API_TOKENS_PAGE);
  if (options.browser && io.interactive) await deps.browser.open(API_TOKENS_PAGE);
  io.info('  "Create API token with scopes" → name "Kendis Scope Integration" → expiry: the maximum → app Jira → these scopes:');
  printTokenScopes(io, '    ');
  io.info('  Keep the new token in your password manager: Atlassian never shows it again.');

  let newToken: string;
  if (envToken) {
    const checked = checkSecretValue(envToken, 'API token');
    if (!checked.ok) throw new UsageError(`${SECRET_ENV['api-token']}: ${checked.message}`);
    newToken = checked.value;
  } else {
    newToken = await deps.prompter.secret({
      id: 'api-token',
      message: 'The new API token (hidden as you type):',
      validate: (v) => {
        const c = checkSecretValue(v, 'API token');
        return c.ok ? true : c.message;
      },
    });
    newToken = newToken.replace(/\r?\n$/, '');
  }
  if (old !== null && newToken === old) {
    throw new UsageError('That is the token already stored, not a new one.', `Create a new token on ${API_TOKENS_PAGE}, then run this again.`);
  }
  if (expiresOn === undefined) {
    const fallback = isoDate(addDays(now, 365));
    expiresOn = io.interactive
      ? (await deps.prompter.input({ id: 'token.expires', message: 'Its expiry date (YYYY-MM-DD):', default: fallback, validate: (v) => validateTokenExpiry(v, now) })).trim()
      : fallback;
  }

  const connection = await openConnection(saved, deps, false);
  try {
    const relevant = await io.task('Checking the new token and each of its scopes…', () =>
      runTokenChecks({ profile: { ...connection.profile, token: { expiresOn: expiresOn! } }, apiToken: newToken, client: connection.client, now, profileFlag: profileFlag(deps), apiTokenFromEnv: Boolean(envToken) }),
    );
    renderCheckLines(io, relevant, { showPasses: false, showSkips: false });
    // Stored only on proof: api-token and every probeable scope passed; a fail or an error changes nothing.
    const refusal = refusalOf(relevant, 'nothing was changed, the old token is still stored and in use');
    if (refusal) {
      throw new ChecksFailedError(
        refusal.message,
        refusal.kind === 'fail'
          ? (refusal.hint ?? `Create a new token with all ${TOKEN_SCOPES.length} scopes on ${API_TOKENS_PAGE} and run \`kendis-jira rotate-token${profileFlag(deps)}\` again.`)
          : `Run \`kendis-jira rotate-token${profileFlag(deps)}\` again when Atlassian answers.`,
      );
    }
  } finally {
    await connection.close();
  }
  await swapInToken({ deps, backend: store.backend, profile: deps.globals.profile, token: newToken, expiresOn: expiresOn! });
  io.success(`The new token is verified and stored in ${store.backend.description}; it expires on ${expiresOn}.`);
  io.info('Now, in this order:');
  io.info('  1. In Kendis: Settings → ALM Accounts → your Jira account → Edit → "Change" next to the API token → paste the new Scope-Based API Token → Test Connection → Save.');
  io.info(`  2. Revoke the old token on ${API_TOKENS_PAGE} (it is the older "Kendis Scope Integration").`);
  if (options.calendar) await writeCalendar(options.calendar, { ...saved, token: { expiresOn } }, deps, 14);
}
