/**
 * Pure verdicts: an Atlassian answer (or a network error) in, pass/warn/fail/error/skip out, with the
 * fix a Jira admin can act on. Table-tested in test/unit/verdicts.test.ts; the network part that
 * feeds them (run-checks.ts) stays thin. Rules: ../shared/spec/checks.md.
 */
import type { HttpResponse } from '../atlassian/http.js';
import { noAnswer, NoProofError, UnknownSiteError } from '../atlassian/client.js';
import { ME, REPORT_ACCOUNTS, describeAnswer, readAnswer, type Reading } from '../atlassian/answers.js';
import { operationContract } from '../atlassian/operations.js';
import type { Probe } from '../atlassian/probes.js';
import { MeSchema, MyPermissionsSchema, MyselfSchema } from '../atlassian/schemas.js';
import { singleLine } from '../io/sanitize.js';
import { KENDIS_PERMISSIONS, type KendisPermission } from '../atlassian/permissions.js';
import { clientRejected, clientRejectedFix, codeRefused, judged } from '../atlassian/client-credentials.js';
import type { ExchangeResult } from '../atlassian/client.js';
import { API_TOKENS_PAGE } from '../atlassian/endpoints.js';
import { APP_SCOPES, tokenScopeTitle } from '../atlassian/scopes.js';
import { daysUntil, describeDaysLeft } from '../dates/dates.js';
import type { Verdict } from './types.js';

export type Answer = HttpResponse | Error;

/** The command that replaces the token, as the user runs this CLI (e.g. `kendis-jira rotate-token --profile acme`). */
const DEFAULT_ROTATE = 'kendis-jira rotate-token';
/** The command that sets the profile up again, as the user runs this CLI (e.g. `kendis-jira setup --profile acme`). */
const DEFAULT_SETUP = 'kendis-jira setup';
const rotate = (command: string) => `\`${command}\``;

function isResponse(a: Answer): a is HttpResponse {
  return !(a instanceof Error);
}

export function errorText(error: Error): string {
  return error.message.replace(/\.$/, '');
}

/** An `error` verdict: what came back (or the network failure), from where, and that nothing was concluded. */
export function noProof(answer: Answer | Error, what = 'Atlassian'): Verdict {
  const came = isResponse(answer) ? describeAnswer(answer) : errorText(answer);
  // A network error's own fix (a DNS or proxy hint); otherwise that nothing was concluded.
  const own = isResponse(answer) || answer instanceof NoProofError ? undefined : (answer as { hint?: unknown }).hint;
  const hint = typeof own === 'string' ? own : NOTHING_CONCLUDED;
  const detail = `${noAnswer(what, answer instanceof NoProofError ? answer.what : came)}.`;
  return { status: 'error', detail, hint };
}

function rateLimited(status: number, what: string): Verdict {
  return {
    status: 'error',
    detail: `Atlassian kept rate limiting (${status}); the ${what} could not be checked.`,
    hint: 'Wait a minute and run the test again.',
  };
}

/** The detail of an `error` for an answer outside the contract: what came back, and that it proves nothing. */
function unproven(what: string, who = 'Jira'): Verdict {
  return { status: 'error', detail: `${noAnswer(who, what)}.`, hint: NOTHING_CONCLUDED };
}

/** What came back, for an `error` line: the contract's reason when the answer broke it, else the answer itself. */
function cameBack(reading: Reading, answer: HttpResponse): string {
  return reading.kind === 'unproven' ? reading.what : describeAnswer(answer);
}

const NOTHING_CONCLUDED = 'Nothing was concluded either way: try again later; if it persists, check HTTPS_PROXY / NO_PROXY or rerun with --debug.';

/**
 * A probe's answer → the scope's verdict (checks.md, "Probes" and "What counts as Jira's own
 * answer"): the documented success in its documented shape, or Jira's own refusal (a non-empty
 * ErrorCollection at 400/403/404/409/422), proves the request got past the gateway's scope check.
 * A write aimed at nothing that succeeds proves nothing: Jira should have refused it.
 * Only meaningful once api-token passed.
 */
