/**
 * Command-line options, parsed once, with schemas: each command's schema turns what commander
 * read into that command's typed options, applies each default (from DEFAULTS, declared once) and
 * says in one sentence what is wrong with a value. The first problem becomes a usage error (exit 2)
 * before anything else happens, so a typo costs nothing.
 */
import * as z from 'zod/mini';
import { UsageError } from '../errors.js';
import { parseRedirectUri } from '../auth/callback-server.js';
import { DEFAULTS } from './defaults.js';

/** What is wrong with a value: a sentence, or a sentence and the next step. */
export type Problem = string | { message: string; hint?: string };

/** A value's check: its problem, or undefined when it is fine. */
export type Check = (value: string) => Problem | undefined;

type Ctx = { issues: { code: 'custom'; message: string; input: unknown; params?: Record<string, unknown> }[] };

function report(ctx: Ctx, input: unknown, problem: Problem): typeof z.NEVER {
  const { message, hint } = typeof problem === 'string' ? { message: problem, hint: undefined } : problem;
  ctx.issues.push({ code: 'custom', message, input, params: hint ? { hint } : {} });
  return z.NEVER;
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

const checked = (check: Check) =>
  z.pipe(
    z.string(),
    z.transform((value: string, ctx) => {
      const problem = check(value);
      return problem === undefined ? value : report(ctx as unknown as Ctx, value, problem);
    }),
  );

/** A text option: absent stays undefined; given, it must pass its check. */
export const text = (check: Check = () => undefined) => z.optional(checked(check));

/** A text option with a default (the default is checked like a typed value). */
export const textOr = (fallback: string, check: Check = () => undefined) => z.prefault(checked(check), fallback);

/** A whole number from min to max, with its default; `what` names it and `kind` says what it counts. */
const whole = (what: string, p: { min: number; max: number; kind: string }) =>
  z.pipe(
    z.string(),
    z.transform((raw: string, ctx) => {
      // Digits only: no hex, exponents, signs, spaces or decimals slipping through Number().
      const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
      if (n >= p.min && n <= p.max) return n;
      return report(ctx as unknown as Ctx, raw, `${what} must be ${p.kind} from ${p.min} to ${p.max} (got ${raw}).`);
    }),
  );

export const wholeNumber = (what: string, p: { min: number; max: number; kind: string; fallback: number }) => z.prefault(whole(what, p), String(p.fallback));

/** A whole number that stays undefined when not given (its default applied by the command). */
export const optionalWholeNumber = (what: string, p: { min: number; max: number; kind: string }) => z.optional(whole(what, p));

/** A switch: true when given. */
export const flag = () =>
  z.pipe(
    z.optional(z.boolean()),
    z.transform((v: boolean | undefined) => v === true),
  );

/** A --no-x switch: true unless turned off. */
export const unlessNo = () =>
  z.pipe(
    z.optional(z.boolean()),
    z.transform((v: boolean | undefined) => v !== false),
  );

/** A switch whose absence means "not said" (undefined). */
export const said = () => z.optional(z.boolean());

/** A rule between options: `problem` returns what is wrong with the combination, if anything. */
export function rule<T>(problem: (options: T) => Problem | undefined) {
  return z.superRefine((options: T, ctx) => {
    const found = problem(options);
    if (found !== undefined) report(ctx as unknown as Ctx, options, found);
  });
}

/** Parse commander's options with a command's schema: the typed options, or the first problem (exit 2). */
export function parseOptions<S extends z.ZodMiniType>(schema: S, raw: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data as z.output<S>;
  const issue = result.error.issues[0];
  const hint = (issue as { params?: { hint?: unknown } } | undefined)?.params?.hint;
  // Only our own checks report problems; anything else (a value of the wrong type) is named plainly.
  const message =
    issue?.code === 'custom'
      ? issue.message
      : `--${String(issue?.path[0] ?? 'option').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue?.message ?? 'not a valid value'}.`;
  throw new UsageError(message, typeof hint === 'string' ? hint : undefined);
}

/** Options more than one command takes. */
export const redirectUriCheck: Check = thrown(parseRedirectUri);
export const oauthTimeout = () =>
  wholeNumber('--oauth-timeout', { min: 5, max: 3600, kind: 'a whole number of seconds', fallback: DEFAULTS.oauthTimeoutSeconds });
