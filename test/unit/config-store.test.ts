import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigStore } from '../../src/config/store.js';
import { configDir } from '../../src/config/paths.js';
import { UsageError } from '../../src/errors.js';
import { tempDir } from '../helpers/test-deps.js';
import { sampleProfile } from '../helpers/fixtures.js';

describe('ConfigStore', () => {
  it('returns an empty config when there is no file', async () => {
    const store = new ConfigStore(join(tempDir(), 'nested', 'kendis-jira'));
    expect(await store.load()).toEqual({ version: 1, profiles: {}, progress: {}, leftovers: [] });
  });

  it('writes atomically with mode 0600 in a 0700 folder, leaving no temp files', async () => {
    const dir = join(tempDir(), 'kendis-jira');
    const store = new ConfigStore(dir);
    await store.update((c) => {
      c.profiles.default = sampleProfile();
    });
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dir)).toEqual(['config.json']);
    expect((await store.getProfile('default'))?.site).toBe('https://acme.atlassian.net');
  });

  it('serialises concurrent updates: none is lost', async () => {
    const store = new ConfigStore(tempDir());
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update((c) => {
          c.profiles[`p${i}`] = sampleProfile();
        }),
      ),
    );
    expect(Object.keys((await store.load()).profiles)).toHaveLength(20);
  });

  it('refuses a corrupt file and leaves it untouched', async () => {
    const dir = tempDir();
    const store = new ConfigStore(dir);
    writeFileSync(store.path, 'not json');
    await expect(store.load()).rejects.toThrow(/damaged/);
    await expect(store.update(() => undefined)).rejects.toBeInstanceOf(UsageError);
    expect(readFileSync(store.path, 'utf8')).toBe('not json');
  });

  it('refuses a file that fails the schema, naming the field', async () => {
    const store = new ConfigStore(tempDir());
    writeFileSync(store.path, JSON.stringify({ version: 1, profiles: { default: { site: 'x' } } }));
    await expect(store.load()).rejects.toThrow(/profiles\.default/);
  });

  it('refuses a hand-edited profile name that could not be typed (it would reach printed commands and completion)', async () => {
    const { sampleProfile } = await import('../helpers/fixtures.js');
    const store = new ConfigStore(tempDir());
    writeFileSync(store.path, JSON.stringify({ version: 1, profiles: { '$(touch /tmp/x)': sampleProfile() } }));
    await expect(store.load()).rejects.toThrow('profiles.$(touch /tmp/x) is missing or not valid');
    writeFileSync(store.path, JSON.stringify({ version: 1, profiles: { 'site-b': sampleProfile() } }));
    await expect(store.load()).resolves.toMatchObject({ profiles: { 'site-b': {} } });
  });

  it('refuses an unknown (newer) version and says to upgrade', async () => {
    const store = new ConfigStore(tempDir());
    const text = JSON.stringify({ version: 7, profiles: {} });
    writeFileSync(store.path, text);
    const error = await store.load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('newer kendis-jira');
    expect((error as UsageError).hint).toContain('Upgrade');
    expect(readFileSync(store.path, 'utf8')).toBe(text);
  });

  it('refuses a symlinked config file', async () => {
    const dir = tempDir();
    const target = join(tempDir(), 'elsewhere.json');
    writeFileSync(target, JSON.stringify({ version: 1, profiles: {} }));
    symlinkSync(target, join(dir, 'config.json'));
    // The project's own refusal (exit 2), not Node's "ELOOP: too many symbolic links encountered".
    const refused = await new ConfigStore(dir).load().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as UsageError).message).toBe(`${join(dir, 'config.json')} is a symbolic link; kendis-jira does not follow links for its configuration.`);
  });
});

describe('configDir', () => {
  it('prefers KENDIS_JIRA_CONFIG_DIR, then XDG_CONFIG_HOME, then ~/.config on Linux', () => {
    expect(configDir({ KENDIS_JIRA_CONFIG_DIR: '/x' }, 'linux', '/home/u')).toBe('/x');
    expect(configDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/kendis-jira');
    expect(configDir({}, 'linux', '/home/u')).toBe('/home/u/.config/kendis-jira');
    expect(configDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/kendis-jira');
  });
});
