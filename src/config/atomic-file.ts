/**
 * Atomic, private file writes: a temp file in the same directory (mode 0600), fsync, rename.
 * A reader sees the old file or the new one, never half of either.
 */
import { mkdir, open, rename, rm, chmod } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

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
export async function writeFileAtomic(path: string, data: string, options: { mode?: number; shared?: boolean } = {}): Promise<void> {
  const dir = dirname(path);
  if (!options.shared) await ensurePrivateDir(dir);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', options.mode ?? 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
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
