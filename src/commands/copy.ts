/**
 * `kendis-jira copy <value>`: one saved value on the clipboard — e.g. a rotated token to paste into
 * Kendis — never on stdout or stderr, never in a process argument list.
 */
import { typed } from '../io/typed.js';
import type { Deps } from '../deps.js';
import { CliError, UsageError } from '../errors.js';
import { copiedSentence, copyToClipboard, type CopyOutcome } from '../io/clipboard.js';
import type { SecretKind } from '../secrets/backend.js';
import { requireProfile, secretStoreFor } from '../profiles/saved-profile.js';

export const COPYABLE = ['client-id', 'client-secret', 'api-token', 'email', 'callback-url'] as const;
export type Copyable = (typeof COPYABLE)[number];

const WORDS: Record<Copyable, string> = {
  'client-id': 'Client ID',
  'client-secret': 'Client Secret',
  'api-token': 'API token',
  email: 'e-mail',
  'callback-url': 'Kendis callback URL',
};

/** The next step when no clipboard can be used: the one place the value may still be shown. */
export function noClipboard(outcome: Extract<CopyOutcome, { kind: 'unavailable' }>, fallback: string): CliError {
  const tried = outcome.tried.length ? ` (tried: ${outcome.tried.join(', ')})` : '';
  return new CliError(`No clipboard can be used here${tried}.`, { hint: fallback });
}

export async function runCopy(what: Copyable, deps: Deps): Promise<void> {
  const profile = await requireProfile(deps);
  const alm = profile.kind === 'user' ? undefined : profile;
  if (!alm && (what === 'client-id' || what === 'client-secret' || what === 'callback-url')) {
    throw new UsageError(
      `Profile "${deps.globals.profile}" is a user's own token: it has no ${WORDS[what]}.`,
      'Those belong to the organisation’s ALM account profile: copy them from that one (`--profile`).',
    );
  }
  const value = await savedValue(what, deps, profile, alm);
  const outcome = await copyToClipboard(value, { platform: deps.platform, env: deps.env, interactive: deps.io.interactive });
  if (outcome.kind === 'unavailable') {
    const secret = what === 'client-secret' || what === 'api-token';
    throw noClipboard(
      outcome,
      secret
        ? `Install one (macOS: pbcopy; Linux: wl-clipboard, xclip or xsel), or take it from ${secretStoreFor(profile, deps).backend.description}.`
        : `Install one (macOS: pbcopy; Linux: wl-clipboard, xclip or xsel), or read it from \`${typed()} status\`.`,
    );
  }
  deps.io.success(copiedSentence(WORDS[what], outcome));
}

async function savedValue(
  what: Copyable,
  deps: Deps,
  profile: Awaited<ReturnType<typeof requireProfile>>,
  alm: { clientId: string; callbackUrl: string } | undefined,
): Promise<string> {
  if (what === 'email') return profile.email;
  if (what === 'client-id') return (alm as { clientId: string }).clientId;
  if (what === 'callback-url') return (alm as { callbackUrl: string }).callbackUrl;
  const kind: SecretKind = what;
  const found = await secretStoreFor(profile, deps).get(kind);
  if (!found)
    throw new CliError(`The ${WORDS[what]} of profile "${deps.globals.profile}" is not stored.`, { hint: `Run \`${typed()} setup\` again to store it.` });
  return found.value;
}
