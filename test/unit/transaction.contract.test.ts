/**
 * The transaction's contract, point by point, in memory (the e2e crash tests kill the real binary;
 * these stop a change by throwing at each named point, which is what a kill leaves behind):
 *   - pairing: once the next command has tidied, the stored token and the saved expiry are the old
 *     pair before the flip and the new pair from the flip on;
 *   - nothing lost: the profile always has its whole set of secrets;
 *   - nothing left: only the contract's account names, no leftover, no generation.
 */
import { describe, expect, it } from 'vitest';
import { changeProfile, forget, LOGOUT_POINTS, pointsOf, probeListed, settle, sweep, tidy } from '../../src/profiles/transaction.js';
import { MemoryBackend } from '../../src/secrets/memory-backend.js';
import type { Profile } from '../../src/config/schema.js';
import { sampleProfile } from '../helpers/fixtures.js';
import { makeTestDeps, type TestDeps } from '../helpers/test-deps.js';

const OLD = { 'client-secret': 'old-client-secret', 'api-token': 'ATATT3x-old-token' };
const NEW_TOKEN = 'ATATT3x-new-token';
class Stopped extends Error {}

async function profileWithSecrets(): Promise<{ deps: TestDeps; keychain: MemoryBackend }> {
  const keychain = new MemoryBackend();
  const deps = makeTestDeps({ keychain });
  await deps.config.update((c) => {
    c.profiles.p = sampleProfile({ token: { expiresOn: '2027-01-01' } });
  });
  await keychain.set('p:client-secret', OLD['client-secret']);
  await keychain.set('p:api-token', OLD['api-token']);
  return { deps, keychain };
}

function stopAt(deps: TestDeps, point: string): void {
  deps.faultPoint = (name) => {
    if (name === point) throw new Stopped(`stopped at ${name} (v1.0).`);
  };
}

const rotate = (deps: TestDeps, to = 'gaaaaaaaaaaaa') =>
  changeProfile(deps, {
    name: 'p',
    storage: 'keychain',
    to,
    secrets: { 'client-secret': OLD['client-secret'], 'api-token': NEW_TOKEN },
    op: 'rotate',
    flip: (c) => {
      c.profiles.p!.token = { expiresOn: '2027-10-01' };
    },
  });

async function afterNextCommand(deps: TestDeps, keychain: MemoryBackend): Promise<{ token: string | null; expiresOn: string | undefined; accounts: string[] }> {
  deps.faultPoint = undefined;
  await tidy(deps);
  const config = await deps.config.load();
  expect(config.leftovers, 'nothing listed').toEqual([]);
  expect(config.profiles.p?.generation, 'back on the usual names').toBeUndefined();
  return { token: await keychain.get('p:api-token'), expiresOn: config.profiles.p?.token.expiresOn, accounts: [...keychain.entries.keys()].sort() };
}

