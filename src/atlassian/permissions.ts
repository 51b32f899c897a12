/**
 * The Jira permissions Kendis' sync uses, as data: what the `jira-permissions` check asks
 * `GET /rest/api/3/mypermissions` about, and what stops working in Kendis without each.
 * Keys are Jira's built-in permission keys:
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-permissions/#api-rest-api-3-mypermissions-get
 */
export interface KendisPermission {
  key: string;
  /** Jira's name for it, as an admin sees it in a permission scheme. */
  name: string;
  /** What Kendis cannot do without it. */
  without: string;
  /** Only the organisation's ALM account needs it (Kendis registers webhooks with that account). */
  almOnly?: boolean;
}

export const KENDIS_PERMISSIONS: readonly KendisPermission[] = [
  { key: 'BROWSE_PROJECTS', name: 'Browse Projects', without: 'Kendis cannot read the projects and issues of its boards' },
  { key: 'CREATE_ISSUES', name: 'Create Issues', without: 'issues created on a Kendis board are not created in Jira' },
  { key: 'EDIT_ISSUES', name: 'Edit Issues', without: 'changes made in Kendis (dates, fields, sprint moves) do not reach Jira' },
  { key: 'LINK_ISSUES', name: 'Link Issues', without: 'dependencies drawn in Kendis are not saved as Jira issue links' },
  { key: 'MANAGE_SPRINTS_PERMISSION', name: 'Manage Sprints', without: 'Kendis cannot create, start or change sprints' },
  { key: 'ADMINISTER', name: 'Administer Jira', without: 'Kendis cannot register the webhooks that keep it in sync in real time', almOnly: true },
];

/** The permissions a profile of this kind needs. */
export function permissionsFor(kind: 'alm-account' | 'user'): readonly KendisPermission[] {
  return KENDIS_PERMISSIONS.filter((p) => kind === 'alm-account' || !p.almOnly);
}

/** The concrete request, relative to {api}/ex/jira/{cloudId}; with a project key, about that project exactly. */
export function myPermissionsPath(kind: 'alm-account' | 'user', projectKey?: string): string {
  const project = projectKey ? `projectKey=${encodeURIComponent(projectKey)}&` : '';
  return `/rest/api/3/mypermissions?${project}permissions=${permissionsFor(kind)
    .map((p) => p.key)
    .join(',')}`;
}

export const MY_PERMISSIONS_PATH = myPermissionsPath('alm-account');
