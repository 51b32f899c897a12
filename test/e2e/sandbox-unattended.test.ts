/**
 * A run nobody watches never waits for a click (issue "Windows and macOS"): on macOS and Windows the
 * system opener reports success as soon as the launcher starts, so `setup --sandbox
 * --non-interactive` used to wait out the whole OAuth timeout. Here a desktop opener that "succeeds"
 * and shows nothing stands in for them (DISPLAY set, an xdg-open that exits 0).
 */
import { describe, expect, inject, it } from 'vitest';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/test-deps.js';
import { freePort } from '../helpers/ports.js';
import { needs } from '../helpers/real-parts.js';

const keyringEnv = inject('keyringEnv');
const parts = needs('keyring');

describe.skipIf(parts.skip)(`the sandbox in a non-interactive run${parts.note}`, () => {
  it('approves its own consent page when the system opener says it opened a browser nobody watches', async () => {
    const home = tempDir('kj-unattended-');
    const bin = tempDir('kj-opener-');
    const opened = join(bin, 'opened.log');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$@" >> ${JSON.stringify(opened)}\nexit 0\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const port = await freePort();
    const started = Date.now();
    const r = await runCli(
      [
        'setup',
        '--sandbox',
        '--non-interactive',
        '--oauth-timeout',
        '60',
        '--redirect-uri',
        `http://localhost:${port}/callback`,
        '--profile',
        `unattended${process.pid}`,
      ],
      {
        env: { HOME: home, KENDIS_JIRA_CONFIG_DIR: home, ...keyringEnv!, DISPLAY: ':99', PATH: `${bin}:${process.env.PATH!}` },
        timeoutMs: 90_000,
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.stderr).toContain('the sandbox approves it for you');
  }, 120_000);
});
