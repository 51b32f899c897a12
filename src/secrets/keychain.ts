/**
 * The OS keychain through @napi-rs/keyring: macOS Keychain, Windows Credential Manager, and on
 * Linux the Secret Service only (pinned, so it can never fall back silently to the kernel keyring,
 * which forgets everything on reboot). Every call has a timeout: a locked or absent keyring on a
 * headless Linux box must not hang the CLI.
 */
import { KeychainUnavailableError, type KeychainState } from '../errors.js';
import { KEYCHAIN_SERVICE, type SecretBackend } from './backend.js';

type KeyringModule = typeof import('@napi-rs/keyring');

export interface KeychainOptions {
  service?: string;
  timeoutMs?: number;
  platform?: NodeJS.Platform;
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
  private module: Promise<KeyringModule> | undefined;

  constructor(options: KeychainOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = options.timeoutMs ?? 8_000;
    this.platform = options.platform ?? process.platform;
    this.description = `${keychainName(this.platform)}, service "${this.service}"`;
  }

  private load(): Promise<KeyringModule> {
    this.module ??= import('@napi-rs/keyring').catch((error: unknown) => {
      throw new KeychainUnavailableError(`the keychain module could not be loaded (${(error as Error).message}).`, this.platform);
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
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new KeychainUnavailableError(`${keychainName(this.platform)} did not answer within ${Math.round(this.timeoutMs / 1000)} s (it may be locked or not running).`, this.platform));
      }, this.timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([work(controller.signal), timeout]);
    } catch (error) {
      if (error instanceof KeychainUnavailableError) throw error;
      const { reason, state } = describe(error);
      throw new KeychainUnavailableError(`${what} failed: ${reason}.`, this.platform, state, error);
    } finally {
      clearTimeout(timer);
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

  async probe(): Promise<void> {
    const account = `probe-${process.pid}-${Date.now()}`;
    const value = `probe-${Math.random().toString(36).slice(2)}`;
    await this.set(account, value);
    const read = await this.get(account);
    await this.delete(account);
    if (read !== value) {
      throw new KeychainUnavailableError('a test entry written to it could not be read back.', this.platform);
    }
  }
}

/** Say what the keychain library's error means, in words; its raw text stays in the cause (--debug). */
function describe(error: unknown): { reason: string; state: KeychainState } {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();
  if (/DBUS_SESSION_BUS_ADDRESS|autolaunch|Failed to connect to socket|dbus/i.test(text) && !/secrets|ServiceUnknown/i.test(text)) {
    return { reason: 'no D-Bus session is reachable, so there is no Secret Service (common over SSH and in containers)', state: 'absent' };
  }
  if (/ServiceUnknown|org\.freedesktop\.secrets|not provided by any \.service/i.test(text)) return { reason: 'no Secret Service is running in this session', state: 'absent' };
  // A running keyring that is locked answers "no result found" to a write (it cannot open a collection).
  if (/locked|prompt|dismissed|no result found/i.test(text)) return { reason: 'the Secret Service is running but its keyring is locked', state: 'locked' };
  return { reason: text.replace(/\.$/, ''), state: 'other' };
}
