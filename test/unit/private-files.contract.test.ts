/**
 * The contract of src/config/private-files.ts, as tables: which configuration folders and files are
 * accepted, and which are refused — links, non-folders, other users' folders and files, modes that
 * let others change them (or read the secrets) — each with the project's own sentence, the command
 * that fixes it, and exit code 2. Ownership and modes are not judged where there is no such model
 * (Windows, or no process.getuid).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertPrivateFolder, readPrivateFile } from '../../src/config/private-files.js';
import { UsageError } from '../../src/errors.js';

/** Errors the file system can give that a test cannot provoke as root: path → error code. */
const faults = vi.hoisted(() => new Map<string, string>());
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  const fault = (path: unknown): void => {
    const code = faults.get(String(path));
    if (code) throw Object.assign(new Error(`${code}: injected for ${String(path)}`), { code });
  };
  return {
    ...real,
    lstat: (async (path: string, ...rest: never[]) => {
      fault(path);
      return real.lstat(path, ...rest);
    }) as typeof real.lstat,
    open: (async (path: string, ...rest: never[]) => {
      fault(path);
      return real.open(path, ...rest);
    }) as typeof real.open,
  };
});

const ME = process.getuid?.() ?? 0;
const root = ME === 0;
const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
const getuid = process.getuid;

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'kj-private-'));
});
afterEach(() => {
  faults.clear();
  vi.restoreAllMocks();
  Object.defineProperty(process, 'platform', platform);
  process.getuid = getuid;
});

function folder(mode = 0o700, name = 'cfg'): string {
  const path = join(work, name);
  mkdirSync(path);
  chmodSync(path, mode);
  return path;
}
function file(mode = 0o600, text = '{"version":1}', name = 'config.json'): string {
  const path = join(work, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}
/** Pretend to be another user than the one who owns everything in `work`. */
function asAnotherUser(): number {
  const other = ME + 4242;
  vi.spyOn(process, 'getuid').mockReturnValue(other);
  return other;
}

/** The refusal: a UsageError (exit 2) with exactly this sentence and this next step. */
async function refusal(promise: Promise<unknown>): Promise<{ message: string; hint: string | undefined }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).exitCode).toBe(2);
  return { message: (error as UsageError).message, hint: (error as UsageError).hint };
}

const changeable = (kind: 'folder' | 'file', path: string, mode: string) => ({
  message: `The configuration ${kind} ${path} can be changed by other users (mode ${mode}), who could change where your credentials are sent.`,
  hint: `Run \`chmod ${kind === 'folder' ? '700' : '600'} "${path}"\`, check nothing in it was changed, and run the command again.`,
});
const readable = (path: string, mode: string) => ({
  message: `The secrets file ${path} can be read by other users (mode ${mode}).`,
  hint: `Run \`chmod 600 "${path}"\`; if others may have read it, rotate the secrets (\`kendis-jira rotate-token\`, and a new Client Secret in the Developer Console).`,
});
const foreignOwner = (kind: 'folder' | 'file', path: string, owner: number, me: number) => ({
  message: `The configuration ${kind} ${path} belongs to another user (uid ${owner}), who could change where your credentials are sent.`,
  hint: `If it is yours, run \`chown ${me} "${path}"\`; otherwise set KENDIS_JIRA_CONFIG_DIR to a folder of your own.`,
});
const isLink = (path: string) => ({
  message: `${path} is a symbolic link; kendis-jira does not follow links for its configuration.`,
  hint: 'Replace it with a regular file (or set KENDIS_JIRA_CONFIG_DIR to a folder you own).',
});
const folderIsLink = (path: string) => ({
  message: `The configuration folder ${path} is a symbolic link; kendis-jira does not follow links for its configuration.`,
  hint: 'Set KENDIS_JIRA_CONFIG_DIR to a real folder of your own.',
});

describe('assertPrivateFolder: accepted', () => {
  it('a folder that does not exist yet (it will be created private)', async () => {
    await expect(assertPrivateFolder(join(work, 'absent'))).resolves.toBeUndefined();
  });
  it.each([
    ['0700', 0o700],
    ['0750 (the group may read)', 0o750],
    ['0755 (others may read and enter)', 0o755],
    ['0500 (read-only for me)', 0o500],
  ])('my own folder, mode %s', async (_name, mode) => {
    await expect(assertPrivateFolder(folder(mode))).resolves.toBeUndefined();
  });
  it.each([['/'], ['//']])('my own folder given with a trailing "%s"', async (slash) => {
    await expect(assertPrivateFolder(`${folder()}${slash}`)).resolves.toBeUndefined();
  });
});

