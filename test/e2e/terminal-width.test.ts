/**
 * The sandbox run as a person sees it in a real terminal of 80 and of 60 columns (tmux renders it):
 * at most 100 screen rows at 80 columns, no line wider than the terminal but the lines meant to be
 * copied whole (a URL, the one-line scope list, a command), scope names never split, every step and
 * checklist still there — and the words themselves, as committed transcripts.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { BIN } from '../helpers/cli.js';
import { APP_SCOPES, TOKEN_SCOPES } from '../../src/atlassian/scopes.js';
import { addDays, isoDate } from '../../src/dates/dates.js';
import { TEST_KEYCHAIN_ENV } from '../helpers/test-keychain.js';

const haveTmux = spawnSync('tmux', ['-V']).status === 0;

/** Run the built CLI in a detached tmux session of `cols` columns; the screen rows, and the logical lines (-J). */
function inTmux(cols: number, args: string[]): { rows: string[]; lines: string[]; exit: number } {
  const home = mkdtempSync('/tmp/kjw-');
  const socket = `kjw${process.pid}x${cols}`;
  const env = {
    PATH: process.env.PATH!,
    HOME: home,
    KENDIS_JIRA_CONFIG_DIR: home,
    TERM: 'xterm-256color',
    ...TEST_KEYCHAIN_ENV,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-bus')}`,
  };
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const command = ['env', '-i', ...envArgs, process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const tmux = (...a: string[]) => spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...a], { encoding: 'utf8' });
  tmux('new-session', '-d', '-x', String(cols), '-y', '40', `${command}; echo __EXIT__$?; sleep 60`);
  tmux('set-option', '-g', 'history-limit', '5000');
  try {
    const deadline = Date.now() + 60_000;
    let screen = '';
    while (Date.now() < deadline) {
      screen = tmux('capture-pane', '-p', '-S', '-', '-E', '-').stdout;
      if (screen.includes('__EXIT__')) break;
      spawnSync('sleep', ['0.2']);
    }
    const joined = tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-').stdout;
    const until = (text: string) => text.slice(0, text.indexOf('__EXIT__')).replace(/\s+$/, '').split('\n');
    return { rows: until(screen), lines: until(joined), exit: Number(/__EXIT__(\d+)/.exec(screen)?.[1] ?? -1) };
  } finally {
    tmux('kill-server');
  }
}

/** Lines meant to be copied whole: a URL, the one-line scope list, a command to type. */
function isCopyLine(line: string): boolean {
  const t = line.trim();
  return /^https?:\/\/\S+$/.test(t) || /^([a-z-]+:[\w:.-]+ ?)+$/.test(t) || t.startsWith(`${process.execPath} `) || /^node \S+ /.test(t);
}

function normalise(text: string): string {
  return text
    .replace(/\/tmp\/kjw-\w+/g, '<home>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/localhost:\d+/g, 'localhost:<port>')
    .replaceAll(isoDate(addDays(new Date(), 365)), '<today+365>')
    .replace(/Integration \d{4}-\d{2}/, 'Integration <this month>')
    .replace(/ +$/gm, '');
}

describe.skipIf(!haveTmux)(`setup --sandbox --non-interactive in a real terminal${haveTmux ? '' : ' (SKIPPED: no tmux)'}`, () => {
  for (const cols of [80, 60]) {
    it(`${cols} columns: every line fits but the copy lines, scope names whole, every step there`, async () => {
      const run = inTmux(cols, ['setup', '--sandbox', '--non-interactive']);
      expect(run.exit, run.lines.join('\n')).toBe(0);
      if (cols === 80) expect(run.rows.length, 'screen rows at 80 columns').toBeLessThanOrEqual(100);
      const wide = run.lines.filter((l) => [...l].length > cols && !isCopyLine(l));
      expect(wide, 'lines wider than the terminal').toEqual([]);
      // The strings an admin types into Atlassian's pickers stand whole on a screen row.
      for (const scope of [...APP_SCOPES.filter((s) => s.kind === 'jira').map((s) => s.scope), ...TOKEN_SCOPES]) {
        expect(
          run.rows.some((r) => new RegExp(`(^|\\s)${scope.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\s|$)`).test(r)),
          scope,
        ).toBe(true);
      }
      for (let n = 1; n <= 8; n += 1)
        expect(
          run.lines.some((l) => l.startsWith(`Step ${n} of 8`)),
          `Step ${n}`,
        ).toBe(true);
      await expect(normalise(run.lines.join('\n'))).toMatchFileSnapshot(`__transcripts__/sandbox-${cols}-columns.txt`);
    }, 90_000);
  }
});
