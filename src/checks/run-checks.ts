/**
 * Runs the check catalogue (../shared/spec/checks.md) for a profile. Fetch, then a pure verdict.
 * Round 1 runs site, api-token and oauth-client together; round 2 the scope probes, bounded and
 * concurrent, only when the credentials signed in (so a bad token is not tried fifteen times);
 * /myself answers both api-token and scope:read:jira-user.
 */
import { withoutSecrets } from '../io/sanitize.js';
import { profileKind, type Profile } from '../config/schema.js';
import type { AtlassianClient, GatewayAuth } from '../atlassian/client.js';
import { isProbe, probeFor } from '../atlassian/probes.js';
import { TOKEN_SCOPE_LISTS, missingAppScopes, tokenScopeTitle } from '../atlassian/scopes.js';
import { OAuthFlowError, type OAuthGrant } from '../auth/oauth-flow.js';
import { CancelledError } from '../errors.js';
import { NetworkError } from '../atlassian/http.js';
import { NoProofError } from '../atlassian/client.js';
import { myPermissionsPath, permissionsFor } from '../atlassian/permissions.js';
import { checkClientCredentials, clientRejectedFix } from '../atlassian/client-credentials.js';
import { driftHint, evidenceFor } from './scope-drift.js';
import { mayReceiveCredentials } from '../atlassian/domains.js';
import type { CheckResult } from './types.js';
import { ME, readAnswer } from '../atlassian/answers.js';
import { MeSchema } from '../atlassian/schemas.js';
import {
  apiTokenVerdict,
  combinePermissions,
  credentialsRefusedMidRun,
  refusedCredentials,
  grantVerdict,
  identityVerdict,
  jiraPermissionsVerdict,
  oauthClientVerdict,
  personalDataVerdict,
  probeVerdict,
  siteVerdict,
  tokenExpiryVerdict,
  type Answer,
} from './verdicts.js';

/**
 * The catalogue (ids are part of the contract, checks.md): each check with its title and what it
 * needs. A run selects checks by what the profile has (its kind, its secrets) and what the caller
 * asks for (a token only, the browser round trip); it never runs everything and filters.
 */
export type CheckId =
  | 'config' | 'secrets' | 'site' | 'api-token' | 'token-expiry' | 'oauth-client' | `scope:${string}` | 'jira-permissions'
  | 'oauth-grant' | 'oauth-identity' | 'oauth-personal-data';

type Need = 'saved-profile' | 'client-secret' | 'oauth';

const CATALOGUE: readonly { id: Exclude<CheckId, `scope:${string}`>; title: string; needs: readonly Need[] }[] = [
  { id: 'config', title: 'Saved settings', needs: ['saved-profile'] },
  { id: 'secrets', title: 'Stored secrets can be read', needs: ['saved-profile'] },
  { id: 'site', title: 'Jira site', needs: [] },
  { id: 'api-token', title: 'E-mail and API token sign in the way Kendis connects', needs: [] },
  { id: 'token-expiry', title: 'API token expiry', needs: [] },
  { id: 'oauth-client', title: 'Client ID and Client Secret', needs: ['client-secret'] },
  { id: 'jira-permissions', title: 'Jira permissions Kendis uses', needs: [] },
  { id: 'oauth-grant', title: 'App permissions granted for this site', needs: ['oauth'] },
  { id: 'oauth-identity', title: 'User Identity API: the consenting account', needs: ['oauth'] },
  { id: 'oauth-personal-data', title: 'Personal Data Reporting API', needs: ['oauth'] },
];

export function checkTitle(id: string): string {
  if (id.startsWith('scope:')) return tokenScopeTitle(id.slice(6));
  return CATALOGUE.find((c) => c.id === id)?.title ?? id;
}

