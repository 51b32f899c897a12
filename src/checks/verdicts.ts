/**
 * Pure verdicts: an Atlassian answer (or a network error) in, pass/warn/fail/error/skip out, with the
 * fix a Jira admin can act on. Table-tested in test/unit/verdicts.test.ts; the network part that
 * feeds them (run-checks.ts) stays thin. Rules: ../shared/spec/checks.md.
 */
import type { HttpResponse } from '../atlassian/http.js';
import { describeAnswer, isScopeMismatch, noAnswer, NoProofError, parseJson, UnknownSiteError } from '../atlassian/client.js';
import { MyPermissionsSchema, MyselfSchema } from '../atlassian/schemas.js';
import { singleLine } from '../io/sanitize.js';
import { KENDIS_PERMISSIONS, type KendisPermission } from '../atlassian/permissions.js';
import { clientRejected, clientRejectedFix } from '../atlassian/client-credentials.js';
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
  const hint = !isResponse(answer) && 'hint' in answer && typeof answer.hint === 'string' && !(answer instanceof NoProofError) ? answer.hint : 'Nothing was concluded either way: try again later; if it persists, check HTTPS_PROXY / NO_PROXY or rerun with --debug.';
  const detail = `${noAnswer(what, answer instanceof NoProofError ? answer.what : came)}.`;
  return { status: 'error', detail, hint };
}

function rateLimited(status: number, what: string): Verdict {
  return { status: 'error', detail: `Atlassian kept rate limiting (${status}); the ${what} could not be checked.`, hint: 'Wait a minute and run the test again.' };
}

/**
 * A probe's answer → the scope's verdict (checks.md, "Probes"). Jira's own 400/403/404/409/422
 * prove the request got past the gateway's scope check. Only meaningful once api-token passed.
 */
export function probeVerdict(answer: Answer, scope: string, rotateCommand = DEFAULT_ROTATE, forbiddenMeans?: string, mustFail = false): Verdict {
  if (!isResponse(answer)) return noProof(answer);
  const s = answer.status;
  if (s >= 200 && s < 300) {
    // A request aimed at nothing cannot succeed on Jira, and Jira's successes are JSON documents:
    // anything else (an empty 204, `null`, a success for id 0) is something in between answering.
    if (mustFail || !isJsonValue(answer.text)) return { ...noProof(answer), detail: `Something other than Jira answered the test request (${describeAnswer(answer)}${mustFail ? ', a success for a request Jira must refuse' : ''}).` };
    return { status: 'pass', detail: `On the token (Jira answered ${s}).` };
  }
  // Jira's own refusals have Jira's shape ({"errorMessages": […], "errors": {…}}); an empty,
  // plain-text or other JSON 403/404 ({"code":404,"message":…}) is a gateway, proxy or firewall in
  // between, and proves nothing.
  if (PAST_GATEWAY.has(s) && isJiraRefusal(answer.text)) {
    const why =
      s === 403 ? (forbiddenMeans ?? ', so the request got past Atlassian’s scope check; what the account may do is the jira-permissions check')
      : 'to a test request aimed at nothing, so it got past Atlassian’s scope check';
    return { status: 'pass', detail: `On the token (Jira itself answered ${s}${/^[:,]/.test(why) ? '' : ' '}${why}).` };
  }
  if (s === 401 && isScopeMismatch(answer)) {
    return {
      status: 'fail',
      detail: `Missing from the API token (Atlassian answered 401: scope does not match).`,
      hint: `On Atlassian's API-token page (${API_TOKENS_PAGE}) create a new token with scopes that include "${tokenScopeTitle(scope)}" (${scope}) and the others Kendis needs, then run ${rotate(rotateCommand)}.`,
    };
  }
  // A 401 without "scope does not match" is about the credentials, not this scope (checks.md): the
  // scope is not checked, and the run fails the api-token check (credentialsRefusedMidRun).
  if (s === 401) return { status: 'skip', detail: 'Not checked: Atlassian refused the e-mail and API token for this request (401); see the api-token check.' };
  if (s === 429 || s === 503) return rateLimited(s, 'scope');
  return noProof(answer);
}

/** A probe refused for its credentials, not for a scope (401 without "scope does not match"). */
export function refusedCredentials(answer: Answer): boolean {
  return isResponse(answer) && answer.status === 401 && !isScopeMismatch(answer);
}

/** api-token after a probe's 401 refused the credentials that had just signed in (checks.md: a fail of api-token). */
export const REFUSED_MID_RUN = 'Atlassian signed in with the e-mail and API token, then refused them (401) on the scope checks: the token was revoked or expired meanwhile, or something in between refuses it.';

