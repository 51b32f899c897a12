/** The clipboard: which program for which system, the secret only on its stdin, OSC 52 as the last resort. */
import { describe, expect, it } from 'vitest';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLEAR_AFTER_S, clipboardTools, copiedSentence, copyToClipboard, digestOf, osc52, scheduleClearDetached } from '../../src/io/clipboard.js';
import { tempDir } from '../helpers/test-deps.js';

/** A fake clipboard program: records its arguments and what it received on stdin. */
function fakeProgram(dir: string, name: string, exit = 0): { argv: string; input: string; env: string } {
  const argv = join(dir, `${name}.argv`);
  const input = join(dir, `${name}.stdin`);
  const env = join(dir, `${name}.env`);
  writeFileSync(
    join(dir, name),
    `#!/bin/sh\necho "$@" > ${JSON.stringify(argv)}\nenv > ${JSON.stringify(env)}\ncat > ${JSON.stringify(input)}\nexit ${exit}\n`,
  );
  chmodSync(join(dir, name), 0o755);
  return { argv, input, env };
}

describe('clipboardTools', () => {
  it('per system and session', () => {
    expect(clipboardTools('darwin', {}).map((t) => t.write[0])).toEqual(['pbcopy']);
    expect(clipboardTools('win32', {}).map((t) => t.write[0])).toEqual(['clip.exe']);
    expect(clipboardTools('linux', { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' }).map((t) => t.write[0])).toEqual(['wl-copy', 'xclip', 'xsel']);
    expect(clipboardTools('linux', { DISPLAY: ':0' }).map((t) => t.write[0])).toEqual(['xclip', 'xsel']);
    expect(clipboardTools('linux', {})).toEqual([]);
    expect(clipboardTools('darwin', {})[0]?.read).toEqual(['pbpaste']);
  });
});

describe('copyToClipboard', () => {
  const secret = 'ATATT3xSecretThatMustNeverShow';
  it('gives the secret to the program on stdin, never in its arguments or environment, and schedules the clean-up by digest', async () => {
    const dir = tempDir('kj-clip-');
    const xclip = fakeProgram(dir, 'xclip');
    const scheduled: [string, string, number][] = [];
    // A script passed the secrets in; xclip keeps running while it owns the clipboard, its environment readable.
    const env = {
      DISPLAY: ':9',
      PATH: `${dir}:/usr/bin:/bin`,
      KENDIS_JIRA_API_TOKEN: 'ATATT3x-env-token-value',
      KENDIS_JIRA_CLIENT_SECRET: 'env-client-secret-value',
    };
    const outcome = await copyToClipboard(secret, {
      platform: 'linux',
      env,
      interactive: false,
      scheduleClear: (tool, digest, s) => void scheduled.push([tool.write[0] as string, digest, s]),
    });
    const seen = readFileSync(xclip.env, 'utf8');
    expect(seen).toContain('DISPLAY=:9');
    expect(seen).not.toContain('KENDIS_JIRA_API_TOKEN');
    expect(seen).not.toContain('env-client-secret-value');
    expect(outcome).toEqual({ kind: 'copied', to: 'the clipboard (xclip)', clearsAfterS: CLEAR_AFTER_S });
    expect(readFileSync(xclip.input, 'utf8')).toBe(secret);
    expect(readFileSync(xclip.argv, 'utf8')).not.toContain(secret);
    expect(scheduled).toEqual([['xclip', digestOf(secret), 45]]);
    expect(copiedSentence('API token', outcome as never)).toBe(
      'The API token is on the clipboard (xclip): paste it where it goes. It is cleared in 45 s if it is still there.',
    );
  });
  it('a program that fails is passed over for the next one', async () => {
    const dir = tempDir('kj-clip-');
    fakeProgram(dir, 'xclip', 1);
    const xsel = fakeProgram(dir, 'xsel');
    const outcome = await copyToClipboard(secret, {
      platform: 'linux',
      env: { DISPLAY: ':9', PATH: `${dir}:/usr/bin:/bin` },
      interactive: false,
      scheduleClear: () => undefined,
    });
    expect(outcome).toMatchObject({ kind: 'copied', to: 'the clipboard (xsel)' });
    expect(readFileSync(xsel.input, 'utf8')).toBe(secret);
  });
  it('no program: OSC 52 to the terminal for a person, or nothing (said which were tried)', async () => {
    const sent: string[] = [];
    const interactive = await copyToClipboard(secret, {
      platform: 'linux',
      env: { PATH: '/nonexistent' },
      interactive: true,
      writeToTerminal: (s) => (sent.push(s), true),
    });
    expect(interactive).toEqual({ kind: 'copied', to: 'your terminal’s clipboard (OSC 52)', clearsAfterS: undefined });
    expect(sent).toEqual([`\u001b]52;c;${Buffer.from(secret).toString('base64')}\u0007`]);
    expect(copiedSentence('API token', interactive as never)).toContain('Paste something else over it');
    const unattended = await copyToClipboard(secret, {
      platform: 'linux',
      env: { DISPLAY: ':9', PATH: '/nonexistent' },
      interactive: false,
      writeToTerminal: () => true,
    });
    expect(unattended).toEqual({ kind: 'unavailable', tried: ['xclip', 'xsel'] });
    const noTty = await copyToClipboard(secret, { platform: 'linux', env: {}, interactive: true, writeToTerminal: () => false });
    expect(noTty).toEqual({ kind: 'unavailable', tried: ['OSC 52'] });
  });
  it('osc52 encodes UTF-8 as base64', () => {
    expect(osc52('é')).toBe('\u001b]52;c;w6k=\u0007');
  });
  it('the clean-up (a detached process) has neither the digest nor a secret variable on its command line or in its environment', async () => {
    const dir = tempDir('kj-clip-');
    const digest = digestOf(secret);
    const tool = { name: 'none', write: [join(dir, 'absent')], read: [join(dir, 'absent')] };
    process.env.KENDIS_JIRA_API_TOKEN = 'ATATT3x-clear-helper-env-token';
    try {
      scheduleClearDetached(tool, digest, 3);
    } finally {
      delete process.env.KENDIS_JIRA_API_TOKEN;
    }
    await new Promise((r) => setTimeout(r, 300));
    // Find the helper among this machine's processes (Linux: /proc) by its script.
    const helpers = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .flatMap((pid) => {
        try {
          const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
          return cmdline.includes('createHash') ? [{ cmdline, environ: readFileSync(`/proc/${pid}/environ`, 'utf8') }] : [];
        } catch {
          return [];
        }
      });
    expect(helpers.length).toBeGreaterThan(0);
    for (const h of helpers) {
      expect(h.cmdline).not.toContain(digest);
      expect(h.environ).not.toContain('ATATT3x-clear-helper-env-token');
    }
  });

  it('the clean-up (a detached process) empties the clipboard only if it still holds the secret', async () => {
    const dir = tempDir('kj-clip-');
    const fake = (name: string) => {
      const store = join(dir, `${name}.clip`);
      writeFileSync(join(dir, name), `#!/bin/sh\nif [ "$1" = "-o" ]; then cat ${JSON.stringify(store)}; else cat > ${JSON.stringify(store)}; fi\n`);
      chmodSync(join(dir, name), 0o755);
      return { store, tool: { name, write: [join(dir, name)], read: [join(dir, name), '-o'] } };
    };
    const still = fake('still');
    const replaced = fake('replaced');
    writeFileSync(still.store, secret);
    writeFileSync(replaced.store, 'something the user copied since');
    scheduleClearDetached(still.tool, digestOf(secret), 0.2);
    scheduleClearDetached(replaced.tool, digestOf(secret), 0.2);
    for (let i = 0; i < 60 && readFileSync(still.store, 'utf8') !== ''; i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(still.store, 'utf8')).toBe('');
    await new Promise((r) => setTimeout(r, 500));
    expect(readFileSync(replaced.store, 'utf8')).toBe('something the user copied since');
  });
});
