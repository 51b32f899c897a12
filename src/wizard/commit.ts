/**
 * A setup's last write, as one transaction: the profile's verified secrets and its settings always
 * belong together, even if the process dies, or a keychain write fails, between two writes — so
 * re-running setup on an existing profile never leaves new secrets under old settings.
 *
 *   1. the finished profile waits in the progress record ("committing"), with a salted digest of
 *      each verified secret (never the secret itself)
 *   2. the verified secrets (also in the staging entries) go to the profile's own accounts
 *   3. the profile is written and the progress record removed
 *   4. the staging entries are deleted
 *
 * A record left at 1 or 2 is finished by the next command (finishInterruptedSetup) only with
 * secrets whose digests match — from the staging entries, or already in the accounts — so a later
 * run's staging entries can never be mixed in; a record that cannot be finished is dropped and
 * nothing is written. Rotation and this commit share the profile's lock.
 */
import { createHash } from 'node:crypto';
import type { Deps } from '../deps.js';
import type { Profile } from '../config/schema.js';
import { withProfileLock } from '../config/lock.js';
import { profileFlagFor } from '../config/profile-name.js';
import { accountFor, stagingAccountFor, type SecretBackend, type SecretKind } from '../secrets/backend.js';
import { answersToRecord } from './answers.js';
import { assertReplaceable } from './draft.js';
import type { WizardContext } from './context.js';

/** Named points in the sequence, where the crash tests kill the real binary. */
export const SETUP_COMMIT_POINTS = ['setup-committing', 'setup-stored'] as const;

/** The kinds of secret a profile holds. */
function kindsOf(profile: Profile): SecretKind[] {
  return profile.kind === 'user' ? ['api-token'] : ['client-secret', 'api-token'];
}

function digest(salt: string, value: string): string {
  return createHash('sha256').update(salt).update('\0').update(value).digest('hex');
}

export async function commitProfile(ctx: WizardContext, draft: Profile, lastSuccessfulTest: string): Promise<void> {
  const { deps, profile: name } = ctx;
  const kinds = kindsOf(draft);
  const values = new Map<SecretKind, string>();
  for (const kind of kinds) {
    const value = ctx.secrets[kind];
    if (value === undefined) throw new Error(`internal: the verified ${kind} is missing at the commit`);
    values.set(kind, value);
  }
  const salt = deps.randomBytes(16).toString('hex');
  await withProfileLock(deps.config, name, async () => {
    await assertReplaceable(ctx, draft);
    const config = await deps.config.update((c) => {
      const previous = c.profiles[name];
      const progress = c.progress[name] ?? { step: 0, answers: answersToRecord(ctx.answers), updatedAt: deps.now().toISOString() };
      const profile = { ...draft, createdAt: previous?.createdAt ?? draft.createdAt, lastSuccessfulTest };
      c.progress[name] = { ...progress, committing: { profile, salt, digests: Object.fromEntries([...values].map(([kind, value]) => [kind, digest(salt, value)])) } };
    });
    deps.faultPoint?.('setup-committing');
    for (const [kind, value] of values) await ctx.backend.set(accountFor(name, kind), value);
    deps.faultPoint?.('setup-stored');
    const committed = config.progress[name]?.committing?.profile;
    await deps.config.update((c) => {
      if (committed) c.profiles[name] = committed;
      delete c.progress[name];
    });
    ctx.committed = true;
    for (const kind of kinds) await ctx.backend.delete(stagingAccountFor(name, kind)).catch(() => false);
  });
}

/** A commit is under way or was interrupted for this profile (its staging entries must be kept). */
export async function commitPending(deps: Pick<Deps, 'config'>, name: string): Promise<boolean> {
  return Boolean((await deps.config.load()).progress[name]?.committing);
}

/**
 * A setup that died (or failed to write a secret) during its commit: finish it, so the profile's
 * settings and secrets agree — with the verified secrets only, found by their digests. Returns the
 * profile written, or undefined when there was nothing to finish or it could not be finished.
 */
export async function finishInterruptedSetup(deps: Deps, name: string, backendFor: (storage: Profile['storage']) => SecretBackend): Promise<Profile | undefined> {
  if (!(await commitPending(deps, name))) return undefined;
  return withProfileLock(deps.config, name, async () => {
    // Read again under the lock: another command may have finished it meanwhile.
    const record = (await deps.config.load()).progress[name]?.committing;
    if (!record) return undefined;
    const backend = backendFor(record.profile.storage);
    const fromStaging = new Map<SecretKind, string>();
    for (const kind of kindsOf(record.profile)) {
      const wanted = record.digests[kind];
      const staged = await backend.get(stagingAccountFor(name, kind));
      if (wanted !== undefined && staged !== null && digest(record.salt, staged) === wanted) {
        fromStaging.set(kind, staged);
        continue;
      }
      const current = await backend.get(accountFor(name, kind));
      if (wanted !== undefined && current !== null && digest(record.salt, current) === wanted) continue;
      // The verified secret is gone: nothing can be finished. Drop the record, write nothing.
      await deps.config.update((c) => {
        const progress = c.progress[name];
        if (progress) delete progress.committing;
      });
      deps.io.warn(`An interrupted setup of profile "${name}" could not be finished (its verified secrets are gone): run \`${deps.cli} setup${profileFlagFor(name)}\` again.`);
      return undefined;
    }
    for (const [kind, value] of fromStaging) await backend.set(accountFor(name, kind), value);
    await deps.config.update((c) => {
      c.profiles[name] = record.profile;
      delete c.progress[name];
    });
    for (const kind of kindsOf(record.profile)) await backend.delete(stagingAccountFor(name, kind)).catch(() => false);
    deps.io.info(`Finished an interrupted setup: profile "${name}" is saved (${record.profile.site}).`);
    return record.profile;
  });
}
