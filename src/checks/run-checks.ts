/**
 * Runs the check catalogue (../shared/spec/checks.md) for a profile. Fetch, then a pure verdict.
 * Round 1 runs site, api-token and oauth-client together; round 2 the scope probes, bounded and
 * concurrent, only when the credentials signed in (so a bad token is not tried fifteen times);
 * /myself answers both api-token and scope:read:jira-user.
 */
import { typed } from '../io/typed.js';
import { withoutSecrets } from '../io/sanitize.js';
import { profileKind, type Profile } from '../config/schema.js';
import type { AtlassianClient, GatewayAuth } from '../atlassian/client.js';
import { isProbe, probeFor, type Probe } from '../atlassian/probes.js';
import { TOKEN_SCOPE_LISTS, missingAppScopes, tokenScopeTitle } from '../atlassian/scopes.js';
import { OAuthFlowError, type OAuthGrant } from '../auth/oauth-flow.js';
import { CancelledError } from '../errors.js';
import { NetworkError } from '../atlassian/http.js';
import { NoProofError } from '../atlassian/client.js';
import { myPermissionsPath, permissionsFor } from '../atlassian/permissions.js';
import { checkClientCredentials, clientRejectedFix } from '../atlassian/client-credentials.js';
import { driftHint, evidenceFor } from './scope-drift.js';
import { mayReceiveCredentials } from '../atlassian/domains.js';
import type { CheckResult, Verdict } from './types.js';
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
 * The catalogue's ids (part of the contract, checks.md) and titles. Which checks a run has follows
 * from what the profile has (its kind, its secrets) and what the caller asks for (a token only,
 * the browser round trip): see runChecks.
 */
export type CheckId =
  | 'config'
  | 'secrets'
  | 'site'
  | 'api-token'
  | 'token-expiry'
  | 'oauth-client'
  | `scope:${string}`
  | 'jira-permissions'
  | 'oauth-grant'
  | 'oauth-identity'
  | 'oauth-personal-data';

const TITLES: Readonly<Record<Exclude<CheckId, `scope:${string}`>, string>> = {
  config: 'Saved settings',
  secrets: 'Stored secrets',
  site: 'Jira site',
  'api-token': 'E-mail and API token',
  'token-expiry': 'API token expiry',
  'oauth-client': 'Client ID and Client Secret',
  'jira-permissions': 'Jira permissions Kendis uses',
  'oauth-grant': 'App permissions',
  'oauth-identity': 'User Identity API (the consenting account)',
  'oauth-personal-data': 'Personal Data Reporting API',
};

