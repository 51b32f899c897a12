/** The profile the wizard is building, from its answers (for the checks before it is saved). */
import type { Profile } from '../config/schema.js';
import type { Have, WizardContext } from './context.js';

export type DraftNeeds = 'site' | 'cloudId' | 'email' | 'clientId' | 'callbackUrl' | 'redirectUri';

export function draftProfile(ctx: WizardContext, have: Have<DraftNeeds>, tokenExpires: string): Profile {
  const now = ctx.deps.now().toISOString();
  return {
    site: have.site,
    cloudId: have.cloudId,
    email: have.email,
    endpoints: ctx.target.endpoints,
    ...ctx.target.profileFields,
    ...(ctx.answers.appId ? { appId: ctx.answers.appId } : {}),
    clientId: have.clientId,
    callbackUrl: have.callbackUrl,
    redirectUri: have.redirectUri,
    token: { expiresOn: tokenExpires, storedAt: now },
    storage: ctx.backend.location,
    createdAt: now,
    updatedAt: now,
  };
}

/** A user's own-token profile (no OAuth app). */
export function draftUserProfile(ctx: WizardContext, have: Have<'site' | 'cloudId' | 'email'>, tokenExpires: string): Profile {
  const now = ctx.deps.now().toISOString();
  return {
    kind: 'user',
    site: have.site,
    cloudId: have.cloudId,
    email: have.email,
    endpoints: ctx.target.endpoints,
    ...ctx.target.profileFields,
    token: { expiresOn: tokenExpires, storedAt: now },
    storage: ctx.backend.location,
    createdAt: now,
    updatedAt: now,
  };
}
