/**
 * A BROWSER for the real binary: Debian's Chromium, headless, in a throw-away profile. It loads
 * the page (following redirects, e.g. authorize → the CLI's loopback listener) and exits.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './test-deps.js';

export function headlessBrowserScript(chromium: string): { path: string; log: string } {
  const dir = tempDir('kj-browser-');
  const path = join(dir, 'browser.sh');
  const log = join(dir, 'opened.log');
  writeFileSync(
    path,
    `#!/bin/sh
echo "$@" >> "${log}"
# Tests never reach the internet: only loopback pages are really loaded.
case "$1" in
  http://127.0.0.1:*|http://localhost:*|http://[::1]:*) ;;
  *) exit 0 ;;
esac
exec "${chromium}" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage --user-data-dir="${dir}/profile-$$" --timeout=15000 --dump-dom "$@" >/dev/null 2>&1
`,
  );
  chmodSync(path, 0o755);
  return { path, log };
}