describe('assertPrivateFolder: refused (exit 2), with the fix', () => {
  it.each([
    ['0777', 0o777, '777'],
    ['0770 (the group may write)', 0o770, '770'],
    ['0702 (others may write)', 0o702, '702'],
    ['0720', 0o720, '720'],
    ['0022 (shown with three digits)', 0o022, '022'],
    ['1777 (sticky, like /tmp)', 0o1777, '777'],
    ['2770 (setgid)', 0o2770, '770'],
  ])('a folder others can change, mode %s', async (_name, mode, shown) => {
    const path = folder(mode);
    expect(await refusal(assertPrivateFolder(path))).toEqual(changeable('folder', path, shown));
  });

  it.each([
    ['as given', ''],
    ['with a trailing slash (which would make lstat follow it)', '/'],
    ['with two trailing slashes', '//'],
  ])('a symbolic link to a private folder, %s', async (_name, slash) => {
    const link = join(work, 'cfg-link');
    symlinkSync(folder(), link);
    expect(await refusal(assertPrivateFolder(`${link}${slash}`))).toEqual(folderIsLink(link));
  });

  it('a file where the folder should be', async () => {
    const path = file(0o600, 'x', 'not-a-folder');
    expect(await refusal(assertPrivateFolder(path))).toEqual({
      message: `${path} should be the configuration folder, but it is a file.`,
      hint: 'Move that file away, or set KENDIS_JIRA_CONFIG_DIR to another folder.',
    });
  });

  it('a folder under a file (ENOTDIR)', async () => {
    const path = join(file(0o600, 'x', 'a-file'), 'cfg');
    expect(await refusal(assertPrivateFolder(path))).toEqual({
      message: `The configuration folder ${path} cannot exist: a part of that path is a file.`,
      hint: 'Set KENDIS_JIRA_CONFIG_DIR to a folder you can write to.',
    });
  });

  it.each([['EACCES'], ['EPERM']])('a folder that cannot be looked at (%s)', async (code) => {
    const path = join(work, 'locked');
    faults.set(path, code);
    expect(await refusal(assertPrivateFolder(path))).toEqual({
      message: `The configuration folder ${path} cannot be read (${code}).`,
      hint: 'Set KENDIS_JIRA_CONFIG_DIR to a folder you can write to.',
    });
  });

  it('any other failure is not disguised: the error itself', async () => {
    const path = join(work, 'broken');
    faults.set(path, 'EIO');
    await expect(assertPrivateFolder(path)).rejects.toMatchObject({ code: 'EIO' });
    await expect(assertPrivateFolder(path)).rejects.not.toBeInstanceOf(UsageError);
  });

  it('another user’s folder, even with a good mode', async () => {
    const path = folder(0o700);
    const me = asAnotherUser();
    expect(await refusal(assertPrivateFolder(path))).toEqual(foreignOwner('folder', path, ME, me));
  });

  it('another user’s folder that others can also change: the owner is said first', async () => {
    const path = folder(0o777);
    const me = asAnotherUser();
    expect(await refusal(assertPrivateFolder(path))).toEqual(foreignOwner('folder', path, ME, me));
  });

  it('"/" is judged as "/" itself, not as an empty path', async () => {
    const owner = statSync('/').uid;
    vi.spyOn(process, 'getuid').mockReturnValue(owner + 1);
    expect(await refusal(assertPrivateFolder('/'))).toEqual(foreignOwner('folder', '/', owner, owner + 1));
  });
});

describe('readPrivateFile: accepted', () => {
  it('a file that does not exist: undefined', async () => {
    await expect(readPrivateFile(join(work, 'absent.json'))).resolves.toBeUndefined();
    await expect(readPrivateFile(join(work, 'absent.json'), { secret: true })).resolves.toBeUndefined();
  });
  it.each([
    ['0600', 0o600],
    ['0644 (others may read the configuration, not change it)', 0o644],
    ['0640', 0o640],
    ['0400', 0o400],
  ])('my own configuration file, mode %s: its text', async (_name, mode) => {
    await expect(readPrivateFile(file(mode, '{"ok":true}'))).resolves.toBe('{"ok":true}');
    await expect(readPrivateFile(file(mode, '{"ok":1}', 'other.json'), { secret: false })).resolves.toBe('{"ok":1}');
  });
  it.each([
    ['0600', 0o600],
    ['0400', 0o400],
  ])('my own secrets file, mode %s: its text', async (_name, mode) => {
    await expect(readPrivateFile(file(mode, '{"secrets":{}}', 'secrets.json'), { secret: true })).resolves.toBe('{"secrets":{}}');
  });
});