describe('a change stopped at each of its points', () => {
  const points = pointsOf('rotate');
  it.each(points.map((p, i) => [p, i] as const))('stopped at "%s": the old pair or the new pair, the whole set, nothing left', async (point, index) => {
    const { deps, keychain } = await profileWithSecrets();
    stopAt(deps, point);
    // Stopped in its own switch, the change stops there (as a killed run would); stopped in the
    // settling after it, the change is saved and the settling left to the next command.
    if (index < points.indexOf('rotate:settle:recorded')) await expect(rotate(deps)).rejects.toBeInstanceOf(Stopped);
    else await rotate(deps);
    const flipped = index >= points.indexOf('rotate:flipped');
    expect(await afterNextCommand(deps, keychain)).toEqual({
      token: flipped ? NEW_TOKEN : OLD['api-token'],
      expiresOn: flipped ? '2027-10-01' : '2027-01-01',
      accounts: ['p:api-token', 'p:client-secret'],
    });
    expect(await keychain.get('p:client-secret'), 'the client secret went along').toBe(OLD['client-secret']);
  });

  it('stopped in its settling, it says the change is saved and that the next command finishes it', async () => {
    const { deps } = await profileWithSecrets();
    stopAt(deps, 'rotate:settle:written');
    await rotate(deps);
    expect(deps.stderr.text).toContain(
      'Saved, but moving the secrets back to their usual keychain names did not finish (stopped at rotate:settle:written (v1.0)):',
    );
    expect(deps.stderr.text).toContain('the next kendis-jira command finishes it.');
    expect((await deps.config.load()).profiles.p?.generation).toBe('gaaaaaaaaaaaa');
  });

  it('not stopped: the new pair on the usual names, written under the generation first', async () => {
    const { deps, keychain } = await profileWithSecrets();
    const seen: string[] = [];
    const set = keychain.set.bind(keychain);
    keychain.set = async (account, value) => {
      seen.push(account);
      return set(account, value);
    };
    let told = false;
    await changeProfile(deps, {
      name: 'p',
      storage: 'keychain',
      to: 'gbbbbbbbbbbbb',
      secrets: { 'api-token': NEW_TOKEN },
      op: 'rotate',
      flip: () => undefined,
      flipped: () => {
        told = true;
      },
    });
    expect(told).toBe(true);
    expect(seen).toEqual(['p:gbbbbbbbbbbbb:api-token', 'p:api-token']);
    // Exactly the secrets given: a kind not given is not kept.
    expect([...keychain.entries.keys()]).toEqual(['p:api-token']);
    expect((await deps.config.load()).leftovers).toEqual([]);
  });
});

describe('logout stopped at each of its points', () => {
  it.each(LOGOUT_POINTS.map((p) => [p] as const))('stopped at "%s": the next command deletes every secret of it', async (point) => {
    const { deps, keychain } = await profileWithSecrets();
    await deps.config.update((c) => {
      c.progress.p = { step: 6, answers: {}, updatedAt: '2026-12-01T00:00:00.000Z', staged: { generation: 'gcccccccccccc', storage: 'keychain' } };
    });
    await keychain.set('p:gcccccccccccc:api-token', 'staged');
    await deps.config.update((c) => forget(c, 'p', ['keychain']));
    // Stopped right after the flip: nothing deleted yet. Stopped after deleting: nothing unlisted yet.
    if (point === 'logout:deleted') {
      stopAt(deps, point);
      await expect(sweep(deps, 'p', 'logout')).rejects.toBeInstanceOf(Stopped);
      expect([...keychain.entries.keys()], 'deleted before the stop').toEqual([]);
    }
    expect((await deps.config.load()).leftovers.length, 'still listed').toBeGreaterThan(0);
    const config = await deps.config.load();
    expect(config.profiles.p).toBeUndefined();
    expect(config.progress.p).toBeUndefined();
    deps.faultPoint = undefined;
    await tidy(deps);
    expect([...keychain.entries.keys()]).toEqual([]);
    expect((await deps.config.load()).leftovers).toEqual([]);
  });
});

