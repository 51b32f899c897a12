/** src/profiles/transaction.ts: the pieces the crash tests cannot reach one by one. */
import { describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_TAG } from '../../src/config/lock.js';
import { pointsOf, removeDeadTemps, sweep } from '../../src/profiles/transaction.js';
import { MemoryBackend } from '../../src/secrets/memory-backend.js';
import { makeTestDeps, tempDir } from '../helpers/test-deps.js';
import { sampleProfile } from '../helpers/fixtures.js';

describe('temp files a crash left', () => {
  it('are removed when their writer on this machine is gone; a live writer’s and another machine’s are kept', async () => {
    const dir = tempDir();
    const dead = `.config.json.${HOST_TAG}-4194305.a1b2c3d4e5f6.tmp`;
    const deadCheck = `.write-check-${HOST_TAG}-4194305`;
    const live = `.config.json.${HOST_TAG}-${process.ppid}.a1b2c3d4e5f6.tmp`;
    const elsewhere = '.config.json.0000ffff-4194305.a1b2c3d4e5f6.tmp';
    const unrelated = 'config.json';
    for (const name of [dead, deadCheck, live, elsewhere, unrelated]) writeFileSync(join(dir, name), '');
    await removeDeadTemps(dir);
    expect(readdirSync(dir).sort()).toEqual([elsewhere, live, unrelated].sort());
  });
});

describe('sweep', () => {
  it('deletes a listed generation nothing points at, and unlists one still in use without deleting it', async () => {
    const keychain = new MemoryBackend();
    const deps = makeTestDeps({ keychain });
    await deps.config.update((c) => {
      c.profiles.p = sampleProfile();
      c.leftovers = [
        { profile: 'p', storage: 'keychain', generation: 'gaaaaaaaaaaaa' },
        { profile: 'p', storage: 'keychain' },
      ];
    });
    await keychain.set('p:gaaaaaaaaaaaa:api-token', 'orphan');
    await keychain.set('p:api-token', 'in use');
    expect(await sweep(deps, 'p')).toEqual({ deleted: 1, unreachable: [] });
    expect([...keychain.entries.keys()]).toEqual(['p:api-token']);
    expect((await deps.config.load()).leftovers).toEqual([]);
  });

  it('keeps listing what it could not reach (a locked keychain), for the next command', async () => {
    const keychain = new MemoryBackend();
    const deps = makeTestDeps({ keychain });
    await deps.config.update((c) => {
      c.leftovers = [{ profile: 'p', storage: 'keychain', generation: 'gaaaaaaaaaaaa' }];
    });
    keychain.failWith = new Error('locked');
    expect(await sweep(deps, 'p')).toEqual({ deleted: 0, unreachable: ['keychain'] });
    expect((await deps.config.load()).leftovers).toHaveLength(1);
  });

  it('names every point of a change: its own switch, then its settling', () => {
    expect(pointsOf('rotate')).toEqual([
      'rotate:recorded',
      'rotate:written',
      'rotate:flipped',
      'rotate:deleted',
      'rotate:settle:recorded',
      'rotate:settle:written',
      'rotate:settle:flipped',
      'rotate:settle:deleted',
    ]);
  });
});

describe('a reader during a change', () => {
  it('that loaded the profile just before the flip finds the secret where it moved, and a real miss stays a miss', async () => {
    const keychain = new MemoryBackend();
    const deps = makeTestDeps({ keychain });
    const before = sampleProfile();
    // The change flipped the profile to a generation and already deleted the usual names.
    await deps.config.update((c) => {
      c.profiles.default = { ...before, generation: 'gaaaaaaaaaaaa' };
    });
    await keychain.set('default:gaaaaaaaaaaaa:api-token', 'the-new-token');
    const { secretStoreFor } = await import('../../src/profiles/saved-profile.js');
    const store = secretStoreFor(before, deps);
    expect(await store.get('api-token')).toEqual({ value: 'the-new-token', location: 'keychain' });
    expect(await store.get('client-secret')).toBeNull();
  });
});
