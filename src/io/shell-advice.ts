/**
 * Advice that must work when typed: the command to put a secret in the environment without echo,
 * to clear the screen, to schedule the expiry check — in the user's own shell. On Windows that is
 * PowerShell (the default terminal) unless cmd.exe is recognisable (it defines PROMPT); elsewhere,
 * and in Git Bash or WSL, a POSIX shell.
 */
export type ShellKind = 'posix' | 'powershell' | 'cmd';

export function shellKind(env: Record<string, string | undefined>, platform: NodeJS.Platform): ShellKind {
  if (platform !== 'win32' || env.MSYSTEM !== undefined || env.SHELL !== undefined) return 'posix';
  return env.PROMPT !== undefined ? 'cmd' : 'powershell';
}

/** Set a secret in this session's environment without it being shown or kept in history. */
export function secretEnvCommand(name: string, shell: ShellKind): string {
  if (shell === 'posix') return `read -rs ${name} && export ${name}`;
  // cmd.exe cannot read a value without showing it: PowerShell can (Windows 10 and later have it).
  const line = `$env:${name} = Read-Host -MaskInput '${name}'`;
  return shell === 'powershell' ? line : `powershell, then ${line}`;
}

/** Clear the screen and, where the shell can, its scrollback. */
export function clearCommand(shell: ShellKind): string {
  if (shell === 'powershell') return 'Clear-Host';
  if (shell === 'cmd') return 'cls';
  return 'clear (in tmux also `tmux clear-history`)';
}
