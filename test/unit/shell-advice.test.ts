/** Advice that works when typed, in the user's own shell; file protection said truthfully per OS. */
import { describe, expect, it } from 'vitest';
import { clearCommand, secretEnvCommand, shellKind } from '../../src/io/shell-advice.js';
import { privateFileWords } from '../../src/secrets/file-backend.js';

describe('the user’s shell', () => {
  it.each([
    [{}, 'linux', 'posix'],
    [{}, 'darwin', 'posix'],
    [{}, 'win32', 'powershell'],
    [{ PROMPT: '$P$G' }, 'win32', 'cmd'],
    [{ PROMPT: '$P$G', MSYSTEM: 'MINGW64' }, 'win32', 'posix'],
    [{ SHELL: '/usr/bin/bash' }, 'win32', 'posix'],
  ] as const)('%j on %s ⇒ %s', (env, platform, kind) => expect(shellKind(env, platform)).toBe(kind));
});

describe('the commands it prints', () => {
  it('set a secret without showing it', () => {
    expect(secretEnvCommand('KENDIS_JIRA_API_TOKEN', 'posix')).toBe('read -rs KENDIS_JIRA_API_TOKEN && export KENDIS_JIRA_API_TOKEN');
    expect(secretEnvCommand('KENDIS_JIRA_API_TOKEN', 'powershell')).toBe("$env:KENDIS_JIRA_API_TOKEN = Read-Host -MaskInput 'KENDIS_JIRA_API_TOKEN'");
    // cmd.exe cannot read a value unseen: it is sent to PowerShell.
    expect(secretEnvCommand('X', 'cmd')).toBe("powershell, then $env:X = Read-Host -MaskInput 'X'");
  });
  it('clear the screen', () => {
    expect([clearCommand('posix'), clearCommand('powershell'), clearCommand('cmd')]).toEqual([
      'clear (in tmux also `tmux clear-history`)',
      'Clear-Host',
      'cls',
    ]);
  });
  it('what protects the secrets file: mode bits on POSIX, the profile folder on Windows', () => {
    expect(privateFileWords('linux')).toBe('mode 0600');
    expect(privateFileWords('darwin')).toBe('mode 0600');
    expect(privateFileWords('win32')).not.toContain('0600');
    expect(privateFileWords('win32')).toContain('profile folder');
  });
});