export function probeVerdict(
  answer: Answer,
  probe: Pick<Probe, 'scope' | 'operationId' | 'method' | 'forbiddenMeans'>,
  rotateCommand = DEFAULT_ROTATE,
): Verdict {
  if (!isResponse(answer)) return noProof(answer);
  const reading = readAnswer(operationContract(probe.operationId), answer);
  switch (reading.kind) {
    case 'success':
      if (probe.method !== 'GET') {
        return {
          status: 'error',
          detail: `Jira accepted a test change aimed at nothing (${describeAnswer(answer)}): it should have refused it, so nothing is concluded.`,
          hint: 'Run the test again with --debug and send the output to your Jira admin or Kendis support.',
        };
      }
      return { status: 'pass', detail: `On the token (Jira answered ${reading.status}).` };
    case 'refusal': {
      const why =
        reading.status === 403
          ? (probe.forbiddenMeans ?? ', so the request got past Atlassian’s scope check; what the account may do is the jira-permissions check')
          : ' to a test request aimed at nothing, so it got past Atlassian’s scope check';
      return { status: 'pass', detail: `On the token (Jira itself answered ${reading.status}${why}).` };
    }
    case 'scope-missing':
      return {
        status: 'fail',
        detail: 'Missing from the API token (Atlassian answered 401: scope does not match).',
        hint: `On Atlassian's API-token page (${API_TOKENS_PAGE}) create a new token with scopes that include "${tokenScopeTitle(probe.scope)}" (${probe.scope}) and the others Kendis needs, then run ${rotate(rotateCommand)}.`,
      };
    // A 401 without "scope does not match" is about the credentials, not this scope (checks.md): the
    // scope is not checked, and the run fails the api-token check (credentialsRefusedMidRun).
    case 'unauthorized':
      return { status: 'skip', detail: 'Not checked: Atlassian refused the e-mail and API token for this request (401); see the api-token check.' };
    case 'rate-limited':
      return rateLimited(reading.status, 'scope');
    default:
      return unproven(cameBack(reading, answer));
  }
}

/** A request refused for its credentials, not for a scope (401 without "scope does not match"). */
export function refusedCredentials(answer: Answer): boolean {
  return isResponse(answer) && readAnswer(operationContract('myself'), answer).kind === 'unauthorized';
}

/** api-token after a probe's 401 refused the credentials that had just signed in (checks.md: a fail of api-token). */
export const REFUSED_MID_RUN =
  'Atlassian signed in with the e-mail and API token, then refused them (401) on the scope checks: the token was revoked or expired meanwhile, or something in between refuses it.';

export function credentialsRefusedMidRun(rotateCommand = DEFAULT_ROTATE, fromEnv = false): Verdict {
  return {
    status: 'fail',
    detail: REFUSED_MID_RUN,
    hint: `Check the token still exists on ${API_TOKENS_PAGE} and run the test again; otherwise create a new scoped token and ${fromEnv ? 'set KENDIS_JIRA_API_TOKEN to it' : `run ${rotate(rotateCommand)}`}.`,
  };
}

export interface ApiTokenInput {
  answer: Answer;
  email: string;
  expiresOn: string;
  now: Date;
  /** The same e-mail and token tried on the site URL (only after a 401): 200 means a classic token. */
  siteAnswer?: Answer;
  /** The command that replaces the token, as the user runs this CLI. */
  rotateCommand?: string;
  /** The command that sets this profile up again. */
  setupCommand?: string;
  /** Where the token came from, for the fix: the keychain/file, or the KENDIS_JIRA_API_TOKEN variable. */
  fromEnv?: boolean;
}

