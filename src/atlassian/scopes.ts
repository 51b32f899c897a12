/**
 * What Kendis needs, as data, in one place: the wizard shows it, the checks use it, the sandbox
 * enforces it. A change of Kendis' list is a one-line change here.
 * Source: Kendis' "Jira Scope-Based OAuth" guide (../shared/seeds) and ../shared/spec/checks.md.
 */
export interface AppScope {
  /** The title the Developer Console shows (users search by it). */
  title: string;
  scope: string;
  /** "api": an API added on the Permissions tab; "jira": a granular Jira API permission. */
  kind: 'api' | 'jira';
}

/** The OAuth 2.0 integration: three APIs and six Jira permissions. */
export const APP_SCOPES: readonly AppScope[] = [
  { title: 'Personal Data Reporting API', scope: 'report:personal-data', kind: 'api' },
  { title: 'User Identity API', scope: 'read:me', kind: 'api' },
  { title: 'View projects', scope: 'read:project:jira', kind: 'jira' },
  { title: 'View boards, backlogs, and related items', scope: 'read:board-scope:jira-software', kind: 'jira' },
  { title: 'View epics and related issues', scope: 'read:epic:jira-software', kind: 'jira' },
  { title: 'Update epics', scope: 'write:epic:jira-software', kind: 'jira' },
  { title: 'View sprints', scope: 'read:sprint:jira-software', kind: 'jira' },
  { title: 'Update and delete sprints', scope: 'write:sprint:jira-software', kind: 'jira' },
];

/** The console may list the delete half of "Update and delete sprints" separately; optional. */
export const OPTIONAL_APP_SCOPES: readonly AppScope[] = [
  { title: 'Delete sprints', scope: 'delete:sprint:jira-software', kind: 'jira' },
];

/** The 15 scopes of the scoped API token, in the order of Kendis' guide. */
export const TOKEN_SCOPES: readonly string[] = [
  'read:jira-work',
  'write:jira-work',
  'read:jira-user',
  'manage:jira-project',
  'manage:jira-webhook',
  'read:field:jira',
  'read:issue-type:jira',
  'read:issue-link-type:jira',
  'read:board-scope:jira-software',
  'read:sprint:jira-software',
  'write:sprint:jira-software',
  'read:epic:jira-software',
  'write:epic:jira-software',
  'delete:issue-link:jira',
  'read:project:jira',
];

/** Plain titles for the token scopes, as a Jira admin would recognise them. */
export const TOKEN_SCOPE_TITLES: Readonly<Record<string, string>> = {
  'read:jira-work': 'Read Jira project and issue data',
  'write:jira-work': 'Create and edit issues',
  'read:jira-user': 'View user profiles',
  'manage:jira-project': 'Manage project settings',
  'manage:jira-webhook': 'Manage Jira webhooks',
  'read:field:jira': 'View fields',
  'read:issue-type:jira': 'View issue types',
  'read:issue-link-type:jira': 'View issue link types',
  'read:board-scope:jira-software': 'View boards, backlogs, and related items',
  'read:sprint:jira-software': 'View sprints',
  'write:sprint:jira-software': 'Update and delete sprints',
  'read:epic:jira-software': 'View epics and related issues',
  'write:epic:jira-software': 'Update epics',
  'delete:issue-link:jira': 'Delete issue links',
  'read:project:jira': 'View projects',
};

export function appScopeTitle(scope: string): string {
  return [...APP_SCOPES, ...OPTIONAL_APP_SCOPES].find((s) => s.scope === scope)?.title ?? scope;
}

export function tokenScopeTitle(scope: string): string {
  return TOKEN_SCOPE_TITLES[scope] ?? scope;
}

/** A space-separated scope string (as in an OAuth token answer) to a set. */
export function parseScopeString(scope: string | undefined): Set<string> {
  return new Set((scope ?? '').split(/\s+/).filter(Boolean));
}

/** Which required app scopes a granted set lacks (pure; table-tested). */
export function missingAppScopes(granted: Iterable<string>): AppScope[] {
  const have = new Set(granted);
  return APP_SCOPES.filter((s) => !have.has(s.scope));
}
