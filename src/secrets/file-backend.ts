/**
 * The opt-in insecure store (--insecure-storage): <config dir>/secrets.json, mode 0600, for
 * machines with no usable keychain. Announced whenever it is written and in `status`.
 */

import { typed } from '../io/typed.js';
import * as z from 'zod/mini';
import { JsonFile } from '../config/json-file.js';
import type { SecretBackend } from './backend.js';

const SecretsFileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) });
type SecretsFile = z.infer<typeof SecretsFileSchema>;

/**
 * What keeps the secrets file private, said truthfully: POSIX mode 0600; on Windows there are no
 * mode bits, and the folder's place in the user's own profile (%APPDATA%, its access list) does it.
 */
export function privateFileWords(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'private to your Windows account by its profile folder' : 'mode 0600';
}

export class FileBackend implements SecretBackend {
  readonly location = 'file' as const;
  readonly description: string;
  readonly path: string;
  private readonly file: JsonFile<SecretsFile>;

  constructor(dir: string, platform: NodeJS.Platform = process.platform) {
    this.file = new JsonFile<SecretsFile>({
      dir,
      name: 'secrets.json',
      secret: true,
      empty: () => ({ version: 1, secrets: {} }),
      parse: (raw) => {
        const parsed = SecretsFileSchema.safeParse(raw);
        return parsed.success ? parsed.data : 'not a secrets file of this tool';
      },
      fix: () => `Move it away and run \`${typed('setup --insecure-storage')}\` again.`,
    });
    this.path = this.file.path;
    this.description = `the file ${this.path} (${privateFileWords(platform)}, not encrypted)`;
  }

  async get(account: string): Promise<string | null> {
    return (await this.file.read()).secrets[account] ?? null;
  }

  async set(account: string, value: string): Promise<void> {
    await this.file.update((file) => {
      file.secrets[account] = value;
    });
  }

  async delete(account: string): Promise<boolean> {
    let removed = false;
    await this.file.update((file) => {
      if (!(account in file.secrets)) return false;
      delete file.secrets[account];
      removed = true;
      return true;
    });
    return removed;
  }

  async probe(): Promise<void> {
    await this.file.read();
  }
}
