/** The configuration lock: one holder at a time, even when many waiters find a stale lock at once. */
import { describe, expect, it } from 'vitest';
import { utimesSync, writeFileSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PID_SPACE, withFileLock } from '../../src/config/lock.js';
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
    writeFileSync(dead, `${hostname()}:${space}:4194305:abcd`);
    // Taken well before the 30 s stale time: waiting for that would overrun this 2 s timeout.
    await withFileLock(dead, async () => undefined, { timeoutMs: 2000 });
    const alive = join(dir, 'alive.lock');
    writeFileSync(alive, `${hostname()}:${space}:${process.ppid}:abcd`);
    await expect(withFileLock(alive, async () => undefined, { timeoutMs: 300 })).rejects.toThrow('Another kendis-jira process');
  });

  it('a holder in another pid space (a container sharing the folder and the host name) is never judged gone', async () => {
    const lock = join(tempDir(), 'other-space.lock');
    writeFileSync(lock, `${hostname()}:1.00000000-0000-0000-0000-000000000000:4194305:abcd`);
    await expect(withFileLock(lock, async () => undefined, { timeoutMs: 300 })).rejects.toThrow('Another kendis-jira process');
  });
});
