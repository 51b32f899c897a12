/**
 * The gateway operations this project uses, with the scope sets that satisfy each — taken from
 * Atlassian's published OpenAPI specs (x-atlassian-oauth2-scopes / security.OAuth2). A token
 * passes when it holds every scope of at least one set. test/unit/openapi-scopes.test.ts proves
 * each entry against the table derived from Atlassian's specs (openapi-scopes.json); the stand-in Atlassian enforces it.
 */
import { jiraContract, type AnswerContract, type JsonType } from './answers.js';

export interface GatewayOperation {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path template as the spec writes it. */
  path: string;
  spec: 'platform' | 'software';
  scopeSets: readonly (readonly string[])[];
  /**
   * What a documented success must show to count as Jira's (a list, or these fields of these
   * types): fields the operation's documented 2xx body has (test/unit/answers.test.ts proves each
   * against openapi-responses.json). Operations whose success has no body (204) need none.
   */
  evidence?: Readonly<Record<string, JsonType>> | 'array';
}

/** A page of results: every field the specs document for it, so a generic `{"values":[]}` is not enough. */
const PAGE = { values: 'array', isLast: 'boolean', startAt: 'number', maxResults: 'number' } as const;

const PROJECT_GRANULAR = [
  'read:issue-type:jira',
  'read:project:jira',
  'read:project.property:jira',
  'read:user:jira',
  'read:application-role:jira',
  'read:avatar:jira',
  'read:group:jira',
  'read:issue-type-hierarchy:jira',
  'read:project-category:jira',
  'read:project-version:jira',
  'read:project.component:jira',
];

export const OPERATIONS: readonly GatewayOperation[] = [
  {
    id: 'myself',
    method: 'GET',
    path: '/rest/api/3/myself',
    spec: 'platform',
    evidence: { accountId: 'string' },
    scopeSets: [['read:jira-user'], ['read:application-role:jira', 'read:group:jira', 'read:user:jira', 'read:avatar:jira']],
  },
  {
    id: 'project-search',
    method: 'GET',
    path: '/rest/api/3/project/search',
    spec: 'platform',
    evidence: PAGE,
    scopeSets: [['read:jira-work'], PROJECT_GRANULAR],
  },
  {
    id: 'issue-create',
    method: 'POST',
    path: '/rest/api/3/issue',
    spec: 'platform',
    evidence: { id: 'string', key: 'string' },
    scopeSets: [['write:jira-work'], ['write:issue:jira', 'write:comment:jira', 'write:comment.property:jira', 'write:attachment:jira', 'read:issue:jira']],
  },
  {
    id: 'issue-security-schemes',
    method: 'GET',
    path: '/rest/api/3/issuesecurityschemes',
    spec: 'platform',
    evidence: { issueSecuritySchemes: 'array' },
    scopeSets: [['manage:jira-project'], ['read:issue-security-level:jira', 'read:issue-security-scheme:jira']],
  },
  {
    id: 'my-permissions',
    method: 'GET',
    path: '/rest/api/3/mypermissions',
    spec: 'platform',
    evidence: { permissions: 'object' },
    scopeSets: [['read:jira-work'], ['read:permission:jira']],
  },
  {
    id: 'webhooks',
    method: 'GET',
    path: '/rest/api/3/webhook',
    spec: 'platform',
    evidence: PAGE,
    scopeSets: [
      ['read:jira-work', 'manage:jira-webhook'],
      ['read:webhook:jira', 'read:jql:jira'],
    ],
  },
  {
    id: 'field-context-issuetype-mapping',
    method: 'GET',
    path: '/rest/api/3/field/{fieldId}/context/issuetypemapping',
    spec: 'platform',
    evidence: PAGE,
    scopeSets: [['manage:jira-configuration'], ['read:field:jira']],
  },
  {
    id: 'issue-types',
    method: 'GET',
    path: '/rest/api/3/issuetype',
    spec: 'platform',
    evidence: 'array',
    scopeSets: [['read:jira-work'], ['read:issue-type:jira', 'read:avatar:jira', 'read:project-category:jira', 'read:project:jira']],
  },
  {
    id: 'issue-link-types',
    method: 'GET',
    path: '/rest/api/3/issueLinkType',
    spec: 'platform',
    evidence: { issueLinkTypes: 'array' },
    scopeSets: [['read:jira-work'], ['read:issue-link-type:jira']],
  },
  {
    id: 'board-versions',
    method: 'GET',
    path: '/rest/agile/1.0/board/{boardId}/version',
    spec: 'software',
    evidence: PAGE,
    scopeSets: [['read:board-scope:jira-software']],
  },
  {
    id: 'sprint-get',
    method: 'GET',
    path: '/rest/agile/1.0/sprint/{sprintId}',
    spec: 'software',
    evidence: { id: 'number', state: 'string' },
    scopeSets: [['read:sprint:jira-software']],
  },
  {
    id: 'sprint-update',
    method: 'POST',
    path: '/rest/agile/1.0/sprint/{sprintId}',
    spec: 'software',
    evidence: { id: 'number', state: 'string' },
    scopeSets: [['write:sprint:jira-software']],
  },
  {
    id: 'epic-get',
    method: 'GET',
    path: '/rest/agile/1.0/epic/{epicIdOrKey}',
    spec: 'software',
    evidence: { id: 'number', name: 'string' },
    scopeSets: [['read:epic:jira-software']],
  },
  {
    id: 'epic-update',
    method: 'POST',
    path: '/rest/agile/1.0/epic/{epicIdOrKey}',
    spec: 'software',
    evidence: { id: 'number', name: 'string' },
    scopeSets: [['write:epic:jira-software']],
  },
  {
    id: 'avatar-delete',
    method: 'DELETE',
    path: '/rest/api/3/universal_avatar/type/{type}/owner/{owningObjectId}/avatar/{id}',
    spec: 'platform',
    scopeSets: [['delete:avatar:jira'], ['manage:jira-configuration']],
  },
  {
    id: 'board-property-delete',
    method: 'DELETE',
    path: '/rest/agile/1.0/board/{boardId}/properties/{propertyKey}',
    spec: 'software',
    scopeSets: [['delete:board-scope.admin:jira-software']],
  },
];

export function operationById(id: string): GatewayOperation {
  const op = OPERATIONS.find((o) => o.id === id);
  if (!op) throw new Error(`unknown operation ${id}`);
  return op;
}

/** What an answer to this operation must look like to prove anything (answers.ts). */
export function operationContract(id: string): AnswerContract {
  const op = operationById(id);
  return jiraContract(`${op.method} ${op.path}`, op.evidence ?? {});
}

/** Whether a token holding `scopes` may call an operation with these scope sets (pure). */
export function satisfies(scopeSets: readonly (readonly string[])[], scopes: Iterable<string>): boolean {
  const have = new Set(scopes);
  return scopeSets.some((set) => set.every((s) => have.has(s)));
}

/** A concrete path (query ignored) fits a spec's path template: `{param}` is one non-empty segment. */
export function pathFits(template: string, path: string): boolean {
  const segments = path.split('?')[0]!.split('/');
  const parts = template.split('/');
  return parts.length === segments.length && parts.every((t, i) => (t.startsWith('{') ? segments[i] !== '' : t === segments[i]));
}

/** Match a concrete path against the table's templates. */
export function matchOperation(method: string, path: string): GatewayOperation | undefined {
  return OPERATIONS.find((op) => op.method === method && pathFits(op.path, path));
}
