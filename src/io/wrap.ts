/**
 * Text fitted to the terminal: lines wrapped at word boundaries, continuation lines indented under
 * the text (after a mark like "✔ " or "1. "), and a word wider than the line — a URL, a scope name —
 * kept whole on its own line, never split.
 */
const SGR = /\u001b\[[0-9;]*m/g;

/** How many columns a string takes (colour codes take none). */
export function visibleLength(text: string): number {
  return [...text.replace(SGR, '')].length;
}

const MARK = /^(?:[✔!✖?–→•] |\[ \] |\d+\. )/;

export function wrapLine(line: string, width: number): string[] {
  if (width <= 0 || visibleLength(line) <= width) return [line];
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const rest = line.slice(indent.length);
  const mark = MARK.exec(rest.replace(SGR, ''))?.[0] ?? '';
  const hang = indent + ' '.repeat([...mark].length);
  const words = rest.split(' ');
  const out: string[] = [];
  let current = indent;
  let used = visibleLength(indent);
  let first = true;
  for (const word of words) {
    const size = visibleLength(word);
    const start = first ? indent : hang;
    if (used > visibleLength(start) && used + 1 + size > width) {
      out.push(current);
      current = hang;
      used = visibleLength(hang);
      first = false;
    }
    const sep = used > visibleLength(first ? indent : hang) ? ' ' : '';
    current += sep + word;
    used += sep.length + size;
  }
  out.push(current);
  return out;
}

export function wrapText(text: string, width: number | undefined): string {
  if (!width) return text;
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
}
