/**
 * `kendis-jira rotate-token`: replace the scoped API token before it expires. The new token is
 * verified with the token checks before it replaces the old one, and the replacement is a single
 * keychain write, so at no moment is there no working token stored.
 */
import { typed } from '../io/typed.js';
import { lstat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { shellWord, unshellWord } from '../io/shell.js';
import { writeFileAtomic } from '../config/atomic-file.js';
import type { Deps } from '../deps.js';
import { ChecksFailedError, CliError, RotationDueError, UsageError } from '../errors.js';
import { API_TOKENS_PAGE } from '../atlassian/endpoints.js';
import { TOKEN_SCOPE_LISTS, datedTokenName } from '../atlassian/scopes.js';
import { profileKind, type ProfileKind } from '../config/schema.js';
import { runTokenChecks } from '../checks/run-checks.js';
import { printTokenScopes } from '../wizard/token-instructions.js';
import { refusalOf, renderCheckLines } from '../checks/report.js';
import { SECRET_ENV } from '../secrets/secret-store.js';
import { accountFor } from '../secrets/backend.js';
import { daysUntil, describeDaysLeft, isoDate, validateTokenExpiry } from '../dates/dates.js';
import { reminderDay, tokenReminderIcs } from '../dates/calendar.js';
import { askExpiry, askSecret, offerReveal, openPage } from '../input/ask.js';
import { type Connection, openConnection } from '../targets/connection.js';
import { swapInToken } from '../profiles/rotation.js';
import { DEFAULTS } from '../options/defaults.js';
import { on, type RawOptions, refuse, text, unlessOff, wholeNumber } from '../options/options.js';
import { describeProfileTarget } from '../targets/target.js';
import { profileFlag, requireProfile, secretStoreFor } from '../profiles/saved-profile.js';
import type { Profile } from '../config/schema.js';

export interface RotateOptions {
  check: boolean;
  within: number;
  json: boolean;
  tokenExpires: string | undefined;
  calendar: string | undefined;
  browser: boolean;
  /** With --check: every profile. */
  all?: boolean;
}

export function parseRotateOptions(raw: RawOptions, now: Date = new Date()): RotateOptions {
  const check = on(raw.check);
  const all = on(raw.all);
  const json = on(raw.json);
  const within = wholeNumber(raw.within, '--within', { min: 0, max: 365, kind: 'a whole number of days' });
  const tokenExpires = text(raw.tokenExpires);
  const calendar = text(raw.calendar, (v) =>
    v === '-' || v.trim() === '' ? { message: `--calendar needs a file name (got "${v}").`, hint: 'e.g. --calendar kendis-token.ics' } : undefined,
  );
  // Without --check this command replaces a token: never every profile's at once.
  refuse(all && !check, {
    message: '--all goes with --check: rotate-token replaces one profile’s token at a time.',
    hint: 'Add --check to see every profile’s expiry, or name one with --profile to rotate it.',
  });
  refuse(all && calendar !== undefined, {
    message: '--calendar goes with one profile, not --all.',
    hint: 'Write one reminder per profile: `rotate-token --check --calendar FILE --profile NAME`.',
  });
  refuse(json && !check, { message: '--json goes with --check.', hint: 'Add --check to the same command (it changes nothing and prints the document).' });
  // Without --check this command replaces the token: a cron line that lost --check must not.
  refuse(within !== undefined && !check, {
    message: '--within goes with --check: without --check, rotate-token replaces the token.',
    hint: 'Add --check to the same command (it changes nothing; exit 4 when rotation is due).',
  });
  // The new token's date matters only when there is a new token: --check changes nothing and ignores it.
  const verdict = check || tokenExpires === undefined ? true : validateTokenExpiry(tokenExpires, now);
  refuse(verdict !== true, `--token-expires: ${verdict}`);
  return { check, within: within ?? DEFAULTS.withinDays, json, tokenExpires, calendar, browser: unlessOff(raw.browser), all };
}

async function writeCalendar(path: string, profile: Profile, deps: Deps, daysBefore: number): Promise<void> {
  // The reminder is read months later, from anywhere: a command run from a clone gets its full path.
  const how = typed();
  const cli = how.startsWith('node ') ? `node ${shellWord(resolve(unshellWord(how.slice(5))))}` : how;
  const reminder = { expiresOn: profile.token.expiresOn, daysBefore, now: deps.now() };
  const ics = tokenReminderIcs({
    ...reminder,
    profile: deps.globals.profile,
    kind: profileKind(profile),
    cli,
    site: describeProfileTarget(profile),
    uid: deps.randomBytes(8).toString('hex'),
  });
  const existing = await lstat(path).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    throw new UsageError(
      `${path} is a symbolic link; the calendar reminder is never written through a link.`,
      'Choose a new file name, e.g. --calendar kendis-token.ics.',
    );
  }
  if (existing && !existing.isFile()) throw new UsageError(`${path} is not a regular file.`, 'Choose a new file name, e.g. --calendar kendis-token.ics.');
  try {
    await writeFileAtomic(path, ics, { mode: 0o644, shared: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'that folder is not writable for you'
          : code === 'EROFS'
            ? 'that folder is read-only'
            : (error as Error).message;
    throw new CliError(`Could not write the calendar file ${path}: ${why}.`, { hint: 'Choose a folder you can write to, e.g. --calendar ~/kendis-token.ics.' });
  }
  const day = reminderDay(reminder);
  const when = day.late
    ? `for today, ${isoDate(day.date)} (the token expires sooner than ${daysBefore} days from now)`
    : `for ${isoDate(day.date)}, ${daysBefore} days before the token expires`;
  deps.io.success(`Calendar reminder written to ${path}, ${when}: import it into your calendar.`);
}

/** Which token to revoke, in words: by its expiry when that tells the two apart, else as the older one. */
function oldTokenWords(name: string, oldExpiry: string, newExpiry: string): string {
  return oldExpiry === newExpiry
    ? `the older "${name}…" token, not the one you just created: both expire ${oldExpiry}`
    : `the "${name}…" token that expires ${oldExpiry}`;
}

export async function runRotateToken(options: RotateOptions, deps: Deps): Promise<void> {
  if (options.check && options.all) {
    const { runRotateCheckAll } = await import('./all-profiles.js');
    return runRotateCheckAll(options.within, options.json, deps);
  }
  const profile = await requireProfile(deps);
  if (options.check) return checkOnly(options, profile, deps);
  return rotate(options, profile, deps);
}

async function checkOnly(options: RotateOptions, profile: Profile, deps: Deps): Promise<void> {
  if (options.tokenExpires !== undefined) deps.io.warn('--token-expires is ignored with --check: the check changes nothing.');
  const daysLeft = daysUntil(profile.token.expiresOn, deps.now());
  const due = daysLeft <= options.within;
  if (options.json) {
    deps.io.json({ profile: deps.globals.profile, expiresOn: profile.token.expiresOn, daysLeft, within: options.within, expired: daysLeft < 0, due });
  } else {
    deps.io.out(`Token expires ${profile.token.expiresOn} (${describeDaysLeft(daysLeft)}).`);
    if (!due) deps.io.info(`Not due: more than ${options.within} days left. Nothing to do now.`);
  }
  if (options.calendar) await writeCalendar(options.calendar, profile, deps, Math.max(options.within, 1));
  if (due) {
    throw new RotationDueError(
      daysLeft < 0
        ? `The API token expired on ${profile.token.expiresOn}.`
        : `The API token expires within ${options.within} days (${profile.token.expiresOn}, ${describeDaysLeft(daysLeft)}).`,
      `Run \`${typed()} rotate-token${profileFlag(deps)}\` to replace it.`,
    );
  }
}

/** How to create the token, for a person about to do it (a script brings the token along). */
async function showHowToCreate(options: RotateOptions, connection: Connection, kind: ProfileKind, deps: Deps): Promise<void> {
  const io = deps.io;
  await openPage(deps, {
    label: 'Create the new token first',
    url: API_TOKENS_PAGE,
    browser: options.browser,
    note: connection.target.consolePageNote,
    open: (u) => deps.browser.open(u),
  });
  const name = datedTokenName(TOKEN_SCOPE_LISTS[kind].tokenName, deps.now());
  io.info(`  "Create API token with scopes" → name "${name}" → expiry: the maximum → app Jira → these scopes (or paste the line after them into the search):`);
  printTokenScopes(io, '  ', kind);
  io.info('  Keep the new token in your password manager: Atlassian never shows it again.');
}

/** The new token: asked (masked) or from the environment; the old one pasted again is asked again (a script stops). */
async function askNewToken(deps: Deps, old: string | null, offered: string | undefined): Promise<string> {
  const ask = () => askSecret(deps, { kind: 'api-token', message: 'The new API token (hidden as you type):', offered });
  let token = await ask();
  while (old !== null && token === old) {
    if (!deps.io.interactive || deps.env[SECRET_ENV['api-token']])
      throw new UsageError('That is the token already stored, not a new one.', `Create a new token on ${API_TOKENS_PAGE}, then run this again.`);
    deps.io.failure(`That is the token already stored, not a new one: create a new token on ${API_TOKENS_PAGE} and paste that.`);
    token = await ask();
  }
  return token;
}

/** Stored only on proof: api-token and every probeable scope passed; a fail or an error changes nothing. */
async function proveNewToken(token: string, expiresOn: string, connection: Connection, kind: ProfileKind, deps: Deps): Promise<void> {
  const relevant = await deps.io.task('Checking the new token and each of its scopes…', () =>
    runTokenChecks({
      profile: { ...connection.profile, token: { expiresOn } },
      apiToken: token,
      client: connection.client,
      now: deps.now(),
      profileFlag: profileFlag(deps),

      apiTokenFromEnv: Boolean(deps.env[SECRET_ENV['api-token']]),
    }),
  );
  renderCheckLines(deps.io, relevant, { showPasses: false, showSkips: false });
  const refusal = refusalOf(relevant, 'nothing was changed, the old token is still stored and in use');
  if (!refusal) return;
  const again = `\`${typed()} rotate-token${profileFlag(deps)}\``;
  throw new ChecksFailedError(
    refusal.message,
    refusal.kind === 'fail'
      ? (refusal.hint ?? `Create a new token with all ${TOKEN_SCOPE_LISTS[kind].scopes.length} scopes on ${API_TOKENS_PAGE} and run ${again} again.`)
      : `Run ${again} again when Atlassian answers.`,
  );
}

/** What to do in Kendis and at Atlassian now, in order. */
function nextSteps(kind: ProfileKind, oldExpiry: string, newExpiry: string, deps: Deps): void {
  const io = deps.io;
  io.info('Now, in this order:');
  io.info(
    kind === 'user'
      ? '  1. In Kendis: open your Profile settings, replace your Jira token with the new one and validate the connection (an older Kendis article calls the screen "ALM Credentials").'
      : '  1. In Kendis: board → ALM Account → Edit (the form from setup; also under Settings → ALM Accounts) → "Change" next to the API token → paste the new Scope-Based API Token → Test Connection → Save.',
  );
  io.info(`  2. Revoke the old token on ${API_TOKENS_PAGE} (${oldTokenWords(TOKEN_SCOPE_LISTS[kind].tokenName, oldExpiry, newExpiry)}).`);
}

async function rotate(options: RotateOptions, saved: Profile, deps: Deps): Promise<void> {
  const io = deps.io;
  const store = secretStoreFor(saved, deps);
  // The stored one, not the environment's (that is the new token in a script).
  const old = await store.backend.get(accountFor(deps.globals.profile, 'api-token', saved.generation));
  const connection = await openConnection(saved, deps, false);
  try {
    const kind = profileKind(saved);
    // The sandbox offers a second (fake) token of the right kind, so a rotation can be tried — and
    // back again: never the one stored now.
    const d = connection.target.defaults;
    const offered = (kind === 'user' ? [d.nextUserApiToken, d.userApiToken] : [d.nextApiToken, d.apiToken]).find((t) => t !== undefined && t !== old);
    if (!io.interactive && !deps.env[SECRET_ENV['api-token']] && offered === undefined) {
      throw new UsageError(
        `Missing ${SECRET_ENV['api-token']}: in a non-interactive run the new token comes from that variable.`,
        'Set it (never pass a token as a flag), plus --token-expires with the date you chose.',
      );
    }
    io.heading(`Replace the scoped API token of profile "${deps.globals.profile}"`);
    io.info(`Current token: expires ${saved.token.expiresOn} (${describeDaysLeft(daysUntil(saved.token.expiresOn, deps.now()))}).`);
    if (io.interactive) await showHowToCreate(options, connection, kind, deps);
    const newToken = await askNewToken(deps, old, offered);
    const expiresOn = await askExpiry(deps, { given: options.tokenExpires });
    await proveNewToken(newToken, expiresOn, connection, kind, deps);
    await swapInToken({ deps, profile: deps.globals.profile, token: newToken, expiresOn, verifiedFor: saved });
    io.success(`The new token is verified and stored in ${store.backend.description}; it expires on ${expiresOn}.`);
    await offerReveal(deps, 'new token', newToken, deps.globals.profile);
    nextSteps(kind, saved.token.expiresOn, expiresOn, deps);
    if (connection.target.fakeCredentialsNote) io.hint(connection.target.fakeCredentialsNote);
    if (options.calendar) await writeCalendar(options.calendar, { ...saved, token: { expiresOn } }, deps, DEFAULTS.withinDays);
  } finally {
    await connection.close();
  }
}
