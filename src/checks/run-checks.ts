/**
 * Runs the check catalogue (../shared/spec/checks.md) for a profile. Fetch, then a pure verdict.
 * Round 1 runs site, api-token and oauth-client together; round 2 the scope probes, bounded and
 * concurrent, only when the credentials signed in (so a bad token is not tried fifteen times);
 * /myself answers both api-token and scope:read:jira-user.
 */
import type { Profile } from '../config/schema.js';
import type { AtlassianClient, GatewayAuth } from '../atlassian/client.js';
import { isProbe, probeFor, type Probe } from '../atlassian/probes.js';
import { TOKEN_SCOPES, missingAppScopes, tokenScopeTitle } from '../atlassian/scopes.js';
import type { OAuthGrant } from '../auth/oauth-flow.js';
import { CancelledError } from '../errors.js';
import { NetworkError } from '../atlassian/http.js';
import { NoProofError } from '../atlassian/client.js';
import { MY_PERMISSIONS_PATH } from '../atlassian/permissions.js';
import { checkClientCredentials } from '../atlassian/client-credentials.js';
import { driftHint, evidenceFor } from './scope-drift.js';
import { mayReceiveCredentials } from '../atlassian/domains.js';
import type { CheckResult } from './types.js';
import {
  apiTokenVerdict,
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

export const CHECK_TITLES: Record<string, string> = {
  config: 'Saved settings',
  secrets: 'Client secret and API token can be read',
  site: 'Jira site',
  'api-token': 'E-mail and API token sign in through the API gateway',
  'token-expiry': 'API token expiry',
  'oauth-client': 'Client ID and Client Secret',
  'jira-permissions': 'Jira permissions Kendis uses',
  'oauth-grant': 'App permissions granted for this site',
  'oauth-identity': 'User Identity API: the consenting account',
  'oauth-personal-data': 'Personal Data Reporting API',
};

export function checkTitle(id: string): string {
  if (id.startsWith('scope:')) return tokenScopeTitle(id.slice(6));
  return CHECK_TITLES[id] ?? id;
}

export interface CheckInputs {
  profile: Profile;
  clientSecret: string | undefined;
  apiToken: string | undefined;
  secretsProblem: string | undefined;
  client: AtlassianClient;
  now: Date;
  profileFlag: string;
  /** Requests in flight at once in round 2 (default 12: every probe and jira-permissions in one round trip). */
  concurrency?: number;
  /** The API token came from KENDIS_JIRA_API_TOKEN (the fix then names the variable). */
  apiTokenFromEnv?: boolean;
  /** When given, the browser OAuth round trip runs and adds the oauth-* checks. */
  oauth?: () => Promise<OAuthGrant>;
}

async function settle<T>(work: Promise<T>): Promise<T | Error> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Run `tasks` with at most `limit` in flight. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

function result(id: string, verdict: { status: CheckResult['status']; detail: string; hint?: string | undefined }, title?: string): CheckResult {
  return { id, title: title ?? checkTitle(id), status: verdict.status, detail: verdict.detail, ...(verdict.hint ? { hint: verdict.hint } : {}) };
}

export async function runChecks(inputs: CheckInputs): Promise<CheckResult[]> {
  const { profile, client } = inputs;
  const results: CheckResult[] = [];
  results.push(result('config', { status: 'pass', detail: `Profile found: ${profile.site} as ${profile.email}.` }));
  const secretsOk = inputs.clientSecret !== undefined && inputs.apiToken !== undefined;
  results.push(
    result(
      'secrets',
      secretsOk
        ? { status: 'pass', detail: 'Both secrets were read.' }
        : { status: 'fail', detail: inputs.secretsProblem ?? 'A secret is missing.', hint: 'Run `kendis-jira setup` again to store it, or set KENDIS_JIRA_CLIENT_SECRET / KENDIS_JIRA_API_TOKEN.' },
    ),
  );

  const auth: GatewayAuth | undefined = inputs.apiToken ? { kind: 'basic', email: profile.email, token: inputs.apiToken } : undefined;
  // Round 1: independent requests together.
  const [site, myself, oauthClient] = await Promise.all([
    settle(client.tenantInfo(profile.site)),
    auth ? settle(client.myself(profile.cloudId, auth)) : Promise.resolve(undefined),
    inputs.clientSecret !== undefined
      ? settle(checkClientCredentials(client, profile.clientId, inputs.clientSecret, profile.callbackUrl))
      : Promise.resolve(undefined),
  ]);
  const siteResult = result('site', siteVerdict(site, profile.site, profile.cloudId), `Jira site ${profile.site}`);
  results.push(siteResult);

  let authenticated = false;
  let signInUnknown = false;
  if (myself === undefined) {
    results.push(result('api-token', { status: 'skip', detail: 'No API token to check.' }));
  } else {
    let siteAnswer: Answer | undefined;
    // Only a site in Atlassian's domains (or a local test server) is ever sent the credentials.
    if (!(myself instanceof Error) && myself.status === 401 && !/scope does not match/i.test(myself.text) && auth && mayReceiveCredentials(profile.site)) {
      // Tell a classic (unscoped) token apart: it works on the site URL but never on the gateway.
      siteAnswer = await settle(client.siteRequest(profile.site, auth, '/rest/api/3/myself'));
    }
    const verdict = apiTokenVerdict({ answer: myself, email: profile.email, expiresOn: profile.token.expiresOn, now: inputs.now, profileFlag: inputs.profileFlag, fromEnv: Boolean(inputs.apiTokenFromEnv), ...(siteAnswer ? { siteAnswer } : {}) });
    authenticated = verdict.authenticated;
    if (verdict.status === 'error') signInUnknown = true;
    results.push(result('api-token', verdict));
  }
  results.push(result('token-expiry', tokenExpiryVerdict(profile.token.expiresOn, inputs.now, inputs.profileFlag)));
  results.push(
    result(
      'oauth-client',
      oauthClient === undefined ? { status: 'skip', detail: 'No client secret to check.' } : oauthClientVerdict(oauthClient),
    ),
  );

  // Round 2: the scope probes and the Jira permissions, only once the sign-in is proven: a probe's
  // 403/404 proves its scope only past a gateway that accepted the credentials (checks.md).
  const siteOk = siteResult.status === 'pass';
  const prerequisite = !siteOk
    ? siteResult.status === 'error' ? 'the site could not be checked' : 'the site check failed'
    : myself === undefined ? 'no API token to sign in with'
    : signInUnknown ? 'the sign-in could not be checked'
    : !authenticated ? 'the e-mail and API token did not sign in' : undefined;
  const probes = TOKEN_SCOPES.map((scope) => ({ scope, decision: probeFor(scope) }));
  const toRun = prerequisite ? [] : probes.filter((p) => isProbe(p.decision) && p.decision.operationId !== 'myself');
  const answers = new Map<string, Answer>();
  let permissions: Answer | undefined;
  const requests: (() => Promise<void>)[] = toRun.map(({ scope, decision }) => async () => {
    const probe = decision as Probe;
    answers.set(scope, await settle(client.gateway(profile.cloudId, auth!, { method: probe.method, path: probe.path, ...(probe.body !== undefined ? { body: probe.body } : {}) })));
  });
  if (!prerequisite) requests.push(async () => { permissions = await settle(client.gateway(profile.cloudId, auth!, { method: 'GET', path: MY_PERMISSIONS_PATH })); });
  await mapBounded(requests, inputs.concurrency ?? 12, (run) => run());
  for (const { scope, decision } of probes) {
    const id = `scope:${scope}`;
    if (!isProbe(decision)) {
      results.push(result(id, { status: 'skip', detail: `Not separately verifiable: ${decision.reason}` }));
      continue;
    }
    if (prerequisite) {
      results.push(result(id, { status: 'skip', detail: `Not checked: ${prerequisite}.` }));
      continue;
    }
    const answer = decision.operationId === 'myself' ? (myself as Answer) : answers.get(scope)!;
    const verdict = probeVerdict(answer, scope, inputs.profileFlag);
    results.push(result(id, { status: verdict.status, detail: verdict.detail, ...(verdict.hint ? { hint: verdict.hint } : {}) }));
  }
  // A scope that failed although a passed probe proves it is on the token: Atlassian's rules moved.
  const passed = results.filter((r) => r.id.startsWith('scope:') && r.status === 'pass').map((r) => r.id.slice(6));
  for (const r of results) {
    if (!r.id.startsWith('scope:') || r.status !== 'fail') continue;
    const evidence = evidenceFor(r.id.slice(6), passed, TOKEN_SCOPES);
    if (evidence) r.hint = driftHint(r.id.slice(6), evidence);
  }
  results.push(result('jira-permissions', permissions === undefined ? { status: 'skip', detail: `Not checked: ${prerequisite ?? 'no sign-in'}.` } : jiraPermissionsVerdict(permissions)));

  if (inputs.oauth) results.push(...(await runOAuthChecks({ email: profile.email, cloudId: profile.cloudId, client, now: inputs.now }, inputs.oauth)));
  return results;
}

const TOKEN_CHECKS = new Set(['site', 'api-token', 'token-expiry', 'jira-permissions']);

/** The checks that prove an API token (setup Step 7, rotate-token): site, sign-in, expiry, every scope. */
export async function runTokenChecks(p: { profile: Profile; apiToken: string; client: AtlassianClient; now: Date; profileFlag: string; apiTokenFromEnv?: boolean }): Promise<CheckResult[]> {
  const results = await runChecks({ ...p, clientSecret: undefined, secretsProblem: undefined });
  return results.filter((r) => TOKEN_CHECKS.has(r.id) || r.id.startsWith('scope:'));
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
    const status = e instanceof NetworkError || e instanceof NoProofError ? 'error' : 'fail';
    return [
      result('oauth-grant', { status, detail: `${e.message.replace(/\.$/, '')}.`, ...(e.hint ? { hint: e.hint } : {}) }),
      result('oauth-identity', { status: 'skip', detail: 'Needs the OAuth round trip.' }),
      result('oauth-personal-data', { status: 'skip', detail: 'Needs the OAuth round trip.' }),
    ];
  }
  const missing = missingAppScopes(grant.grantedScopes);
  const [resources, me] = await Promise.all([settle(client.accessibleResources(grant.accessToken)), settle(client.me(grant.accessToken))]);
  const out = [result('oauth-grant', grantVerdict(grant.grantedScopes, resources, profile.cloudId, missing))];
  const meAnswer: Answer = me instanceof Error ? me : me.res;
  const meBody = me instanceof Error ? undefined : me.me;
  out.push(result('oauth-identity', identityVerdict(meAnswer, meBody, profile.email)));
  const personal: Answer | undefined = meBody ? await settle(client.reportAccounts(grant.accessToken, meBody.account_id, inputs.now)) : undefined;
  out.push(result('oauth-personal-data', personalDataVerdict(personal)));
  return out;
}
