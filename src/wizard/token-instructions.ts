/** What to select on Atlassian's API-token page: shown by setup Step 7 and by rotate-token. */
import { ATLASSIAN_SCOPES, TOKEN_SCOPES, TOKEN_SCOPE_USES } from '../atlassian/scopes.js';
import type { Terminal } from '../io/terminal.js';

/**
 * The scopes grouped by the picker tab they are on (Classic, then Granular), each with Atlassian's
 * title, the scope and what Kendis uses it for; then the whole list on one line, ready to paste
 * into the picker's search.
 */
export function printTokenScopes(io: Terminal, indent: string, scopes: readonly string[] = TOKEN_SCOPES, uses: Readonly<Record<string, string>> = TOKEN_SCOPE_USES): void {
  const titleWidth = Math.max(...scopes.map((s) => ATLASSIAN_SCOPES[s]?.title.length ?? s.length));
  const scopeWidth = Math.max(...scopes.map((s) => s.length));
  for (const tab of ['Classic', 'Granular'] as const) {
    const onTab = scopes.filter((s) => (ATLASSIAN_SCOPES[s]?.tab ?? 'Granular') === tab);
    if (onTab.length === 0) continue;
    io.info(`${indent}${tab} tab (${onTab.length}):`);
    for (const scope of onTab) {
      const title = ATLASSIAN_SCOPES[scope]?.title ?? scope;
      io.info(`${indent}  [ ] ${title.padEnd(titleWidth)}  ${io.paint.dim(scope.padEnd(scopeWidth))}  ${io.paint.dim(uses[scope] ?? '')}`.trimEnd());
    }
  }
  io.info(`${indent}Paste-ready list (the picker's search takes it):`);
  io.err(`${indent}  ${scopes.join(' ')}`);
}
