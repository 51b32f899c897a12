/**
 * What the wizard has learnt so far: typed, never a secret, saved as progress after each step
 * and read back (validated) on resume.
 */
import * as z from 'zod/mini';
import { TARGET_KINDS } from '../targets/target.js';

export const CallbackModeSchema = z.enum(['both', 'switch', 'skip']);
export type CallbackMode = z.infer<typeof CallbackModeSchema>;

export const AnswersSchema = z.object({
  site: z.optional(z.string()),
  cloudId: z.optional(z.string()),
  email: z.optional(z.string()),
  appId: z.optional(z.string()),
  callbackUrl: z.optional(z.string()),
  callbackMode: z.optional(CallbackModeSchema),
  clientId: z.optional(z.string()),
  oauthVerified: z.optional(z.literal('yes')),
  tokenExpires: z.optional(z.string()),
  redirectUri: z.optional(z.string()),
  /** Jira project keys of the Kendis boards, comma-separated ('' when the user skipped the question). */
  projects: z.optional(z.string()),
  storage: z.optional(z.enum(['keychain', 'file'])),
  /** Which kind of profile is being set up: the organisation's ALM account, or a user's own token. */
  kind: z.optional(z.enum(['alm-account', 'user'])),
  /** Which target (src/targets/target.ts) the progress belongs to. */
  target: z.optional(z.enum(TARGET_KINDS)),
});
export type Answers = z.infer<typeof AnswersSchema>;

/** Saved progress back into answers; anything that does not parse is dropped, not trusted. */
export function answersFrom(saved: Record<string, string> | undefined): Answers | undefined {
  const parsed = AnswersSchema.safeParse(saved ?? {});
  return parsed.success ? parsed.data : undefined;
}

/** The answers as the progress record stores them (strings only, nothing undefined). */
export function answersToRecord(answers: Answers): Record<string, string> {
  return Object.fromEntries(Object.entries(answers).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