describe('sweep and settle', () => {
  it('a leftover of another profile is left to that profile; an unfinished setup’s staged generation is in use', async () => {
    const { deps, keychain } = await profileWithSecrets();
    await deps.config.update((c) => {
      c.progress.p = { step: 6, answers: {}, updatedAt: '2026-12-01T00:00:00.000Z', staged: { generation: 'gcccccccccccc', storage: 'keychain' } };
      c.leftovers = [
        { profile: 'p', storage: 'keychain', generation: 'gcccccccccccc' },
        { profile: 'q', storage: 'keychain', generation: 'gdddddddddddd' },
      ];
    });
    await keychain.set('p:gcccccccccccc:api-token', 'staged');
    await keychain.set('q:gdddddddddddd:api-token', 'q-orphan');
    expect(await sweep(deps, 'p')).toEqual({ deleted: 0, unreachable: [] });
    expect(await keychain.get('p:gcccccccccccc:api-token')).toBe('staged');
    expect(await keychain.get('q:gdddddddddddd:api-token')).toBe('q-orphan');
    expect((await deps.config.load()).leftovers).toEqual([{ profile: 'q', storage: 'keychain', generation: 'gdddddddddddd' }]);
  });

  it('settle reads the secrets back when not given them, and does nothing for a settled profile', async () => {
    const { deps, keychain } = await profileWithSecrets();
    await settle(deps, 'p', 'tidy');
    expect([...keychain.entries.keys()].sort()).toEqual(['p:api-token', 'p:client-secret']);
    await deps.config.update((c) => {
      c.profiles.p = { ...(c.profiles.p as Profile), generation: 'geeeeeeeeeeee' };
    });
    keychain.entries.clear();
    await keychain.set('p:geeeeeeeeeeee:api-token', 'moved');
    await keychain.set('p:geeeeeeeeeeee:client-secret', 'moved-secret');
    await settle(deps, 'p', 'tidy');
    expect(Object.fromEntries(keychain.entries)).toEqual({ 'p:api-token': 'moved', 'p:client-secret': 'moved-secret' });
  });

  it('tidy leaves a profile whose lock another process holds, and says so in --debug', async () => {
    const { deps } = await profileWithSecrets();
    await deps.config.update((c) => {
      c.leftovers = [{ profile: 'p', storage: 'keychain', generation: 'gaaaaaaaaaaaa' }];
    });
    const { withProfileLock } = await import('../../src/config/lock.js');
    let release!: () => void;
    const held = withProfileLock(deps.config, 'p', () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    const { Terminal } = await import('../../src/io/terminal.js');
    const debug = deps as TestDeps & { io: InstanceType<typeof Terminal> };
    const lines: string[] = [];
    debug.io.debug = (line: string) => void lines.push(line);
    const started = Date.now();
    await tidy(deps, { lockTimeoutMs: 200 });
    expect(Date.now() - started, 'gave up after its own short wait').toBeLessThan(2000);
    release();
    await held;
    expect(lines.join('\n')).toMatch(/^tidy: profile "p" left for later \(Another kendis-jira process/);
    expect((await deps.config.load()).leftovers).toHaveLength(1);
  });
});

describe('the keychain probe', () => {
  it('writes its dummy item under a listed generation of the profile (a run killed there leaves a leftover)', async () => {
    const keychain = new MemoryBackend();
    const deps = makeTestDeps({ keychain });
    const seen: { account: string; listed: unknown[] }[] = [];
    keychain.probe = async (account = 'x', written) => {
      seen.push({ account, listed: (await deps.config.load()).leftovers });
      written?.();
    };
    await probeListed(deps, 'p', keychain);
    expect(seen).toHaveLength(1);
    const generation = /^p:(g[0-9a-f]{12}):api-token$/.exec(seen[0]!.account)?.[1];
    expect(generation).toBeDefined();
    expect(seen[0]!.listed).toEqual([{ profile: 'p', storage: 'keychain', generation }]);
  });

  it('a keychain that fails the probe is not left listed (later commands must not wait on it)', async () => {
    const keychain = new MemoryBackend();
    keychain.failWith = new Error('no Secret Service');
    const deps = makeTestDeps({ keychain });
    keychain.probe = async () => {
      throw new Error('no Secret Service');
    };
    await expect(probeListed(deps, 'p', keychain)).rejects.toThrow('no Secret Service');
    expect((await deps.config.load()).leftovers).toEqual([]);
  });

  it('a clean probe leaves nothing, listed or stored', async () => {
    const keychain = new MemoryBackend();
    const deps = makeTestDeps({ keychain });
    await probeListed(deps, 'p', keychain);
    expect([...keychain.entries.keys()]).toEqual([]);
    expect((await deps.config.load()).leftovers).toEqual([]);
  });
});

describe('the bookkeeping', () => {
  it('lists the usual names without a generation, once per store, and every generation apart', async () => {
    const { deps } = await profileWithSecrets();
    await deps.config.update((c) => {
      c.profiles.p = { ...(c.profiles.p as Profile), generation: 'gaaaaaaaaaaaa' };
      c.progress.p = { step: 6, answers: {}, updatedAt: '2026-12-01T00:00:00.000Z', staged: { generation: 'gbbbbbbbbbbbb', storage: 'keychain' } };
      c.leftovers = [{ profile: 'p', storage: 'keychain', generation: 'gaaaaaaaaaaaa' }];
      forget(c, 'p', ['keychain', 'file', 'keychain']);
    });
    expect((await deps.config.load()).leftovers).toStrictEqual([
      { profile: 'p', storage: 'keychain', generation: 'gaaaaaaaaaaaa' },
      { profile: 'p', storage: 'keychain', generation: 'gbbbbbbbbbbbb' },
      { profile: 'p', storage: 'keychain' },
      { profile: 'p', storage: 'file' },
    ]);
  });

  it('unlists only what it swept: the same generation of another profile stays listed', async () => {
    const { deps, keychain } = await profileWithSecrets();
    await deps.config.update((c) => {
      c.leftovers = [
        { profile: 'p', storage: 'keychain', generation: 'gaaaaaaaaaaaa' },
        { profile: 'q', storage: 'keychain', generation: 'gaaaaaaaaaaaa' },
      ];
    });
    await keychain.set('q:gaaaaaaaaaaaa:api-token', 'q-orphan');
    expect(await sweep(deps, 'p')).toEqual({ deleted: 0, unreachable: [] });
    expect((await deps.config.load()).leftovers).toStrictEqual([{ profile: 'q', storage: 'keychain', generation: 'gaaaaaaaaaaaa' }]);
    expect(await keychain.get('q:gaaaaaaaaaaaa:api-token')).toBe('q-orphan');
  });

  it('with nothing listed, a sweep changes nothing and writes nothing', async () => {
    const { deps } = await profileWithSecrets();
    let writes = 0;
    const update = deps.config.update.bind(deps.config);
    deps.config.update = (change) => {
      writes += 1;
      return update(change);
    };
    expect(await sweep(deps, 'p')).toStrictEqual({ deleted: 0, unreachable: [] });
    expect(writes).toBe(0);
  });

  it('a new profile (nothing before it) is created by its change with nothing else listed', async () => {
    const keychain = new MemoryBackend();
    const deps = makeTestDeps({ keychain });
    await changeProfile(deps, {
      name: 'n',
      storage: 'keychain',
      to: 'gaaaaaaaaaaaa',
      secrets: { 'api-token': NEW_TOKEN },
      op: 'setup',
      flip: (c) => {
        c.profiles.n = sampleProfile();
      },
    });
    const config = await deps.config.load();
    expect(config.profiles.n?.generation).toBeUndefined();
    expect(config.leftovers).toStrictEqual([]);
    expect(Object.fromEntries(keychain.entries)).toStrictEqual({ 'n:api-token': NEW_TOKEN });
  });

  it('settling a user’s profile moves only the secret it has; a settled or missing profile is left alone', async () => {
    const { deps, keychain } = await profileWithSecrets();
    keychain.entries.clear();
    await deps.config.update((c) => {
      c.profiles.p = { ...(c.profiles.p as Profile), generation: 'gaaaaaaaaaaaa' };
    });
    await keychain.set('p:gaaaaaaaaaaaa:api-token', 'only-token');
    await settle(deps, 'p', 'tidy');
    expect(Object.fromEntries(keychain.entries)).toStrictEqual({ 'p:api-token': 'only-token' });
    let writes = 0;
    const set = keychain.set.bind(keychain);
    keychain.set = async (a, v) => {
      writes += 1;
      return set(a, v);
    };
    await settle(deps, 'p', 'tidy');
    await settle(deps, 'nobody', 'tidy');
    expect(writes).toBe(0);
  });

  it('tidy passes the settling’s named points and no others', async () => {
    const { deps } = await profileWithSecrets();
    await deps.config.update((c) => {
      c.profiles.p = { ...(c.profiles.p as Profile), generation: 'gaaaaaaaaaaaa' };
      c.leftovers = [{ profile: 'p', storage: 'keychain', generation: 'gbbbbbbbbbbbb' }];
    });
    const named: string[] = [];
    deps.faultPoint = (name) => void named.push(name);
    await tidy(deps);
    expect(named).toEqual(['tidy:settle:recorded', 'tidy:settle:written', 'tidy:settle:flipped', 'tidy:settle:deleted']);
  });

  it('the probe names its point, and unlists only its own entry', async () => {
    const keychain = new MemoryBackend();
    const deps = makeTestDeps({ keychain });
    await deps.config.update((c) => {
      c.leftovers = [{ profile: 'q', storage: 'file', generation: 'gaaaaaaaaaaaa' }];
    });
    const named: string[] = [];
    deps.faultPoint = (name) => void named.push(name);
    await probeListed(deps, 'p', keychain);
    expect(named).toEqual(['probe:written']);
    expect((await deps.config.load()).leftovers).toStrictEqual([{ profile: 'q', storage: 'file', generation: 'gaaaaaaaaaaaa' }]);
  });
});

describe('tidy with nothing to do', () => {
  it('takes no lock and writes nothing; a damaged config.json is left for the command to report', async () => {
    const { deps } = await profileWithSecrets();
    let locks = 0;
    let writes = 0;
    const ensureDir = deps.config.ensureDir.bind(deps.config);
    deps.config.ensureDir = () => {
      locks += 1;
      return ensureDir();
    };
    const update = deps.config.update.bind(deps.config);
    deps.config.update = (change) => {
      writes += 1;
      return update(change);
    };
    await tidy(deps);
    expect({ locks, writes }).toEqual({ locks: 0, writes: 0 });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(deps.config.path, '{ not json', { mode: 0o600 });
    await expect(tidy(deps)).resolves.toBeUndefined();
  });

  it('a profile left on a generation with nothing listed is still settled', async () => {
    const { deps, keychain } = await profileWithSecrets();
    keychain.entries.clear();
    await keychain.set('p:gaaaaaaaaaaaa:api-token', 'moved');
    await deps.config.update((c) => {
      c.profiles.p = { ...(c.profiles.p as Profile), generation: 'gaaaaaaaaaaaa' };
    });
    await tidy(deps);
    expect((await deps.config.load()).profiles.p?.generation).toBeUndefined();
    expect(Object.fromEntries(keychain.entries)).toStrictEqual({ 'p:api-token': 'moved' });
  });

  it('the named points of logout are the ones the crash tests kill at', () => {
    expect(LOGOUT_POINTS).toEqual(['logout:flipped', 'logout:deleted']);
  });
});

describe('temp files, by name', () => {
  it('only this folder’s own temp names are judged; near-misses are kept, and a missing folder is fine', async () => {
    const { HOST_TAG } = await import('../../src/config/lock.js');
    const { removeDeadTemps } = await import('../../src/profiles/transaction.js');
    const { readdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempDir } = await import('../helpers/test-deps.js');
    const dir = tempDir();
    const keep = [
      `x.config.json.${HOST_TAG}-4194305.a1b2c3.tmp`,
      `.config.json.${HOST_TAG}-4194305.a1b2c3.tmp.bak`,
      `a.write-check-${HOST_TAG}-4194305`,
      `.write-check-${HOST_TAG}-4194305x`,
      `.config.json.${HOST_TAG}-${process.pid}.a1b2c3.tmp`,
    ];
    for (const name of keep) writeFileSync(join(dir, name), '');
    await removeDeadTemps(dir);
    expect(readdirSync(dir).sort()).toEqual([...keep].sort());
    await expect(removeDeadTemps(join(dir, 'no-such-folder'))).resolves.toBeUndefined();
  });
});
