/** The terminal filter keeps this tool's own colours and removes everything else that steers a terminal. */
import { describe, expect, it } from 'vitest';
import { safeForTerminal, singleLine } from '../../src/io/sanitize.js';
import { Chalk } from 'chalk';

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
