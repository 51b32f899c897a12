/** Config files as Windows treats them: a target another program holds open, a byte-order mark. */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileHeldOpenError, renameWithRetry } from '../../src/config/atomic-file.js';
import { ConfigStore } from '../../src/config/store.js';
import { tempDir } from '../helpers/test-deps.js';
import { sampleProfile } from '../helpers/fixtures.js';

const failing = (codes: string[]) => {
  const calls: string[] = [];
  return {
    calls,
    rename: async (a: string, b: string) => {
      calls.push(`${a}>${b}`);
      const code = codes.shift();
      if (code) throw Object.assign(new Error(`${code}: operation not permitted`), { code });
    },
  };
};
const noWait = async () => undefined;

describe('renameWithRetry', () => {
  it.each(['EPERM', 'EBUSY', 'EACCES'])('on Windows, %s (another program has the file open) is retried until it clears', async (code) => {
    const f = failing([code, code, code]);
    await renameWithRetry('a', 'b', { platform: 'win32', rename: f.rename, wait: noWait });
    expect(f.calls).toHaveLength(4);
  });
  it('on Windows, a hold that never clears ends after the attempts with the cause named', async () => {
    const f = failing(Array(20).fill('EBUSY'));
    const waits: number[] = [];
    const error = (await renameWithRetry('a', 'C:\\cfg\\config.json', {
      platform: 'win32',
      rename: f.rename,
      attempts: 5,
      wait: async (ms) => void waits.push(ms),
    }).catch((e: unknown) => e)) as FileHeldOpenError;
    expect(error).toBeInstanceOf(FileHeldOpenError);
    expect(error.message).toBe('another program has C:\\cfg\\config.json open (EBUSY), so it could not be replaced');
    expect(f.calls).toHaveLength(5);
    expect(waits).toEqual([50, 100, 150, 200]);
  });
  it('elsewhere, or for another error, fails at once', async () => {
    for (const [platform, code] of [
      ['linux', 'EPERM'],
      ['darwin', 'EBUSY'],
      ['win32', 'ENOENT'],
    ] as const) {
      const f = failing([code]);
      const error = (await renameWithRetry('a', 'b', { platform, rename: f.rename, wait: noWait }).catch((e: unknown) => e)) as NodeJS.ErrnoException;
      expect(error.code, `${platform} ${code}`).toBe(code);
      expect(f.calls).toHaveLength(1);
    }
  });
});

describe('config.json with a byte-order mark (Notepad, PowerShell 5.1)', () => {
  it('is read, not called damaged', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), `\uFEFF${JSON.stringify({ version: 1, profiles: { acme: sampleProfile() }, progress: {} })}`, { mode: 0o600 });
    expect(Object.keys((await new ConfigStore(dir).load()).profiles)).toEqual(['acme']);
  });
});
