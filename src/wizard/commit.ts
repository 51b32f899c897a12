/**
 * A setup's writes, as changes of the profile (src/profiles/transaction.ts):
 *   - each verified secret is staged under the unfinished setup's own generation, recorded in its
 *     progress first (so a resume does not ask again, and logout or --restart finds it);
 *   - the commit flips the profile to that generation with its new settings in one config write,
 *     then the old generation is deleted and the profile settles on the contract's account names.
 * Before the flip the old profile stays whole; after it, the new one is. Nothing to finish later.
 */
import type { Deps } from '../deps.js';
import type { Profile } from '../config/schema.js';
import { withProfileLock } from '../config/lock.js';
import { accountFor, type SecretKind } from '../secrets/backend.js';
import { changeProfile, list, newGeneration, pointsOf, sweep } from '../profiles/transaction.js';
import { answersToRecord } from './answers.js';
import { assertReplaceable } from './draft.js';
import type { WizardContext } from './context.js';

/** Named points, where the crash tests kill the real binary: staging a secret, then the commit. */
export const SETUP_POINTS: readonly string[] = ['stage:recorded', 'stage:written', ...pointsOf('setup')];

/** The kinds of secret a profile holds. */
function kindsOf(profile: Profile): SecretKind[] {
  return profile.kind === 'user' ? ['api-token'] : ['client-secret', 'api-token'];
}

/** Where this setup's verified secrets wait: its progress's generation, recorded before the first is written. */
async function stagingGeneration(ctx: WizardContext): Promise<string> {
  const { deps, profile, backend } = ctx;
  const staged = (await deps.config.load()).progress[profile]?.staged;
  if (staged && staged.storage === backend.location) return staged.generation;
  const generation = newGeneration(deps);
  await deps.config.update((c) => {
    const progress = c.progress[profile] ?? { step: 0, answers: answersToRecord(ctx.answers), updatedAt: deps.now().toISOString() };
    // A generation staged in the other store (a resume that found the keychain usable) is a leftover now.
    if (progress.staged) list(c, { profile, ...progress.staged });
    c.progress[profile] = { ...progress, staged: { generation, storage: backend.location } };
  });
  return generation;
}

/**
 * A secret a step verified, kept for a resume (never before the progress says where). Under the
 * profile's lock: a logout, --restart or another run's commit cannot drop the generation between
 * reading where it is and writing to it (the write would then be nobody's).
 */
export async function stageSecret(ctx: WizardContext, kind: SecretKind, value: string): Promise<void> {
  await withProfileLock(ctx.deps.config, ctx.profile, async () => {
    const generation = await stagingGeneration(ctx);
    ctx.deps.faultPoint?.('stage:recorded');
    await ctx.backend.set(accountFor(ctx.profile, kind, generation), value);
    ctx.deps.faultPoint?.('stage:written');
  });
}

/** A staged secret of this setup, or null. */
export async function stagedSecret(ctx: WizardContext, kind: SecretKind): Promise<string | null> {
  const staged = (await ctx.deps.config.load()).progress[ctx.profile]?.staged;
  if (!staged || staged.storage !== ctx.backend.location) return null;
  return ctx.backend.get(accountFor(ctx.profile, kind, staged.generation));
}

/**
 * This setup's staged secrets are dropped (it stopped without proof, or starts again): its
 * generation becomes a leftover, deleted at once.
 */
export async function discardStaged(deps: Pick<Deps, 'config' | 'secretBackend' | 'faultPoint' | 'io'>, profile: string): Promise<void> {
  const staged = (await deps.config.load()).progress[profile]?.staged;
  if (!staged) return;
  await withProfileLock(deps.config, profile, async () => {
    await deps.config.update((c) => {
      const progress = c.progress[profile];
      if (!progress?.staged) return;
      list(c, { profile, ...progress.staged });
      delete progress.staged;
    });
    await sweep(deps, profile);
  });
}

export async function commitProfile(ctx: WizardContext, draft: Profile, lastSuccessfulTest: string): Promise<void> {
  const { deps, profile: name } = ctx;
  const secrets: Partial<Record<SecretKind, string>> = {};
  for (const kind of kindsOf(draft)) {
    const value = ctx.secrets[kind];
    if (value === undefined) throw new Error(`internal: the verified ${kind} is missing at the commit`);
    secrets[kind] = value;
  }
  await withProfileLock(deps.config, name, async () => {
    await assertReplaceable(ctx, draft);
    const staged = (await deps.config.load()).progress[name]?.staged;
    await changeProfile(deps, {
      name,
      storage: draft.storage,
      to: staged && staged.storage === draft.storage ? staged.generation : newGeneration(deps),
      secrets,
      op: 'setup',
      flip: (c) => {
        const previous = c.profiles[name];
        c.profiles[name] = { ...draft, createdAt: previous?.createdAt ?? draft.createdAt, lastSuccessfulTest };
        delete c.progress[name];
      },
      // From the flip on the profile is saved, whatever happens after.
      flipped: () => {
        ctx.committed = true;
      },
    });
  });
}
