/** zod schemas for every Atlassian answer this CLI reads. Unknown fields are allowed (Atlassian adds them). */
import * as z from 'zod/mini';

/** A cloud id is a UUID: anything else (an escape sequence, a fake line) is not Atlassian's answer. */
export const TenantInfoSchema = z.object({ cloudId: z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)) });

export const TokenResponseSchema = z.object({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.optional(z.number()),
  scope: z.optional(z.string()),
  token_type: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

export const OAuthErrorSchema = z.object({ error: z.string(), error_description: z.optional(z.string()) });

export const AccessibleResourcesSchema = z.array(
  z.object({ id: z.string(), name: z.optional(z.string()), url: z.string(), scopes: z._default(z.array(z.string()), []), avatarUrl: z.optional(z.string()) }),
);
export type AccessibleResource = z.infer<typeof AccessibleResourcesSchema>[number];

export const MeSchema = z.object({ account_id: z.string(), email: z.optional(z.string()), name: z.optional(z.string()) });

export const MyselfSchema = z.object({
  accountId: z.string(),
  emailAddress: z.optional(z.string()),
  displayName: z.optional(z.string()),
  active: z.optional(z.boolean()),
});
export type Myself = z.infer<typeof MyselfSchema>;

export const MyPermissionsSchema = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean() })),
});
