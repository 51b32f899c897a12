/**
 * The OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential Manager, and on
 * Linux the Secret Service only (pinned, so it can never fall back silently to the kernel keyring,
 * which forgets everything on reboot). Every call has a timeout: a locked or absent keyring on a
 * headless Linux box must not hang the CLI.
 */
import { createRequire } from 'node:module';
import { KeychainUnavailableError } from '../errors.js';
import { KEYCHAIN_SERVICE, type SecretBackend } from './backend.js';
import { describeKeychainError, type KeychainSituation } from './keychain-advice.js';

type KeyringModule = typeof import('@napi-rs/keyring');

export interface KeychainOptions {
  service?: string;
  timeoutMs?: number;
  platform?: NodeJS.Platform;
  /** Over SSH: the advice cannot send the user to a desktop. */
  remote?: boolean;
  /** Called once when a call takes longer than SLOW_MS (macOS may be showing its "allow access?" dialog). */
  onSlow?: () => void;
}

/** How long a keychain call runs before the user is told what may be waiting for them. */
export const SLOW_MS = 2_000;

/**
 * The timeout for each keychain call: 8 s, so a locked or absent keyring on a headless box never
 * hangs; but a person at a Mac may have macOS's "allow node to access this item?" dialog in front
 * of them (after a Node upgrade), which needs time to read and click.
 */
export function keychainTimeoutMs(platform: NodeJS.Platform, interactive: boolean): number {
  return platform === 'darwin' && interactive ? 60_000 : 8_000;
}

export function keychainName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'the macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'the Secret Service (GNOME Keyring / KWallet)';
}

export class KeychainBackend implements SecretBackend {
  readonly location = 'keychain' as const;
  readonly description: string;
  private readonly service: string;
  private readonly timeoutMs: number;
  private readonly platform: NodeJS.Platform;
  private readonly situation: KeychainSituation;
  private readonly onSlow: (() => void) | undefined;
  private module: Promise<KeyringModule> | undefined;

  constructor(options: KeychainOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = options.timeoutMs ?? 8_000;
    this.platform = options.platform ?? process.platform;
    this.situation = { platform: this.platform, remote: Boolean(options.remote) };
    this.onSlow = options.onSlow;
    this.description = `${keychainName(this.platform)}, service "${this.service}"`;
  }

  private load(): Promise<KeyringModule> {
    // require(), not import(): importing a CommonJS package from ESM runs Node's export lexer, which
    // costs ~6 MiB of memory for nothing here (measured by `npm run bench`, keychain line).
    this.module ??= Promise.resolve()
      .then(() => createRequire(import.meta.url)('@napi-rs/keyring') as KeyringModule)
      .catch((error: unknown) => {
        throw new KeychainUnavailableError(`the keychain module could not be loaded (${(error as Error).message}).`, this.situation);
      });
    return this.module;
  }

  /** Creating an entry connects to the store, so it can fail too: it runs inside call(). */
  private async entry(account: string) {
    const { AsyncEntry } = await this.load();
    return new AsyncEntry(this.service, account, { linux: { store: 'secret-service' } });
  }

  private async call<T>(what: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const slow = this.onSlow ? setTimeout(this.onSlow, SLOW_MS) : undefined;
    slow?.unref?.();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new KeychainUnavailableError(
            `${keychainName(this.platform)} did not answer within ${Math.round(this.timeoutMs / 1000)} s (it may be locked, not running, or waiting for an answer in a dialog).`,
            this.situation,
          ),
        );
      }, this.timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([work(controller.signal), timeout]);
    } catch (error) {
      if (error instanceof KeychainUnavailableError) throw error;
      const { reason, state } = describeKeychainError(error instanceof Error ? error.message : String(error));
      throw new KeychainUnavailableError(`${what} failed: ${reason}.`, { ...this.situation, state }, error);
    } finally {
      clearTimeout(timer);
      clearTimeout(slow);
    }
  }

  async get(account: string): Promise<string | null> {
    return this.call('reading from the keychain', async (signal) => (await this.entry(account)).getPassword(signal));
  }

  async set(account: string, value: string): Promise<void> {
    await this.call('writing to the keychain', async (signal) => (await this.entry(account)).setPassword(value, signal));
  }

  async delete(account: string): Promise<boolean> {
    return this.call('deleting from the keychain', async (signal) => (await this.entry(account)).deleteCredential(signal));
  }

  async probe(account = `probe-${process.pid}-${Date.now()}`, written?: () => void): Promise<void> {
    const value = `probe-${Math.random().toString(36).slice(2)}`;
    await this.set(account, value);
    written?.();
    const read = await this.get(account);
    await this.delete(account);
    if (read !== value) {
      throw new KeychainUnavailableError('a test entry written to it could not be read back.', this.situation);
    }
  }
}
