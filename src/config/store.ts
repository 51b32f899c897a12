/**
 * config.json: load + validate, and locked, atomic updates. A corrupt, unknown-version or
 * symlinked file is an error naming the file and the fix; it is never overwritten.
 */
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { ensurePrivateDir, writeFileAtomic } from './atomic-file.js';
import { withFileLock } from './lock.js';
import { assertPrivateFolder, readPrivateFile } from './private-files.js';
import { CONFIG_VERSION, ConfigFileSchema, emptyConfig, type ConfigFile, type Profile, type Progress } from './schema.js';

export class ConfigStore {
  readonly dir: string;
  readonly path: string;

  constructor(dir: string) {
    this.dir = dir;
    this.path = join(dir, 'config.json');
  }

  async load(): Promise<ConfigFile> {
    await assertPrivateFolder(this.dir);
    const text = await readPrivateFile(this.path);
    if (text === undefined) return emptyConfig();
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw corrupt(this.path, 'it is not valid JSON');
    }
    const version = (raw as { version?: unknown } | null)?.version;
    if (typeof version === 'number' && version > CONFIG_VERSION) {
      throw new UsageError(
        `${this.path} was written by a newer kendis-jira (config version ${version}; this one reads version ${CONFIG_VERSION}).`,
        'Upgrade kendis-jira (`npm install -g kendis-jira@latest`), or use another folder with KENDIS_JIRA_CONFIG_DIR.',
      );
    }
    const parsed = ConfigFileSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue ? issue.path.join('.') || 'top level' : 'unknown';
      throw corrupt(this.path, `${where}: ${issue?.message ?? 'invalid'}`);
    }
    return parsed.data;
  }

  async getProfile(name: string): Promise<Profile | undefined> {
    const config = await this.load();
    return config.profiles[name];
  }

  async getProgress(name: string): Promise<Progress | undefined> {
    const config = await this.load();
    return config.progress[name];
  }

  /** The private configuration folder exists (mode 0700), or a clear error naming it. */
  async ensureDir(): Promise<void> {
    await assertPrivateFolder(this.dir);
    await ensurePrivateDir(this.dir).catch((error: unknown) => {
      throw new UsageError(`Cannot create the configuration folder ${this.dir}: ${(error as Error).message}.`, 'Check the parent folder is writable, or set KENDIS_JIRA_CONFIG_DIR.');
    });
  }

  /** Read-modify-write under a lock, written atomically (temp file + rename, mode 0600). */
  async update(mutate: (config: ConfigFile) => void): Promise<ConfigFile> {
    await this.ensureDir();
    return withFileLock(join(this.dir, 'config.lock'), async () => {
      const config = await this.load();
      mutate(config);
      await writeFileAtomic(this.path, `${JSON.stringify(config, null, 2)}\n`);
      return config;
    }).catch(async (error: unknown) => {
      if (['ENOENT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC'].includes(String((error as NodeJS.ErrnoException).code))) {
        throw new UsageError(`Cannot write the configuration in ${this.dir}: ${(error as Error).message}.`, 'Check the folder exists and is yours, or set KENDIS_JIRA_CONFIG_DIR.');
      }
      throw error;
    });
  }
}

function corrupt(path: string, why: string): UsageError {
  return new UsageError(
    `The configuration file ${path} is damaged (${why}); it was left untouched.`,
    `Fix it by hand, or move it away (e.g. \`mv "${path}" "${path}.bak"\`) and run \`kendis-jira setup\` again.`,
  );
}
