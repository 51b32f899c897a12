/** What to select on Atlassian's API-token page: shown by setup and by rotate-token. */
import { ATLASSIAN_SCOPES, TOKEN_SCOPE_LISTS, TOKEN_SCOPE_USES } from '../atlassian/scopes.js';
import type { ProfileKind } from '../config/schema.js';
import type { Terminal } from '../io/terminal.js';

/**
 * Rows of "[ ] title  scope  note" fitted to the terminal: the note goes first when the row is too
 * wide, then the scope moves under its title; a scope name is never split (it is what the admin
 * types into Atlassian's picker).
 */
export function printScopeRows(io: Terminal, indent: string, rows: readonly { title: string; scope: string; note?: string }[]): void {
  const titleWidth = Math.max(...rows.map((r) => r.title.length));
  const scopeWidth = Math.max(...rows.map((r) => r.scope.length));
  const noteWidth = Math.max(0, ...rows.map((r) => (r.note ?? '').length));
  const width = io.width ?? Number.POSITIVE_INFINITY;
  const mark = `${indent}[ ] `;
  const withNotes = noteWidth > 0 && mark.length + titleWidth + 2 + scopeWidth + 2 + noteWidth <= width;
  const oneLine = mark.length + titleWidth + 2 + scopeWidth <= width;
  for (const r of rows) {
    if (withNotes) io.info(`${mark}${r.title.padEnd(titleWidth)}  ${io.paint.dim(r.scope.padEnd(scopeWidth))}  ${io.paint.dim(r.note ?? '')}`.trimEnd());
    else if (oneLine) io.info(`${mark}${r.title.padEnd(titleWidth)}  ${io.paint.dim(r.scope)}`);
    else {
      io.info(`${mark}${r.title}`);
      io.copyLine(`${' '.repeat(mark.length)}${io.paint.dim(r.scope)}`);
    }
  }
}

/**
 * The scopes of a kind's token: in Kendis' own groups when it gives them (the user's token), else
 * by the picker tab they are on (Classic, then Granular); each with Atlassian's title, the scope,
 * its tab or what Kendis uses it for; then the whole list on one line, which Kendis suggests
 * pasting into the picker's search.
 */
export function printTokenScopes(io: Terminal, indent: string, kind: ProfileKind = 'alm-account'): void {
  const list = TOKEN_SCOPE_LISTS[kind];
  const tab = (scope: string) => ATLASSIAN_SCOPES[scope]?.tab ?? 'Granular';
  const row = (scope: string, note: string) => ({ title: ATLASSIAN_SCOPES[scope]?.title ?? scope, scope, note });
  if (list.groups) {
    for (const group of list.groups) {
      io.info(`${indent}${group.label} (${group.scopes.length}):`);
      printScopeRows(
        io,
        `${indent}  `,
        group.scopes.map((scope) => row(scope, `${tab(scope)} tab`)),
      );
    }
  } else {
    for (const t of ['Classic', 'Granular'] as const) {
      const onTab = list.scopes.filter((s) => tab(s) === t);
      if (onTab.length === 0) continue;
      io.info(`${indent}${t} tab (${onTab.length}):`);
      printScopeRows(
        io,
        `${indent}  `,
        onTab.map((scope) => row(scope, TOKEN_SCOPE_USES[scope] ?? '')),
      );
    }
  }
  // The whole list on one line, for the picker's search (the line before the tables says so).
  io.copyLine(list.scopes.join(' '));
}