export function credentialsRefusedMidRun(rotateCommand = DEFAULT_ROTATE, fromEnv = false): Verdict {
  return {
    status: 'fail',
    detail: REFUSED_MID_RUN,
    hint: `Check the token still exists on ${API_TOKENS_PAGE} and run the test again; otherwise create a new scoped token and ${fromEnv ? 'set KENDIS_JIRA_API_TOKEN to it' : `run ${rotate(rotateCommand)}`}.`,
  };
}

/** Jira's own answers past the gateway's scope check (checks.md): they prove the scope. */
const PAST_GATEWAY = new Set([400, 403, 404, 409, 422]);

/** Jira's refusals: {"errorMessages": [...]} and/or {"errors": {...}} (the REST API's ErrorCollection). */
export function isJiraRefusal(text: string): boolean {
  const parsed = parseJson(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const { errorMessages, errors } = parsed as { errorMessages?: unknown; errors?: unknown };
  return Array.isArray(errorMessages) || (typeof errors === 'object' && errors !== null && !Array.isArray(errors));
}

/** Jira's successes are a JSON list, or an object with something in it (never a bare `{}`). */
function isJsonValue(text: string): boolean {
  const parsed = parseJson(text);
  return Array.isArray(parsed) || (typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length > 0);
}

function looksLikeHtml(res: HttpResponse): boolean {
  return /html/i.test(res.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(res.text);
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

/** /myself through the gateway → does the e-mail + token pair authenticate? */
export function apiTokenVerdict(input: ApiTokenInput): Verdict & { authenticated: boolean } {
  const { answer } = input;
  const command = input.rotateCommand ?? DEFAULT_ROTATE;
  const setup = rotate(input.setupCommand ?? DEFAULT_SETUP);
  const replace = input.fromEnv ? 'set KENDIS_JIRA_API_TOKEN to a working scoped token (the token tested came from that variable)' : `run ${rotate(command)}`;
  if (!isResponse(answer)) return { ...noProof(answer, "Atlassian's API gateway"), authenticated: false };
  if (answer.status === 200) {
    const me = MyselfSchema.safeParse(parseJson(answer.text));
    if (!me.success) return { ...noProof(answer, "Atlassian's API gateway"), detail: `Atlassian's API gateway answered 200 but not with Jira's account data (${describeAnswer(answer)}): something in between answered instead.`, authenticated: false };
    const shown = me.data.emailAddress === undefined ? undefined : singleLine(me.data.emailAddress);
    if (shown && shown.toLowerCase() !== input.email.toLowerCase()) {
      return { status: 'warn', authenticated: true, detail: `The token signs in as ${shown}, not ${input.email}.`, hint: `Kendis needs the e-mail of the account that created the token: run ${setup} again with that e-mail.` };
    }
    return { status: 'pass', authenticated: true, detail: `Signed in as ${shown ?? singleLine(me.data.displayName ?? 'the configured account')}${shown ? '' : ' (e-mail hidden by the profile’s privacy settings)'}.` };
  }
  if (answer.status === 401 && isScopeMismatch(answer)) {
    return { status: 'pass', authenticated: true, detail: 'The e-mail and token signed in (the e-mail could not be compared: the token lacks read:jira-user).' };
  }
  if (answer.status === 401) {
    const days = daysUntil(input.expiresOn, input.now);
    if (days < 0 && !input.fromEnv) {
      return { status: 'fail', authenticated: false, detail: `Atlassian rejected the API token: it expired on ${input.expiresOn}.`, hint: `Create a new token and ${replace}.` };
    }
    if (input.siteAnswer && isResponse(input.siteAnswer) && input.siteAnswer.status === 200 && MyselfSchema.safeParse(parseJson(input.siteAnswer.text)).success) {
      return {
        status: 'fail',
        authenticated: false,
        detail: 'This API token works on the site URL but not through Atlassian’s API gateway: it is a classic token, created without scopes.',
        hint: `On ${API_TOKENS_PAGE} choose "Create API token with scopes" (not "Create API token"), then ${replace}.`,
      };
    }
    return {
      status: 'fail',
      authenticated: false,
      detail: `Atlassian rejected the e-mail and API token pair (401): the e-mail is not the token owner's, the token was mistyped, or it was revoked.`,
      hint: `Check the e-mail is the account that created the token; otherwise create a new scoped token and ${replace}.`,
    };
  }
  if (answer.status === 404 && parseJson(answer.text) !== undefined) {
    return { status: 'fail', authenticated: false, detail: 'Atlassian’s API gateway does not know this site (404).', hint: `Run ${setup} again to record the right site.` };
  }
  if (answer.status === 403 && !looksLikeHtml(answer)) {
    return {
      status: 'fail',
      authenticated: false,
      detail: 'Atlassian refused the e-mail and API token on this site (403): the account has no Jira access here, or the site only accepts requests from allowed IP addresses.',
      hint: 'Check the account has Jira access on this site (Atlassian Administration → Products), and whether the site has an IP allowlist.',
    };
  }
  if (answer.status === 429 || answer.status === 503) return { ...rateLimited(answer.status, 'token'), authenticated: false };
  return { ...noProof(answer, "Atlassian's API gateway"), authenticated: false };
}

/** The token's saved expiry date: pass > 30 days, warn ≤ 30, fail when expired. */
export function tokenExpiryVerdict(expiresOn: string, now: Date, rotateCommand = DEFAULT_ROTATE): Verdict {
  const days = daysUntil(expiresOn, now);
  if (Number.isNaN(days)) return { status: 'warn', detail: 'No valid expiry date is saved.', hint: `Record it with ${rotate(rotateCommand)}.` };
  if (days < 0) return { status: 'fail', detail: `The token expired on ${expiresOn} (${describeDaysLeft(days)}).`, hint: `Create a new token and run ${rotate(rotateCommand)}.` };
  if (days <= 30) return { status: 'warn', detail: `The token expires on ${expiresOn} (${describeDaysLeft(days)}).`, hint: `Replace it now with ${rotate(rotateCommand)}.` };
  return { status: 'pass', detail: `Expires on ${expiresOn} (${describeDaysLeft(days)}).` };
}

/** The token endpoint refused the redirect_uri (not the Client ID or Secret): the app lacks that callback URL. */
export function callbackRefused(result: ExchangeResult | Error): boolean {
  return !(result instanceof Error) && !result.ok && result.error === 'unauthorized_client' && /redirect/i.test(result.description ?? '');
}

/** Token endpoint answer to a deliberately invalid code → are the client credentials accepted? */
export function oauthClientVerdict(result: ExchangeResult | Error, rejectedFix = clientRejectedFix()): Verdict {
  if (result instanceof Error) return noProof(result, "Atlassian's token endpoint");
  if (result.ok) return { status: 'error', detail: "Atlassian's token endpoint exchanged a code that cannot be valid: that is not Atlassian answering.", hint: 'Check KENDIS_JIRA_AUTH_URL and any proxy, then try again.' };
  // Only Atlassian's own 4xx verdict on the code counts; a 5xx, a redirect or rate limiting proves
  // nothing, whatever its body says.
  if (result.status >= 500 || result.status < 400) return { status: 'error', detail: `Atlassian's token endpoint did not answer (${result.status} ${singleLine(result.error).slice(0, 60)}).`, hint: 'Nothing was concluded either way: try again later.' };
  if (result.status === 429) return rateLimited(429, 'Client ID and Secret');
  if (result.error === 'invalid_grant') return { status: 'pass', detail: 'Accepted by Atlassian.' };
  if (callbackRefused(result)) {
    return {
      status: 'fail',
      detail: `Atlassian refused the callback URL (${result.status} unauthorized_client: ${singleLine(result.description ?? '')}).`,
      hint: "On the app's Authorization tab, the callback URL must be exactly Kendis' (Step 4–5); Save changes, then check again.",
    };
  }
  if (clientRejected(result.error)) {
    return { status: 'fail', detail: `Atlassian rejected them (${result.status} ${singleLine(result.error)}).`, hint: rejectedFix };
  }
  return { status: 'error', detail: `Atlassian's token endpoint did not answer (${result.status} ${singleLine(result.error).slice(0, 60)}${result.description ? `: ${singleLine(result.description).slice(0, 120)}` : ''}).`, hint: 'Nothing was concluded either way: try again later; if it persists, rerun with --debug.' };
}

/** The site's tenant_info against the saved cloudId. */
export function siteVerdict(result: string | Error, site: string, savedCloudId: string, setupCommand = DEFAULT_SETUP): Verdict {
  if (result instanceof UnknownSiteError) return { status: 'fail', detail: errorText(result) + '.', ...(result.hint ? { hint: result.hint } : {}) };
  if (result instanceof Error) return noProof(result, site);
  if (result !== savedCloudId) {
    return { status: 'fail', detail: `${site} is now cloud ${result}, but this profile was set up for ${savedCloudId}.`, hint: `Run ${rotate(setupCommand)} again for this site.` };
  }
  return { status: 'pass', detail: `Jira Cloud, cloud id ${result}.` };
}

/** The OAuth round trip's granted scopes and site access, compared with the catalogue. */
export function grantVerdict(granted: Set<string>, resources: { id: string; url: string; scopes: string[] }[] | Error, cloudId: string, missing: { title: string; scope: string }[]): Verdict {
  if (missing.length > 0) {
    const names = missing.map((m) => `"${m.title}" (${m.scope})`).join(', ');
    return {
      status: 'fail',
      detail: `The app did not grant ${missing.length === 1 ? 'a required permission' : `${missing.length} required permissions`}: ${names}.`,
      hint: "On the app's Permissions tab add the missing API or Jira permission (Edit Scopes → tick it → Save), then run the check again.",
    };
  }
  if (resources instanceof Error) return { ...noProof(resources), detail: `All ${granted.size} scopes were granted, but the site list could not be read: ${errorText(resources)}.` };
  if (!resources.some((r) => r.id === cloudId)) {
    return {
      status: 'fail',
      detail: 'The consent was given for another site: this Jira site is not among the app’s accessible sites.',
      hint: 'Run the OAuth check again and pick this site on the consent page ("Use app on").',
    };
  }
  const apis = APP_SCOPES.filter((s) => s.kind === 'api').length + 1;
  const jira = APP_SCOPES.filter((s) => s.kind === 'jira').length;
  return { status: 'pass', detail: `The ${apis} APIs and ${jira} Jira permissions were granted for this site.` };
}

export function identityVerdict(answer: Answer, me: { email?: string | undefined; account_id: string } | undefined, email: string): Verdict {
  if (!isResponse(answer)) return noProof(answer);
  if (answer.status === 401 && isScopeMismatch(answer)) {
    return { status: 'fail', detail: 'The User Identity API is not added to the app (read:me missing).', hint: "On the app's Permissions tab, click Add next to User Identity API." };
  }
  if (answer.status !== 200 || !me) return noProof(answer);
  if (me.email && me.email.toLowerCase() !== email.toLowerCase()) {
    return { status: 'warn', detail: `The browser consented as ${singleLine(me.email)}, not ${email}.`, hint: 'Kendis signs in with the e-mail you give it: use the same account in the browser, or run setup with that e-mail.' };
  }
  return { status: 'pass', detail: `The consenting account is ${singleLine(me.email ?? me.account_id)}.` };
}

export function personalDataVerdict(answer: Answer | undefined): Verdict {
  if (answer === undefined) return { status: 'skip', detail: 'Needs the account id from /me.' };
  if (!isResponse(answer)) return noProof(answer);
  if (answer.status === 200 || answer.status === 204) return { status: 'pass', detail: 'The Personal Data Reporting API answered.' };
  if (answer.status === 401 && isScopeMismatch(answer)) {
    return { status: 'fail', detail: 'The Personal Data Reporting API is not added to the app (report:personal-data missing).', hint: "On the app's Permissions tab, click Add next to Personal Data Reporting API." };
  }
  return noProof(answer);
}

/** GET /rest/api/3/mypermissions → which of the permissions Kendis' sync uses the account lacks (never a fail). */
export function jiraPermissionsVerdict(answer: Answer, wanted: readonly KendisPermission[] = KENDIS_PERMISSIONS): Verdict {
  if (!isResponse(answer)) return noProof(answer);
  if (answer.status === 401 && isScopeMismatch(answer)) {
    return { status: 'skip', detail: 'Needs read:jira-work, which the token lacks (see that scope above).' };
  }
  if (answer.status === 429 || answer.status === 503) return rateLimited(answer.status, 'permissions');
  const parsed = MyPermissionsSchema.safeParse(parseJson(answer.text));
  if (answer.status !== 200 || !parsed.success) return noProof(answer);
  const missing = wanted.filter((p) => parsed.data.permissions[p.key]?.havePermission !== true);
  if (missing.length === 0) return { status: 'pass', detail: `The account holds all ${wanted.length} (${wanted.map((p) => p.name).join(', ')}).` };
  return {
    status: 'warn',
    detail: `The account lacks ${missing.map((p) => `"${p.name}" (without it ${p.without})`).join('; ')}.`,
    hint: 'Ask a Jira admin to grant these to the account (Jira settings → System → Global permissions for Administer Jira; the projects’ permission schemes for the others), or use an account that has them.',
  };
}
