/**
 * A small cross-process lock (an exclusive lock file) so two kendis-jira processes never
 * interleave a read-modify-write of a configuration file. Each holder writes its own token into
 * the file and removes only a file that still holds its token.
 *
 * A lock older than `staleMs` belongs to a process that died and is taken over — safely: takeovers
 * happen one at a time (under `<lock>.takeover`, itself exclusive), and the lock is removed only if
 * it still holds the very token that was judged stale. So two waiters can never both delete "the
 * stale lock" (the second would delete the first one's fresh lock) and both enter.
 */
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { open, readFile, rm, stat } from 'node:fs/promises';
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
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim().replace(/[^0-9a-f-]/gi, '');
    return ns && boot ? `${ns}.${boot}` : '-';
  } catch {
    return '-';
  }
})();

/**
 * The lock's holder was a process on this machine that no longer exists (killed, crashed): its lock
 * is stale at once, not only after staleMs. A holder elsewhere (a shared folder) is never judged so.
 */
function holderIsGone(token: string | undefined): boolean {
  const [host, space, pid] = (token ?? '').split(':');
  // Same machine *and* the same process-id space: containers sharing a folder and a host name (but
  // not their pids) must never judge each other's holders gone.
  if (host !== hostname() || space !== PID_SPACE || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
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
  const mine = `${hostname()}:${PID_SPACE}:${process.pid}:${randomBytes(8).toString('hex')}`;
  for (;;) {
    if (await createExclusive(lockPath, mine)) break;
    const [info, token] = await Promise.all([stat(lockPath).catch(() => undefined), read(lockPath)]);
    if (info && (Date.now() - info.mtimeMs > staleMs || holderIsGone(token))) {
      await options.beforeTakeover?.();
      await takeOver(lockPath, token, staleMs);
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new CliError(`Another kendis-jira process is changing the configuration (${lockPath}).`, {
        hint: 'Wait for it to finish and run the command again; if none is running, delete that lock file.',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
  }
  try {
    return await work();
  } finally {
    if ((await read(lockPath)) === mine) await rm(lockPath, { force: true });
  }
}

/**
 * Everything that writes a profile's secrets (a rotation, a setup's final commit) holds this lock,
 * so one never interleaves with the other.
 */
export async function withProfileLock<T>(config: { dir: string; ensureDir(): Promise<void> }, profile: string, work: () => Promise<T>): Promise<T> {
  await config.ensureDir();
  return withFileLock(join(config.dir, `rotate-${encodeURIComponent(profile)}.lock`), work, { timeoutMs: 60_000 });
}
