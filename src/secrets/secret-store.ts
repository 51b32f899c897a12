/**
 * A profile's two secrets. Reads prefer the environment (KENDIS_JIRA_CLIENT_SECRET,
 * KENDIS_JIRA_API_TOKEN: read, never written), then the backend the profile was set up with.
 */
import { accountFor, type SecretBackend, type SecretKind } from './backend.js';

export type SecretLocation = 'keychain' | 'file' | 'environment';

export const SECRET_ENV: Record<SecretKind, string> = {
  'client-secret': 'KENDIS_JIRA_CLIENT_SECRET',
  'api-token': 'KENDIS_JIRA_API_TOKEN',
};

export interface StoredSecret {
  value: string;
  location: SecretLocation;
}

export class SecretStore {
  constructor(
    readonly backend: SecretBackend,
    private readonly env: Record<string, string | undefined>,
    readonly profile: string,
    /** Set only while a change is under way (src/profiles/transaction.ts). */
    private readonly generation?: string,
    /**
     * Where the profile's secrets are now (its generation), read again when one is not found: a
     * change running meanwhile may have just moved them. Without it, a miss is a miss.
     */
    private readonly whereNow?: () => Promise<string | undefined>,
  ) {}

  /**
   * The value from the environment, trimmed: a newline from `echo` or a file, and the space cmd.exe
   * keeps in `set X=value && …` are never part of a secret.
   */
  private fromEnv(kind: SecretKind): string | undefined {
    const raw = this.env[SECRET_ENV[kind]];
    if (raw === undefined) return undefined;
    const value = raw.trim();
    return value === '' ? undefined : value;
  }

  async get(kind: SecretKind): Promise<StoredSecret | null> {
    const fromEnv = this.fromEnv(kind);
    if (fromEnv !== undefined) return { value: fromEnv, location: 'environment' };
    let generation = this.generation;
    // A change moves a secret at most twice (to a new generation, then back to the usual name).
    for (let look = 0; look < 3; look += 1) {
      const value = await this.backend.get(accountFor(this.profile, kind, generation));
      if (value !== null) return { value, location: this.backend.location };
      const now = await this.whereNow?.();
      if (!this.whereNow || now === generation) return null;
      generation = now;
    }
    return null;
  }
}
