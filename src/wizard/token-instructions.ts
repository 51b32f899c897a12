/** What to select on Atlassian's API-token page: shown by setup Step 7 and by rotate-token. */
import { TOKEN_SCOPES, tokenScopeTitle } from '../atlassian/scopes.js';
import type { Terminal } from '../io/terminal.js';

export function printTokenScopes(io: Terminal, indent: string): void {
  // One line to copy as a whole, then each scope with the words a person searches for.
  io.err(`${indent}${TOKEN_SCOPES.join(' ')}`);
  for (const scope of TOKEN_SCOPES) io.hint(`${indent.slice(2)}${scope.padEnd(32)} ${tokenScopeTitle(scope)}`);
}
