/**
 * A file path as a shell word, for the commands this tool prints ("node <path> …"): left bare when
 * it is plain, else quoted the way the platform's shell reads it back.
 */
export function shellWord(path: string, platform: NodeJS.Platform = process.platform): string {
  if (/^[\w./\\@:+-]+$/.test(path)) return path;
  return platform === 'win32' ? `"${path.replace(/"/g, '""')}"` : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** The reverse of shellWord for the word this tool itself quoted. */
export function unshellWord(word: string): string {
  if (word.length >= 2 && word.startsWith("'") && word.endsWith("'")) return word.slice(1, -1).replace(/'\\''/g, "'");
  if (word.length >= 2 && word.startsWith('"') && word.endsWith('"')) return word.slice(1, -1).replace(/""/g, '"');
  return word;
}
