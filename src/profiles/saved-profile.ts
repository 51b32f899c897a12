/** Shared by the commands that work on a saved profile: load it, its secrets, its expiry warning. */
import { typed } from '../io/typed.js';
import { NotConfiguredError } from '../errors.js';
import { profileFlagFor } from '../config/profile-name.js';
import type { Deps } from '../deps.js';
import type { Profile } from '../config/schema.js';
import { SecretStore } from '../secrets/secret-store.js';
import { daysUntil, describeDaysLeft } from '../dates/dates.js';

export async function requireProfile(deps: Deps): Promise<Profile> {
  const config = await deps.config.load();
  const profile = config.profiles[deps.globals.profile];
  if (!profile) throw new NotConfiguredError(deps.globals.profile, Object.keys(config.profiles));
  return profile;
}

export function secretStoreFor(profile: Pick<Profile, 'storage' | 'generation'>, deps: Deps): SecretStore {
  const whereNow = async () => (await deps.config.getProfile(deps.globals.profile))?.generation;
  return new SecretStore(deps.secretBackend(profile.storage), deps.env, deps.globals.profile, profile.generation, whereNow);
}

/** Every command warns on stderr when the active profile's token expires within 30 days. */
export function warnIfTokenExpiring(profile: Profile, deps: Deps): void {
  const days = daysUntil(profile.token.expiresOn, deps.now());
  if (Number.isNaN(days) || days > 30) return;
  deps.io.warn(
    `The scoped API token ${days < 0 ? 'has expired' : 'expires soon'} (${profile.token.expiresOn}, ${describeDaysLeft(days)}). Replace it with \`${typed()} rotate-token${profileFlag(deps)}\`.`,
  );
}

export function profileFlag(deps: Deps): string {
  return profileFlagFor(deps.globals.profile);
}