export interface CheckInputs {
  profile: Profile;
  /** The client secret (ALM account only); undefined: none, and no check that needs one runs. */
  clientSecret: string | undefined;
  apiToken: string | undefined;
  /** Why a stored secret could not be read, for the `secrets` check, and what to do about it. */
  secretsProblem: string | undefined;
  secretsHint?: string;
  client: AtlassianClient;
  now: Date;
  profileFlag: string;
  /** How the user runs this CLI ("kendis-jira", "node bin/kendis-jira.js"), for the commands in hints. */
  cli: string;
  /** Only the checks that prove an API token (setup, rotate-token): no config, secrets or client checks. */
  tokenOnly?: boolean;
  /** Requests in flight at once in round 2 (default 12: every probe and jira-permissions in one round trip). */
  concurrency?: number;
  /** The API token came from KENDIS_JIRA_API_TOKEN (the fix then names the variable). */
  apiTokenFromEnv?: boolean;
  /** When given, the browser OAuth round trip runs and adds the oauth-* checks. */
  oauth?: () => Promise<OAuthGrant>;
  /** Jira project keys (a Kendis board's) to check the permissions in; none: "in at least one project". */
  projects?: readonly string[];
}

async function settle<T>(work: Promise<T>): Promise<T | Error> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Run `fn` over `items` with at most `limit` in flight. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index] as T;
      results[index] = await fn(item);
    }
  });
  await Promise.all(workers);
  return results;
}

function result(id: string, verdict: { status: CheckResult['status']; detail: string; hint?: string | undefined }, title?: string): CheckResult {
  return { id, title: title ?? checkTitle(id), status: verdict.status, detail: verdict.detail, ...(verdict.hint ? { hint: verdict.hint } : {}) };
}

/** Which catalogue entries this run has what they need for. */
function selected(inputs: CheckInputs): Set<string> {
  const have = new Set<Need>();
  if (!inputs.tokenOnly) have.add('saved-profile');
  if (inputs.clientSecret !== undefined && profileKind(inputs.profile) === 'alm-account') have.add('client-secret');
  if (inputs.oauth) have.add('oauth');
  return new Set(CATALOGUE.filter((c) => c.needs.every((n) => have.has(n))).map((c) => c.id));
}

