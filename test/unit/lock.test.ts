/** The configuration lock: one holder at a time, even when many waiters find a stale lock at once. */
import { describe, expect, it } from 'vitest';
import { readFileSync, utimesSync, writeFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EMPTY_GRACE_MS, PID_SPACE, startTimeOf, withFileLock } from '../../src/config/lock.js';
import { tempDir } from '../helpers/test-deps.js';

async function maxHolders(lock: string, waiters: number, widen = false): Promise<number> {
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: waiters }, (_, i) =>
      withFileLock(
        lock,
        async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 40));
          inside -= 1;
        },
        // Widened race: later waiters act on their "stale" verdict only after the first took the lock.
        { timeoutMs: 20_000, staleMs: 30_000, ...(widen ? { beforeTakeover: () => new Promise<void>((r) => setTimeout(r, i * 10)) } : {}) },
      ),
    ),
  );
  return most;
}

describe('withFileLock', () => {
  it('twelve waiters that all find the same stale lock still take it one at a time', async () => {
    for (let round = 0; round < 5; round += 1) {
      const dir = tempDir('kj-lock-');
      const lock = join(dir, 'config.lock');
      writeFileSync(lock, '999999:dead-process');
      const old = new Date(Date.now() - 120_000);
      utimesSync(lock, old, old);
      expect(await maxHolders(lock, 12, true)).toBe(1);
      expect(readdirSync(dir)).toEqual([]);
    }
  }, 60_000);

  it('holders never overlap without a stale lock either', async () => {
    const dir = tempDir('kj-lock-');
    expect(await maxHolders(join(dir, 'config.lock'), 12)).toBe(1);
  });
});

describe('a lock left by a process that died', () => {
  const space = PID_SPACE;

  it('is taken at once when its holder (this machine, this pid space) no longer exists, and waited for when it does', async () => {
    const dir = tempDir();
    const dead = join(dir, 'dead.lock');
    // A pid above Linux's pid_max cannot belong to a running process.
    writeFileSync(dead, `${hostname()}:${space}:4194305:-:abcd`);
    // Taken well before the 30 s stale time: waiting for that would overrun this 2 s timeout.
    await withFileLock(dead, async () => undefined, { timeoutMs: 2000 });
    const alive = join(dir, 'alive.lock');
    writeFileSync(alive, `${hostname()}:${space}:${process.ppid}:${startTimeOf(process.ppid)}:abcd`);
    await expect(withFileLock(alive, async () => undefined, { timeoutMs: 300 })).rejects.toThrow('Another kendis-jira process');
  });

  it('a holder in another pid space (a container sharing the folder and the host name) is never judged gone', async () => {
    const lock = join(tempDir(), 'other-space.lock');
    writeFileSync(lock, `${hostname()}:1.00000000-0000-0000-0000-000000000000:4194305:-:abcd`);
    await expect(withFileLock(lock, async () => undefined, { timeoutMs: 300 })).rejects.toThrow('Another kendis-jira process');
  });
});

