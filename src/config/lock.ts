/**
 * A small cross-process lock (an exclusive lock file) so two kendis-jira processes never
 * interleave a read-modify-write of a configuration file. Each holder writes its own token
 * (host, pid space, pid, random) into the file, checks it is there, and removes only a file that
 * still holds its token.
 *
 * A holder of this machine that is alive is never taken from, however long it holds (a keychain
 * dialog may take a minute; a stopped process is still alive). The lock is taken over only when its
 * holder is shown to be gone:
 *   - a process of this machine that no longer exists, or whose pid now belongs to a process that
 *     started later (Linux: its start time differs from the one in the lock) — at once;
 *   - a file with no owner written in it after EMPTY_GRACE_MS (its creator died between creating
 *     and writing it);
 *   - a holder on another host (a shared folder), which cannot be asked: when nobody touched the
 *     lock for staleMs (every holder touches its lock every staleMs/3 while it holds it).
 * Takeovers happen one at a time (under `<lock>.takeover`, itself exclusive), and the lock is removed
 * only if it still holds the very token that was judged stale, so two waiters never both delete "the
 * stale lock" and both enter; a creator that finds another token in its file after writing it (it was
 * judged unwritten while it stalled) does not enter either.
 */
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { readFileSync, readlinkSync } from 'node:fs';
import { CliError } from '../errors.js';

export interface LockOptions {
  timeoutMs?: number;
  staleMs?: number;
  /** Tests only: called between judging a lock stale and taking it over (to widen the race). */
  beforeTakeover?: () => Promise<void>;
}

const read = (path: string) => readFile(path, 'utf8').catch(() => undefined);

/**
 * Which process-id space this process lives in: on Linux its pid namespace on this boot of this
 * machine (every machine's first namespace has the same number, the boot id tells machines apart);
 * "-" where there is no such thing.
 */
export const PID_SPACE = (() => {
  try {
    const ns = /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')
      .trim()
      .replace(/[^0-9a-f-]/gi, '');
    return ns && boot ? `${ns}.${boot}` : '-';
  } catch {
    return '-';
  }
})();

const OWN_START = startTimeOf(process.pid);

/**
 * This process's place, short: its host and pid space, hashed. Temp files carry it with their pid,
 * so a command removes only its own machine's dead writers' files (src/profiles/transaction.ts).
 */
export const HOST_TAG = createHash('sha256').update(`${hostname()}\0${PID_SPACE}`).digest('hex').slice(0, 8);

/** How long a lock file may stay without its owner written in it: creating and writing take microseconds. */
export const EMPTY_GRACE_MS = 2000;

type Holder = 'alive' | 'gone' | 'unknown' | 'unwritten';

/**
 * When a process started (Linux: clock ticks since boot, /proc/<pid>/stat field 22), "-" where it
 * cannot be read: with it, a pid that a later process reuses is told apart from the holder.
 */
export function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count after its closing one.
    const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return start && /^\d+$/.test(start) ? start : '-';
  } catch {
    return '-';
  }
}

/**
 * Who holds the lock, as far as this process can tell: a process of this machine (same host name
 * *and* pid space: containers sharing a folder and a host name must never judge each other's
 * pids) is alive or gone; a holder elsewhere is unknown; a file without an owner is unwritten.
 */
function holderOf(token: string | undefined): Holder {
  const [host, space, pid, started, nonce] = (token ?? '').split(':');
  if (!host || !space || !pid || !/^\d+$/.test(pid) || !started || !nonce) return 'unwritten';
  if (host !== hostname() || space !== PID_SPACE) return 'unknown';
  // Our own pid: a process before us that had it (another start time) is gone; ours is a nested lock.
  if (Number(pid) === process.pid) return started !== '-' && OWN_START !== '-' && started !== OWN_START ? 'gone' : 'unknown';
  try {
    process.kill(Number(pid), 0);
  } catch (error) {
    // EPERM: it exists, as another user's process.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return 'gone';
  }
  // The pid is taken: by the holder, unless a process that started at another time has it now.
  return started !== '-' && startTimeOf(Number(pid)) !== started ? 'gone' : 'alive';
}

/**
 * The lock may be taken over: its holder is gone, never wrote itself in, or — on another host,
 * where it cannot be asked — has not touched it for staleMs. A live holder here: never.
 */
function isStale(holder: Holder, ageMs: number, staleMs: number): boolean {
  if (holder === 'alive') return false;
  if (holder === 'gone') return true;
  if (holder === 'unwritten') return ageMs > EMPTY_GRACE_MS;
  return ageMs > staleMs;
}

async function createExclusive(path: string, content: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    await handle.writeFile(content);
    await handle.close();
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/** Remove the lock if it still holds `token` (the one judged stale); one takeover at a time. */
async function takeOver(lockPath: string, token: string | undefined, staleMs: number): Promise<void> {
  const guard = `${lockPath}.takeover`;
  if (!(await createExclusive(guard, String(process.pid)))) {
    // A takeover that died half-way leaves its guard: past the stale time, remove it.
    const info = await stat(guard).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > staleMs) await rm(guard, { force: true });
    return;
  }
  try {
    if ((await read(lockPath)) === token) await rm(lockPath, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const started = Date.now();
  const mine = `${hostname()}:${PID_SPACE}:${process.pid}:${OWN_START}:${randomBytes(8).toString('hex')}`;
  for (;;) {
    // Created, and still ours once written: a creator that stalled past EMPTY_GRACE_MS may find its
    // file taken over meanwhile, and then waits like anyone else.
    if ((await createExclusive(lockPath, mine)) && (await read(lockPath)) === mine) break;
    const [info, token] = await Promise.all([stat(lockPath).catch(() => undefined), read(lockPath)]);
    if (token === mine) break;
    if (info && isStale(holderOf(token), Date.now() - info.mtimeMs, staleMs)) {
      await options.beforeTakeover?.();
      await takeOver(lockPath, token, staleMs);
    }
    if (Date.now() - started > timeoutMs) {
      const pid = holderOf(token) === 'alive' ? token?.split(':')[2] : undefined;
      throw new CliError(`Another kendis-jira process${pid ? ` (process ${pid})` : ''} is changing the configuration (${lockPath}).`, {
        hint: 'Wait for it to finish and run the command again; if none is running, delete that lock file.',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
  }
  // Touched while held, so that however long the work takes it is never judged stale.
  const touch = setInterval(() => void refresh(lockPath, mine), Math.max(20, staleMs / 3));
  touch.unref();
  try {
    return await work();
  } finally {
    clearInterval(touch);
    if ((await read(lockPath)) === mine) await rm(lockPath, { force: true });
  }
}

/** The holder's sign of life: the lock's time set to now, if the lock is still its own. */
async function refresh(lockPath: string, mine: string): Promise<void> {
  if ((await read(lockPath)) !== mine) return;
  const now = new Date();
  await utimes(lockPath, now, now).catch(() => undefined);
}

/**
 * Every change to a profile (setup's commit, a rotation, logout, a command tidying what a crash
 * left) holds this lock, so one never interleaves with another.
 */
export async function withProfileLock<T>(
  config: { dir: string; ensureDir(): Promise<void> },
  profile: string,
  work: () => Promise<T>,
  options: { timeoutMs?: number } = {},
): Promise<T> {
  await config.ensureDir();
  return withFileLock(join(config.dir, `rotate-${encodeURIComponent(profile)}.lock`), work, { timeoutMs: options.timeoutMs ?? 60_000 });
}