export async function runChecks(inputs: CheckInputs): Promise<CheckResult[]> {
  const { profile, client } = inputs;
  const kind = profileKind(profile);
  const scopes = TOKEN_SCOPE_LISTS[kind].scopes;
  const cli = inputs.cli;
  const rotateCommand = `${cli} rotate-token${inputs.profileFlag}`;
  const setupCommand = `${cli} setup${profile.sandbox ? ' --sandbox' : ''}${kind === 'user' ? ' --user' : ''}${inputs.profileFlag}`;
  const run = selected(inputs);
  const results: CheckResult[] = [];
  if (run.has('config')) results.push(result('config', { status: 'pass', detail: `Profile found: ${profile.site} as ${profile.email}.` }));
  if (run.has('secrets')) {
    const needed = kind === 'alm-account' ? 'client secret and API token' : 'API token';
    const ok = inputs.apiToken !== undefined && (kind === 'user' || inputs.clientSecret !== undefined);
    results.push(
      result(
        'secrets',
        ok
          ? { status: 'pass', detail: `The ${needed} ${kind === 'user' ? 'was' : 'were'} read.` }
          : {
              status: 'fail',
              detail: inputs.secretsProblem ?? `The ${needed} could not all be read.`,
              hint: inputs.secretsHint ?? `Run \`${cli} setup${inputs.profileFlag}\` again to store it, or set ${kind === 'user' ? 'KENDIS_JIRA_API_TOKEN' : 'KENDIS_JIRA_CLIENT_SECRET / KENDIS_JIRA_API_TOKEN'}.`,
            },
      ),
    );
  }

  const auth: GatewayAuth | undefined = inputs.apiToken ? { kind: 'basic', email: profile.email, token: inputs.apiToken } : undefined;
  // Round 1: independent requests together.
  const [site, myself, oauthClient] = await Promise.all([
    settle(client.tenantInfo(profile.site)),
    auth ? settle(client.myself(profile.cloudId, auth)) : Promise.resolve(undefined),
    run.has('oauth-client') && inputs.clientSecret !== undefined && profile.kind !== 'user'
      ? settle(checkClientCredentials(client, profile.clientId, inputs.clientSecret, profile.callbackUrl))
      : Promise.resolve(undefined),
  ]);
  const siteResult = result('site', siteVerdict(site, profile.site, profile.cloudId, setupCommand), `Jira site ${profile.site}`);
  results.push(siteResult);

  let authenticated = false;
  let signInUnknown = false;
  if (myself === undefined) {
    results.push(result('api-token', { status: 'skip', detail: 'No API token to check.' }));
  } else {
    let siteAnswer: Answer | undefined;
    // Only a site in Atlassian's domains (or a local test server) is ever sent the credentials.
    if (refusedCredentials(myself) && auth && mayReceiveCredentials(profile.site)) {
      // Tell a classic (unscoped) token apart: it works on the site URL but never on the gateway.
      siteAnswer = await settle(client.siteRequest(profile.site, auth, '/rest/api/3/myself'));
    }
    const verdict = apiTokenVerdict({ answer: myself, email: profile.email, expiresOn: profile.token.expiresOn, now: inputs.now, rotateCommand, setupCommand, fromEnv: Boolean(inputs.apiTokenFromEnv), ...(siteAnswer ? { siteAnswer } : {}) });
    authenticated = verdict.authenticated;
    if (verdict.status === 'error') signInUnknown = true;
    results.push(result('api-token', verdict));
  }
  results.push(result('token-expiry', tokenExpiryVerdict(profile.token.expiresOn, inputs.now, rotateCommand)));
  if (run.has('oauth-client')) {
    results.push(result('oauth-client', oauthClient === undefined ? { status: 'skip', detail: 'No client secret to check.' } : oauthClientVerdict(oauthClient, clientRejectedFix(setupCommand))));
  }

  // Round 2: the scope probes and the Jira permissions, only once the sign-in is proven: a probe's
  // 403/404 proves its scope only past a gateway that accepted the credentials (checks.md).
  const prerequisite =
    !auth ? (inputs.secretsProblem ? 'the API token could not be read (see the secrets check)' : 'no API token to sign in with')
    : siteResult.status !== 'pass' ? (siteResult.status === 'error' ? 'the site could not be checked' : 'the site check failed')
    : signInUnknown ? 'the sign-in could not be checked'
    : !authenticated ? 'the e-mail and API token did not sign in'
    : undefined;
  const decisions = scopes.map((scope) => ({ scope, decision: probeFor(scope) }));
  const probes = decisions.flatMap(({ decision }) => (isProbe(decision) && decision.operationId !== 'myself' ? [decision] : []));
  const answers = new Map<string, Answer>();
  const projects = inputs.projects ?? [];
  // One permissions request without a project, or one per project asked for.
  const permissionTargets: (string | undefined)[] = projects.length > 0 ? [...projects] : [undefined];
  const permissionAnswers = new Map<string | undefined, Answer>();
  if (auth && !prerequisite) {
    const requests: (() => Promise<void>)[] = probes.map((probe) => async () => {
      answers.set(probe.scope, await settle(client.gateway(profile.cloudId, auth, { method: probe.method, path: probe.path, ...(probe.body !== undefined ? { body: probe.body } : {}) })));
    });
    for (const project of permissionTargets) {
      requests.push(async () => {
        permissionAnswers.set(project, await settle(client.gateway(profile.cloudId, auth, { method: 'GET', path: myPermissionsPath(kind, project) })));
      });
    }
    await mapBounded(requests, inputs.concurrency ?? 12, (request) => request());
  }
  const permissions = [...permissionAnswers.values()];
  let credentialsRefused = false;
  for (const { scope, decision } of decisions) {
    const id = `scope:${scope}`;
    if (!isProbe(decision)) {
      results.push(result(id, { status: 'skip', detail: `Cannot be checked on its own: ${decision.reason}` }));
      continue;
    }
    // /myself answers both api-token and read:jira-user.
    const answer = decision.operationId === 'myself' ? myself : answers.get(scope);
    if (prerequisite || answer === undefined) {
      results.push(result(id, { status: 'skip', detail: `Not checked: ${prerequisite ?? 'no answer'}.` }));
      continue;
    }
    if (refusedCredentials(answer)) credentialsRefused = true;
    results.push(result(id, probeVerdict(answer, decision, rotateCommand)));
  }
  // A 401 on a probe is about the credentials (checks.md): api-token fails, the scope is not blamed.
  if (credentialsRefused || permissions.some(refusedCredentials)) {
    credentialsRefused = true;
    const index = results.findIndex((r) => r.id === 'api-token');
    if (index >= 0) results[index] = result('api-token', credentialsRefusedMidRun(rotateCommand, Boolean(inputs.apiTokenFromEnv)));
  }
  // A scope that failed although a passed probe proves it is on the token: Atlassian's rules moved.
  const passed = results.filter((r) => r.id.startsWith('scope:') && r.status === 'pass').map((r) => r.id.slice(6));
  for (const r of results) {
    if (!r.id.startsWith('scope:') || r.status !== 'fail') continue;
    const evidence = evidenceFor(r.id.slice(6), passed, scopes);
    if (evidence) r.hint = driftHint(r.id.slice(6), evidence);
  }
  results.push(
    result(
      'jira-permissions',
      permissions.length === 0 ? { status: 'skip', detail: `Not checked: ${prerequisite ?? 'no sign-in'}.` }
      : permissions.some(refusedCredentials) ? { status: 'skip', detail: 'Not checked: Atlassian refused the e-mail and API token for this request (401); see the api-token check.' }
      : combinePermissions(permissionTargets.map((project) => jiraPermissionsVerdict(permissionAnswers.get(project) as Answer, permissionsFor(kind), project))),
    ),
  );

  if (run.has('oauth-grant') && inputs.oauth) results.push(...(await runOAuthChecks({ email: profile.email, cloudId: profile.cloudId, client, now: inputs.now }, inputs.oauth)));
  // Details quote what servers said: never with this run's own secrets in it.
  const secrets = [inputs.clientSecret, inputs.apiToken];
  return results.map((r) => ({ ...r, detail: withoutSecrets(r.detail, secrets), ...(r.hint ? { hint: withoutSecrets(r.hint, secrets) } : {}) }));
}

