/** zod schemas for every Atlassian answer this CLI reads. Unknown fields are allowed (Atlassian adds them). */
import { z } from 'zod';

export const TenantInfoSchema = z.object({ cloudId: z.string().min(1) });

export const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().optional(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
  refresh_token: z.string().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

export const OAuthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export const AccessibleResourcesSchema = z.array(
  z.object({ id: z.string(), name: z.string().optional(), url: z.string(), scopes: z.array(z.string()).default([]), avatarUrl: z.string().optional() }),
);
export type AccessibleResource = z.infer<typeof AccessibleResourcesSchema>[number];

export const MeSchema = z.object({ account_id: z.string(), email: z.string().optional(), name: z.string().optional() });

export const MyselfSchema = z.object({
  accountId: z.string(),
  emailAddress: z.string().optional(),
  displayName: z.string().optional(),
  active: z.boolean().optional(),
});
export type Myself = z.infer<typeof MyselfSchema>;
