/**
 * The config file's schema (non-secret data only). Versioned: a file written by a newer
 * kendis-jira is refused, never rewritten.
 */
import { z } from 'zod';

export const CONFIG_VERSION = 1;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2027-01-31');

export const EndpointsSchema = z.object({
  auth: z.string().url(),
  api: z.string().url(),
});
export type Endpoints = z.infer<typeof EndpointsSchema>;

export const ProfileSchema = z.object({
  site: z.string().url(),
  cloudId: z.string().min(1),
  email: z.string().min(3),
  endpoints: EndpointsSchema,
  /** Set up against the built-in sandbox: later commands start it again. */
  sandbox: z.boolean().optional(),
  appId: z.string().optional(),
  clientId: z.string().min(1),
  callbackUrl: z.string().url(),
  redirectUri: z.string().url(),
  token: z.object({
    expiresOn: isoDate,
    storedAt: z.string().optional(),
  }),
  /** Where the two secrets live. */
  storage: z.enum(['keychain', 'file']),
  lastSuccessfulTest: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Profile = z.infer<typeof ProfileSchema>;

/** Saved wizard progress: what the user already answered (never a secret). */
export const ProgressSchema = z.object({
  step: z.number().int().min(0).max(8),
  answers: z.record(z.string(), z.string()),
  updatedAt: z.string(),
});
export type Progress = z.infer<typeof ProgressSchema>;

export const ConfigFileSchema = z.object({
  version: z.literal(CONFIG_VERSION),
  profiles: z.record(z.string(), ProfileSchema),
  progress: z.record(z.string(), ProgressSchema).default({}),
});
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export function emptyConfig(): ConfigFile {
  return { version: CONFIG_VERSION, profiles: {}, progress: {} };
}

export { PROFILE_NAME } from './profile-name.js';