describe('a holder that is alive is never taken from; a lock nobody wrote is judged in seconds', () => {
  const space = PID_SPACE;
  const aged = (path: string, ms: number) => {
    const then = new Date(Date.now() - ms);
    utimesSync(path, then, then);
  };

  it('a holder that is working touches its lock: it is never taken from, though it holds far longer than staleMs', async () => {
    const lock = join(tempDir(), 'working.lock');
    let release!: () => void;
    const holding = withFileLock(lock, () => new Promise<void>((r) => (release = r)), { staleMs: 300 });
    await new Promise((r) => setTimeout(r, 1200));
    await expect(withFileLock(lock, async () => 'taken', { timeoutMs: 300, staleMs: 300 })).rejects.toThrow('Another kendis-jira process is');
    release();
    await holding;
    await expect(withFileLock(lock, async () => 'taken', { timeoutMs: 300, staleMs: 300 })).resolves.toBe('taken');
  });

  it('a live holder of this machine is never taken from, however long nobody touched its lock (a stopped process), and is named', async () => {
    const lock = join(tempDir(), 'stopped.lock');
    writeFileSync(lock, `${hostname()}:${space}:${process.ppid}:${startTimeOf(process.ppid)}:abcd`);
    aged(lock, 600_000);
    await expect(withFileLock(lock, async () => 'taken', { timeoutMs: 300, staleMs: 1000 })).rejects.toThrow(`(process ${process.ppid})`);
    expect(readFileSync(lock, 'utf8')).toContain(`:${process.ppid}:`);
  });

  it.skipIf(startTimeOf(process.pid) === '-')('a pid that a later process reuses is not the holder: its lock is taken at once', async () => {
    const lock = join(tempDir(), 'reused.lock');
    // The parent's pid, but another start time: the holder that wrote it is gone.
    writeFileSync(lock, `${hostname()}:${space}:${process.ppid}:1:abcd`);
    await expect(withFileLock(lock, async () => 'taken', { timeoutMs: 2000, staleMs: 600_000 })).resolves.toBe('taken');
  });

  it.skipIf(startTimeOf(process.pid) === '-')(
    'a lock with this very pid but another start time (a crashed holder whose pid came back to us) is taken at once',
    async () => {
      const lock = join(tempDir(), 'own-pid.lock');
      writeFileSync(lock, `${hostname()}:${space}:${process.pid}:1:abcd`);
      await expect(withFileLock(lock, async () => 'taken', { timeoutMs: 2000, staleMs: 600_000 })).resolves.toBe('taken');
    },
  );

  it('a takeover guard left by a waiter that died still lets the wait end at its timeout', async () => {
    const dir = tempDir();
    const lock = join(dir, 'guarded.lock');
    writeFileSync(lock, `${hostname()}:${space}:4194305:-:abcd`);
    writeFileSync(`${lock}.takeover`, '4194306');
    await expect(withFileLock(lock, async () => undefined, { timeoutMs: 500, staleMs: 60_000 })).rejects.toThrow('Another kendis-jira process is');
  });

  it('an empty lock file (its creator died before writing itself in) is taken after the grace, long before staleMs', async () => {
    const lock = join(tempDir(), 'empty.lock');
    writeFileSync(lock, '');
    await expect(withFileLock(lock, async () => undefined, { timeoutMs: 300, staleMs: 600_000 })).rejects.toThrow('Another kendis-jira process is');
    aged(lock, EMPTY_GRACE_MS + 500);
    await expect(withFileLock(lock, async () => 'taken', { timeoutMs: 300, staleMs: 600_000 })).resolves.toBe('taken');
  });

  it('a holder on another host (a shared folder) is taken over only after staleMs', async () => {
    const lock = join(tempDir(), 'other-host.lock');
    writeFileSync(lock, `another-host-${process.pid}:${space}:${process.pid}:-:abcd`);
    aged(lock, 5000);
    await expect(withFileLock(lock, async () => undefined, { timeoutMs: 300, staleMs: 60_000 })).rejects.toThrow('Another kendis-jira process is');
    await expect(withFileLock(lock, async () => 'taken', { timeoutMs: 300, staleMs: 4000 })).resolves.toBe('taken');
  });

  it('the lock file is still there after a refused wait, and removed after a holder finishes', async () => {
    const dir = tempDir();
    const lock = join(dir, 'kept.lock');
    writeFileSync(lock, `${hostname()}:${space}:${process.ppid}:${startTimeOf(process.ppid)}:abcd`);
    await expect(withFileLock(lock, async () => undefined, { timeoutMs: 100 })).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['kept.lock']);
    const mine = join(dir, 'mine.lock');
    await withFileLock(mine, async () => expect(readdirSync(dir).sort()).toEqual(['kept.lock', 'mine.lock']));
    expect(readdirSync(dir)).toEqual(['kept.lock']);
  });
});
