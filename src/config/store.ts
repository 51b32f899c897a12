/**
 * config.json: the profiles and any unfinished setup, validated and versioned (a file written by a
 * newer kendis-jira is refused, never rewritten). Reading and writing: src/config/json-file.ts.
 */
import { typed } from '../io/typed.js';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { JsonFile } from './json-file.js';
import { HOST_TAG } from './lock.js';
import { CONFIG_VERSION, ConfigFileSchema, emptyConfig, type ConfigFile, type Profile, type Progress } from './schema.js';

export class ConfigStore {
  readonly dir: string;
  readonly path: string;
  private readonly file: JsonFile<ConfigFile>;

  constructor(dir: string) {
    this.dir = dir;
    this.file = new JsonFile<ConfigFile>({
      dir,
      name: 'config.json',
      empty: emptyConfig,
      parse: (raw) => {
        const version = (raw as { version?: unknown } | null)?.version;
        if (typeof version === 'number' && version > CONFIG_VERSION) {
          throw new UsageError(
            `${this.path} was written by a newer kendis-jira (config version ${version}; this one reads version ${CONFIG_VERSION}).`,
            'Upgrade kendis-jira (`npm install -g kendis-jira@latest`), or use another folder with KENDIS_JIRA_CONFIG_DIR.',
          );
        }
        const parsed = ConfigFileSchema.safeParse(raw);
        if (parsed.success) return parsed.data;
        const issue = parsed.error.issues[0];
        const where = issue ? issue.path.join('.') || 'the top level' : 'a value';
        return `${where} is missing or not valid`;
      },
      fix: (path) => `Fix it by hand, or move it away (e.g. \`mv "${path}" "${path}.bak"\`) and run \`${typed('setup')}\` again.`,
    });
    this.path = this.file.path;
  }

  load(): Promise<ConfigFile> {
    return this.file.read();
  }

  async getProfile(name: string): Promise<Profile | undefined> {
    return (await this.load()).profiles[name];
  }

  async getProgress(name: string): Promise<Progress | undefined> {
    return (await this.load()).progress[name];
  }

  /** The private configuration folder exists (mode 0700), or a clear error naming it. */
  ensureDir(): Promise<void> {
    return this.file.ensureDir();
  }

  /** Found before the first question: the folder exists and can be written (not read-only, not a file). */
  async checkWritable(): Promise<void> {
    await this.ensureDir();
    const probe = join(this.dir, `.write-check-${HOST_TAG}-${process.pid}`);
    try {
      await writeFile(probe, '', { mode: 0o600 });
      await rm(probe, { force: true });
    } catch (error) {
      throw new UsageError(
        `kendis-jira cannot save its settings in ${this.dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
        'Make that folder writable, or point KENDIS_JIRA_CONFIG_DIR at a folder you can write to.',
      );
    }
  }

  /** Read-modify-write under a lock, written atomically (temp file + rename, mode 0600). */
  update(mutate: (config: ConfigFile) => void): Promise<ConfigFile> {
    return this.file.update((config) => {
      mutate(config);
    });
  }
}
