/**
 * What Kendis needs, as data, in one place: the wizard shows it, the checks use it, the stand-in
 * enforces it. A change of Kendis' list is a change of its table here (and, for a new token scope,
 * a probe decision in probes.ts, which the tests then demand).
 * Source: Kendis' "Jira Scope-Based OAuth" guide (../shared/seeds) and ../shared/spec/checks.md.
 */
/**
 * Atlassian's own title for each scope Kendis uses, as its pages show them (the Developer
 * Console's permission list, the API-token scope picker), and the picker tab it is on. One table:
 * every title this tool prints comes from here (test/unit/scope-titles.test.ts).
 */
export const ATLASSIAN_SCOPES: Readonly<Record<string, { title: string; tab: 'Classic' | 'Granular' }>> = {
  'report:personal-data': { title: 'Personal Data Reporting API', tab: 'Granular' },
  'read:me': { title: 'User Identity API', tab: 'Granular' },
  'read:jira-work': { title: 'View Jira issue data', tab: 'Classic' },
  'write:jira-work': { title: 'Create and manage issues', tab: 'Classic' },
  'read:jira-user': { title: 'View user profiles', tab: 'Classic' },
  'manage:jira-project': { title: 'Manage project settings', tab: 'Classic' },
  'manage:jira-webhook': { title: 'Manage Jira webhooks', tab: 'Classic' },
  'read:field:jira': { title: 'View fields', tab: 'Granular' },
  'read:issue-type:jira': { title: 'View issue types', tab: 'Granular' },
  'read:issue-link-type:jira': { title: 'View issue link types', tab: 'Granular' },
  'read:board-scope:jira-software': { title: 'View boards, backlogs, and related items', tab: 'Granular' },
  'read:sprint:jira-software': { title: 'View sprints', tab: 'Granular' },
  'write:sprint:jira-software': { title: 'Update and delete sprints', tab: 'Granular' },
  'read:epic:jira-software': { title: 'View epics and related issues', tab: 'Granular' },
  'write:epic:jira-software': { title: 'Update epics', tab: 'Granular' },
  'delete:issue-link:jira': { title: 'Delete issue links', tab: 'Granular' },
  'read:project:jira': { title: 'View projects', tab: 'Granular' },
  // The individual user's token (Kendis: "Jira Scope-Based API Authentication for Individual Users").
  'delete:async-task:jira': { title: 'Delete asynchronous tasks', tab: 'Granular' },
  'delete:attachment:jira': { title: 'Delete issue attachments', tab: 'Granular' },
  'delete:avatar:jira': { title: 'Delete avatars', tab: 'Granular' },
  'delete:board-scope.admin:jira-software': { title: 'Delete board configuration', tab: 'Granular' },
  'delete:build-info:jira': { title: 'Delete build info', tab: 'Granular' },
  'delete:cmdb-attribute:jira': { title: 'Delete Assets attributes', tab: 'Granular' },
  'delete:cmdb-object:jira': { title: 'Delete Assets objects', tab: 'Granular' },
  'delete:cmdb-schema:jira': { title: 'Delete Assets schemas', tab: 'Granular' },
  'delete:cmdb-type:jira': { title: 'Delete Assets object types', tab: 'Granular' },
  'delete:comment:jira': { title: 'Delete issue comments', tab: 'Granular' },
};

export interface AppScope {
  /** The title the Developer Console shows (users search by it). */
  title: string;
  scope: string;
  /** "api": an API added on the Permissions tab; "jira": a granular Jira API permission. */
  kind: 'api' | 'jira';
}

const app = (scope: string, kind: AppScope['kind']): AppScope => ({ scope, kind, title: ATLASSIAN_SCOPES[scope]!.title });

/** The OAuth 2.0 integration: three APIs and exactly the six Jira permissions of Kendis' guide. */
export const APP_SCOPES: readonly AppScope[] = [
  app('report:personal-data', 'api'),
  app('read:me', 'api'),
  app('read:project:jira', 'jira'),
  app('read:board-scope:jira-software', 'jira'),
  app('read:epic:jira-software', 'jira'),
  app('write:epic:jira-software', 'jira'),
  app('read:sprint:jira-software', 'jira'),
  app('write:sprint:jira-software', 'jira'),
];

/**
 * The 15 scopes of the organisation's scoped API token, in the order of Kendis' guide
 * ("Jira Scope-Based API Token Configuration", Step 7), each with what Kendis uses it for.
 */
