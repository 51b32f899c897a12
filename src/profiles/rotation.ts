/**
 * Swapping a verified API token in: one change of the profile (src/profiles/transaction.ts), so
 * the token in the keychain and its expiry date in config.json always belong together, even if the
 * process dies between two writes. It runs under the profile's lock, so rotations do not
 * interleave; a rotation that finds another stored a token since it read the profile stores nothing
 * (the other token is kept, as it was reported stored) and says so.
 */
import { typed } from '../io/typed.js';
import type { Deps } from '../deps.js';
import type { Profile } from '../config/schema.js';
import { withProfileLock } from '../config/lock.js';
import { CliError } from '../errors.js';
import { profileFlagFor } from '../config/profile-name.js';
import { changeProfile, newGeneration, pointsOf, readGeneration } from './transaction.js';

/** Named points in the sequence, where the crash tests kill the real binary. */
export const ROTATION_POINTS: readonly string[] = ['rotate:verified', ...pointsOf('rotate')];

/** The same profile as when the token was verified: same site, account and last setup. */
function sameProfile(a: Profile | undefined, b: Profile): a is Profile {
  return (
    a !== undefined &&
    a.site === b.site &&
    a.cloudId === b.cloudId &&
    a.email === b.email &&
    a.updatedAt === b.updatedAt &&
    (a.kind ?? 'alm-account') === (b.kind ?? 'alm-account')
  );
}

/** The same stored token as when the new one was verified: no other rotation stored one since. */
function sameToken(a: Profile['token'], b: Profile['token']): boolean {
  return a.expiresOn === b.expiresOn && a.storedAt === b.storedAt;
}

export async function swapInToken(p: { deps: Deps; profile: string; token: string; expiresOn: string; verifiedFor: Profile }): Promise<string> {
  const { deps, profile } = p;
  deps.faultPoint?.('rotate:verified');
  return withProfileLock(deps.config, profile, async () => {
    // Verified against the profile as it was: if a setup replaced it meanwhile, this token may not
    // belong to it (another e-mail, another site). Nothing is written then.
    const current = (await deps.config.load()).profiles[profile];
    const hint = `Check the profile with \`${typed()} status${profileFlagFor(profile)}\`, then run \`${typed()} rotate-token${profileFlagFor(profile)}\` again if it still needs a new token.`;
    if (!sameProfile(current, p.verifiedFor)) {
      throw new CliError(
        `Profile "${profile}" was set up again while the new token was being checked, so the token was not stored: it was verified for the profile as it was before.`,
        { hint },
      );
    }
    // Another rotate-token stored its token while this one was checking: that one is kept (it was
    // said to be stored), and this one is not put over it.
    if (!sameToken(current.token, p.verifiedFor.token)) {
      throw new CliError(
        `Another rotate-token stored a new token for profile "${profile}" (expires ${current.token.expiresOn}) while this one was being checked, so this token was not stored: the other one is kept.`,
        { hint },
      );
    }
    const storedAt = deps.now().toISOString();
    // The new generation holds the profile's whole set: its client secret too.
    const secrets = { ...(await readGeneration(deps, profile, current.storage, current.generation)), 'api-token': p.token };
    await changeProfile(deps, {
      name: profile,
      storage: current.storage,
      to: newGeneration(deps),
      secrets,
      op: 'rotate',
      flip: (config) => {
        const saved = config.profiles[profile];
        if (saved) saved.token = { expiresOn: p.expiresOn, storedAt };
      },
    });
    return storedAt;
  });
}
