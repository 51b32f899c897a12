/**
 * Swapping a verified API token in, as one transaction: the token in the keychain and its expiry
 * date in config.json always belong together, even if the process dies between two writes or
 * another rotate-token runs at the same time.
 *
 *   1. config.json records the rotation as pending (the new expiry date)
 *   2. the new token goes to the rotation account   (<profile>:rotate:api-token)
 *   3. the new token replaces the profile's token   (<profile>:api-token) — one atomic write
 *   4. config.json takes the new expiry, the pending record marked applied
 *   5. the rotation account is deleted
 *   6. the pending record is removed
 *
 * A crash before 3 leaves the old token with the old expiry; from 3 on, the new pair. The next
 * command that loads the profile sees a pending record and finishes or drops it: after step 3 the
 * profile's token equals the rotation account's. The whole sequence runs under one lock, so
 * concurrent rotations do not interleave, and a rotation that finds another stored a token since
 * it read the profile stores nothing (the other token is kept, as it was reported stored).
 */
import type { Deps } from '../deps.js';
import type { Profile } from '../config/schema.js';
import { withProfileLock } from '../config/lock.js';
import { CliError } from '../errors.js';
import { profileFlagFor } from '../config/profile-name.js';
import { accountFor, rotationAccountFor, type SecretBackend } from '../secrets/backend.js';

/** Named points in the sequence, where the crash tests kill the real binary. */
export type RotationPoint = 'verified' | 'pending' | 'staged' | 'stored' | 'applied' | 'cleaned';
export const ROTATION_POINTS: readonly RotationPoint[] = ['verified', 'pending', 'staged', 'stored', 'applied', 'cleaned'];

function reached(deps: Deps, point: RotationPoint): void {
  deps.faultPoint?.(point);
}

/** The same profile as when the token was verified: same site, account and last setup. */
function sameProfile(a: Profile | undefined, b: Profile): a is Profile {
  return a !== undefined && a.site === b.site && a.cloudId === b.cloudId && a.email === b.email && a.updatedAt === b.updatedAt && (a.kind ?? 'alm-account') === (b.kind ?? 'alm-account');
}

/** The same stored token as when the new one was verified: no other rotation stored one since. */
function sameToken(a: Profile['token'], b: Profile['token']): boolean {
  return a.expiresOn === b.expiresOn && a.storedAt === b.storedAt;
}

export async function swapInToken(p: { deps: Deps; backend: SecretBackend; profile: string; token: string; expiresOn: string; verifiedFor: Profile }): Promise<string> {
  const { deps, backend, profile } = p;
  reached(deps, 'verified');
  return withProfileLock(deps.config, profile, async () => {
    // Verified against the profile as it was: if a setup replaced it meanwhile, this token may not
    // belong to it (another e-mail, another site). Nothing is written then.
    const current = (await deps.config.load()).profiles[profile];
    const hint = `Check the profile with \`${deps.cli} status${profileFlagFor(profile)}\`, then run \`${deps.cli} rotate-token${profileFlagFor(profile)}\` again if it still needs a new token.`;
    if (!sameProfile(current, p.verifiedFor)) {
      throw new CliError(`Profile "${profile}" was set up again while the new token was being checked, so the token was not stored: it was verified for the profile as it was before.`, { hint });
    }
    // Another rotate-token stored its token while this one was checking: that one is kept (it was
    // said to be stored), and this one is not put over it.
    if (!sameToken(current.token, p.verifiedFor.token)) {
      throw new CliError(`Another rotate-token stored a new token for profile "${profile}" (expires ${current.token.expiresOn}) while this one was being checked, so this token was not stored: the other one is kept.`, { hint });
    }
    const storedAt = deps.now().toISOString();
    const setProfile = (change: (token: Profile['token']) => Profile['token']) =>
      deps.config.update((config) => {
        const saved = config.profiles[profile];
        if (saved) saved.token = change(saved.token);
      });
    await setProfile((token) => ({ ...token, pending: { expiresOn: p.expiresOn, storedAt } }));
    reached(deps, 'pending');
    await backend.set(rotationAccountFor(profile), p.token);
    reached(deps, 'staged');
    await backend.set(accountFor(profile, 'api-token'), p.token);
    reached(deps, 'stored');
    await setProfile(() => ({ expiresOn: p.expiresOn, storedAt, pending: { expiresOn: p.expiresOn, storedAt, applied: true } }));
    reached(deps, 'applied');
    await backend.delete(rotationAccountFor(profile)).catch(() => false);
    reached(deps, 'cleaned');
    await setProfile(() => ({ expiresOn: p.expiresOn, storedAt }));
    return storedAt;
  });
}

/**
 * A rotation that was interrupted: finish it if the new token was swapped in, else drop it.
 * Reads the keychain only when a pending record exists (rare).
 */
export async function finishInterruptedRotation(saved: Profile, deps: Deps, backend: SecretBackend): Promise<Profile> {
  const pending = saved.token.pending;
  if (!pending) return saved;
  const name = deps.globals.profile;
  const rotated = await backend.get(rotationAccountFor(name));
  // Applied: only the clean-up was left. Otherwise the swap happened iff the profile's token is the new one.
  const swapped = pending.applied === true || (rotated !== null && (await backend.get(accountFor(name, 'api-token'))) === rotated);
  if (rotated !== null) await backend.delete(rotationAccountFor(name)).catch(() => false);
  const config = await deps.config.update((c) => {
    const p = c.profiles[name];
    if (!p?.token.pending) return;
    const { expiresOn, storedAt } = swapped ? p.token.pending : p.token;
    p.token = { expiresOn, ...(storedAt ? { storedAt } : {}) };
  });
  if (swapped && !pending.applied) deps.io.info(`Finished an interrupted token rotation: the new token (expires ${pending.expiresOn}) is in use.`);
  return config.profiles[name] ?? saved;
}