/** /myself through the gateway → does the e-mail + token pair authenticate? (checks.md, api-token) */
export function apiTokenVerdict(input: ApiTokenInput): Verdict & { authenticated: boolean } {
  const { answer } = input;
  const command = input.rotateCommand ?? DEFAULT_ROTATE;
  const setup = rotate(input.setupCommand ?? DEFAULT_SETUP);
  const replace = input.fromEnv ? 'set KENDIS_JIRA_API_TOKEN to a working scoped token (the token tested came from that variable)' : `run ${rotate(command)}`;
  const gateway = "Atlassian's API gateway";
  if (!isResponse(answer)) return { ...noProof(answer, gateway), authenticated: false };
  const reading = readAnswer(operationContract('myself'), answer);
  switch (reading.kind) {
    case 'success': {
      const me = MyselfSchema.safeParse(reading.body);
      const shown = me.success && me.data.emailAddress !== undefined ? singleLine(me.data.emailAddress) : undefined;
      if (shown && shown.toLowerCase() !== input.email.toLowerCase()) {
        return {
          status: 'warn',
          authenticated: true,
          detail: `The token signs in as ${shown}, not ${input.email}.`,
          hint: `Kendis needs the e-mail of the account that created the token: run ${setup} again with that e-mail.`,
        };
      }
      const name = me.success ? me.data.displayName : undefined;
      return {
        status: 'pass',
        authenticated: true,
        detail: `Signed in as ${shown ?? singleLine(name ?? 'the configured account')}${shown ? '' : ' (e-mail hidden by privacy settings)'}.`,
      };
    }
    case 'scope-missing':
      return {
        status: 'pass',
        authenticated: true,
        detail: 'The e-mail and token signed in (the e-mail could not be compared: the token lacks read:jira-user).',
      };
    case 'unauthorized':
      return { ...refusedToken(input, replace), authenticated: false };
    case 'refusal':
      // Jira's own refusal of the account (its ErrorCollection): no Jira access on this site.
      return {
        status: 'fail',
        authenticated: false,
        detail: `Jira refused the account on this site (${reading.status}: ${singleLine(reading.messages[0] ?? '').slice(0, 160)}).`,
        hint: 'Check the account has Jira access on this site (Atlassian Administration → Products), or use an account that has.',
      };
    case 'rate-limited':
      return { ...rateLimited(reading.status, 'token'), authenticated: false };
    default:
      return { ...likelyCause(cameBack(reading, answer), answer.status, setup), authenticated: false };
  }
}

/** A 401 for the credentials: expired, a classic token (it works on the site URL), or a wrong pair. */
function refusedToken(input: ApiTokenInput, replace: string): Verdict {
  const days = daysUntil(input.expiresOn, input.now);
  if (days < 0 && !input.fromEnv) {
    return { status: 'fail', detail: `Atlassian rejected the API token: it expired on ${input.expiresOn}.`, hint: `Create a new token and ${replace}.` };
  }
  const site = input.siteAnswer;
  if (site && isResponse(site) && readAnswer(operationContract('myself'), site).kind === 'success') {
    return {
      status: 'fail',
      detail: 'This API token works on the site URL but not through Atlassian’s API gateway: it is a classic token, created without scopes.',
      hint: `On ${API_TOKENS_PAGE} choose "Create API token with scopes" (not "Create API token"), then ${replace}.`,
    };
  }
  return {
    status: 'fail',
    detail: `Atlassian rejected the e-mail and API token pair (401): the e-mail is not the token owner's, the token was mistyped, or it was revoked.`,
    hint: `Check the e-mail is the account that created the token; otherwise create a new scoped token and ${replace}.`,
  };
}

/**
 * An answer to /myself outside Jira's contract. Atlassian does not document what its gateway sends
 * for an IP allowlist or an unknown cloud id (atlassian.md), so a 403 or 404 keeps its likely
 * diagnosis, said as one, with what came back and the other cause: never a verdict, never a pass.
 */