export function checkTitle(id: string): string {
  if (id.startsWith('scope:')) return tokenScopeTitle(id.slice(6));
  return Object.hasOwn(TITLES, id) ? TITLES[id as keyof typeof TITLES] : id;
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

/** The commands a fix names, as the user runs this CLI, for this profile. */
function commandsFor(inputs: CheckInputs): { rotate: string; setup: string } {
  const { profile, profileFlag } = inputs;
  const kind = profileKind(profile);
  return {
    rotate: typed(`rotate-token${profileFlag}`),
    setup: typed(`setup${profile.sandbox ? ' --sandbox' : ''}${kind === 'user' ? ' --user' : ''}${profileFlag}`),
  };
}

function secretsCheck(inputs: CheckInputs): CheckResult {
  const kind = profileKind(inputs.profile);
  const needed = kind === 'alm-account' ? 'client secret and API token' : 'API token';
  const ok = inputs.apiToken !== undefined && (kind === 'user' || inputs.clientSecret !== undefined);
  if (ok) return result('secrets', { status: 'pass', detail: `The ${needed} ${kind === 'user' ? 'was' : 'were'} read.` });
  const variables = kind === 'user' ? 'KENDIS_JIRA_API_TOKEN' : 'KENDIS_JIRA_CLIENT_SECRET / KENDIS_JIRA_API_TOKEN';
  return result('secrets', {
    status: 'fail',
    detail: inputs.secretsProblem ?? `The ${needed} could not all be read.`,
    hint: inputs.secretsHint ?? `Run \`${commandsFor(inputs).setup}\` again to store it, or set ${variables}.`,
  });
}

/** /myself → api-token (and, when it is a bare 401 on an Atlassian site, the classic-token look at the site URL). */
async function signIn(
  inputs: CheckInputs,
  auth: GatewayAuth,
  myself: Answer,
  commands: { rotate: string; setup: string },
): Promise<Verdict & { authenticated: boolean }> {
  const { profile, client } = inputs;
  // Only a site in Atlassian's domains (or a local test server) is ever sent the credentials; it
  // tells a classic (unscoped) token apart: that works on the site URL but never on the gateway.
  const siteAnswer =
    refusedCredentials(myself) && mayReceiveCredentials(profile.site) ? await settle(client.siteRequest(profile.site, auth, '/rest/api/3/myself')) : undefined;
  return apiTokenVerdict({
    answer: myself,
    email: profile.email,
    expiresOn: profile.token.expiresOn,
    now: inputs.now,
    rotateCommand: commands.rotate,
    setupCommand: commands.setup,
    fromEnv: Boolean(inputs.apiTokenFromEnv),
    ...(siteAnswer ? { siteAnswer } : {}),
  });
}

/** Why round 2 cannot count, or undefined: a probe's refusal proves its scope only past a proven sign-in on the saved site. */
function prerequisiteProblem(inputs: CheckInputs, site: CheckResult, signedIn: (Verdict & { authenticated: boolean }) | undefined): string | undefined {
  if (!signedIn) return inputs.secretsProblem ? 'the API token could not be read (see the secrets check)' : 'no API token to sign in with';
  if (site.status !== 'pass') return site.status === 'error' ? 'the site could not be checked' : 'the site check failed';
  if (signedIn.status === 'error') return 'the sign-in could not be checked';
  return signedIn.authenticated ? undefined : 'the e-mail and API token did not sign in';
}

/** Round 2: every probe and the permissions request(s), bounded and concurrent. */
async function askRound2(inputs: CheckInputs, auth: GatewayAuth, probes: readonly Probe[], projects: readonly (string | undefined)[]) {
  const { profile, client } = inputs;
  const kind = profileKind(profile);
  const answers = new Map<string, Answer>();
  const permissions = new Map<string | undefined, Answer>();
  const requests = [
    ...probes.map((probe) => async () => {
      answers.set(
        probe.scope,
        await settle(
          client.gateway(profile.cloudId, auth, { method: probe.method, path: probe.path, ...(probe.body === undefined ? {} : { body: probe.body }) }),
        ),
      );
    }),
    ...projects.map((project) => async () => {
      permissions.set(project, await settle(client.gateway(profile.cloudId, auth, { method: 'GET', path: myPermissionsPath(kind, project) })));
    }),
  ];
  await mapBounded(requests, inputs.concurrency ?? 12, (request) => request());
  return { answers, permissions };
}

/** A scope that failed although a passed probe proves it is on the token: Atlassian's rules moved. */
function markDrift(results: CheckResult[], scopes: readonly string[]): void {
  const scopeResults = results.filter((r) => r.id.startsWith('scope:'));
  const passed = scopeResults.filter((r) => r.status === 'pass').map((r) => r.id.slice(6));
  for (const r of scopeResults.filter((x) => x.status === 'fail')) {
    const evidence = evidenceFor(r.id.slice(6), passed, scopes);
    if (evidence) r.hint = driftHint(r.id.slice(6), evidence);
  }
}

const REFUSED_HERE = 'Not checked: Atlassian refused the e-mail and API token for this request (401); see the api-token check.';

export async function runChecks(inputs: CheckInputs): Promise<CheckResult[]> {
  const { profile, client } = inputs;
  const kind = profileKind(profile);
  const scopes = TOKEN_SCOPE_LISTS[kind].scopes;
  const commands = commandsFor(inputs);
  const results: CheckResult[] = [];
  // A saved profile's run starts with its settings and secrets; setup's and rotate-token's (tokenOnly) do not.
  if (!inputs.tokenOnly)
    results.push(result('config', { status: 'pass', detail: `Profile found: ${profile.site} as ${profile.email}.` }), secretsCheck(inputs));

  const auth: GatewayAuth | undefined = inputs.apiToken ? { kind: 'basic', email: profile.email, token: inputs.apiToken } : undefined;
  // Round 1: independent requests together; the client check for the ALM account's app only.
  const [site, myself, oauthClient] = await Promise.all([
    settle(client.tenantInfo(profile.site)),
    auth ? settle(client.myself(profile.cloudId, auth)) : undefined,
    profile.kind === 'user' || inputs.tokenOnly || inputs.clientSecret === undefined
      ? undefined
      : settle(checkClientCredentials(client, profile.clientId, inputs.clientSecret, profile.callbackUrl)),
  ]);
  const siteResult = result('site', siteVerdict(site, profile.site, profile.cloudId, commands.setup), `Jira site ${profile.site}`);
  const signedIn = auth && myself ? await signIn(inputs, auth, myself, commands) : undefined;
  results.push(siteResult, result('api-token', signedIn ?? { status: 'skip', detail: 'No API token to check.' }));
  results.push(result('token-expiry', tokenExpiryVerdict(profile.token.expiresOn, inputs.now, commands.rotate)));
  if (oauthClient !== undefined) results.push(result('oauth-client', oauthClientVerdict(oauthClient, clientRejectedFix(commands.setup))));

  // Round 2: the scope probes and the Jira permissions, only once the sign-in is proven.
  const prerequisite = prerequisiteProblem(inputs, siteResult, signedIn);
  const decisions = scopes.map((scope) => probeFor(scope));
  // /myself answers both api-token and read:jira-user: it is not asked twice.
  const probes = decisions.filter((d): d is Probe => isProbe(d) && d.operationId !== 'myself');
  const projects: (string | undefined)[] = inputs.projects?.length ? [...inputs.projects] : [undefined];
  const round2 = auth && !prerequisite ? await askRound2(inputs, auth, probes, projects) : undefined;
  for (const decision of decisions) {
    const id = `scope:${decision.scope}`;
    if (!isProbe(decision)) results.push(result(id, { status: 'skip', detail: `Cannot be checked on its own: ${decision.reason}` }));
    else if (!round2) results.push(result(id, { status: 'skip', detail: `Not checked: ${prerequisite}.` }));
    else
      results.push(
        result(id, probeVerdict((decision.operationId === 'myself' ? myself : round2.answers.get(decision.scope)) as Answer, decision, commands.rotate)),
      );
  }
  const permissions = round2 ? projects.map((project) => round2.permissions.get(project) as Answer) : [];
  // A 401 on a probe is about the credentials (checks.md): api-token fails, the scope is not blamed.
  if (round2 && [...round2.answers.values(), ...permissions].some(refusedCredentials)) {
    results[results.findIndex((r) => r.id === 'api-token')] = result('api-token', credentialsRefusedMidRun(commands.rotate, Boolean(inputs.apiTokenFromEnv)));
  }
  markDrift(results, scopes);
  results.push(
    result(
      'jira-permissions',
      !round2
        ? { status: 'skip', detail: `Not checked: ${prerequisite}.` }
        : permissions.some(refusedCredentials)
          ? { status: 'skip', detail: REFUSED_HERE }
          : combinePermissions(permissions.map((answer, i) => jiraPermissionsVerdict(answer, permissionsFor(kind), projects[i]))),
    ),
  );
  if (inputs.oauth) results.push(...(await runOAuthChecks({ email: profile.email, cloudId: profile.cloudId, client, now: inputs.now }, inputs.oauth)));
  // Details quote what servers said: never with this run's own secrets in it.
  const secrets = [inputs.clientSecret, inputs.apiToken];
  return results.map((r) => ({ ...r, detail: withoutSecrets(r.detail, secrets), ...(r.hint ? { hint: withoutSecrets(r.hint, secrets) } : {}) }));
}

/** The checks that prove an API token (setup, rotate-token): site, sign-in, expiry, every scope, permissions. */
export function runTokenChecks(p: {
  profile: Profile;
  apiToken: string;
  client: AtlassianClient;
  now: Date;
  profileFlag: string;
  apiTokenFromEnv?: boolean;
}): Promise<CheckResult[]> {
  return runChecks({ ...p, clientSecret: undefined, secretsProblem: undefined, tokenOnly: true });
}

/** The browser round trip: oauth-grant, oauth-identity, oauth-personal-data. */
export async function runOAuthChecks(
  inputs: { email: string; cloudId: string; client: AtlassianClient; now: Date },
  oauth: () => Promise<OAuthGrant>,
): Promise<CheckResult[]> {
  const { client } = inputs;
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
  const out = [result('oauth-grant', grantVerdict(grant.grantedScopes, resources, inputs.cloudId, missing))];
  out.push(result('oauth-identity', identityVerdict(me, inputs.email)));
  const accountId = accountIdOf(me);
  const personal: Answer | undefined = accountId ? await settle(client.reportAccounts(grant.accessToken, accountId, inputs.now)) : undefined;
  out.push(result('oauth-personal-data', personalDataVerdict(personal)));
  return out;
}

/** The account id /me proved (only from Atlassian's documented answer). */
function accountIdOf(me: Answer): string | undefined {
  const reading = me instanceof Error ? undefined : readAnswer(ME, me);
  const parsed = MeSchema.safeParse(reading?.kind === 'success' ? reading.body : undefined);
  return parsed.success ? parsed.data.account_id : undefined;
}
