/**
 * `--all`: every profile at once, as `gh auth status` shows every host — one line per profile, and
 * the worst exit code (4 when any token is due, 1 when any check failed). Each profile is read with
 * its own store; secrets in the environment are not used (they would belong to one profile only).
 */
import { typed } from '../io/typed.js';
import type { Deps } from '../deps.js';
import { ChecksFailedError, CliError, NotConfiguredError, RotationDueError } from '../errors.js';
import { profileKind, type Profile } from '../config/schema.js';
import { profileFlagFor } from '../config/profile-name.js';
import { SECRET_ENV } from '../secrets/secret-store.js';
import { daysUntil, describeDaysLeft, describeMoment } from '../dates/dates.js';
import { isOk, summaryLine, type ReportDocument } from '../checks/report.js';
import { mapBounded, runChecks } from '../checks/run-checks.js';
import { requireProfile, secretStoreFor } from '../profiles/saved-profile.js';
import { openConnection } from '../targets/connection.js';
import { shellWord } from '../io/shell.js';

/** How many profiles are checked at once (each runs its own round trips). */
const CONCURRENCY = 3;

export async function profileNames(deps: Deps): Promise<string[]> {
  return Object.keys((await deps.config.load()).profiles).sort((a, b) => a.localeCompare(b));
}

/** The same dependencies, for one named profile, without the environment's secrets. */
export function forProfile(deps: Deps, name: string): Deps {
  const env = { ...deps.env };
  for (const variable of Object.values(SECRET_ENV)) delete env[variable];
  return { ...deps, env, globals: { ...deps.globals, profile: name, profileExplicit: true } };
}

async function everyProfile(deps: Deps): Promise<string[]> {
  const names = await profileNames(deps);
  if (names.length === 0) throw new NotConfiguredError(deps.globals.profile);
  const secretsInEnvironment = Object.values(SECRET_ENV).filter((v) => deps.env[v]);
  if (secretsInEnvironment.length)
    deps.io.warn(
      `${secretsInEnvironment.join(' and ')} ${secretsInEnvironment.length === 1 ? 'is' : 'are'} not used with --all: each profile is checked with its own stored secrets.`,
    );
  return names;
}

/** What is pending for a profile: an unfinished setup, a change a crash interrupted. */
function pendingOf(name: string, profile: Profile, progress: Record<string, unknown>): string | undefined {
  if (profile.generation) return 'a change to settle (the next command does it)';
  if (progress[name]) return 'an unfinished setup';
  return undefined;
}

export interface ProfileRow {
  profile: string;
  kind: 'alm-account' | 'user';
  site: string | null;
  sandbox: boolean;
  storage: Profile['storage'];
  token: { expiresOn: string; daysLeft: number };
  lastSuccessfulTest: string | null;
  pending: string | null;
}

export async function profileRows(deps: Deps): Promise<ProfileRow[]> {
  const config = await deps.config.load();
  return Object.entries(config.profiles)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, p]) => ({
      profile: name,
      kind: profileKind(p),
      site: p.sandbox ? null : p.site,
      sandbox: Boolean(p.sandbox),
      storage: p.storage,
      token: { expiresOn: p.token.expiresOn, daysLeft: daysUntil(p.token.expiresOn, deps.now()) },
      lastSuccessfulTest: p.lastSuccessfulTest ?? null,
      pending: pendingOf(name, p, config.progress) ?? null,
    }));
}

