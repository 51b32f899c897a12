/**
 * One JSON file in the private configuration folder: read without following links and checked
 * (owner, mode, schema), then changed only under a lock, written atomically (temp file, fsync,
 * rename, folder fsync). A damaged file is an error that names it and the fix; it is never
 * overwritten. config.json and the opt-in secrets.json are both one of these.
 */
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { FileHeldOpenError, ensurePrivateDir, writeFileAtomic } from './atomic-file.js';
import { withFileLock } from './lock.js';
import { assertPrivateFolder, readPrivateFile } from './private-files.js';

export interface JsonFileSpec<T> {
  dir: string;
  name: string;
  /** Holds secrets: must not be readable by others either. */
  secret?: boolean;
  /** Validate what was read; a string is why it is damaged. */
  parse(raw: unknown): T | string;
  empty(): T;
  /** What to do about a damaged file at `path`. */
  fix(path: string): string;
}

export class JsonFile<T> {
  readonly path: string;

  constructor(private readonly spec: JsonFileSpec<T>) {
    this.path = join(spec.dir, spec.name);
  }

  async read(): Promise<T> {
    await assertPrivateFolder(this.spec.dir);
    const text = await readPrivateFile(this.path, { secret: Boolean(this.spec.secret) });
    if (text === undefined) return this.spec.empty();
    let raw: unknown;
    try {
      // A byte-order mark (Notepad, PowerShell 5.1's Out-File) is not damage.
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch {
      throw this.damaged('it is not valid JSON');
    }
    const parsed = this.spec.parse(raw);
    if (typeof parsed === 'string') throw this.damaged(parsed);
    return parsed;
  }

  /** The private folder exists (mode 0700), or one sentence naming it. */
  async ensureDir(): Promise<void> {
    await assertPrivateFolder(this.spec.dir);
    await ensurePrivateDir(this.spec.dir).catch((error: unknown) => {
      throw new UsageError(
        `Cannot create the configuration folder ${this.spec.dir}: ${(error as Error).message}.`,
        'Check the parent folder is writable, or set KENDIS_JIRA_CONFIG_DIR.',
      );
    });
  }

  /** Read, change, write — under the file's lock. `change` returns false when nothing changed. */
  async update(change: (value: T) => boolean | void): Promise<T> {
    await this.ensureDir();
    return withFileLock(`${this.path.replace(/\.json$/, '')}.lock`, async () => {
      const value = await this.read();
      if (change(value) !== false) await writeFileAtomic(this.path, `${JSON.stringify(value, null, 2)}\n`);
      return value;
    }).catch((error: unknown) => {
      if (error instanceof FileHeldOpenError) {
        throw new UsageError(
          `Cannot write ${this.path}: ${error.message}.`,
          'Close the program that has it open (a backup or sync client, an editor, an antivirus scan), then run the command again.',
        );
      }
      if (['ENOENT', 'EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOSPC'].includes(String((error as NodeJS.ErrnoException).code))) {
        throw new UsageError(`Cannot write ${this.path}: ${(error as Error).message}.`, 'Check the folder exists and is yours, or set KENDIS_JIRA_CONFIG_DIR.');
      }
      throw error;
    });
  }

  private damaged(why: string): UsageError {
    return new UsageError(`The file ${this.path} is damaged (${why}); it was left untouched.`, this.spec.fix(this.path));
  }
}
