/** `kendis-jira logout`: remove a profile's keychain entries and its config entry, nothing else. */
import * as z from 'zod/mini';
import type { Deps } from '../deps.js';
import { flag, parseOptions } from './options.js';
import { CliError, NotConfiguredError, UsageError } from '../errors.js';
import { profileFlagFor } from '../config/profile-name.js';
import { profileKind } from '../config/schema.js';
import { describeProfileTarget } from '../target.js';
import { accountFor, rotationAccountFor, SECRET_KINDS, stagingAccountFor, type SecretBackend } from '../secrets/backend.js';
import { withProfileLock } from '../config/lock.js';

export interface LogoutOptions {
  yes: boolean;
}

export function parseLogoutOptions(raw: Record<string, unknown>): LogoutOptions {
  return parseOptions(z.object({ yes: flag() }), raw);
}

export async function runLogout(options: LogoutOptions, deps: Deps): Promise<void> {
  const name = deps.globals.profile;
  const confirmed = await requireProfileOrProgress(deps);
  if (!options.yes) {
    if (!deps.io.interactive) {
      throw new UsageError(`Removing profile "${name}" needs confirmation.`, 'Rerun with --yes to confirm in a non-interactive session.');
    }
    const ok = await deps.prompter.confirm({
      id: 'logout.confirm',
      message: `Remove profile "${name}"${confirmed.site ? ` (${confirmed.site})` : ''} and its stored secrets from this machine?`,
      default: false,
    });
    if (!ok) {
      deps.io.info('Nothing was removed.');
      return;
    }
  }
  // Under the profile's lock, as setup's commit and a rotation write it: a rotation finishing now
  // cannot put a token back after it was removed. What is removed is read again under the lock.
  const { removed, backend } = await withProfileLock(deps.config, name, async () => {
    const now = await requireProfileOrProgress(deps);
    // A setup that replaced the profile while the question was open: not what was confirmed.
    if (!sameTarget(now, confirmed)) {
      throw new CliError(`Profile "${name}" changed while you were confirming (it is now ${now.site ?? 'another setup'}), so nothing was removed.`, {
        hint: `Check it with \`${deps.cli} status${profileFlagFor(name)}\`, then run \`${deps.cli} logout${profileFlagFor(name)}\` again if it should go.`,
      });
    }
    return removeProfile(name, now, deps);
  });
  const target = confirmed;
  deps.io.success(`Removed profile "${name}" (${removed} stored secret${removed === 1 ? '' : 's'} deleted from ${backend.description}).`);
  if (target.sandbox) {
    deps.io.hint('Its credentials were the sandbox’s fake ones: there is nothing to revoke at Atlassian or to change in Kendis.');
  } else if (!target.finished) {
    deps.io.hint('It was an unfinished setup: nothing of it reached Kendis. A token you created for it on https://id.atlassian.com/manage-profile/security/api-tokens can be revoked there.');
  } else {
    deps.io.hint(
      target.kind === 'user'
        ? 'Your Kendis profile still holds its own copy of the token; revoke the token at https://id.atlassian.com/manage-profile/security/api-tokens if it is no longer needed.'
        : 'In Kendis, the ALM Account still holds its own copy: remove or update it there, and revoke the API token at https://id.atlassian.com/manage-profile/security/api-tokens if it is no longer needed.',
    );
  }
}

/**
 * Secrets first: a config entry without secrets is harmless and visible; the reverse would leave
 * secrets nobody knows about. Returns how many of the profile's own secrets were deleted, and where.
 */
async function removeProfile(name: string, target: Target, deps: Deps): Promise<{ removed: number; backend: SecretBackend }> {
  const backend = deps.secretBackend(target.storage);
  let removed = 0;
  // An unfinished or interrupted setup may have used the other store: clean both that were used.
  for (const storage of target.storages) {
    const store = deps.secretBackend(storage);
    try {
      for (const kind of SECRET_KINDS) {
        if (await store.delete(accountFor(name, kind))) removed += 1;
        // Verified secrets of an unfinished setup wait in staging entries: remove those too.
        await store.delete(stagingAccountFor(name, kind));
      }
      await store.delete(rotationAccountFor(name));
    } catch (error) {
      // The profile's own store must be cleaned (else nothing is removed); another one an
      // unfinished setup once used is cleaned when it can be, and said when it cannot.
      if (storage === target.storage) throw error;
      deps.io.warn(`Could not reach ${store.description} to remove what an unfinished setup may have left there (${(error as Error).message}).`);
    }
  }
  await deps.config.update((config) => {
    delete config.profiles[name];
    delete config.progress[name];
  });
  return { removed, backend };
}

/** A complete profile, or a setup in progress (whose verified secrets may already be staged). */
type Storage = 'keychain' | 'file';

/** The same profile as the one confirmed: same site, kind, store and stage. */
function sameTarget(a: Target, b: Target): boolean {
  return a.site === b.site && a.kind === b.kind && a.storage === b.storage && a.finished === b.finished && Boolean(a.sandbox) === Boolean(b.sandbox);
}

type Target = { site?: string; storage: Storage; storages: Storage[]; sandbox?: boolean; kind?: string; finished: boolean };

async function requireProfileOrProgress(deps: Deps): Promise<Target> {
  const config = await deps.config.load();
  const profile = config.profiles[deps.globals.profile];
  const progress = config.progress[deps.globals.profile];
  const progressStorage: Storage | undefined = progress ? (progress.committing?.profile.storage ?? (progress.answers.storage === 'file' ? 'file' : 'keychain')) : undefined;
  const storagesWith = (first: Storage): Storage[] => [...new Set<Storage>([first, ...(progressStorage ? [progressStorage] : [])])];
  if (profile) return { site: describeProfileTarget(profile), storage: profile.storage, storages: storagesWith(profile.storage), sandbox: Boolean(profile.sandbox), kind: profileKind(profile), finished: true };
  if (progress && progressStorage) {
    const sandbox = progress.answers.target === 'sandbox';
    const site = sandbox ? 'the built-in sandbox' : progress.answers.site;
    return { ...(site ? { site } : {}), storage: progressStorage, storages: storagesWith(progressStorage), sandbox, finished: false };
  }
  throw new NotConfiguredError(deps.globals.profile, Object.keys(config.profiles), 'remove');
}
