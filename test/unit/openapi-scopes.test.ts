/**
 * Proves the project's operation → scope-sets table and probe choices against Atlassian's own
 * OpenAPI data in ../shared/atlassian-openapi (read from there, never copied into the project).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPERATIONS, matchOperation, operationById, satisfies } from '../../src/atlassian/operations.js';
import { PROBES, UNPROBEABLE, uncoveredTokenScopes } from '../../src/atlassian/probes.js';
import { TOKEN_SCOPES } from '../../src/atlassian/scopes.js';

const dir = fileURLToPath(new URL('../../../shared/atlassian-openapi/', import.meta.url));
const present = existsSync(`${dir}jira-platform.v3.json`) && existsSync(`${dir}jira-software.v3.json`);
const ci = Boolean(process.env.CI && process.env.CI !== 'false');

type Spec = { paths: Record<string, Record<string, { security?: Record<string, string[]>[]; 'x-atlassian-oauth2-scopes'?: { scopes: string[] }[] }>> };

function scopeSets(spec: Spec, method: string, path: string): string[][] {
  const op = spec.paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${path} is not in the spec`);
  const sets: string[][] = [];
  for (const x of op['x-atlassian-oauth2-scopes'] ?? []) sets.push(x.scopes);
  for (const x of op.security ?? []) if (x.OAuth2) sets.push(x.OAuth2);
  return sets;
}

const canon = (sets: readonly (readonly string[])[]) => [...new Set(sets.map((s) => [...s].sort().join(' ')))].sort();

describe('probe table', () => {
  it('decides every token scope exactly once', () => {
    expect(uncoveredTokenScopes()).toEqual([]);
    const decided = [...PROBES.map((p) => p.scope), ...UNPROBEABLE.map((u) => u.scope)];
    expect(new Set(decided).size).toBe(decided.length);
    expect(decided.sort()).toEqual([...TOKEN_SCOPES].sort());
  });

  it('every probe is harmless: a GET, or a POST aimed at id 0 / with an empty body', () => {
    for (const p of PROBES) {
      if (p.method === 'GET') continue;
      const empty = JSON.stringify(p.body) === '{}' || JSON.stringify(p.body) === '{"fields":{}}';
      expect(empty, `${p.scope} body`).toBe(true);
    }
  });

  it('every probe path matches its own operation', () => {
    for (const p of PROBES) expect(matchOperation(p.method, p.path)?.id, p.path).toBe(p.operationId);
  });
});

describe.skipIf(!present && !ci)('against Atlassian’s OpenAPI specs', () => {
  const specs = present
    ? { platform: JSON.parse(readFileSync(`${dir}jira-platform.v3.json`, 'utf8')) as Spec, software: JSON.parse(readFileSync(`${dir}jira-software.v3.json`, 'utf8')) as Spec }
    : undefined;

  it('is present in CI', () => {
    expect(present).toBe(true);
  });

  it.each(OPERATIONS.map((o) => [o.id, o] as const))('operation %s has exactly the spec’s scope sets', (_id, op) => {
    expect(canon(op.scopeSets)).toEqual(canon(scopeSets(specs![op.spec], op.method, op.path)));
  });

  it.each(PROBES.map((p) => [p.scope, p] as const))('probe for %s is isolating (rule 1)', (scope, probe) => {
    const op = operationById(probe.operationId);
    const sets = scopeSets(specs![op.spec], op.method, op.path);
    expect(satisfies(sets, TOKEN_SCOPES), 'the full token set satisfies it').toBe(true);
    expect(satisfies(sets, TOKEN_SCOPES.filter((s) => s !== scope)), 'the set minus this scope does not').toBe(false);
  });

  it.each(UNPROBEABLE.map((u) => [u.scope] as const))('no operation isolates %s, so it is rightly marked not separately verifiable', (scope) => {
    const minus = TOKEN_SCOPES.filter((s) => s !== scope);
    const isolating: string[] = [];
    for (const spec of Object.values(specs!)) {
      for (const [path, item] of Object.entries(spec.paths)) {
        for (const method of ['get', 'post', 'put', 'delete']) {
          if (!item[method]) continue;
          const sets = scopeSets(spec, method, path);
          if (sets.length && satisfies(sets, TOKEN_SCOPES) && !satisfies(sets, minus)) isolating.push(`${method} ${path}`);
        }
      }
    }
    expect(isolating).toEqual([]);
  });
});
