/**
 * What the real Secret Service holds, read with `secret-tool search`. Other test files add and
 * delete items at the same time, and a search that loads the secrets of an item deleted meanwhile
 * fails as a whole ("No such secret item at path …", printing nothing): such a search is repeated,
 * so a test sees the keyring as it is, not an empty list.
 */
import { spawnSync } from 'node:child_process';
import { TEST_KEYCHAIN_SERVICE } from './test-keychain.js';

const RACE = /No such secret item|No such object|g_task_return_error/;

export function searchKeychain(env: Record<string, string | undefined>, service = TEST_KEYCHAIN_SERVICE): string {
  let last = '';
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const out = spawnSync('secret-tool', ['search', '--all', '--unlock', 'service', service], { env, encoding: 'utf8', timeout: 10_000 });
    last = `${out.stdout}\n${out.stderr}`;
    if (!RACE.test(out.stderr)) return last;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25 + attempt * 10);
  }
  throw new Error(`secret-tool search kept racing with other tests' deletes: ${last.slice(0, 300)}`);
}

/** The accounts stored under the service whose name starts with `${profile}:`, sorted. */
export function keychainAccounts(env: Record<string, string | undefined>, profile: string): string[] {
  return [...searchKeychain(env).matchAll(/attribute\.username = (\S+)/g)]
    .map((m) => m[1]!)
    .filter((a) => a.startsWith(`${profile}:`))
    .sort();
}
