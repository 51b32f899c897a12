/**
 * The config file's schema (non-secret data only). Versioned: a file written by a newer
 * kendis-jira is refused, never rewritten.
 */
// zod/mini: the same validation with a fraction of the code to load at start-up.
import * as z from 'zod/mini';
import { PROFILE_NAME as PROFILE_NAME_RE } from './profile-name.js';

export const CONFIG_VERSION = 1;

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2027-01-31'));
// A value in the file is one line of printable text: a control character (an escape sequence, a line
// break) can only have been planted, and would steer the terminal when printed.
const printable = z.regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'printable text on one line');
const nonEmpty = () => z.string().check(z.minLength(1), printable);
const text = () => z.string().check(printable);
const url = () => z.url().check(printable);

export const EndpointsSchema = z.object({
  auth: url(),
  api: url(),
});
export type Endpoints = z.infer<typeof EndpointsSchema>;

/** A generation of a profile's keychain accounts (src/profiles/transaction.ts). */
const generation = z.string().check(z.regex(/^g[0-9a-f]{12}$/, 'a generation like g0123456789ab'));
const storage = z.enum(['keychain', 'file']);

const commonProfile = {
  site: url(),
  cloudId: nonEmpty(),
  email: z.string().check(z.minLength(3), printable),
  endpoints: EndpointsSchema,
  /** Set up against the built-in sandbox: later commands start it again. */
  sandbox: z.optional(z.boolean()),
  token: z.object({
    expiresOn: isoDate,
    storedAt: z.optional(z.string()),
  }),
  /**
   * Set only between two moves of a change (src/profiles/transaction.ts): the secrets are under
   * `<profile>:<generation>:<kind>`, not yet back on `<profile>:<kind>`.
   */
  generation: z.optional(generation),
  /** Jira project keys of the Kendis boards: the Jira permissions are checked there exactly (optional). */
  projects: z.optional(z.array(z.string().check(z.regex(/^[A-Z][A-Z0-9_]{0,254}$/, 'a Jira project key')))),
  /** Where the secrets live. */
  storage,
  lastSuccessfulTest: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
};

/** The organisation's ALM account (the admin, once): the OAuth app and the scoped token. */
export const AlmProfileSchema = z.object({
  kind: z.optional(z.literal('alm-account')),
  ...commonProfile,
  appId: z.optional(text()),
  clientId: nonEmpty(),
  callbackUrl: url(),
  redirectUri: url(),
});

/** One Kendis user's own scoped token (Kendis: "Jira Scope-Based API Authentication for Individual Users"). */
export const UserProfileSchema = z.object({
  kind: z.literal('user'),
  ...commonProfile,
});

export const ProfileSchema = z.union([UserProfileSchema, AlmProfileSchema]);
export type AlmProfile = z.infer<typeof AlmProfileSchema>;
export type UserProfile = z.infer<typeof UserProfileSchema>;
export type ProfileKind = 'alm-account' | 'user';

export function profileKind(profile: { kind?: ProfileKind | undefined }): ProfileKind {
  return profile.kind ?? 'alm-account';
}

export type Profile = z.infer<typeof ProfileSchema>;

/** Saved wizard progress: what the user already answered (never a secret). */
export const ProgressSchema = z.object({
  step: z.int().check(z.gte(0), z.lte(8)),
  answers: z.record(z.string(), text()),
  updatedAt: z.string(),
  /** Where the secrets this setup verified so far wait (so a resume does not ask again). */
  staged: z.optional(z.object({ generation, storage })),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const LeftoverSchema = z.object({
  profile: z.string().check(z.regex(PROFILE_NAME_RE, 'a profile name')),
  storage,
  generation: z.optional(generation),
});
export type Leftover = z.infer<typeof LeftoverSchema>;

export const ConfigFileSchema = z.object({
  version: z.literal(CONFIG_VERSION),
  // The names too: a name from the file reaches printed commands and completion scripts.
  profiles: z.record(z.string().check(z.regex(PROFILE_NAME_RE, 'a profile name')), ProfileSchema),
  progress: z._default(z.record(z.string(), ProgressSchema), {}),
  /** Generations a change wrote or left behind: deleted by the next command once nothing points at them. */
  leftovers: z._default(z.array(LeftoverSchema), []),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export function emptyConfig(): ConfigFile {
  return { version: CONFIG_VERSION, profiles: {}, progress: {}, leftovers: [] };
}

export { PROFILE_NAME } from './profile-name.js';
