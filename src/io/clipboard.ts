/**
 * Putting a secret on the clipboard — never on stdout or stderr, never in a process argument list
 * (it goes to the clipboard program's stdin). The programs, per platform: pbcopy (macOS), clip.exe
 * (Windows), wl-copy, xclip or xsel (Linux, by session); in an interactive terminal with none of
 * them (over SSH), the terminal's own clipboard through OSC 52. Where the clipboard can be read
 * back, a detached helper clears it after CLEAR_AFTER_S seconds if it still holds the secret.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { openSync, writeSync, closeSync } from 'node:fs';

export const CLEAR_AFTER_S = 45;

export interface ClipboardTool {
  /** What the user is told it went to. */
  name: string;
  write: readonly string[];
  /** Reads it back (to clear it later only if it still holds the secret); undefined when it cannot. */
  read?: readonly string[];
}

/** The clipboard programs to try on this platform and session, in order (pure). */
export function clipboardTools(platform: NodeJS.Platform, env: Record<string, string | undefined>): ClipboardTool[] {
  if (platform === 'darwin') return [{ name: 'the macOS clipboard', write: ['pbcopy'], read: ['pbpaste'] }];
  if (platform === 'win32') {
    return [
      { name: 'the Windows clipboard', write: ['clip.exe'], read: ['powershell.exe', '-NoProfile', '-NonInteractive', '-Command', 'Get-Clipboard -Raw'] },
    ];
  }
  const tools: ClipboardTool[] = [];
  if (env.WAYLAND_DISPLAY) tools.push({ name: 'the clipboard (wl-copy)', write: ['wl-copy'], read: ['wl-paste', '--no-newline'] });
  if (env.DISPLAY) {
    tools.push({ name: 'the clipboard (xclip)', write: ['xclip', '-selection', 'clipboard'], read: ['xclip', '-selection', 'clipboard', '-o'] });
    tools.push({ name: 'the clipboard (xsel)', write: ['xsel', '--clipboard', '--input'], read: ['xsel', '--clipboard', '--output'] });
  }
  return tools;
}

/**
 * The environment for a clipboard program: without the secrets a script may have passed in
 * (xclip and wl-copy stay running while they own the clipboard, their environment readable).
 */
export function withoutSecretVariables(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = { ...env };
  for (const name of Object.keys(copy)) if (/^KENDIS_JIRA_(CLIENT_SECRET|API_TOKEN)$/i.test(name)) delete copy[name];
  return copy;
}

/** Run `command`, giving it `input` on stdin; resolves with its exit code, or undefined when it cannot start. */
function feed(command: readonly string[], input: string, env: Record<string, string | undefined>): Promise<number | undefined> {
  return new Promise((resolve) => {
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { stdio: ['pipe', 'ignore', 'ignore'], env: withoutSecretVariables(env), windowsHide: true });
    child.once('error', () => resolve(undefined));
    child.once('close', (code) => resolve(code ?? undefined));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** The OSC 52 sequence that asks the terminal to put `text` on the system clipboard. */
export function osc52(text: string): string {
  return `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

export type CopyOutcome = { kind: 'copied'; to: string; clearsAfterS: number | undefined } | { kind: 'unavailable'; tried: string[] };

export interface CopyOptions {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** A person at a terminal: OSC 52 may be tried. */
  interactive: boolean;
  /** Where OSC 52 goes (the terminal itself); by default /dev/tty. */
  writeToTerminal?: (sequence: string) => boolean;
  /** Starts the detached clean-up; tests replace it. */
  scheduleClear?: (tool: ClipboardTool, digest: string, seconds: number) => void;
}

function writeToTty(sequence: string): boolean {
  try {
    const fd = openSync('/dev/tty', 'w');
    try {
      writeSync(fd, sequence);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

export function digestOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A detached Node process that waits, reads the clipboard back, and empties it only if it still
 * holds the secret (compared by digest: the secret is never given to it).
 */
export function scheduleClearDetached(tool: ClipboardTool, digest: string, seconds: number): void {
  if (!tool.read) return;
  const script = `
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
let input = '';
process.stdin.on('data', (c) => (input += c));
process.stdin.on('end', () => {
const [read, write, digest, seconds] = JSON.parse(input);
setTimeout(() => {
  const now = spawnSync(read[0], read.slice(1), { encoding: 'utf8', windowsHide: true });
  if (now.status !== 0) return;
  const held = createHash('sha256').update(now.stdout.replace(/\\r?\\n$/, ''), 'utf8').digest('hex');
  if (held === digest) spawnSync(write[0], write.slice(1), { input: '', windowsHide: true });
}, seconds * 1000);
});`;
  // The digest goes on stdin: nothing of the secret, not even its digest, in a process list.
  const child = spawn(process.execPath, ['-e', script], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
    windowsHide: true,
    env: withoutSecretVariables(process.env),
  });
  child.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  child.stdin?.end(JSON.stringify([tool.read, tool.write, digest, seconds]));
  child.unref();
}

/** Put `secret` on the clipboard: the first program that works, else OSC 52 for a person at a terminal. */
export async function copyToClipboard(secret: string, options: CopyOptions): Promise<CopyOutcome> {
  const tried: string[] = [];
  for (const tool of clipboardTools(options.platform, options.env)) {
    tried.push(tool.write[0] as string);
    if ((await feed(tool.write, secret, options.env)) !== 0) continue;
    const clears = tool.read ? CLEAR_AFTER_S : undefined;
    if (clears !== undefined) (options.scheduleClear ?? scheduleClearDetached)(tool, digestOf(secret), clears);
    return { kind: 'copied', to: tool.name, clearsAfterS: clears };
  }
  if (options.interactive && options.platform !== 'win32') {
    tried.push('OSC 52');
    // The terminal itself (over SSH too, when it allows OSC 52); it cannot be read back to clear it.
    if ((options.writeToTerminal ?? writeToTty)(osc52(secret))) return { kind: 'copied', to: 'your terminal’s clipboard (OSC 52)', clearsAfterS: undefined };
  }
  return { kind: 'unavailable', tried };
}

/** The sentence after a copy (no part of the secret in it). */
export function copiedSentence(what: string, outcome: Extract<CopyOutcome, { kind: 'copied' }>): string {
  const clearing =
    outcome.clearsAfterS !== undefined
      ? ` It is cleared in ${outcome.clearsAfterS} s if it is still there.`
      : ' Paste something else over it once it is in Kendis.';
  return `The ${what} is on ${outcome.to}: paste it where it goes.${clearing}`;
}
