/**
 * The contract of src/io/sanitize.ts, as tables: which characters and sequences each filter removes,
 * which it turns into a space, and which it keeps. Text from a site, a server or a file must never
 * steer the terminal (write the clipboard, clear the screen, move the cursor, hide or reorder text),
 * and this tool's own colours must come through byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { safeForTerminal, singleLine, withoutSecrets } from '../../src/io/sanitize.js';

const ESC = '\u001b';
const hex = (c: string) => [...c].map((ch) => `U+${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`).join(' ');

/** Invisible or direction-changing: both filters remove them (a site could reorder how a line reads). */
const INVISIBLE: readonly [string, string][] = [
  ['\u00ad', 'soft hyphen'],
  ['\u061c', 'Arabic letter mark'],
  ['\u200b', 'zero-width space'],
  ['\u200c', 'zero-width non-joiner'],
  ['\u200d', 'zero-width joiner'],
  ['\u200e', 'left-to-right mark'],
  ['\u200f', 'right-to-left mark'],
  ['\u202a', 'left-to-right embedding'],
  ['\u202b', 'right-to-left embedding'],
  ['\u202c', 'pop directional formatting'],
  ['\u202d', 'left-to-right override'],
  ['\u202e', 'right-to-left override'],
  ['\u2060', 'word joiner'],
  ['\u2063', 'invisible separator'],
  ['\u2066', 'left-to-right isolate'],
  ['\u2067', 'right-to-left isolate'],
  ['\u2068', 'first strong isolate'],
  ['\u2069', 'pop directional isolate'],
  ['\ufeff', 'byte order mark / zero-width no-break space'],
];

/** Visible text, including the neighbours of every removed range: both filters keep it as it is. */
const KEPT: readonly [string, string][] = [
  ['plain ASCII', 'Jira Cloud: acme (1234) ~ [ok] {x} \\ /'],
  ['letters and symbols of other scripts', 'Zoë Ørsted — 東京 ✔ ✖ ’'],
  ['a space and a no-break space', ' \u00a0 '],
  ['U+007E, before DEL', '~'],
  ['U+00AC and U+00AE, around the soft hyphen', '\u00ac\u00ae'],
  ['U+061B and U+061D, around the Arabic letter mark', '\u061b\u061d'],
  ['U+200A and U+2010, around the zero-width range', '\u200a\u2010'],
  ['U+2027 and U+202F, around the line separators and overrides', '\u2027\u202f'],
  ['U+205F and U+206A, around the word joiner and isolates', '\u205f\u206a'],
  ['U+FEFE and U+FF01, around the byte order mark', '\ufefe\uff01'],
];

describe('singleLine: one value from outside becomes one line of plain text', () => {
  it.each([
    ['line feed', 'a\nb', 'a b'],
    ['carriage return (could overwrite the line)', 'a\rb', 'a b'],
    ['CR LF', 'a\r\nb', 'a  b'],
    ['tab', 'a\tb', 'a b'],
    ['NUL', 'a\u0000b', 'a b'],
    ['BEL', 'a\u0007b', 'a b'],
    ['U+001F', 'a\u001fb', 'a b'],
    ['ESC (the sequence after it stays as harmless text)', `a${ESC}[2Jb`, 'a [2Jb'],
    ['DEL', 'a\u007fb', 'a b'],
    ['U+0080, first C1 control', 'a\u0080b', 'a b'],
    ['NEL (U+0085)', 'a\u0085b', 'a b'],
    ['8-bit CSI (U+009B)', 'a\u009b2Jb', 'a 2Jb'],
    ['U+009F, last C1 control', 'a\u009fb', 'a b'],
    ['line separator (U+2028)', 'a\u2028b', 'a b'],
    ['paragraph separator (U+2029)', 'a\u2029b', 'a b'],
  ])('%s becomes a space', (_name, input, expected) => {
    expect(singleLine(input)).toBe(expected);
  });

  it.each(INVISIBLE)('%s (%s) is removed', (char) => {
    expect(singleLine(`a${char}b`), hex(char)).toBe('ab');
  });

  it.each(KEPT)('%s is kept: %s', (_name, text) => {
    expect(singleLine(text)).toBe(text);
  });

  it('a hostile answer reads as one line, in order', () => {
    expect(singleLine(`Eve\u202Eeulav\n✔ All checks passed`)).toBe('Eveeulav ✔ All checks passed');
  });
});

