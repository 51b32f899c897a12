/**
 * Every change to a profile — setup's commit, a token rotation, logout — is one pattern, so the
 * profile's settings (config.json) and its secrets (the keychain) always belong together, whatever
 * dies when:
 *
 *   1. recorded: the generation about to be written is listed in config.json's `leftovers`
 *   2. written:  the new secrets go under that generation's accounts (`<profile>:<generation>:<kind>`)
 *   3. flipped:  one atomic config write points the profile at that generation, with its new
 *                settings, and lists what it used before as a leftover
 *   4. deleted:  every leftover nothing points at is deleted, then unlisted
 *
 * A profile then settles back on the contract's account names (`<profile>:client-secret`,
 * `<profile>:api-token`) by the same four moves. A crash leaves at worst a leftover that no profile
 * points at: the next command deletes it (tidy). No digest, no recovery path: a profile always
 * points at one complete generation, the old one until the flip and the new one after it.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Deps } from '../deps.js';
import type { ConfigFile, Leftover, Profile } from '../config/schema.js';
import { HOST_TAG, withProfileLock } from '../config/lock.js';
import { accountFor, SECRET_KINDS, type SecretKind } from '../secrets/backend.js';

export type Secrets = Partial<Record<SecretKind, string>>;
type Storage = Profile['storage'];
type TxDeps = Pick<Deps, 'config' | 'secretBackend' | 'faultPoint' | 'io'>;
type SecretBackend = ReturnType<Deps['secretBackend']>;

/** The named points of one switch, where the crash tests kill the real binary. */
export const SWITCH_POINTS = ['recorded', 'written', 'flipped', 'deleted'] as const;

/** Every point a change named `op` passes: its own switch, then its settling on the contract's names. */
export function pointsOf(op: string): string[] {
  return [...SWITCH_POINTS.map((p) => `${op}:${p}`), ...SWITCH_POINTS.map((p) => `${op}:settle:${p}`)];
}

export function newGeneration(deps: Pick<Deps, 'randomBytes'>): string {
  return `g${deps.randomBytes(6).toString('hex')}`;
}

function leftover(profile: string, storage: Storage, generation: string | undefined): Leftover {
  return generation === undefined ? { profile, storage } : { profile, storage, generation };
}

const same = (a: Leftover, b: Leftover) => a.profile === b.profile && a.storage === b.storage && a.generation === b.generation;

/** Listed as leftovers (each once): deleted by the next sweep unless something points at them. */
export function list(config: ConfigFile, ...items: (Leftover | undefined)[]): void {
  for (const item of items) if (item && !config.leftovers.some((l) => same(l, item))) config.leftovers.push(item);
}

/** What a profile and its unfinished setup point at now. */
function pointedAt(config: ConfigFile, name: string): Leftover[] {
  const profile = config.profiles[name];
  const staged = config.progress[name]?.staged;
  return [...(profile ? [leftover(name, profile.storage, profile.generation)] : []), ...(staged ? [leftover(name, staged.storage, staged.generation)] : [])];
}

/** A profile's secrets in one generation (absent ones left out). */
export async function readGeneration(deps: TxDeps, name: string, storage: Storage, generation: string | undefined): Promise<Secrets> {
  const backend = deps.secretBackend(storage);
  const secrets: Secrets = {};
  for (const kind of SECRET_KINDS) {
    const value = await backend.get(accountFor(name, kind, generation));
    if (value !== null) secrets[kind] = value;
  }
  return secrets;
}

/**
 * Delete the leftovers of `name` that nothing points at, then unlist them. The caller holds the
 * profile's lock. One that cannot be reached now (a locked keychain) stays listed for the next
 * command. Returns how many secrets were deleted, and the stores that could not be reached.
 */
export async function sweep(deps: TxDeps, name: string, op?: string): Promise<{ deleted: number; unreachable: Storage[] }> {
  const config = await deps.config.load();
  const mine = config.leftovers.filter((l) => l.profile === name);
  if (mine.length === 0) return { deleted: 0, unreachable: [] };
  const inUse = pointedAt(config, name);
  let deleted = 0;
  const done: Leftover[] = [];
  for (const item of mine) {
    if (!inUse.some((u) => same(u, item))) {
      try {
        const backend = deps.secretBackend(item.storage);
        for (const kind of SECRET_KINDS) if (await backend.delete(accountFor(name, kind, item.generation))) deleted += 1;
      } catch {
        continue;
      }
    }
    done.push(item);
  }
  if (op) deps.faultPoint?.(`${op}:deleted`);
  await deps.config.update((c) => {
    c.leftovers = c.leftovers.filter((l) => !done.some((d) => same(d, l)));
  });
  return { deleted, unreachable: [...new Set(mine.filter((l) => !done.includes(l)).map((l) => l.storage))] };
}

/**
 * The four moves: record `to`, write `secrets` there (exactly those), flip (the caller's change
 * plus the profile pointing at `to`; what it pointed at before becomes a leftover), sweep.
 * The caller holds the profile's lock.
 */
