/**
 * The process entry: reads the environment, builds the dependency object,
 * runs the command tree, renders errors and sets the exit code.
 */
import { existsSync, realpathSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { delimiter, join, relative } from 'node:path';
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';
import type { GlobalOptions } from './deps.js';
import { CancelledError, ExitCode, exitCodeOf, renderError } from './errors.js';
import { safeForTerminal } from './io/sanitize.js';
import { runAs } from './io/typed.js';
import { shellWord } from './io/shell.js';
import { environmentCopy } from './io/environment.js';

/**
 * The secrets a script passes in the environment are read once, here, and removed from
 * process.env, so no child process (the browser opener, xdg-open) can inherit them.
 */
function takeEnvironment(): Record<string, string | undefined> {
  const env = environmentCopy(process.env, process.platform);
  delete process.env.KENDIS_JIRA_CLIENT_SECRET;
  delete process.env.KENDIS_JIRA_API_TOKEN;
  return env;
}

/**
 * A reader that goes away (`kendis-jira status | head -1`) is not an error: stop writing, finish,
 * and exit with the command's own code instead of Node's "Unhandled 'error' event … EPIPE".
 */
function tolerateClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}

/**
 * How the user ran this CLI, so the commands it prints work when pasted: "kendis-jira" when that
 * name on PATH is this program, "npx kendis-jira" under npx, else "node <path to the script>"
 * (a clone, where `kendis-jira` is not on PATH).
 */
function invocation(env: Record<string, string | undefined>): string {
  const script = process.argv[1] ?? '';
  try {
    const real = realpathSync(script);
    for (const dir of (env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      const candidate = join(dir, 'kendis-jira');
      if (existsSync(candidate) && realpathSync(candidate) === real) return 'kendis-jira';
      // Windows: npm's global shim (kendis-jira.cmd) sits beside node_modules\kendis-jira and is no link.
      const shimmed = join(dir, 'node_modules', 'kendis-jira', 'bin', 'kendis-jira.js');
      if (existsSync(join(dir, 'kendis-jira.cmd')) && existsSync(shimmed) && realpathSync(shimmed) === real) return 'kendis-jira';
    }
  } catch {
    // fall through
  }
  if (/[\\/]_npx[\\/]/.test(script) || env.npm_command === 'exec') return 'npx kendis-jira';
  const rel = relative(process.cwd(), script);
  // Quoted when the path would not survive pasting into a shell (spaces, $, quotes…).
  return `node ${shellWord(rel.startsWith('..') || rel === '' ? script : rel)}`;
}

/**
 * A run lasts seconds: V8's optimising compiler and a young generation that keeps growing cost memory
 * that never pays back in that time (the keychain's native module needs its share). Set before any
 * work; measured by `npm run bench` (test-connection's peak memory with the OS keychain ≤ 64 MiB).
 */
function fitForAShortRun(): void {
  setFlagsFromString('--no-opt');
  setFlagsFromString('--semi-space-growth-factor=1');
}

async function main(argv: string[]): Promise<number> {
  fitForAShortRun();
  tolerateClosedOutput();
  const env = takeEnvironment();
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(ExitCode.cancelled);
    interrupted = true;
    controller.abort(new CancelledError());
    // Give the command a moment to close listeners and restore the terminal, then leave.
    setTimeout(() => process.exit(ExitCode.cancelled), 1500).unref();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);

  let debug = argv.includes('--debug');
  let color = !argv.includes('--no-color');
  // How the user ran this CLI, worked out once: every command shown to type is built with it (src/io/typed.ts).
  runAs(invocation(env));
  const program = buildProgram({
    env,
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    makeDeps: async (globals: GlobalOptions) => {
      debug = globals.debug;
      color = globals.color;
      // Loaded only when a command runs, so --help and --version stay instant.
      const { createDeps } = await import('./deps.js');
      return createDeps(globals, {
        streams: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
        env,
        platform: process.platform,
        signal: controller.signal,
      });
    },
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return interrupted ? ExitCode.cancelled : ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    const final = interrupted && !(error instanceof CancelledError) ? new CancelledError() : error;
    const text = safeForTerminal(renderError(final, debug));
    const { Chalk } = await import('chalk');
    const red = new Chalk({ level: color && process.stderr.isTTY && !env.NO_COLOR ? 1 : 0 }).red;
    process.stderr.write(`${red(text.slice(0, 1))}${text.slice(1)}\n`);
    return exitCodeOf(final);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}

// A promise that can never settle would let Node exit quietly with status 0 mid-command; make
// that an error instead of a false success.
let finished = false;
process.once('beforeExit', () => {
  if (!finished) {
    process.stderr.write('✖ kendis-jira stopped before finishing (internal error). Rerun with --debug and report it.\n');
    process.exitCode = 1;
  }
});
const code = await main(process.argv.slice(2));
finished = true;
process.exitCode = code;
// Nothing should be left running; if a stray handle remains (a slow keychain daemon, a socket),
// don't let it keep the CLI alive.
setTimeout(() => process.exit(code), 2000).unref();
