/**
 * `kendis-jira completion bash|zsh|fish|powershell`: a completion script built from the command
 * tree itself (so it never drifts from the options), with the fixed value sets, and profile names
 * asked at completion time from `kendis-jira __complete profiles` (config.json only: no network, no
 * keychain).
 */
import type { Deps } from '../deps.js';
import { PROFILE_NAME } from '../config/profile-name.js';

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

export interface CompletionSpec {
  /** Each visible command with its long options. */
  commands: { name: string; options: string[] }[];
  /** Options every command takes. */
  global: string[];
  /** Fixed value sets: after an option (`--x`) or as a command's argument (`copy`). */
  values: Record<string, readonly string[]>;
}

const NAME = 'kendis-jira';
const PROFILES = `${NAME} __complete profiles 2>/dev/null`;

function bash(spec: CompletionSpec): string {
  const cases = spec.commands.map((c) => `    ${c.name}) opts="${[...c.options, ...spec.global].join(' ')}" ;;`).join('\n');
  const values = Object.entries(spec.values)
    .map(([after, list]) => `    ${after}) COMPREPLY=( $(compgen -W "${list.join(' ')}" -- "$cur") ); return ;;`)
    .join('\n');
  return `# ${NAME} completion for bash. Load it now:  source <(${NAME} completion bash)
# or for every shell:  ${NAME} completion bash > ~/.local/share/bash-completion/completions/${NAME}
_kendis_jira() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${spec.commands.map((c) => c.name).join(' ')} --help --version" -- "$cur") ); return
  fi
  case "$prev" in
    --profile)
      # Profile names are matched by prefix, never expanded as words (compgen -W would expand them).
      COMPREPLY=(); local name
      while IFS= read -r name; do [[ "$name" == "$cur"* ]] && COMPREPLY+=("$name"); done < <(${PROFILES})
      return ;;
${values}
  esac
  case "\${COMP_WORDS[1]}" in
${cases}
    *) opts="${spec.global.join(' ')}" ;;
  esac
  COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
}
complete -F _kendis_jira ${NAME}
`;
}

function zsh(spec: CompletionSpec): string {
  return `#compdef ${NAME}
# ${NAME} completion for zsh. Load it now:  source <(${NAME} completion zsh)
# or for every shell, in ~/.zshrc:  source <(${NAME} completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bash(spec)
  .split('\n')
  .filter((l) => !l.startsWith('#'))
  .join('\n')}`;
}

function fish(spec: CompletionSpec): string {
  const lines = [`# ${NAME} completion for fish:  ${NAME} completion fish > ~/.config/fish/completions/${NAME}.fish`, `complete -c ${NAME} -f`];
  const names = spec.commands.map((c) => c.name).join(' ');
  for (const c of spec.commands) lines.push(`complete -c ${NAME} -n "not __fish_seen_subcommand_from ${names}" -a ${c.name}`);
  for (const c of spec.commands) {
    for (const o of c.options) lines.push(`complete -c ${NAME} -n "__fish_seen_subcommand_from ${c.name}" -l ${o.slice(2)}`);
    const args = spec.values[c.name];
    if (args) lines.push(`complete -c ${NAME} -n "__fish_seen_subcommand_from ${c.name}" -a "${args.join(' ')}"`);
  }
  for (const o of spec.global) lines.push(`complete -c ${NAME} -l ${o.slice(2)}${o === '--profile' ? ` -x -a "(${PROFILES})"` : ''}`);
  for (const [after, list] of Object.entries(spec.values))
    if (after.startsWith('--')) lines.push(`complete -c ${NAME} -l ${after.slice(2)} -x -a "${list.join(' ')}"`);
  return `${lines.join('\n')}\n`;
}

function powershell(spec: CompletionSpec): string {
  const table = spec.commands.map((c) => `    '${c.name}' = @(${[...c.options, ...spec.global].map((o) => `'${o}'`).join(', ')})`).join('\n');
  const values = Object.entries(spec.values)
    .map(([k, v]) => `    '${k}' = @(${v.map((x) => `'${x}'`).join(', ')})`)
    .join('\n');
  return `# ${NAME} completion for PowerShell. Load it now:  ${NAME} completion powershell | Out-String | Invoke-Expression
# or for every session: add that line to your $PROFILE
Register-ArgumentCompleter -Native -CommandName ${NAME} -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $options = @{
${table}
  }
  $values = @{
${values}
  }
  $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '') { $words = $words[0..($words.Count - 2)] }
  $candidates = if ($words.Count -le 1) { @(${spec.commands.map((c) => `'${c.name}'`).join(', ')}) }
    elseif ($words[-1] -eq '--profile') { @(& ${NAME} __complete profiles 2>$null) }
    elseif ($values.ContainsKey($words[-1])) { $values[$words[-1]] }
    elseif ($options.ContainsKey($words[1])) { $options[$words[1]] }
    else { @() }
  $candidates | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
}
`;
}

export function completionScript(shell: Shell, spec: CompletionSpec): string {
  switch (shell) {
    case 'bash':
      return bash(spec);
    case 'zsh':
      return zsh(spec);
    case 'fish':
      return fish(spec);
    default:
      return powershell(spec);
  }
}

/** `__complete profiles`: the profile names, one a line (config.json only). */
export async function printProfileNames(deps: Deps): Promise<void> {
  const { profiles } = await deps.config.load();
  for (const name of Object.keys(profiles).sort()) if (PROFILE_NAME.test(name)) deps.io.out(name);
}