export const TOKEN_SCOPE_USES: Readonly<Record<string, string>> = {
  'read:jira-work': 'reads projects, issues and their fields',
  'write:jira-work': 'creates and updates issues from the board',
  'read:jira-user': 'looks up users (assignees, your own account)',
  'manage:jira-project': 'reads project settings: versions, components',
  'manage:jira-webhook': 'creates/manages webhooks for real-time sync',
  'read:field:jira': 'reads custom fields (e.g. story points)',
  'read:issue-type:jira': 'reads issue types (epics, stories, features)',
  'read:issue-link-type:jira': 'reads the link types used for dependencies',
  'read:board-scope:jira-software': 'reads boards and backlogs',
  'read:sprint:jira-software': 'reads sprints',
  'write:sprint:jira-software': 'creates and plans sprints',
  'read:epic:jira-software': 'reads epics and their issues',
  'write:epic:jira-software': 'updates epics',
  'delete:issue-link:jira': 'removes dependencies deleted in Kendis',
  'read:project:jira': 'reads projects',
};

export const TOKEN_SCOPES: readonly string[] = Object.keys(TOKEN_SCOPE_USES);

/**
 * The 20 scopes of each Kendis user's own token, grouped as Kendis' article lists them
 * ("Jira Scope-Based API Authentication for Individual Users").
 */
export const USER_TOKEN_GROUPS: readonly { label: string; scopes: readonly string[] }[] = [
  {
    label: 'Delete',
    scopes: [
      'delete:async-task:jira',
      'delete:attachment:jira',
      'delete:avatar:jira',
      'delete:board-scope.admin:jira-software',
      'delete:build-info:jira',
      'delete:cmdb-attribute:jira',
      'delete:cmdb-object:jira',
      'delete:cmdb-schema:jira',
      'delete:cmdb-type:jira',
      'delete:comment:jira',
    ],
  },
  {
    label: 'Read',
    scopes: ['read:project:jira', 'read:board-scope:jira-software', 'read:epic:jira-software', 'read:sprint:jira-software', 'read:jira-work', 'read:jira-user'],
  },
  { label: 'Write', scopes: ['write:epic:jira-software', 'write:sprint:jira-software', 'write:jira-work'] },
  { label: 'Manage', scopes: ['manage:jira-project'] },
];

export const USER_TOKEN_SCOPES: readonly string[] = USER_TOKEN_GROUPS.flatMap((g) => g.scopes);

/** What a token is for, by profile kind: its scopes, where Kendis says so, the name it suggests. */
export interface TokenScopeList {
  scopes: readonly string[];
  /** Kendis' help article the list comes from. */
  source: string;
  /** The name Kendis suggests for the token. */
  tokenName: string;
  /** Kendis' own grouping, when it gives one. */
  groups?: readonly { label: string; scopes: readonly string[] }[];
}

export const TOKEN_SCOPE_LISTS: Readonly<Record<'alm-account' | 'user', TokenScopeList>> = {
  'alm-account': { scopes: TOKEN_SCOPES, source: 'Kendis: "Jira Scope-Based API Token Configuration", Step 7', tokenName: 'Kendis Scope Integration' },
  user: {
    scopes: USER_TOKEN_SCOPES,
    source: 'Kendis: "Jira Scope-Based API Authentication for Individual Users"',
    tokenName: 'Kendis User Scope Token',
    groups: USER_TOKEN_GROUPS,
  },
};

/** Atlassian's title for a scope (the scope itself when it is not one Kendis uses). */
export function scopeTitle(scope: string): string {
  return ATLASSIAN_SCOPES[scope]?.title ?? scope;
}

export const appScopeTitle = scopeTitle;
export const tokenScopeTitle = scopeTitle;

/** A space-separated scope string (as in an OAuth token answer) to a set. */
export function parseScopeString(scope: string | undefined): Set<string> {
  return new Set((scope ?? '').split(/\s+/).filter(Boolean));
}

/** Which required app scopes a granted set lacks (pure; table-tested). */
export function missingAppScopes(granted: Iterable<string>): AppScope[] {
  const have = new Set(granted);
  return APP_SCOPES.filter((s) => !have.has(s.scope));
}

/** The token name to suggest: Kendis' own, dated, so the new and the old token are told apart when it is replaced. */
export function datedTokenName(name: string, now: Date): string {
  return `${name} ${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}
