/** What to select on Atlassian's API-token page: shown by setup and by rotate-token. */
import { ATLASSIAN_SCOPES, TOKEN_SCOPE_LISTS, TOKEN_SCOPE_USES } from '../atlassian/scopes.js';
import type { ProfileKind } from '../config/schema.js';
import type { Terminal } from '../io/terminal.js';

/**
 * The scopes of a kind's token: in Kendis' own groups when it gives them (the user's token), else
 * by the picker tab they are on (Classic, then Granular); each with Atlassian's title, the scope,
 * its tab or what Kendis uses it for; then the whole list on one line, which Kendis suggests
 * pasting into the picker's search.
 */
export function printTokenScopes(io: Terminal, indent: string, kind: ProfileKind = 'alm-account'): void {
  const list = TOKEN_SCOPE_LISTS[kind];
  const titleWidth = Math.max(...list.scopes.map((s) => ATLASSIAN_SCOPES[s]?.title.length ?? s.length));
  const scopeWidth = Math.max(...list.scopes.map((s) => s.length));
  const tab = (scope: string) => ATLASSIAN_SCOPES[scope]?.tab ?? 'Granular';
  const line = (scope: string, note: string) =>
    io.info(`${indent}  [ ] ${(ATLASSIAN_SCOPES[scope]?.title ?? scope).padEnd(titleWidth)}  ${io.paint.dim(scope.padEnd(scopeWidth))}  ${io.paint.dim(note)}`.trimEnd());
  if (list.groups) {
    for (const group of list.groups) {
      io.info(`${indent}${group.label} (${group.scopes.length}):`);
      for (const scope of group.scopes) line(scope, `${tab(scope)} tab`);
    }
  } else {
    for (const t of ['Classic', 'Granular'] as const) {
      const onTab = list.scopes.filter((s) => tab(s) === t);
      if (onTab.length === 0) continue;
      io.info(`${indent}${t} tab (${onTab.length}):`);
      for (const scope of onTab) line(scope, TOKEN_SCOPE_USES[scope] ?? '');
    }
  }
  io.info(`${indent}The whole list on one line, to paste into the picker's search as Kendis suggests:`);
  io.err(`${indent}  ${list.scopes.join(' ')}`);
}
