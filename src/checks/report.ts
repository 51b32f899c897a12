/** Rendering check results: one line per check for humans (stderr), or the contract's JSON (stdout). */
import type { Terminal } from '../io/terminal.js';
import type { CheckResult } from './types.js';

export interface ReportDocument {
  ok: boolean;
  profile: string;
  site: string;
  cloudId: string;
  token: { expiresOn: string; daysLeft: number };
  checks: CheckResult[];
}

export function isOk(results: CheckResult[]): boolean {
  return !results.some((r) => r.status === 'fail');
}

export function renderCheckLines(io: Terminal, results: CheckResult[], options: { showPasses?: boolean; showSkips?: boolean; write?: (line: string) => void } = {}): void {
  const write = options.write ?? ((line: string) => io.err(line));
  const p = io.paint;
  const symbol = { pass: p.green('✔'), warn: p.yellow('!'), fail: p.red('✖'), skip: p.dim('–') };
  for (const r of results) {
    if (options.showPasses === false && r.status === 'pass') continue;
    if (options.showSkips === false && r.status === 'skip') continue;
    const scope = r.id.startsWith('scope:') ? p.dim(` (${r.id.slice(6)})`) : '';
    write(`${symbol[r.status]} ${r.title}${scope}: ${r.status === 'pass' ? p.dim(r.detail) : r.detail}`);
    if (r.hint && r.status !== 'pass') write(`    ${p.cyan('→')} ${r.hint}`);
  }
}

export function summaryLine(results: CheckResult[]): string {
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  const parts = [`${count('pass')} passed`, `${count('fail')} failed`, `${count('warn')} warnings`, `${count('skip')} skipped`];
  return parts.join(', ');
}
