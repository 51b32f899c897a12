/**
 * A small cross-process lock (an exclusive lock file) so two kendis-jira processes never
 * interleave a read-modify-write of config.json. A lock older than `staleMs` is taken over:
 * it belongs to a process that died.
 */
import { open, rm, stat } from 'node:fs/promises';
import { CliError } from '../errors.js';

export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, options: { timeoutMs?: number; staleMs?: number } = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const staleMs = options.staleMs ?? 30_000;
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const info = await stat(lockPath).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > staleMs) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() - started > timeoutMs) {
        throw new CliError(`Another kendis-jira process is changing the configuration (${lockPath}).`, {
          hint: 'Wait for it to finish and run the command again; if none is running, delete that lock file.',
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}
