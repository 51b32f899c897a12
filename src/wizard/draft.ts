/** The profile the wizard is building, from its answers (for the checks before it is saved). */
import { profileKind, type Profile } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { describeProfileTarget, targetOf } from '../targets/target.js';
import type { Have, WizardContext } from './context.js';

/** The project keys the wizard was given or asked for (answers.projects), for the profile. */
function projectsField(ctx: WizardContext): { projects?: string[] } {
  const keys = (ctx.answers.projects ?? '').split(',').filter(Boolean);
  return keys.length > 0 ? { projects: keys } : {};
}

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
    ...projectsField(ctx),
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
    ...projectsField(ctx),
    token: { expiresOn: tokenExpires, storedAt: now },
    storage: ctx.backend.location,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Just before the commit, under the profile's lock: a profile created meanwhile against the other
 * target (e.g. a real one while a test target ran), or of the other kind (another setup of the same
 * name finished first), is never replaced.
 */
export async function assertReplaceable(ctx: WizardContext, draft: Profile): Promise<void> {
  const existing = await ctx.deps.config.getProfile(ctx.profile);
  if (!existing) return;
  if (targetOf(existing) !== targetOf(draft)) {
    throw new UsageError(
      `Profile "${ctx.profile}" was set up meanwhile against ${describeProfileTarget(existing)}; this run does not replace it.`,
      'Run setup again with another --profile.',
    );
  }
  if (profileKind(existing) !== profileKind(draft)) {
    const words = (p: Profile) => (profileKind(p) === 'user' ? 'a user’s own token' : 'the organisation’s ALM account');
    throw new UsageError(
      `Profile "${ctx.profile}" was set up meanwhile as ${words(existing)}; this run (${words(draft)}) does not replace it, and nothing was saved.`,
      'Run setup again with another --profile for this one.',
    );
  }
}
