/** `kendis-jira logout`: remove a profile's keychain entries and its config entry, nothing else. */
import { typed } from '../io/typed.js';
import type { Deps } from '../deps.js';
import { on, type RawOptions } from '../options/options.js';
import { CliError, NotConfiguredError, UsageError } from '../errors.js';
import { profileFlagFor } from '../config/profile-name.js';
import { profileKind } from '../config/schema.js';
import { describeProfileTarget } from '../targets/target.js';
import { accountFor } from '../secrets/backend.js';
import { forget, sweep } from '../profiles/transaction.js';
import { withProfileLock } from '../config/lock.js';

export interface LogoutOptions {
  yes: boolean;
}

export function parseLogoutOptions(raw: RawOptions): LogoutOptions {
  return { yes: on(raw.yes) };
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
  const { removed, unreachable } = await withProfileLock(deps.config, name, async () => {
    const now = await requireProfileOrProgress(deps);
    // A setup that replaced the profile while the question was open: not what was confirmed.
    if (!sameTarget(now, confirmed)) {
      throw new CliError(`Profile "${name}" changed while you were confirming (it is now ${now.site ?? 'another setup'}), so nothing was removed.`, {
        hint: `Check it with \`${typed()} status${profileFlagFor(name)}\`, then run \`${typed()} logout${profileFlagFor(name)}\` again if it should go.`,
      });
    }
    // The profile's own store answers before anything changes (a locked keychain: nothing removed).
    await deps.secretBackend(now.storage).get(accountFor(name, 'api-token'));
    // One change: the profile leaves config.json, then what it pointed at is deleted.
    await deps.config.update((config) => forget(config, name, now.storages));
    deps.faultPoint?.('logout:flipped');
    const swept = await sweep(deps, name, 'logout');
    return { removed: swept.deleted, unreachable: swept.unreachable };
  });
  const backend = deps.secretBackend(confirmed.storage);
  const target = confirmed;
  deps.io.success(`Removed profile "${name}" (${removed} stored secret${removed === 1 ? '' : 's'} deleted from ${backend.description}).`);
  for (const storage of unreachable) {
    deps.io.warn(
      `Could not reach ${deps.secretBackend(storage).description} to remove what an unfinished setup left there: the next kendis-jira command that can reach it removes it.`,
    );
  }
  if (target.sandbox) {
    deps.io.hint('Its credentials were the sandbox’s fake ones: there is nothing to revoke at Atlassian or to change in Kendis.');
  } else if (!target.finished) {
    deps.io.hint(
      'It was an unfinished setup: nothing of it reached Kendis. A token you created for it on https://id.atlassian.com/manage-profile/security/api-tokens can be revoked there.',
    );
  } else {
    deps.io.hint(
      target.kind === 'user'
        ? 'Your Kendis profile still holds its own copy of the token; revoke the token at https://id.atlassian.com/manage-profile/security/api-tokens if it is no longer needed.'
        : 'In Kendis, the ALM Account still holds its own copy: remove or update it there, and revoke the API token at https://id.atlassian.com/manage-profile/security/api-tokens if it is no longer needed.',
    );
  }
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
  const progressStorage: Storage | undefined = progress ? (progress.staged?.storage ?? (progress.answers.storage === 'file' ? 'file' : 'keychain')) : undefined;
  const storagesWith = (first: Storage): Storage[] => [...new Set<Storage>([first, ...(progressStorage ? [progressStorage] : [])])];
  if (profile)
    return {
      site: describeProfileTarget(profile),
      storage: profile.storage,
      storages: storagesWith(profile.storage),
      sandbox: Boolean(profile.sandbox),
      kind: profileKind(profile),
      finished: true,
    };
  if (progress && progressStorage) {
    const sandbox = progress.answers.target === 'sandbox';
    const site = sandbox ? 'the built-in sandbox' : progress.answers.site;
    return { ...(site ? { site } : {}), storage: progressStorage, storages: storagesWith(progressStorage), sandbox, finished: false };
  }
  throw new NotConfiguredError(deps.globals.profile, Object.keys(config.profiles), 'remove');
}