describe('safeForTerminal: the last filter on every write', () => {
  it.each([
    ['reset', `${ESC}[0m`],
    ['reset, no parameter', `${ESC}[m`],
    ['bold green', `${ESC}[1;32m`],
    ['256-colour foreground', `${ESC}[38;5;196m`],
    ['dim, then default foreground', `${ESC}[2m${ESC}[39m`],
  ])('keeps this tool’s own colours byte for byte: %s', (_name, sgr) => {
    expect(safeForTerminal(`a${sgr}b${ESC}[0m`)).toBe(`a${sgr}b${ESC}[0m`);
  });

  it.each([
    ['clear the screen (CSI 2J)', `${ESC}[2J`],
    ['cursor home (CSI H)', `${ESC}[H`],
    ['cursor to row 12, column 5', `${ESC}[12;5H`],
    ['hide the cursor (private CSI)', `${ESC}[?25l`],
    ['cursor style (CSI with an intermediate byte)', `${ESC}[1 q`],
    ['a colour with colon sub-parameters (not one of ours)', `${ESC}[38:5:196m`],
    ['write the clipboard (OSC 52, BEL-terminated)', `${ESC}]52;c;ZXZpbA==\u0007`],
    ['set the window title (OSC 0, ST-terminated)', `${ESC}]0;pwned${ESC}\\`],
    ['a hyperlink (OSC 8)', `${ESC}]8;;https://evil.example${ESC}\\`],
    ['reverse index (ESC M)', `${ESC}M`],
    ['device control string introducer (ESC P)', `${ESC}P`],
    ['application program command (ESC _)', `${ESC}_`],
    ['8-bit CSI clearing the screen', '\u009b2J'],
    ['8-bit CSI moving the cursor', '\u009b12;5H'],
    ['8-bit CSI with an intermediate byte', '\u009b1 q'],
  ])('removes %s, parameters included', (_name, sequence) => {
    expect(safeForTerminal(`a${sequence}b`)).toBe('ab');
  });

  it('removes an OSC cut off by the end of the text (a truncated answer), payload and all', () => {
    expect(safeForTerminal(`a${ESC}]52;c;ZXZpbA==`)).toBe('a');
  });

  it.each([
    ['ESC 7 (save cursor)', `${ESC}7`, '7'],
    ['ESC c (full reset)', `${ESC}c`, 'c'],
    ['ESC [ cut off by a line break', `${ESC}[12\n`, '[12\n'],
    ['ESC at the very end', ESC, ''],
    ['a cursor move followed by text that ends in "m"', `${ESC}[Hxm`, 'xm'],
  ])('removes a bare ESC, and the text after it stays text: %s', (_name, input, expected) => {
    expect(safeForTerminal(`a${input}b`)).toBe(`a${expected}b`);
  });

  it.each([
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['backspace (U+0008)', '\u0008'],
    ['vertical tab (U+000B)', '\u000b'],
    ['form feed', '\u000c'],
    ['carriage return (could overwrite the line)', '\r'],
    ['shift out (U+000E)', '\u000e'],
    ['U+001A', '\u001a'],
    ['U+001C', '\u001c'],
    ['U+001F', '\u001f'],
    ['DEL', '\u007f'],
    ['U+0080', '\u0080'],
    ['NEL (U+0085)', '\u0085'],
    ['U+009F', '\u009f'],
  ])('removes the control character %s', (_name, char) => {
    expect(safeForTerminal(`a${char}b`), hex(char)).toBe('ab');
  });

  it.each(INVISIBLE)('removes %s (%s)', (char) => {
    expect(safeForTerminal(`a${char}b`), hex(char)).toBe('ab');
  });

  it('keeps line feeds and tabs: a report is several lines, with columns', () => {
    expect(safeForTerminal('a\tb\nc\td\n')).toBe('a\tb\nc\td\n');
  });

  it.each(KEPT)('keeps %s: %s', (_name, text) => {
    expect(safeForTerminal(text)).toBe(text);
  });

  it('a colour next to a hostile sequence: the colour stays, the rest goes', () => {
    expect(safeForTerminal(`${ESC}[32m✔${ESC}[39m${ESC}]52;c;x\u0007${ESC}[2J\r✖`)).toBe(`${ESC}[32m✔${ESC}[39m✖`);
  });
});

describe('withoutSecrets: this run’s own secrets never come back on screen', () => {
  it.each([
    ['a 6-character secret is taken out', 'got abcdef twice: abcdef', ['abcdef'], 'got [redacted] twice: [redacted]'],
    ['a longer one too', 'client_secret ATATT3xSECRET is malformed', ['ATATT3xSECRET'], 'client_secret [redacted] is malformed'],
    ['every secret given', 'id one-secret, token two-secret', ['one-secret', 'two-secret'], 'id [redacted], token [redacted]'],
    ['a missing secret is skipped, the others still apply', 'token two-secret', [undefined, 'two-secret'], 'token [redacted]'],
    ['text without the secret is unchanged', 'nothing to hide here', ['abcdef'], 'nothing to hide here'],
    ['a secret shorter than 6 characters is not looked for (it would garble ordinary words)', 'the abcde of it', ['abcde'], 'the abcde of it'],
    ['an empty secret is not looked for', 'plain text', [''], 'plain text'],
    ['no secrets at all', 'plain text', [], 'plain text'],
    [
      'a quote cut short halfway through the secret: the half is taken out',
      'token ATATT3xSECRETVALUE0).',
      ['ATATT3xSECRETVALUE0123456789'],
      'token [redacted]).',
    ],
    ['a cut after the first 12 characters is still taken out', 'got ATATT3xSECRE', ['ATATT3xSECRET'], 'got [redacted]'],
    ['11 leading characters are not (a token’s fixed start, or ordinary words)', 'got ATATT3xSECR', ['ATATT3xSECRET'], 'got ATATT3xSECR'],
    ['a secret shorter than 12 characters goes only whole', 'got abcdefg and abcdefgh', ['abcdefgh'], 'got abcdefg and [redacted]'],
    ['the secret followed by more text: only the secret goes', 'x ATATT3xSECRETmore', ['ATATT3xSECRET'], 'x [redacted]more'],
    ['the start, then a different character: the start goes', 'x ATATT3xSECREZ', ['ATATT3xSECRET'], 'x [redacted]Z'],
  ] as const)('%s', (_name, text, secrets, expected) => {
    expect(withoutSecrets(text, secrets)).toBe(expected);
  });
});
