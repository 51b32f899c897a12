/** Rendering check results: one line per check for humans (stderr), or the contract's JSON (stdout). */
import type { Terminal } from '../io/terminal.js';
import { isBlocking, type CheckResult } from './types.js';

export interface ReportDocument {
  ok: boolean;
  profile: string;
  site: string;
  cloudId: string;
  token: { expiresOn: string; daysLeft: number };
  checks: CheckResult[];
}

/** OK only when no check failed and none could not be checked (checks.md, "No pass without proof"). */
export function isOk(results: CheckResult[]): boolean {
  return !results.some((r) => isBlocking(r.status));
}

/** A skip's reason, briefly: "covered by read:jira-work" for the scopes no request can tell apart. */
export function briefSkip(detail: string): string {
  const covered = /also accepts (\S+?),/.exec(detail);
  if (covered) return `covered by ${covered[1]}`;
  if (/Assets \(CMDB\)/.test(detail)) return 'an Assets (CMDB) scope no Jira request reaches';
  if (/DevOps builds/.test(detail)) return 'a DevOps builds scope no Jira request uses';
  return detail.replace(/\.$/, '');
}

/** A passing check's line stays within this many columns (an 80-column terminal). */
const SHORT_LINE = 76;

/**
 * One line per check: a pass is its title and the fact (the scope, or a short detail); how it was
 * proven only with --verbose (or --json). Warnings, failures and unchecked ones keep their detail
 * and their fix.
 */
export function renderCheckLines(io: Terminal, results: CheckResult[], options: { showPasses?: boolean; showSkips?: boolean; toStdout?: boolean } = {}): void {
  const write = options.toStdout ? (line: string) => io.out(line) : (line: string) => io.err(line);
  const p = options.toStdout ? io.outPaint : io.paint;
  // `error` gets its own mark: "could not be checked" must never read as a pass or as a plain "no".
  const symbol = { pass: p.green('✔'), warn: p.yellow('!'), fail: p.red('✖'), error: p.red('?'), skip: p.dim('–') };
  for (const r of results) {
    if (options.showPasses === false && r.status === 'pass') continue;
    if (options.showSkips === false && r.status === 'skip') continue;
    const isScope = r.id.startsWith('scope:');
    const scope = isScope ? ` ${p.dim(r.id.slice(6))}` : '';
    if (r.status === 'pass' && !io.verbose) {
      // The title and the fact: the scope, or the detail when the line stays short.
      const fact = `: ${r.detail.replace(/\.$/, '')}`;
      write(`${symbol.pass} ${r.title}${scope}${isScope || r.title.length + fact.length > SHORT_LINE ? '' : p.dim(fact)}`);
      continue;
    }
    if (r.status === 'skip' && !io.verbose) {
      write(`${symbol.skip} ${r.title}${scope}: ${p.dim(briefSkip(r.detail))}`);
      continue;
    }
    const label = r.status === 'error' ? `${r.title}${scope}: not checked — ` : `${r.title}${scope}: `;
    write(`${symbol[r.status]} ${label}${r.status === 'pass' ? p.dim(r.detail) : r.detail}`);
    if (r.hint && r.status !== 'pass') write(`    ${p.cyan('→')} ${r.hint}`);
  }
}

export function summaryLine(results: CheckResult[]): string {
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  const parts = [`${count('pass')} passed`, `${count('fail')} failed`];
  if (count('error')) parts.push(`${count('error')} could not be checked`);
  parts.push(`${count('warn')} ${count('warn') === 1 ? 'warning' : 'warnings'}`, `${count('skip')} skipped`);
  return parts.join(', ');
}

/** Failed and unchecked checks, split, for the closing sentence of a command. */
export function blockingOf(results: CheckResult[]): { failed: CheckResult[]; errors: CheckResult[] } {
  return { failed: results.filter((r) => r.status === 'fail'), errors: results.filter((r) => r.status === 'error') };
}

/**
 * The closing error of a command that stores a secret only on proof (setup, rotate-token):
 * "Atlassian said no" (a fail, with its fix) or "Atlassian did not answer" (an error: try again
 * later), each saying that nothing was changed. Undefined when nothing blocks.
 */
export function refusalOf(results: CheckResult[], nothingChanged: string): { message: string; hint: string | undefined; kind: 'fail' | 'error' } | undefined {
  const { failed: refused, errors } = blockingOf(results);
  // A secret is stored only when the sign-in *passed* (checks.md): a token that signs in as another
  // account (a warning in test-connection) is not one to store for this e-mail.
  const failed = [...refused, ...results.filter((r) => r.id === 'api-token' && r.status === 'warn')];
  if (failed.length) {
    return {
      kind: 'fail',
      message: `Atlassian said no (${failed.map((f) => f.title).join('; ')}): ${nothingChanged}.`,
      hint: failed.find((f) => f.hint)?.hint,
    };
  }
  const first = errors[0];
  if (first) return { kind: 'error', message: `${first.detail.replace(/\.$/, '')}: ${nothingChanged}. Try again later.`, hint: first.hint };
  return undefined;
}

/** The full test's closing line when nothing blocks: what passed and what cannot be checked, by design. */
export function fullTestLine(results: CheckResult[]): string {
  const count = (s: CheckResult['status']) => results.filter((r) => r.status === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const skipped = count('skip');
  const warnings = count('warn');
  return `Full test passed: ${plural(count('pass'), 'check')}${skipped ? `; ${plural(skipped, 'scope')} cannot be checked alone` : ''}${warnings ? `; ${plural(warnings, 'warning')} above` : ''}.`;
}

/** Commands to type, each with what it is for: the note on its own line above, the command whole. */
export function printCommands(io: Terminal, commands: readonly [string, string][]): void {
  for (const [command, what] of commands) {
    io.info(`  # ${what}`);
    io.copyLine(`  ${command}`);
  }
}
