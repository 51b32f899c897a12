/** The profile the wizard is building, from its answers (for the checks before it is saved). */
import type { Profile } from '../config/schema.js';
import type { WizardContext } from './context.js';

export function draftProfile(ctx: WizardContext): Profile {
  const a = ctx.answers;
  const now = ctx.deps.now().toISOString();
  return {
    site: a.site!,
    cloudId: a.cloudId!,
    email: a.email!,
    endpoints: ctx.endpoints,
    ...(ctx.options.sandbox ? { sandbox: true } : {}),
    ...(a.appId ? { appId: a.appId } : {}),
    clientId: a.clientId ?? 'unknown',
    callbackUrl: a.callbackUrl ?? 'https://kendis.invalid/',
    redirectUri: a.redirectUri ?? ctx.options.redirectUri,
    token: { expiresOn: a.tokenExpires ?? '1970-01-01', storedAt: now },
    storage: a.storage === 'file' ? 'file' : 'keychain',
    createdAt: now,
    updatedAt: now,
  };
}
