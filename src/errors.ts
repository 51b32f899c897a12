import { typed } from './io/typed.js';
import { profileFlagFor } from './config/profile-name.js';

/**
 * Typed errors and the contract's exit codes. Only src/cli.ts turns these into a process exit code;
 * every other module throws one of these with a plain sentence and the next step.
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  notConfigured: 3,
  rotationDue: 4,
  cancelled: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  /** What the user should do next; printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, options: { exitCode?: ExitCodeValue; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? ExitCode.failed;
    this.hint = options.hint;
  }
}

/** Bad usage or invalid input, including a value missing in non-interactive mode (exit 2). */
export class UsageError extends CliError {
  constructor(message: string, hint = `See \`${typed('--help')}\` (or \`${typed('help <command>')}\`) for what each option takes.`) {
    super(message, { exitCode: ExitCode.usage, hint });
  }
}

/** The profile has not been set up (exit 3). */
export class NotConfiguredError extends CliError {
  /** `others`: the profiles that do exist here, so the user sees where they went. */
  constructor(profile: string, others: readonly string[] = [], purpose: 'use' | 'remove' = 'use') {
    const twin = others.find((name) => name.toLowerCase() === profile.toLowerCase());
    const existing = twin
      ? ` Did you mean \`--profile ${twin}\`? Profile names are the same regardless of case.`
      : others.length
        ? ` Profiles here: ${others.map((name) => `"${name}"`).join(', ')} — e.g. \`--profile ${others[0]}\`.`
        : '';
    super(purpose === 'remove' ? `There is no profile "${profile}" to remove.` : `Profile "${profile}" is not set up.`, {
      exitCode: ExitCode.notConfigured,
      hint:
        purpose === 'remove'
          ? existing.trim() || 'Nothing to do.'
          : `Set it up with \`${typed()} setup${profile === 'sandbox' ? ' --sandbox' : profile === 'sandbox-user' ? ' --sandbox --user' : profileFlagFor(profile)}\`.${existing}`,
    });
  }
}

/** The user pressed Ctrl-C or cancelled a prompt (exit 130). */
export class CancelledError extends CliError {
  constructor(hint = 'Nothing half-written was kept; run the command again to continue.') {
    super('Cancelled.', { exitCode: ExitCode.cancelled, hint });
  }
}

/** A check or an operation failed (exit 1); the report was already printed. */
export class ChecksFailedError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.failed, ...(hint ? { hint } : {}) });
  }
}

/** rotate-token --check: rotation is due (exit 4). */
export class RotationDueError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.rotationDue, ...(hint ? { hint } : {}) });
  }
}

import { keychainFix, type KeychainSituation, type KeychainState } from './secrets/keychain-advice.js';

export type { KeychainState } from './secrets/keychain-advice.js';
export { keychainFix } from './secrets/keychain-advice.js';

/** No usable OS keychain (exit 1), with the fix for this platform and this state. */
export class KeychainUnavailableError extends CliError {
  readonly state: KeychainState;
  private readonly reason: string;
  private readonly situation: KeychainSituation;
  constructor(reason: string, situation: KeychainSituation = { platform: process.platform }, cause?: unknown) {
    super(`No usable OS keychain: ${reason}`, { exitCode: ExitCode.failed, hint: keychainFix(situation), ...(cause === undefined ? {} : { cause }) });
    this.state = situation.state ?? 'other';
    this.reason = reason;
    this.situation = situation;
  }

  /** The same error for setup, where --insecure-storage is the other way out (no other command has it). */
  offeringFile(): KeychainUnavailableError {
    return new KeychainUnavailableError(this.reason, { ...this.situation, offerFile: true }, this.cause);
  }
}

/** Render an error for stderr: one sentence, then the next step. */
export function renderError(error: unknown, debug: boolean): string {
  if (error instanceof CliError) {
    const lines = [`✖ ${error.message}`];
    if (error.hint) lines.push(`  ${error.hint}`);
    if (debug && error.cause) lines.push(`  cause: ${describeCause(error.cause)}`);
    if (debug && error.stack) lines.push(error.stack);
    return lines.join('\n');
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`✖ Unexpected error: ${message}`, '  Rerun with --debug for details, and report it if it persists.'];
  if (debug && error instanceof Error && error.stack) lines.push(error.stack);
  return lines.join('\n');
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

export function exitCodeOf(error: unknown): ExitCodeValue {
  return error instanceof CliError ? error.exitCode : ExitCode.failed;
}
