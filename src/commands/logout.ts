/** `kendis-jira logout`: remove a profile's keychain entries and its config entry, nothing else. */
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { SECRET_KINDS } from '../secrets/backend.js';
import { SecretStore } from '../secrets/secret-store.js';
import { requireProfileOrProgress } from './logout-target.js';

export interface LogoutOptions {
  yes: boolean;
}

export async function runLogout(options: LogoutOptions, deps: Deps): Promise<void> {
  const name = deps.globals.profile;
  const target = await requireProfileOrProgress(deps);
  if (!options.yes) {
    if (!deps.io.interactive) {
      throw new UsageError(`Removing profile "${name}" needs confirmation.`, 'Rerun with --yes to confirm in a non-interactive session.');
    }
    const ok = await deps.prompter.confirm({
      id: 'logout.confirm',
      message: `Remove profile "${name}"${target.site ? ` (${target.site})` : ''} and its stored secrets from this machine?`,
      default: false,
    });
    if (!ok) {
      deps.io.info('Nothing was removed.');
      return;
    }
  }
  // Secrets first: a config entry without secrets is harmless and visible; the reverse would
  // leave secrets nobody knows about.
  const store = new SecretStore(deps.secretBackend(target.storage), {}, name);
  let removed = 0;
  for (const kind of SECRET_KINDS) if (await store.delete(kind)) removed += 1;
  // Verified secrets of an unfinished setup wait in staging entries: remove those too.
  const staging = new SecretStore(deps.secretBackend(target.storage), {}, `${name}:setup`);
  for (const kind of SECRET_KINDS) await staging.delete(kind);
  await deps.config.update((config) => {
    delete config.profiles[name];
    delete config.progress[name];
  });
  deps.io.success(`Removed profile "${name}" (${removed} stored secret${removed === 1 ? '' : 's'} deleted from ${store.backend.description}).`);
  deps.io.hint('In Kendis, the ALM Account still holds its own copy: remove or update it there, and revoke the API token at https://id.atlassian.com/manage-profile/security/api-tokens if it is no longer needed.');
}
