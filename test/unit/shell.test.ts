/** Paths in printed commands survive being pasted into the user's shell. */
import { describe, expect, it } from 'vitest';
import { shellWord, unshellWord } from '../../src/io/shell.js';

describe('shellWord', () => {
  it.each([
    ['bin/kendis-jira.js', 'linux', 'bin/kendis-jira.js'],
    ['/tmp/my clone/bin/kendis-jira.js', 'linux', "'/tmp/my clone/bin/kendis-jira.js'"],
    ["/tmp/it's/x.js", 'linux', "'/tmp/it'\\''s/x.js'"],
    ['/tmp/x$&y/x.js', 'linux', "'/tmp/x$&y/x.js'"],
    ['bin\\kendis-jira.js', 'win32', 'bin\\kendis-jira.js'],
    ['C:\\Users\\John Smith\\kj\\bin\\kendis-jira.js', 'win32', '"C:\\Users\\John Smith\\kj\\bin\\kendis-jira.js"'],
  ] as const)('%s on %s ⇒ %s', (path, platform, word) => {
    expect(shellWord(path, platform)).toBe(word);
    expect(unshellWord(word)).toBe(path);
  });
});