/** `status --all`: a table of every profile (no keychain, no network). */
export async function runStatusAll(json: boolean, deps: Deps): Promise<void> {
  const rows = await profileRows(deps);
  if (rows.length === 0) throw new NotConfiguredError(deps.globals.profile);
  if (json) {
    // The contract's status document for each profile, plus what is pending.
    const { statusDocument } = await import('./status.js');
    const config = await deps.config.load();
    const docs = [];
    for (const row of rows) {
      const one = forProfile(deps, row.profile);
      const { doc } = await statusDocument(row.profile, config.profiles[row.profile] as Profile, one);
      docs.push({ ...doc, pending: row.pending });
    }
    deps.io.json(docs);
    return;
  }
  const p = deps.io.outPaint;
  const cells = rows.map((r) => [
    r.profile,
    r.kind === 'user' ? 'user token' : 'ALM account',
    r.site ?? 'sandbox',
    r.storage,
    `${r.token.expiresOn} (${describeDaysLeft(r.token.daysLeft)})`,
    r.lastSuccessfulTest ? describeMoment(r.lastSuccessfulTest, deps.now()) : 'never',
    r.pending ?? '',
  ]);
  const header = ['PROFILE', 'KIND', 'SITE', 'SECRETS', 'TOKEN EXPIRES', 'LAST GOOD TEST', 'PENDING'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  deps.io.out(p.dim(line(header)));
  cells.forEach((c, i) => {
    const r = rows[i] as ProfileRow;
    const text = line(c);
    deps.io.out(r.token.daysLeft < 0 ? p.red(text) : r.token.daysLeft <= 30 ? p.yellow(text) : text);
  });
}

/** `rotate-token --check --all`: one line per profile; exit 4 when any is due. */
export async function runRotateCheckAll(within: number, json: boolean, deps: Deps): Promise<void> {
  const rows = await profileRows(deps);
  if (rows.length === 0) throw new NotConfiguredError(deps.globals.profile);
  const checked = rows.map((r) => ({
    profile: r.profile,
    expiresOn: r.token.expiresOn,
    daysLeft: r.token.daysLeft,
    within,
    expired: r.token.daysLeft < 0,
    due: r.token.daysLeft <= within,
  }));
  if (json) deps.io.json(checked);
  else {
    const width = Math.max(...checked.map((c) => c.profile.length));
    for (const c of checked) {
      const mark = c.due ? deps.io.outPaint.red('✖') : deps.io.outPaint.green('✔');
      deps.io.out(`${mark} ${c.profile.padEnd(width)}  ${c.expiresOn} (${describeDaysLeft(c.daysLeft)})${c.due ? ' — due' : ''}`);
    }
  }
  const due = checked.filter((c) => c.due);
  if (due.length) {
    throw new RotationDueError(
      `${due.length} of ${checked.length} profiles ${due.length === 1 ? 'has a token that expires' : 'have tokens that expire'} within ${within} days: ${due.map((c) => c.profile).join(', ')}.`,
      `Replace each with \`${typed()} rotate-token --profile <name>\`, e.g. \`${typed()} rotate-token${profileFlagFor(due[0]?.profile ?? 'default')}\`.`,
    );
  }
}

/** `test-connection --all`: every profile's checks (a few at a time), one line each; exit 1 when any is not OK. */
export async function runTestConnectionAll(json: boolean, deps: Deps): Promise<void> {
  const names = await everyProfile(deps);
  const reports = await deps.io.task(`Checking ${names.length} profile${names.length === 1 ? '' : 's'}…`, () =>
    mapBounded(names, CONCURRENCY, (name) => checkOne(forProfile(deps, name), name)),
  );
  if (json) deps.io.json(reports.map((r) => r.doc ?? { ok: false, profile: r.name, error: r.error }));
  else {
    const width = Math.max(...names.map((n) => n.length));
    for (const r of reports) {
      const mark = r.doc?.ok ? deps.io.outPaint.green('✔') : deps.io.outPaint.red('✖');
      deps.io.out(`${mark} ${r.name.padEnd(width)}  ${r.doc ? `${r.doc.site}  ${r.doc.ok ? 'OK' : 'has problems'}: ${summaryLine(r.doc.checks)}` : r.error}`);
    }
  }
  const failed = reports.filter((r) => !r.doc?.ok).map((r) => r.name);
  if (failed.length) {
    throw new ChecksFailedError(
      `${failed.length} of ${names.length} profiles did not pass: ${failed.join(', ')}.`,
      `See one in full with \`${typed()} test-connection --profile ${shellWord(failed[0] ?? 'default')}\`.`,
    );
  }
}

async function checkOne(deps: Deps, name: string): Promise<{ name: string; doc?: ReportDocument; error?: string }> {
  try {
    const saved = await requireProfile(deps);
    const store = secretStoreFor(saved, deps);
    let secretsProblem: string | undefined;
    const read = async (kind: 'client-secret' | 'api-token') => {
      try {
        const found = await store.get(kind);
        if (!found) secretsProblem = `The ${kind === 'api-token' ? 'API token' : 'client secret'} is not stored.`;
        return found?.value;
      } catch (error) {
        secretsProblem = (error as Error).message;
        return undefined;
      }
    };
    const clientSecret = saved.kind === 'user' ? undefined : await read('client-secret');
    const apiToken = await read('api-token');
    const connection = await openConnection(saved, deps, false);
    try {
      const { profile, client } = connection;
      const checks = await runChecks({
        profile,
        clientSecret,
        apiToken,
        secretsProblem,
        client,
        now: deps.now(),
        profileFlag: profileFlagFor(name),

        projects: profile.projects ?? [],
      });
      const ok = isOk(checks);
      if (ok) {
        const when = deps.now().toISOString();
        await deps.config.update((config) => {
          const p = config.profiles[name];
          if (p) p.lastSuccessfulTest = when;
        });
      }
      return {
        name,
        doc: {
          ok,
          profile: name,
          site: profile.site,
          cloudId: saved.cloudId,
          token: { expiresOn: saved.token.expiresOn, daysLeft: daysUntil(saved.token.expiresOn, deps.now()) },
          checks,
        },
      };
    } finally {
      await connection.close();
    }
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    return { name, error: error.message };
  }
}
