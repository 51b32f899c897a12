/**
 * Atomic, private file writes: a temp file in the same directory (mode 0600), fsync, rename.
 * A reader sees the old file or the new one, never half of either.
 */
import { mkdir, open, rename, rm, chmod } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { HOST_TAG } from './lock.js';

export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(dir, 0o700).catch(() => undefined);
}

/**
 * Replace `path` whole: a temp file in its folder ('wx': never an existing file or link), fsync,
 * rename over the target (a link there is replaced, never followed), fsync of the folder.
 * By default the folder is made private and the file 0600 (configuration); `shared` keeps the
 * user's folder as it is (a calendar file the user asked for).
 */
/** What Windows says when another program (antivirus, backup, a sync client) has the target file open. */
const HELD_OPEN = new Set(['EPERM', 'EBUSY', 'EACCES']);

/** The error a rename left when the target stayed held open through every retry: it names the cause. */
export class FileHeldOpenError extends Error {
  readonly code: string;
  constructor(
    readonly path: string,
    cause: NodeJS.ErrnoException,
  ) {
    super(`another program has ${path} open (${cause.code}), so it could not be replaced`, { cause });
    this.code = 'EHELDOPEN';
  }
}

/**
 * rename() over a file another program holds open fails on Windows with EPERM/EBUSY/EACCES; such
 * holds are brief (a virus scan, a backup), so the rename is retried for about two seconds.
 */
export async function renameWithRetry(
  from: string,
  to: string,
  p: { platform?: NodeJS.Platform; attempts?: number; wait?: (ms: number) => Promise<void>; rename?: (a: string, b: string) => Promise<void> } = {},
): Promise<void> {
  const platform = p.platform ?? process.platform;
  const attempts = p.attempts ?? 12;
  const wait = p.wait ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const move = p.rename ?? rename;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await move(from, to);
    } catch (error) {
      const code = String((error as NodeJS.ErrnoException).code);
      if (platform !== 'win32' || !HELD_OPEN.has(code)) throw error;
      if (attempt >= attempts) throw new FileHeldOpenError(to, error as NodeJS.ErrnoException);
      await wait(Math.min(50 * attempt, 300));
    }
  }
}

export async function writeFileAtomic(path: string, data: string, options: { mode?: number; shared?: boolean } = {}): Promise<void> {
  const dir = dirname(path);
  if (!options.shared) await ensurePrivateDir(dir);
  // Its writer's pid in the name: a temp file a crash left is removed by the next command (tidy).
  const temp = join(dir, `.${basename(path)}.${HOST_TAG}-${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', options.mode ?? 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await renameWithRetry(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // Make the rename itself durable: a crash right after must not bring the old file back.
  if (process.platform !== 'win32') {
    const folder = await open(dir, 'r').catch(() => undefined);
    await folder?.sync().catch(() => undefined);
    await folder?.close();
  }
}
