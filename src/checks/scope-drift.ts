/**
 * Scope drift (atlassian.md, "Scope requirements drift"): Atlassian changes which scopes an
 * operation needs. When a probe fails "scope does not match" although another probe, whose
 * operation cannot pass without that scope, did pass, the scope is on the token and the table this
 * tool was built with is out of date: say so, instead of sending the user to make a new token.
 */
import { operationById } from '../atlassian/operations.js';
import { PROBES } from '../atlassian/probes.js';

/** The passed probe that proves `scope` is on the token, if any (pure). */
export function evidenceFor(scope: string, passedScopes: readonly string[], tokenScopes: readonly string[]): string | undefined {
  const have = new Set(tokenScopes);
  for (const passed of passedScopes) {
    if (passed === scope) continue;
    const probe = PROBES.find((p) => p.scope === passed);
    if (!probe) continue;
    // The sets the token could have satisfied the operation with: if each contains `scope`, it passed only with it.
    const usable = operationById(probe.operationId).scopeSets.filter((set) => set.every((s) => have.has(s)));
    if (usable.length > 0 && usable.every((set) => set.includes(scope))) return passed;
  }
  return undefined;
}

export function driftHint(scope: string, evidence: string): string {
  return `The token evidently holds ${scope}: the ${evidence} check needs it and passed. Atlassian's scope rules for the test request may have changed since this kendis-jira was built. Update kendis-jira (\`npm install -g kendis-jira@latest\`), or in a clone run \`npm run scopes:update\`; you do not need a new token for this.`;
}
