/** What every secret backend offers: get/set/delete by account, not-found as null. */
export type SecretKind = 'client-secret' | 'api-token';
export const SECRET_KINDS: readonly SecretKind[] = ['client-secret', 'api-token'];
export const KEYCHAIN_SERVICE = 'kendis-jira';

/**
 * The keychain service: `kendis-jira`, or a `kendis-jira-…` name from KENDIS_JIRA_KEYCHAIN_SERVICE
 * (the tests' own, so `npm test` on a Mac or a Windows machine never reads, changes or deletes a
 * contributor's real items; also for keeping a second set of profiles apart). Any other name is
 * ignored, so the variable can never point this tool at another program's secrets.
 */
export function keychainService(env: Record<string, string | undefined>): string {
  const named = env.KENDIS_JIRA_KEYCHAIN_SERVICE?.trim();
  return named && /^kendis-jira-[a-z0-9][a-z0-9._-]{0,62}$/i.test(named) ? named : KEYCHAIN_SERVICE;
}

export interface SecretBackend {
  readonly location: 'keychain' | 'file';
  /** Plain words for "where secrets go", said before a secret is asked for. */
  readonly description: string;
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /** Prove the backend works: write, read back and delete a dummy entry (under `account` when given). */
  probe(account?: string, written?: () => void): Promise<void>;
}

/**
 * A profile's account for one secret: `<profile>:<kind>` (the names the contract gives), or
 * `<profile>:<generation>:<kind>` while a change is under way (src/profiles/transaction.ts).
 */
export function accountFor(profile: string, kind: SecretKind, generation?: string): string {
  return generation === undefined ? `${profile}:${kind}` : `${profile}:${generation}:${kind}`;
}