function likelyCause(what: string, status: number, setup: string): Verdict {
  if (status === 403) {
    return {
      status: 'error',
      detail: `Atlassian's API gateway answered ${what}: probably the site accepts requests only from allowed IP addresses, or a proxy answered instead.`,
      hint: 'Ask your Atlassian admin whether the site has an IP allowlist (Atlassian Administration → Security); otherwise check HTTPS_PROXY / NO_PROXY.',
    };
  }
  if (status === 404) {
    return {
      status: 'error',
      detail: `Atlassian's API gateway answered ${what}: probably it does not know this site's cloud id any more, or a proxy answered instead.`,
      hint: `Run ${setup} again to record the site; if the problem stays, check HTTPS_PROXY / NO_PROXY.`,
    };
  }
  return { status: 'error', detail: `${noAnswer("Atlassian's API gateway", what)}.`, hint: NOTHING_CONCLUDED };
}

/** The token's saved expiry date: pass > 30 days, warn ≤ 30, fail when expired. */
export function tokenExpiryVerdict(expiresOn: string, now: Date, rotateCommand = DEFAULT_ROTATE): Verdict {
  const days = daysUntil(expiresOn, now);
  if (Number.isNaN(days)) return { status: 'warn', detail: 'No valid expiry date is saved.', hint: `Record it with ${rotate(rotateCommand)}.` };
  if (days < 0)
    return {
      status: 'fail',
      detail: `The token expired on ${expiresOn} (${describeDaysLeft(days)}).`,
      hint: `Create a new token and run ${rotate(rotateCommand)}.`,
    };
  if (days <= 30)
    return { status: 'warn', detail: `The token expires on ${expiresOn} (${describeDaysLeft(days)}).`, hint: `Replace it now with ${rotate(rotateCommand)}.` };
  return { status: 'pass', detail: `Expires on ${expiresOn} (${describeDaysLeft(days)}).` };
}

/** The token endpoint refused the redirect_uri (not the Client ID or Secret): the app lacks that callback URL. */
export function callbackRefused(result: ExchangeResult | Error): boolean {
  return !(result instanceof Error) && !result.ok && result.error === 'unauthorized_client' && /redirect/i.test(result.description ?? '');
}

/**
 * Token endpoint answer to a deliberately invalid code → are the client credentials accepted?
 * Atlassian authenticates the client before it looks at the code, so a refused code proves them
 * (checks.md, oauth-client); a refused client fails; anything else proves nothing.
 */
export function oauthClientVerdict(result: ExchangeResult | Error, rejectedFix = clientRejectedFix()): Verdict {
  if (result instanceof Error) return noProof(result, "Atlassian's token endpoint");
  if (result.ok)
    return {
      status: 'error',
      detail: "Atlassian's token endpoint exchanged a code that cannot be valid: that is not Atlassian answering.",
      hint: 'Check KENDIS_JIRA_AUTH_URL and any proxy, then try again.',
    };
  const said = `${result.status} ${singleLine(result.error).slice(0, 60)}${result.description ? `: ${singleLine(result.description).slice(0, 120)}` : ''}`;
  // Only Atlassian's own 4xx verdict counts; a 5xx, a redirect or rate limiting proves nothing, whatever its body says.
  if (!judged(result.status)) {
    return result.status === 429
      ? rateLimited(429, 'Client ID and Secret')
      : { status: 'error', detail: `Atlassian's token endpoint did not answer (${said}).`, hint: 'Nothing was concluded either way: try again later.' };
  }
  if (codeRefused(result)) return { status: 'pass', detail: 'Accepted by Atlassian.' };
  if (callbackRefused(result)) {
    return {
      status: 'fail',
      detail: `Atlassian refused the callback URL (${said}).`,
      hint: "On the app's Authorization tab, the callback URL must be exactly Kendis' (Step 4–5); Save changes, then check again.",
    };
  }
  if (clientRejected(result.error)) return { status: 'fail', detail: `Atlassian rejected them (${said}).`, hint: rejectedFix };
  return {
    status: 'error',
    detail: `Atlassian's token endpoint did not say whether it accepts them (${said}).`,
    hint: 'Nothing was concluded either way: try again later; if it persists, rerun with --debug.',
  };
}

