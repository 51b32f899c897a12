/**
 * A setup's last write, as one transaction: the profile's verified secrets and its settings always
 * belong together, even if the process dies between two writes, so re-running setup on an existing
 * profile never leaves new secrets under old settings.
 *
 *   1. the finished profile waits in the progress record ("committing")
 *   2. the verified secrets (also in the staging entries) go to the profile's own accounts
 *   3. the profile is written and the progress record removed
 *   4. the staging entries are deleted
 *
 * The next command that loads the profile finds a record left at 1 or 2 and finishes it from the
 * staging entries (finishInterruptedSetup). Rotation and this commit share the profile's lock.
 */
import type { Deps } from '../deps.js';
import type { Profile } from '../config/schema.js';
import { withProfileLock } from '../config/lock.js';
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

export async function commitProfile(ctx: WizardContext, draft: Profile, lastSuccessfulTest: string): Promise<void> {
  const { deps, profile: name } = ctx;
  await withProfileLock(deps.config, name, async () => {
    await assertReplaceable(ctx, draft);
    const config = await deps.config.update((c) => {
      const previous = c.profiles[name];
      const progress = c.progress[name] ?? { step: 0, answers: answersToRecord(ctx.answers), updatedAt: deps.now().toISOString() };
      c.progress[name] = { ...progress, committing: { ...draft, createdAt: previous?.createdAt ?? draft.createdAt, lastSuccessfulTest } };
    });
    deps.faultPoint?.('setup-committing');
    for (const kind of kindsOf(draft)) {
      const value = ctx.secrets[kind];
      if (value === undefined) throw new Error(`internal: the verified ${kind} is missing at the commit`);
      await ctx.backend.set(accountFor(name, kind), value);
    }
    deps.faultPoint?.('setup-stored');
    const committed = config.progress[name]?.committing;
    await deps.config.update((c) => {
      if (committed) c.profiles[name] = committed;
      delete c.progress[name];
    });
  });
  for (const kind of kindsOf(draft)) await ctx.backend.delete(stagingAccountFor(name, kind)).catch(() => false);
}

/**
 * A setup that died during its commit: its secrets are in the staging entries and its profile in
 * the progress record, all verified. Finish it, so the profile's settings and secrets agree.
 * Returns the profile, or undefined when there was nothing to finish (or it cannot be finished).
 */
export async function finishInterruptedSetup(deps: Deps, name: string, backendFor: (storage: Profile['storage']) => SecretBackend): Promise<Profile | undefined> {
  const committing = (await deps.config.load()).progress[name]?.committing;
  if (!committing) return undefined;
  return withProfileLock(deps.config, name, async () => {
    const backend = backendFor(committing.storage);
    for (const kind of kindsOf(committing)) {
      const staged = await backend.get(stagingAccountFor(name, kind));
      // Step 2 may have stored it already (and step 4 never runs before step 3): missing means done.
      if (staged !== null) await backend.set(accountFor(name, kind), staged);
      else if ((await backend.get(accountFor(name, kind))) === null) return undefined;
    }
    await deps.config.update((c) => {
      c.profiles[name] = committing;
      delete c.progress[name];
    });
    for (const kind of kindsOf(committing)) await backend.delete(stagingAccountFor(name, kind)).catch(() => false);
    deps.io.info(`Finished an interrupted setup: profile "${name}" is saved (${committing.site}).`);
    return committing;
  });
}
