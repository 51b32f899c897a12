/**
 * The opt-in insecure store (--insecure-storage): <config dir>/secrets.json, mode 0600, for
 * machines with no usable keychain. Announced whenever it is written and in `status`.
 */

import { join } from 'node:path';
import * as z from 'zod/mini';
import { UsageError } from '../errors.js';
import { ensurePrivateDir, writeFileAtomic } from '../config/atomic-file.js';
import { assertPrivateFolder, readPrivateFile } from '../config/private-files.js';
import { withFileLock } from '../config/lock.js';
import type { SecretBackend } from './backend.js';

const SecretsFileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) });
type SecretsFile = z.infer<typeof SecretsFileSchema>;

export class FileBackend implements SecretBackend {
  readonly location = 'file' as const;
  readonly description: string;
  readonly path: string;
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.path = join(dir, 'secrets.json');
    this.description = `the file ${this.path} (mode 0600, not encrypted)`;
  }

  private async read(): Promise<SecretsFile> {
    await assertPrivateFolder(this.dir);
    const text = await readPrivateFile(this.path, { secret: true });
    if (text === undefined) return { version: 1, secrets: {} };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = SecretsFileSchema.safeParse(raw);
    if (!parsed.success) {
      throw new UsageError(`The secrets file ${this.path} is damaged; it was left untouched.`, `Move it away and run \`kendis-jira setup --insecure-storage\` again.`);
    }
    return parsed.data;
  }

  private async modify(change: (file: SecretsFile) => boolean): Promise<boolean> {
    await assertPrivateFolder(this.dir);
    await ensurePrivateDir(this.dir);
    return withFileLock(join(this.dir, 'secrets.lock'), async () => {
      const file = await this.read();
      const changed = change(file);
      if (changed) await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
      return changed;
    });
  }

  async get(account: string): Promise<string | null> {
    return (await this.read()).secrets[account] ?? null;
  }

  async set(account: string, value: string): Promise<void> {
    await this.modify((file) => {
      file.secrets[account] = value;
      return true;
    });
  }

  async delete(account: string): Promise<boolean> {
    return this.modify((file) => {
      if (!(account in file.secrets)) return false;
      delete file.secrets[account];
      return true;
    });
  }

  async probe(): Promise<void> {
    await this.read();
  }
}
