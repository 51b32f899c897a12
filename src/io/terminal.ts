/**
 * Terminal policy in one place: data goes to stdout, everything else (progress, prompts, hints,
 * warnings) to stderr. Colour only when stderr is a TTY and neither NO_COLOR nor --no-color says
 * otherwise; FORCE_COLOR forces it. Interactive only when stdin and stdout are TTYs and
 * --non-interactive was not given.
 */
import { Chalk } from 'chalk';
import { safeForTerminal } from './sanitize.js';
import { wrapText } from './wrap.js';

export interface Streams {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface TerminalOptions {
  color?: boolean | undefined;
  nonInteractive?: boolean | undefined;
  debug?: boolean | undefined;
  /** --verbose: say how each passing check was proven. */
  verbose?: boolean | undefined;
  env: Record<string, string | undefined>;
  /** How the user ran this CLI ("node bin/kendis-jira.js" from a clone): commands shown to type use it. */
}

type Paint = (text: string) => string;

export interface Palette {
  bold: Paint;
  dim: Paint;
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
}

/** The colours, from chalk at the level this terminal's policy allows (0: none). */
function palette(enabled: boolean): Palette {
  const chalk = new Chalk({ level: enabled ? 1 : 0 });
  return { bold: chalk.bold, dim: chalk.dim, red: chalk.red, green: chalk.green, yellow: chalk.yellow, cyan: chalk.cyan };
}

export function colorEnabled(stream: { isTTY?: boolean }, options: TerminalOptions): boolean {
  if (options.color === false) return false;
  const force = options.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  if (options.env.NO_COLOR !== undefined && options.env.NO_COLOR !== '') return false;
  if (options.env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

export class Terminal {
  readonly streams: Streams;
  readonly interactive: boolean;
  readonly color: boolean;
  readonly debugEnabled: boolean;
  readonly verbose: boolean;
  /** Something was written to stderr already. */
  private printed = false;
  readonly paint: Palette;
  /** Colours for stdout, decided by stdout itself: a report redirected to a file gets none. */
  readonly outPaint: Palette;
  private readonly env: Record<string, string | undefined>;

  constructor(streams: Streams, options: TerminalOptions) {
    this.streams = streams;
    this.env = options.env;
    this.interactive = !options.nonInteractive && Boolean(streams.stdin.isTTY) && Boolean(streams.stdout.isTTY);
    this.color = colorEnabled(streams.stderr, options);
    this.paint = palette(this.color);
    this.outPaint = palette(colorEnabled(streams.stdout, options));
    this.debugEnabled = Boolean(options.debug);
    this.verbose = Boolean(options.verbose || options.debug);
  }

  /**
   * Whether a live spinner may be drawn: stderr is a TTY with a real size and TERM is not `dumb`.
   * A terminal that reports 0 columns (`script`, some CI runners, `docker -t`) made the spinner
   * redraw forever; there, and anywhere else, progress is one plain line.
   */
  get animated(): boolean {
    const stderr = this.streams.stderr as { isTTY?: boolean; columns?: number };
    return Boolean(stderr.isTTY) && (stderr.columns ?? 0) > 0 && this.env.TERM !== 'dumb' && this.color;
  }

  /** Data: stdout only. */
  out(text = ''): void {
    const safe = safeForTerminal(text);
    this.streams.stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
  }

  /** A JSON document on stdout; every command it names reads as this user types it, as on stderr. */
  json(value: unknown): void {
    this.out(JSON.stringify(value, undefined, 2));
  }

  /**
   * The width text is fitted to: the terminal's, when stderr is one that knows its size; undefined
   * (no wrapping) for a pipe or a file, so logs keep one line per message.
   */
  get width(): number | undefined {
    const stderr = this.streams.stderr as { isTTY?: boolean; columns?: number };
    return stderr.isTTY && (stderr.columns ?? 0) > 0 ? stderr.columns : undefined;
  }

  /** Everything for humans: stderr, wrapped to the terminal. Nothing written here can steer the terminal (io/sanitize.ts). */
  err(text = ''): void {
    this.printed = true;
    const safe = wrapText(safeForTerminal(text), this.width);
    this.streams.stderr.write(safe.endsWith('\n') ? safe : `${safe}\n`);
  }

  /** A line to copy whole (a URL, the one-line scope list): on its own line, never wrapped. */
  copyLine(text: string): void {
    const safe = safeForTerminal(text);
    this.streams.stderr.write(`${safe}\n`);
  }

  info(text: string): void {
    this.err(text);
  }

  success(text: string): void {
    this.err(`${this.paint.green('✔')} ${text}`);
  }

  warn(text: string): void {
    this.err(`${this.paint.yellow('!')} ${text}`);
  }

  failure(text: string): void {
    this.err(`${this.paint.red('✖')} ${text}`);
  }

  hint(text: string): void {
    this.err(`  ${this.paint.dim(text)}`);
  }

  heading(text: string): void {
    // A blank line before a heading, except the first thing printed.
    if (this.printed) this.err('');
    this.err(this.paint.bold(text));
  }

  /** A URL printed on its own line so it can be copied (and clicked in most terminals); never wrapped. */
  url(text: string): void {
    this.copyLine(`  ${this.paint.cyan(text)}`);
  }

  debug(text: string): void {
    if (this.debugEnabled) this.err(this.paint.dim(`[debug] ${text}`));
  }

  /**
   * Run `work` while showing progress. On a TTY a spinner (ora, loaded lazily); otherwise one
   * plain line, so logs stay readable.
   */
  async task<T>(text: string, work: () => Promise<T>): Promise<T> {
    if (!this.animated) {
      this.err(`… ${text}`);
      return work();
    }
    const { default: ora } = await import('ora');
    const spinner = ora({ text, stream: this.streams.stderr as NodeJS.WriteStream, discardStdin: false }).start();
    try {
      const result = await work();
      spinner.stop();
      return result;
    } catch (error) {
      spinner.stop();
      throw error;
    }
  }
}
