/**
 * The configuration folder and its files must be the user's own, as ssh demands of ~/.ssh: a folder
 * or file that another user owns or may write could point a profile's endpoints at their server and
 * receive the token on the next run. Refused with the command that fixes it (exit 2). Files are
 * opened without following links. (No such ownership or mode model on Windows: there the folder's
 * place in the user's own profile protects it, and only the link and file-type checks apply.)
 */
import { typed } from '../io/typed.js';
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { UsageError } from '../errors.js';

function uid(): number | undefined {
  return process.platform === 'win32' || typeof process.getuid !== 'function' ? undefined : process.getuid();
}

function judge(path: string, info: Stats, kind: 'folder' | 'file', secret = false): void {
  const me = uid();
  if (me === undefined) return;
  if (info.uid !== me) {
    throw new UsageError(
      `The configuration ${kind} ${path} belongs to another user (uid ${info.uid}), who could change where your credentials are sent.`,
      `If it is yours, run \`chown ${me} "${path}"\`; otherwise set KENDIS_JIRA_CONFIG_DIR to a folder of your own.`,
    );
  }
  // A file of secrets must not be readable by others either.
  if (secret && info.mode & 0o077) {
    const mode = (info.mode & 0o777).toString(8).padStart(3, '0');
    throw new UsageError(
      `The secrets file ${path} can be read by other users (mode ${mode}).`,
      `Run \`chmod 600 "${path}"\`; if others may have read it, rotate the secrets (\`${typed('rotate-token')}\`, and a new Client Secret in the Developer Console).`,
    );
  }
  if (info.mode & 0o022) {
    const mode = (info.mode & 0o777).toString(8).padStart(3, '0');
    throw new UsageError(
      `The configuration ${kind} ${path} can be changed by other users (mode ${mode}), who could change where your credentials are sent.`,
      `Run \`chmod ${kind === 'folder' ? '700' : '600'} "${path}"\`, check nothing in it was changed, and run the command again.`,
    );
  }
}

/** The folder, if it exists: a real folder (not a link, not a file), the user's, not writable by others. */
export async function assertPrivateFolder(path: string): Promise<void> {
  // "cfg/" would make lstat follow a link named "cfg": check the name itself.
  path = path.length > 1 ? path.replace(/[\\/]+$/, '') : path;
  let info: Stats;
  try {
    info = await lstat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR')
      throw new UsageError(
        `The configuration folder ${path} cannot exist: a part of that path is a file.`,
        'Set KENDIS_JIRA_CONFIG_DIR to a folder you can write to.',
      );
    if (code === 'EACCES' || code === 'EPERM')
      throw new UsageError(`The configuration folder ${path} cannot be read (${code}).`, 'Set KENDIS_JIRA_CONFIG_DIR to a folder you can write to.');
    throw error;
  }
  if (info.isSymbolicLink())
    throw new UsageError(
      `The configuration folder ${path} is a symbolic link; kendis-jira does not follow links for its configuration.`,
      'Set KENDIS_JIRA_CONFIG_DIR to a real folder of your own.',
    );
  if (!info.isDirectory())
    throw new UsageError(
      `${path} should be the configuration folder, but it is a file.`,
      'Move that file away, or set KENDIS_JIRA_CONFIG_DIR to another folder.',
    );
  judge(path, info, 'folder');
}

const LINK_REFUSED = (path: string) =>
  new UsageError(
    `${path} is a symbolic link; kendis-jira does not follow links for its configuration.`,
    'Replace it with a regular file (or set KENDIS_JIRA_CONFIG_DIR to a folder you own).',
  );

/**
 * A file's text, read without following a link and checked on the opened file; undefined when
 * absent. Where open() has no O_NOFOLLOW (Windows), the name is looked at first instead.
 */
export async function readPrivateFile(path: string, options: { secret?: boolean; noFollow?: number | undefined } = {}): Promise<string | undefined> {
  const noFollow = 'noFollow' in options ? options.noFollow : constants.O_NOFOLLOW;
  if (noFollow === undefined) {
    const info = await lstat(path).catch(() => undefined);
    if (info?.isSymbolicLink()) throw LINK_REFUSED(path);
  }
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | (noFollow ?? 0));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP' || code === 'EMLINK') throw LINK_REFUSED(path);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UsageError(`${path} is not a regular file.`, 'Move it away and run the command again.');
    judge(path, info, 'file', options.secret);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