/** The site's tenant_info against the saved cloudId. An unknown site is a likely diagnosis, never a verdict (atlassian.md). */
export function siteVerdict(result: string | Error, site: string, savedCloudId: string, setupCommand = DEFAULT_SETUP): Verdict {
  if (result instanceof UnknownSiteError) return { status: 'error', detail: `${errorText(result)}.`, ...(result.hint ? { hint: result.hint } : {}) };
  if (result instanceof Error) return noProof(result, site);
  if (result !== savedCloudId) {
    return {
      status: 'fail',
      detail: `${site} is now cloud ${result}, but this profile was set up for ${savedCloudId}.`,
      hint: `Run ${rotate(setupCommand)} again for this site.`,
    };
  }
  return { status: 'pass', detail: `Jira Cloud, cloud id ${result}.` };
}

/** The OAuth round trip's granted scopes and site access, compared with the catalogue. */
export function grantVerdict(
  granted: Set<string>,
  resources: { id: string; url: string; scopes: string[] }[] | Error,
  cloudId: string,
  missing: { title: string; scope: string }[],
): Verdict {
  if (missing.length > 0) {
    const names = missing.map((m) => `"${m.title}" (${m.scope})`).join(', ');
    return {
      status: 'fail',
      detail: `The app did not grant ${missing.length === 1 ? 'a required permission' : `${missing.length} required permissions`}: ${names}.`,
      hint: "On the app's Permissions tab add the missing API or Jira permission (Edit Scopes → tick it → Save), then run the check again.",
    };
  }
  if (resources instanceof Error)
    return { ...noProof(resources), detail: `All ${granted.size} scopes were granted, but the site list could not be read: ${errorText(resources)}.` };
  if (!resources.some((r) => r.id === cloudId)) {
    return {
      status: 'fail',
      detail: 'The consent was given for another site: this Jira site is not among the app’s accessible sites.',
      hint: 'Run the OAuth check again and pick this site on the consent page ("Use app on").',
    };
  }
  const apis = APP_SCOPES.filter((s) => s.kind === 'api').length + 1;
  const jira = APP_SCOPES.filter((s) => s.kind === 'jira').length;
  return { status: 'pass', detail: `The ${apis} APIs and ${jira} Jira permissions were granted.` };
}

/** GET {api}/me → the consenting account (User Identity API, read:me). */
export function identityVerdict(answer: Answer, email: string): Verdict {
  if (!isResponse(answer)) return noProof(answer);
  const reading = readAnswer(ME, answer);
  const me = MeSchema.safeParse(reading.kind === 'success' ? reading.body : undefined);
  if (me.success) {
    if (me.data.email && me.data.email.toLowerCase() !== email.toLowerCase()) {
      return {
        status: 'warn',
        detail: `The browser consented as ${singleLine(me.data.email)}, not ${email}.`,
        hint: 'Kendis signs in with the e-mail you give it: use the same account in the browser, or run setup with that e-mail.',
      };
    }
    return { status: 'pass', detail: `The consenting account is ${singleLine(me.data.email ?? me.data.account_id)}.` };
  }
  if (reading.kind === 'scope-missing') {
    return {
      status: 'fail',
      detail: 'The User Identity API is not added to the app (read:me missing).',
      hint: "On the app's Permissions tab, click Add next to User Identity API.",
    };
  }
  if (reading.kind === 'rate-limited') return rateLimited(reading.status, 'User Identity API');
  return unproven(cameBack(reading, answer), 'Atlassian');
}