describe('readPrivateFile: refused (exit 2), with the fix', () => {
  it.each([
    ['0666', 0o666, '666'],
    ['0664 (the group may write)', 0o664, '664'],
    ['0620', 0o620, '620'],
    ['0602 (others may write)', 0o602, '602'],
  ])('a configuration file others can change, mode %s', async (_name, mode, shown) => {
    const path = file(mode);
    expect(await refusal(readPrivateFile(path))).toEqual(changeable('file', path, shown));
  });

  it.each([
    ['0644', 0o644, '644'],
    ['0640 (the group may read)', 0o640, '640'],
    ['0604 (others may read)', 0o604, '604'],
    ['0610 (any bit for the group)', 0o610, '610'],
    ['0601 (any bit for others)', 0o601, '601'],
    ['0660 (the group may read and write: reading is said)', 0o660, '660'],
    ['0666', 0o666, '666'],
  ])('a secrets file others can read, mode %s', async (_name, mode, shown) => {
    const path = file(mode, '{}', 'secrets.json');
    expect(await refusal(readPrivateFile(path, { secret: true }))).toEqual(readable(path, shown));
  });

  it.runIf(root)('a secrets file with no bits for me but some for others is shown with three digits (root can open it)', async () => {
    const path = file(0o044, '{}', 'secrets.json');
    expect(await refusal(readPrivateFile(path, { secret: true }))).toEqual(readable(path, '044'));
  });

  it.each([
    ['to a private file', (target: string) => target],
    ['that dangles', () => join(work, 'nowhere.json')],
  ])('a symbolic link %s, never followed', async (_name, target) => {
    const link = join(work, 'config.json.link');
    symlinkSync(target(file(0o600, '{"planted":true}', 'elsewhere.json')), link);
    expect(await refusal(readPrivateFile(link))).toEqual(isLink(link));
    expect(await refusal(readPrivateFile(link, { secret: true }))).toEqual(isLink(link));
  });

  it.each([
    ['to a private file', (target: string) => target],
    ['that dangles', () => join(work, 'nowhere.json')],
  ])('where open() cannot refuse links (Windows: no O_NOFOLLOW), a symbolic link %s is refused by its name', async (_name, target) => {
    const link = join(work, 'win-config.json.link');
    symlinkSync(target(file(0o600, '{"planted":true}', 'win-elsewhere.json')), link);
    expect(await refusal(readPrivateFile(link, { noFollow: undefined }))).toEqual(isLink(link));
    // A regular file still reads, and an absent one is still "not there".
    expect(await readPrivateFile(file(0o600, '{"a":1}', 'win-plain.json'), { noFollow: undefined })).toBe('{"a":1}');
    expect(await readPrivateFile(join(work, 'win-absent.json'), { noFollow: undefined })).toBeUndefined();
  });

  it('EMLINK (what FreeBSD answers for a link opened with O_NOFOLLOW) is a link too', async () => {
    const path = join(work, 'bsd-link.json');
    faults.set(path, 'EMLINK');
    expect(await refusal(readPrivateFile(path))).toEqual(isLink(path));
  });

  it('any other failure to open is not disguised: the error itself', async () => {
    const path = join(work, 'broken.json');
    faults.set(path, 'EIO');
    await expect(readPrivateFile(path)).rejects.toMatchObject({ code: 'EIO' });
    await expect(readPrivateFile(path)).rejects.not.toBeInstanceOf(UsageError);
  });

  it('a folder where the file should be', async () => {
    const path = folder(0o700, 'config.json');
    expect(await refusal(readPrivateFile(path))).toEqual({ message: `${path} is not a regular file.`, hint: 'Move it away and run the command again.' });
  });

  it.each([
    ['a configuration file', 'config.json', false],
    ['a secrets file', 'secrets.json', true],
  ])('another user’s %s, even with mode 0600', async (_name, name, secret) => {
    const path = file(0o600, '{}', name);
    const me = asAnotherUser();
    expect(await refusal(readPrivateFile(path, { secret }))).toEqual(foreignOwner('file', path, ME, me));
  });
});

describe('every file opened is closed again', () => {
  it.runIf(existsSync('/proc/self/fd'))('reading, and refusing, leave no file descriptor open', async () => {
    const good = file(0o600, '{}', 'config.json');
    const bad = file(0o644, '{}', 'secrets.json');
    const open = () => readdirSync('/proc/self/fd').length;
    const before = open();
    for (let i = 0; i < 20; i += 1) {
      await readPrivateFile(good);
      await readPrivateFile(bad, { secret: true }).catch(() => undefined);
    }
    expect(open()).toBe(before);
  });
});

describe('where there is no ownership model, only links and non-folders are judged', () => {
  it.each([
    ['Windows', () => Object.defineProperty(process, 'platform', { ...platform, value: 'win32' })],
    [
      'no process.getuid',
      () => {
        process.getuid = undefined as unknown as typeof process.getuid;
      },
    ],
  ])('%s: modes and owners are accepted', async (_name, pretend) => {
    const cfg = folder(0o777);
    const config = file(0o666, '{"c":1}', 'config.json');
    const secrets = file(0o644, '{"s":1}', 'secrets.json');
    vi.spyOn(process, 'getuid').mockReturnValue(ME + 4242);
    pretend();
    await expect(assertPrivateFolder(cfg)).resolves.toBeUndefined();
    await expect(readPrivateFile(config)).resolves.toBe('{"c":1}');
    await expect(readPrivateFile(secrets, { secret: true })).resolves.toBe('{"s":1}');
    const link = join(work, 'link');
    symlinkSync(cfg, link);
    expect(await refusal(assertPrivateFolder(link))).toEqual(folderIsLink(link));
  });
});
