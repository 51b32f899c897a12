/** The terminal filter keeps this tool's own colours and removes everything else that steers a terminal. */
import { describe, expect, it } from 'vitest';
import { asTyped, safeForTerminal, singleLine } from '../../src/io/sanitize.js';
import { Chalk } from 'chalk';
import { PassThrough } from 'node:stream';

describe('safeForTerminal', () => {
  it('keeps the colours this tool prints, byte for byte', () => {
    const chalk = new Chalk({ level: 1 });
    for (const text of [chalk.green('✔'), chalk.bold('Step 1 of 8'), `${chalk.red('✖')} ${chalk.dim('hint')}`]) expect(safeForTerminal(text)).toBe(text);
  });
  it('removes OSC, screen clears, cursor moves, C1 and bare ESC', () => {
    expect(safeForTerminal('a\u001b]52;c;ZXZpbA==\u0007b\u001b[2Jc\u001b[Hd\u009b2Je\u001bf')).toBe('abcdef');
  });
  it('singleLine turns line breaks into spaces and drops bidi overrides', () => {
    expect(singleLine('a\nb\u202Ec')).toBe('a bc');
  });
});

describe('asTyped: commands shown as the user runs this CLI', () => {
  it('rewrites only commands in backticks, and leaves the installed name alone', () => {
    expect(asTyped('Run `kendis-jira setup --profile a`; kendis-jira is fine.', 'node bin/kendis-jira.js')).toBe(
      'Run `node bin/kendis-jira.js setup --profile a`; kendis-jira is fine.',
    );
    expect(asTyped('See `kendis-jira`.', 'npx kendis-jira')).toBe('See `npx kendis-jira`.');
    expect(asTyped('Run `kendis-jira setup`.', 'kendis-jira')).toBe('Run `kendis-jira setup`.');
    expect(asTyped('`kendis-jiraX`', 'node x.js')).toBe('`kendis-jiraX`');
  });
  it('takes the path literally, even with $& or $` in it', () => {
    expect(asTyped('Run `kendis-jira setup`.', "node '/tmp/x$&y/bin/kendis-jira.js'")).toBe("Run `node '/tmp/x$&y/bin/kendis-jira.js' setup`.");
  });
});

describe('colours per stream', () => {
  it('a report on stdout redirected to a file gets no colour codes, while the terminal’s stderr keeps them', async () => {
    const { Terminal } = await import('../../src/io/terminal.js');
    const sink = (isTTY: boolean) => Object.assign(new PassThrough(), { isTTY });
    const io = new Terminal({ stdin: sink(true), stdout: sink(false), stderr: sink(true) } as never, { env: {} });
    expect(io.outPaint.green('ok')).toBe('ok');
    expect(io.paint.green('ok')).not.toBe('ok');
  });
});

describe('a --json document names commands as this user types them, as stderr does', () => {
  it('every string in the document: `kendis-jira …` becomes `node bin/kendis-jira.js …` from a clone', async () => {
    const { Terminal } = await import('../../src/io/terminal.js');
    const stdout = Object.assign(new PassThrough(), { isTTY: false });
    const io = new Terminal({ stdin: new PassThrough(), stdout, stderr: new PassThrough() } as never, { env: {}, cli: 'node bin/kendis-jira.js' });
    io.json({ checks: [{ hint: 'Then run `kendis-jira rotate-token --profile b`.' }], n: 3, ok: false });
    const doc = JSON.parse(String(stdout.read())) as { checks: { hint: string }[]; n: number; ok: boolean };
    expect(doc).toEqual({ checks: [{ hint: 'Then run `node bin/kendis-jira.js rotate-token --profile b`.' }], n: 3, ok: false });
  });
});

describe('withoutSecrets', () => {
  it('takes this run’s own secrets out of text a server sent', async () => {
    const { withoutSecrets } = await import('../../src/io/sanitize.js');
    expect(withoutSecrets('client_secret abc123secret is malformed; abc123secret again', ['abc123secret', undefined])).toBe(
      'client_secret [redacted] is malformed; [redacted] again',
    );
    expect(withoutSecrets('nothing here', ['abc123secret'])).toBe('nothing here');
  });
});

describe('a secret echoed by a server where the verdict cuts its quote short', () => {
  it('the token endpoint quoting the secret at the 120-character cut shows none of it', async () => {
    const { withoutSecrets } = await import('../../src/io/sanitize.js');
    const { oauthClientVerdict } = await import('../../src/checks/verdicts.js');
    const secret = 'ATATT3xSecretSecretSecretSecret0123456789';
    const description = `${'x'.repeat(100)} ${secret} is malformed`;
    const verdict = oauthClientVerdict({ ok: false, status: 400, error: 'invalid_request', description }, 'fix');
    const shown = withoutSecrets(verdict.detail, [secret]);
    expect(verdict.detail).toContain(secret.slice(0, 12));
    expect(shown).not.toContain(secret.slice(0, 12));
    expect(shown).toContain('[redacted]');
  });
});
