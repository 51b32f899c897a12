import type { SecretBackend } from './backend.js';

/** In-memory backend, for tests. */
export class MemoryBackend implements SecretBackend {
  readonly location = 'keychain' as const;
  readonly description = 'memory (tests)';
  readonly entries = new Map<string, string>();
  failWith: Error | undefined;

  private check(): void {
    if (this.failWith) throw this.failWith;
  }
  async get(account: string): Promise<string | null> {
    this.check();
    return this.entries.get(account) ?? null;
  }
  async set(account: string, value: string): Promise<void> {
    this.check();
    this.entries.set(account, value);
  }
  async delete(account: string): Promise<boolean> {
    this.check();
    return this.entries.delete(account);
  }
  async probe(_account?: string, written?: () => void): Promise<void> {
    this.check();
    written?.();
  }
}