/** POST {api}/app/report-accounts/ → the Personal Data Reporting API answered (200 with `accounts`, or 204). */
export function personalDataVerdict(answer: Answer | undefined): Verdict {
  if (answer === undefined) return { status: 'skip', detail: 'Needs the account id from /me.' };
  if (!isResponse(answer)) return noProof(answer);
  const reading = readAnswer(REPORT_ACCOUNTS, answer);
  if (reading.kind === 'success') return { status: 'pass', detail: 'The Personal Data Reporting API answered.' };
  if (reading.kind === 'scope-missing') {
    return {
      status: 'fail',
      detail: 'The Personal Data Reporting API is not added to the app (report:personal-data missing).',
      hint: "On the app's Permissions tab, click Add next to Personal Data Reporting API.",
    };
  }
  if (reading.kind === 'rate-limited') return rateLimited(reading.status, 'Personal Data Reporting API');
  return unproven(cameBack(reading, answer), 'Atlassian');
}

/**
 * GET /rest/api/3/mypermissions → which permissions Kendis' sync uses the account lacks (never a
 * fail). Without a project, Jira reports a project permission held when the account holds it in
 * *any* project (atlassian.md), so the verdict says "in at least one project"; with `projectKey`
 * it is about that project exactly.
 */
export function jiraPermissionsVerdict(answer: Answer, wanted: readonly KendisPermission[] = KENDIS_PERMISSIONS, projectKey?: string): Verdict {
  if (!isResponse(answer)) return noProof(answer);
  const reading = readAnswer(operationContract('my-permissions'), answer);
  const where = projectKey ? `in project ${projectKey}` : 'in at least one project';
  switch (reading.kind) {
    case 'success': {
      const parsed = MyPermissionsSchema.safeParse(reading.body);
      if (!parsed.success) return unproven(`${describeAnswer(answer)}, not Jira's permission list`);
      const missing = wanted.filter((p) => parsed.data.permissions[p.key]?.havePermission !== true);
      const scope = (p: KendisPermission) => (p.key === 'ADMINISTER' ? '' : ` ${where}`);
      if (missing.length === 0)
        return {
          status: 'pass',
          detail: `The account holds all ${wanted.length} (${wanted.map((p) => p.name).join(', ')})${projectKey ? ` in project ${projectKey}` : ', the project ones in at least one project'}.`,
        };
      return {
        status: 'warn',
        detail: `The account lacks ${missing.map((p) => `"${p.name}"${scope(p)} (without it ${p.without})`).join('; ')}.`,
        hint: 'Ask a Jira admin to grant these to the account (Jira settings → System → Global permissions for Administer Jira; the projects’ permission schemes for the others), or use an account that has them.',
      };
    }
    case 'scope-missing':
      return { status: 'skip', detail: 'Needs read:jira-work, which the token lacks (see that scope above).' };
    case 'refusal':
      if (projectKey && reading.status === 404) {
        return {
          status: 'warn',
          detail: `Jira has no project ${projectKey} that this account can see (404: ${singleLine(reading.messages[0] ?? '').slice(0, 120)}).`,
          hint: 'Check the project key on the Kendis board (Jira shows it before each issue number, e.g. KEN-12), and that the account may browse that project.',
        };
      }
      return {
        status: 'error',
        detail: `Jira refused the permissions request (${reading.status}: ${singleLine(reading.messages[0] ?? '').slice(0, 120)}).`,
        hint: NOTHING_CONCLUDED,
      };
    case 'rate-limited':
      return rateLimited(reading.status, 'permissions');
    default:
      return unproven(cameBack(reading, answer));
  }
}

const SEVERITY: Record<Verdict['status'], number> = { pass: 0, skip: 1, warn: 2, fail: 3, error: 4 };

/** One jira-permissions verdict from one per project: the worst status, every project's finding. */
export function combinePermissions(verdicts: readonly Verdict[]): Verdict {
  if (verdicts.length === 1) return verdicts[0] as Verdict;
  const worst = verdicts.reduce((a, b) => (SEVERITY[b.status] > SEVERITY[a.status] ? b : a));
  const hints = [...new Set(verdicts.flatMap((v) => (v.hint ? [v.hint] : [])))];
  return { status: worst.status, detail: verdicts.map((v) => v.detail).join(' '), ...(hints.length ? { hint: hints.join(' ') } : {}) };
}
