/**
 * Command-line options: commander reads them (program.ts: flags, `choices`, repeatable values via
 * `argParser`); one plain function per command turns what it read into that command's typed
 * options, applying each default (from DEFAULTS, declared once). The first bad value or combination
 * is a usage error (exit 2) in one sentence, with the next step, before anything else happens.
 */
import { UsageError } from '../errors.js';
import { parseRedirectUri } from '../auth/callback-server.js';
import { DEFAULTS } from './defaults.js';

/** What is wrong with a value: a sentence, or a sentence and the next step. */
export type Problem = string | { message: string; hint?: string };

/** A value's check: its problem, or undefined when it is fine. */
export type Check = (value: string) => Problem | undefined;

/** What commander read: strings, switches (true, or false for --no-x), arrays of repeated values. */
export type RawOptions = Record<string, unknown>;

function fail(problem: Problem): never {
  const { message, hint } = typeof problem === 'string' ? { message: problem, hint: undefined } : problem;
  throw new UsageError(message, hint);
}

/** A rule between options: refused when `broken`, with its problem. */
export function refuse(broken: boolean, problem: Problem): void {
  if (broken) fail(problem);
}

/** A problem found by a check of several options together, if there is one. */
export function refuseIfAny(problem: Problem | undefined): void {
  if (problem !== undefined) fail(problem);
}

/** A check written as a function that throws a UsageError (e.g. the redirect URI parser). */
export function thrown(fn: (value: string) => unknown): Check {
  return (value) => {
    try {
      fn(value);
      return undefined;
    } catch (error) {
      if (error instanceof UsageError) return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
      throw error;
    }
  };
}

/** A text option: absent stays undefined; given, it must pass its check. */
export function text(raw: unknown, check: Check = () => undefined): string | undefined {
  if (raw === undefined) return undefined;
  const value = String(raw);
  const problem = check(value);
  if (problem !== undefined) fail(problem);
  return value;
}

/** A whole number from min to max (digits only: no hex, exponents, signs, spaces or decimals); undefined when not given. */
export function wholeNumber(raw: unknown, what: string, p: { min: number; max: number; kind: string }): number | undefined {
  if (raw === undefined) return undefined;
  const typed = String(raw);
  const n = /^\d{1,9}$/.test(typed) ? Number(typed) : Number.NaN;
  if (n >= p.min && n <= p.max) return n;
  return fail(`${what} must be ${p.kind} from ${p.min} to ${p.max} (got ${typed}).`);
}

/** A switch: true when given. */
export const on = (raw: unknown): boolean => raw === true;

/** A --no-x switch: true unless turned off. */
export const unlessOff = (raw: unknown): boolean => raw !== false;

/** A switch whose absence means "not said" (undefined). */
export const said = (raw: unknown): boolean | undefined => (raw === undefined ? undefined : raw === true);

/** Repeated values commander collected (its argParser checked each). */
export const list = (raw: unknown): string[] | undefined => (Array.isArray(raw) ? raw.map(String) : undefined);

/** Options more than one command takes. */
export const redirectUriCheck: Check = thrown(parseRedirectUri);

export function oauthTimeoutSeconds(raw: unknown): number {
  return wholeNumber(raw, '--oauth-timeout', { min: 5, max: 3600, kind: 'a whole number of seconds' }) ?? DEFAULTS.oauthTimeoutSeconds;
}