export async function switchGeneration(
  deps: TxDeps,
  p: { name: string; storage: Storage; to: string | undefined; secrets: Secrets; flip?: (config: ConfigFile) => void; op: string },
): Promise<void> {
  const point = (name: (typeof SWITCH_POINTS)[number]) => deps.faultPoint?.(`${p.op}:${name}`);
  const target = leftover(p.name, p.storage, p.to);
  await deps.config.update((c) => list(c, target));
  point('recorded');
  const backend = deps.secretBackend(p.storage);
  for (const kind of SECRET_KINDS) {
    const value = p.secrets[kind];
    const account = accountFor(p.name, kind, p.to);
    if (value === undefined) await backend.delete(account);
    else await backend.set(account, value);
  }
  point('written');
  await deps.config.update((c) => {
    const before = pointedAt(c, p.name);
    p.flip?.(c);
    const profile = c.profiles[p.name];
    if (profile) {
      if (p.to === undefined) delete profile.generation;
      else profile.generation = p.to;
    }
    list(c, ...before);
  });
  point('flipped');
  await sweep(deps, p.name, p.op);
}

/**
 * Back on the contract's account names: a profile that points at a generation gets its secrets
 * copied to `<profile>:<kind>` by a switch of its own. `secrets` saves reading them back.
 */
export async function settle(deps: TxDeps, name: string, op: string, secrets?: Secrets): Promise<void> {
  const profile = (await deps.config.load()).profiles[name];
  if (profile?.generation === undefined) return;
  const values = secrets ?? (await readGeneration(deps, name, profile.storage, profile.generation));
  await switchGeneration(deps, { name, storage: profile.storage, to: undefined, secrets: values, op: `${op}:settle` });
}

/**
 * A change of `name` as one transaction, under its lock: switch to a new generation, then settle.
 * The change is done at the flip (`flipped` is told): the settling after it is tidying, and when it
 * fails (a keychain that stops answering) the next command finishes it — the change is not undone,
 * and not reported as failed.
 */
export async function changeProfile(
  deps: TxDeps,
  p: { name: string; storage: Storage; to: string; secrets: Secrets; flip: (config: ConfigFile) => void; op: string; flipped?: () => void },
): Promise<void> {
  await switchGeneration(deps, p);
  p.flipped?.();
  try {
    await settle(deps, p.name, p.op, p.secrets);
  } catch (error) {
    deps.io.warn(
      `Saved, but moving the secrets back to their usual keychain names did not finish (${(error as Error).message.replace(/\.$/, '')}): the next kendis-jira command finishes it.`,
    );
  }
}

/**
 * The keychain proved usable with a dummy item under a generation of this profile listed first: a
 * run that dies between writing and deleting it leaves a leftover the next command deletes.
 */
export async function probeListed(deps: TxDeps & Pick<Deps, 'randomBytes'>, profile: string, backend: SecretBackend): Promise<void> {
  const item = leftover(profile, backend.location, newGeneration(deps));
  await deps.config.update((c) => list(c, item));
  try {
    await backend.probe(accountFor(profile, 'api-token', item.generation), () => deps.faultPoint?.('probe:written'));
  } finally {
    await deps.config.update((c) => {
      c.leftovers = c.leftovers.filter((l) => !same(l, item));
    });
  }
}

/** Logout's points: the flip (the profile gone from config.json), then its accounts deleted. */
export const LOGOUT_POINTS: readonly string[] = ['logout:flipped', 'logout:deleted'];

/**
 * Logout's flip: the profile and its unfinished setup leave config.json, and everything they
 * pointed at — and the contract's names in every store they used — is a leftover to delete.
 */
export function forget(config: ConfigFile, name: string, storages: readonly Storage[]): void {
  list(config, ...pointedAt(config, name), ...storages.map((s) => leftover(name, s, undefined)));
  delete config.profiles[name];
  delete config.progress[name];
}

/**
 * Temp files of this folder's atomic writes whose writer, on this machine, is gone
 * (`.<name>.<host tag>-<pid>.<hex>.tmp`, `.write-check-<host tag>-<pid>`). Another machine's (a
 * shared folder) are never touched: their writers cannot be asked.
 */
export async function removeDeadTemps(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const [, tag, pid] = /^\..+\.([0-9a-f]{8})-(\d+)\.[0-9a-f]+\.tmp$/.exec(name) ?? /^\.write-check-([0-9a-f]{8})-(\d+)$/.exec(name) ?? [];
    if (tag === HOST_TAG && pid && Number(pid) !== process.pid && !alive(Number(pid))) await rm(join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * What a crash left, removed before a command works on profiles: leftovers deleted, profiles
 * settled on the contract's names, dead temp files removed. Nothing to do costs one read of
 * config.json. A profile whose lock another process holds is left for the next command.
 */
export async function tidy(deps: TxDeps & Pick<Deps, 'io'>, options: { lockTimeoutMs?: number } = {}): Promise<void> {
  const config = await deps.config.load().catch(() => undefined);
  if (!config) return;
  const names = new Set([
    ...config.leftovers.map((l) => l.profile),
    ...Object.keys(config.profiles).filter((n) => config.profiles[n]?.generation !== undefined),
  ]);
  for (const name of names) {
    await withProfileLock(
      deps.config,
      name,
      async () => {
        await sweep(deps, name);
        await settle(deps, name, 'tidy');
      },
      { timeoutMs: options.lockTimeoutMs ?? 5000 },
    ).catch((error: unknown) => deps.io.debug(`tidy: profile "${name}" left for later (${(error as Error).message})`));
  }
  await removeDeadTemps(deps.config.dir);
}
