import type { Deps } from '../deps.js';
import { NotConfiguredError } from '../errors.js';

/** A complete profile, or a setup in progress (whose secrets may already be stored). */
export async function requireProfileOrProgress(deps: Deps): Promise<{ site?: string; storage: 'keychain' | 'file' }> {
  const config = await deps.config.load();
  const profile = config.profiles[deps.globals.profile];
  if (profile) return { site: profile.site, storage: profile.storage };
  const progress = config.progress[deps.globals.profile];
  if (progress) {
    const site = progress.answers.site;
    return { ...(site ? { site } : {}), storage: progress.answers.storage === 'file' ? 'file' : 'keychain' };
  }
  throw new NotConfiguredError(deps.globals.profile);
}
