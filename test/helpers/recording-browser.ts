/**
 * A BROWSER that records what it was given — its argv and its whole environment — then acts as a
 * browser for loopback pages only (follows the authorize redirect to the listener with curl-like
 * fetches in Node). Used to prove no secret reaches a child process.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './test-deps.js';

export function recordingBrowser(): { path: string; log: string } {
  const dir = tempDir('kj-recbrowser-');
  const path = join(dir, 'browser.mjs');
  const log = join(dir, 'seen.log');
  writeFileSync(
    path,
    `#!${process.execPath}
import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(log)}, JSON.stringify({ argv: process.argv.slice(2), env: process.env }) + '\\n');
let next = process.argv[2];
if (!/^http:\\/\\/(127\\.0\\.0\\.1|localhost|\\[::1\\]):/.test(next ?? '')) process.exit(0);
for (let i = 0; next && i < 5; i += 1) {
  const res = await fetch(next, { redirect: 'manual' }).catch(() => undefined);
  if (!res) break;
  await res.arrayBuffer();
  next = res.headers.get('location');
}
`,
  );
  chmodSync(path, 0o755);
  return { path, log };
}
