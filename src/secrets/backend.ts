/** What every secret backend offers: get/set/delete by account, not-found as null. */
export type SecretKind = 'client-secret' | 'api-token';
export const SECRET_KINDS: readonly SecretKind[] = ['client-secret', 'api-token'];
export const KEYCHAIN_SERVICE = 'kendis-jira';

export interface SecretBackend {
  readonly location: 'keychain' | 'file';
  /** Plain words for "where secrets go", said before a secret is asked for. */
  readonly description: string;
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  /** Prove the backend works: write, read back and delete a dummy entry. */
  probe(): Promise<void>;
}

export function accountFor(profile: string, kind: SecretKind): string {
  return `${profile}:${kind}`;
}

/** Where setup keeps a verified secret until its final test passes (then it moves to accountFor). */
export function stagingAccountFor(profile: string, kind: SecretKind): string {
  return `${profile}:setup:${kind}`;
}

/** Where rotate-token keeps the new, verified token while it swaps it in (see commands/rotation.ts). */
export function rotationAccountFor(profile: string): string {
  return `${profile}:rotate:api-token`;
}
