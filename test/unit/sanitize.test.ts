/** The terminal filter keeps this tool's own colours and removes everything else that steers a terminal. */
import { describe, expect, it } from 'vitest';
import { safeForTerminal, singleLine } from '../../src/io/sanitize.js';
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

describe('typed: every command shown, as the user runs this CLI', () => {
  it('builds commands from how the tool was run, and the installed name by default', async () => {
    const { runAs, typed } = await import('../../src/io/typed.js');
    expect(typed('setup --profile a')).toBe('kendis-jira setup --profile a');
    runAs("node '/tmp/x$&y/bin/kendis-jira.js'");
    try {
      expect(typed('setup')).toBe("node '/tmp/x$&y/bin/kendis-jira.js' setup");
      expect(typed()).toBe("node '/tmp/x$&y/bin/kendis-jira.js'");
    } finally {
      runAs('kendis-jira');
    }
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
