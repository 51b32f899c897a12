/**
 * One harmless, isolating probe per token scope (../shared/spec/checks.md, "Probes").
 * Isolating: each token's scopes (the ALM account's 15, a user's 20) satisfy the operation and the
 * set minus this scope does not (proven against Atlassian's OpenAPI data by
 * test/unit/openapi-scopes.test.ts). Harmless: reads, or writes and deletes aimed at id 0 / with an
 * empty body, which must fail (so a write's success proves nothing: checks/verdicts.ts). A read aimed
 * at id 0 may succeed (Jira does not document its failure for every read): its documented success
 * shape proves the scope like any other.
 * Where Atlassian accepts the classic read:jira-work or write:jira-work for every operation that
 * uses a scope, no probe can isolate it: the check is `skip`, never an unearned pass.
 */
import { TOKEN_SCOPES } from './scopes.js';

export interface Probe {
  scope: string;
  operationId: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** The concrete path, relative to {api}/ex/jira/{cloudId}. */
  path: string;
  body?: unknown;
  /** What Jira's 403 means for this request, when it is not about the account (e.g. apps only). */
  forbiddenMeans?: string;
}

export interface Unprobeable {
  scope: string;
  reason: string;
}

export const PROBES: readonly Probe[] = [
  { scope: 'read:jira-work', operationId: 'project-search', method: 'GET', path: '/rest/api/3/project/search?maxResults=1' },
  { scope: 'write:jira-work', operationId: 'issue-create', method: 'POST', path: '/rest/api/3/issue', body: { fields: {} } },
  { scope: 'read:jira-user', operationId: 'myself', method: 'GET', path: '/rest/api/3/myself' },
  { scope: 'manage:jira-project', operationId: 'issue-security-schemes', method: 'GET', path: '/rest/api/3/issuesecurityschemes' },
  {
    scope: 'manage:jira-webhook',
    operationId: 'webhooks',
    method: 'GET',
    path: '/rest/api/3/webhook?maxResults=1',
    forbiddenMeans: ': it lists webhooks only to apps, but the request got past Atlassian’s scope check',
  },
  {
    scope: 'read:field:jira',
    operationId: 'field-context-issuetype-mapping',
    method: 'GET',
    path: '/rest/api/3/field/customfield_0/context/issuetypemapping?maxResults=1',
  },
  { scope: 'read:board-scope:jira-software', operationId: 'board-versions', method: 'GET', path: '/rest/agile/1.0/board/0/version?maxResults=1' },
  { scope: 'read:sprint:jira-software', operationId: 'sprint-get', method: 'GET', path: '/rest/agile/1.0/sprint/0' },
  { scope: 'write:sprint:jira-software', operationId: 'sprint-update', method: 'POST', path: '/rest/agile/1.0/sprint/0', body: {} },
  { scope: 'read:epic:jira-software', operationId: 'epic-get', method: 'GET', path: '/rest/agile/1.0/epic/0' },
  { scope: 'write:epic:jira-software', operationId: 'epic-update', method: 'POST', path: '/rest/agile/1.0/epic/0', body: {} },
  // The individual user's token: deletes aimed at id 0, which cannot exist.
  { scope: 'delete:avatar:jira', operationId: 'avatar-delete', method: 'DELETE', path: '/rest/api/3/universal_avatar/type/project/owner/0/avatar/0' },
  {
    scope: 'delete:board-scope.admin:jira-software',
    operationId: 'board-property-delete',
    method: 'DELETE',
    path: '/rest/agile/1.0/board/0/properties/kendis-jira-probe',
  },
];

/** Every operation needing the scope also accepts a classic scope the token has, so none can tell them apart. */
const coveredBy = (classic: 'read:jira-work' | 'write:jira-work') =>
  `every request that needs it also accepts ${classic}, so no request can tell the two apart.`;
const READ_COVERS = coveredBy('read:jira-work');
const WRITE_COVERS = coveredBy('write:jira-work');

const ASSETS = 'it belongs to the Assets (CMDB) API, which no Jira request reaches.';
const NO_JIRA_OPERATION = 'no Jira request uses it (it belongs to the DevOps builds API).';

export const UNPROBEABLE: readonly Unprobeable[] = [
  { scope: 'read:issue-type:jira', reason: READ_COVERS },
  { scope: 'read:issue-link-type:jira', reason: READ_COVERS },
  { scope: 'delete:issue-link:jira', reason: WRITE_COVERS },
  { scope: 'read:project:jira', reason: READ_COVERS },
  { scope: 'delete:async-task:jira', reason: WRITE_COVERS },
  { scope: 'delete:attachment:jira', reason: WRITE_COVERS },
  { scope: 'delete:comment:jira', reason: WRITE_COVERS },
  { scope: 'delete:build-info:jira', reason: NO_JIRA_OPERATION },
  { scope: 'delete:cmdb-attribute:jira', reason: ASSETS },
  { scope: 'delete:cmdb-object:jira', reason: ASSETS },
  { scope: 'delete:cmdb-schema:jira', reason: ASSETS },
  { scope: 'delete:cmdb-type:jira', reason: ASSETS },
];

export function probeFor(scope: string): Probe | Unprobeable {
  const probe = PROBES.find((p) => p.scope === scope) ?? UNPROBEABLE.find((u) => u.scope === scope);
  if (!probe) throw new Error(`no probe decision for token scope ${scope}`);
  return probe;
}

export function isProbe(p: Probe | Unprobeable): p is Probe {
  return 'operationId' in p;
}

/** Scopes of a list with no probe decision (tests demand none). */
export function uncoveredTokenScopes(scopes: readonly string[] = TOKEN_SCOPES): string[] {
  return scopes.filter((s) => !PROBES.some((p) => p.scope === s) && !UNPROBEABLE.some((u) => u.scope === s));
}