/** The checks that prove an API token (setup, rotate-token): site, sign-in, expiry, every scope, permissions. */
export function runTokenChecks(p: { profile: Profile; apiToken: string; client: AtlassianClient; now: Date; profileFlag: string; cli: string; apiTokenFromEnv?: boolean }): Promise<CheckResult[]> {
  return runChecks({ ...p, clientSecret: undefined, secretsProblem: undefined, tokenOnly: true });
}

/** The browser round trip: oauth-grant, oauth-identity, oauth-personal-data. */
export async function runOAuthChecks(inputs: { email: string; cloudId: string; client: AtlassianClient; now: Date }, oauth: () => Promise<OAuthGrant>): Promise<CheckResult[]> {
  const { client } = inputs;
  const profile = inputs;
  let grant: OAuthGrant;
  try {
    grant = await oauth();
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    const e = error as Error & { hint?: string };
    // No callback within the time is a timeout: nothing was proven either way (checks.md), though the
    // detail names the two error pages Atlassian most likely showed.
    const status = e instanceof NetworkError || e instanceof NoProofError || (e instanceof OAuthFlowError && e.reason === 'no-callback') ? 'error' : 'fail';
    return [
      result('oauth-grant', { status, detail: `${e.message.replace(/\.$/, '')}.`, ...(e.hint ? { hint: e.hint } : {}) }),
      result('oauth-identity', { status: 'skip', detail: 'Needs the OAuth round trip.' }),
      result('oauth-personal-data', { status: 'skip', detail: 'Needs the OAuth round trip.' }),
    ];
  }
  const missing = missingAppScopes(grant.grantedScopes);
  const [resources, me] = await Promise.all([settle(client.accessibleResources(grant.accessToken)), settle(client.me(grant.accessToken))]);
  const out = [result('oauth-grant', grantVerdict(grant.grantedScopes, resources, profile.cloudId, missing))];
  out.push(result('oauth-identity', identityVerdict(me, profile.email)));
  const accountId = accountIdOf(me);
  const personal: Answer | undefined = accountId ? await settle(client.reportAccounts(grant.accessToken, accountId, inputs.now)) : undefined;
  out.push(result('oauth-personal-data', personalDataVerdict(personal)));
  return out;
}

/** The account id /me proved (only from Atlassian's documented answer). */
function accountIdOf(me: Answer): string | undefined {
  if (me instanceof Error) return undefined;
  const reading = readAnswer(ME, me);
  const parsed = MeSchema.safeParse(reading.kind === 'success' ? reading.body : undefined);
  return parsed.success ? parsed.data.account_id : undefined;
}
