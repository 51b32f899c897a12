/** Drive the real binary in a pseudo-terminal: wait for text, type keys. */
import { spawn, type IPty } from '@lydell/node-pty';
import { BIN } from './cli.js';
import { TEST_KEYCHAIN_ENV } from './test-keychain.js';

// Strip ANSI escapes so waits can match plain text.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[()][AB0-2]|\u001b[=>]/g;

export class PtySession {
  private readonly pty: IPty;
  private buffer = '';
  private consumed = 0;
  exitCode: number | undefined;
  private readonly exited: Promise<number>;

  constructor(args: string[], env: Record<string, string>) {
    this.pty = spawn(process.execPath, [BIN, ...args], { name: 'xterm-256color', cols: 160, rows: 50, env: { ...TEST_KEYCHAIN_ENV, ...env } });
    this.pty.onData((d) => (this.buffer += d));
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode }) => resolve((this.exitCode = exitCode))));
  }

  /** Everything the program wrote, escape sequences included. */
  get raw(): string {
    return this.buffer;
  }

  get text(): string {
    return this.buffer.replace(ANSI, '');
  }

  /** Wait until `pattern` appears after the last match. */
  async waitFor(pattern: string | RegExp, timeoutMs = 20_000): Promise<void> {
    const started = Date.now();
    for (;;) {
      const rest = this.text.slice(this.consumed);
      const index = typeof pattern === 'string' ? rest.indexOf(pattern) : rest.search(pattern);
      if (index >= 0) {
        this.consumed += index + 1;
        return;
      }
      if (this.exitCode !== undefined) throw new Error(`exited (${this.exitCode}) before "${String(pattern)}":\n${this.text.slice(-3000)}`);
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for "${String(pattern)}":\n${this.text.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  type(text: string): void {
    this.pty.write(text);
  }

  async answer(pattern: string | RegExp, keys: string): Promise<void> {
    await this.waitFor(pattern);
    await new Promise((r) => setTimeout(r, 60));
    this.type(keys);
  }

  async exit(timeoutMs = 30_000): Promise<number> {
    return Promise.race([
      this.exited,
      new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`no exit:\n${this.text.slice(-3000)}`)), timeoutMs)),
    ]);
  }

  kill(): void {
    if (this.exitCode === undefined) this.pty.kill();
  }
}
