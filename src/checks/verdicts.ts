/**
 * Pure verdicts: an Atlassian answer (or a network error) in, pass/warn/fail/skip out, with the
 * fix a Jira admin can act on. Table-tested in test/unit/verdicts.test.ts; the network part that
 * feeds them (run-checks.ts) stays thin. Rules: ../shared/spec/checks.md.
 */
import type { HttpResponse } from '../atlassian/http.js';
import { isScopeMismatch, parseJson } from '../atlassian/client.js';
import type { ExchangeResult } from '../atlassian/client.js';
import { API_TOKENS_PAGE } from '../atlassian/endpoints.js';
import { tokenScopeTitle } from '../atlassian/scopes.js';
import { daysUntil, describeDaysLeft } from '../util/dates.js';
import type { Verdict } from './types.js';

export type Answer = HttpResponse | Error;

const rotate = (profileFlag: string) => `\`kendis-jira rotate-token${profileFlag}\``;

function isResponse(a: Answer): a is HttpResponse {
  return !(a instanceof Error);
}

export function errorText(error: Error): string {
  return error.message.replace(/\.$/, '');
}

/** A probe's answer → the scope's verdict. */
export function probeVerdict(answer: Answer, scope: string, profileFlag = ''): Verdict & { credentialsRejected?: boolean } {
  if (!isResponse(answer)) return { status: 'warn', detail: `Inconclusive: ${errorText(answer)}.`, hint: 'Run the test again when the network is back.' };
  const s = answer.status;
  if ((s >= 200 && s < 300) || s === 400 || s === 404 || s === 409) return { status: 'pass', detail: `Atlassian accepted the scope (answered ${s}).` };
  if (s === 401 && isScopeMismatch(answer)) {
    return {
      status: 'fail',
      detail: `Atlassian answered 401: scope does not match — the API token lacks ${scope}.`,
      hint: `On Atlassian's API-token page (${API_TOKENS_PAGE}) create a new token with scopes that include "${tokenScopeTitle(scope)}" (${scope}) and the others Kendis needs, then run ${rotate(profileFlag)}.`,
    };
  }
  if (s === 401) return { status: 'fail', detail: 'Atlassian rejected the e-mail and API token.', credentialsRejected: true };
  if (s === 403) {
    return {
      status: 'warn',
      detail: 'The scope is on the token, but the account lacks a Jira permission or licence for this (403).',
      hint: 'Use an account with Jira administrator rights and a Jira Software licence, or ask your Jira admin to grant them.',
    };
  }
  if (s === 429 || s === 503) return { status: 'warn', detail: `Atlassian is rate limiting (${s}); the scope could not be checked.`, hint: 'Wait a minute and run the test again.' };
  return { status: 'warn', detail: `Inconclusive: Atlassian answered ${s}.`, hint: 'Run the test again; if it persists, rerun with --debug.' };
}

export interface ApiTokenInput {
  answer: Answer;
  email: string;
  expiresOn: string;
  now: Date;
  /** The same e-mail and token tried on the site URL (only after a 401): 200 means a classic token. */
  siteAnswer?: Answer;
  profileFlag?: string;
}

/** /myself through the gateway → does the e-mail + token pair authenticate? */
export function apiTokenVerdict(input: ApiTokenInput): Verdict & { authenticated: boolean } {
  const { answer } = input;
  const flag = input.profileFlag ?? '';
  if (!isResponse(answer)) return { status: 'fail', authenticated: false, detail: `Could not reach Atlassian's API gateway: ${errorText(answer)}.`, ...(answer instanceof Error && 'hint' in answer && typeof answer.hint === 'string' ? { hint: answer.hint } : {}) };
  if (answer.status === 200) {
    const me = parseJson(answer.text) as { accountId?: string; emailAddress?: string; displayName?: string } | undefined;
    if (!me || typeof me !== 'object' || typeof me.accountId !== 'string') {
      return {
        status: 'fail',
        authenticated: false,
        detail: 'The API gateway answered 200 but not with Jira’s account data — something between you and Atlassian (a proxy or captive portal?) answered instead.',
        hint: 'Check HTTPS_PROXY / NO_PROXY and that api.atlassian.com is reachable, then try again.',
      };
    }
    const shown = me?.emailAddress;
    if (shown && shown.toLowerCase() !== input.email.toLowerCase()) {
      return { status: 'warn', authenticated: true, detail: `The token signs in as ${shown}, not ${input.email}.`, hint: 'Kendis needs the e-mail of the account that created the token: run `kendis-jira setup` again with that e-mail.' };
    }
    return { status: 'pass', authenticated: true, detail: `Signed in through the gateway as ${shown ?? me?.displayName ?? 'the configured account'}${shown ? '' : ' (e-mail hidden by the profile’s privacy settings)'}.` };
  }
  if (answer.status === 401 && isScopeMismatch(answer)) {
    return { status: 'pass', authenticated: true, detail: 'The e-mail and token signed in (the e-mail could not be compared: the token lacks read:jira-user).' };
  }
  if (answer.status === 401) {
    const days = daysUntil(input.expiresOn, input.now);
    if (days < 0) {
      return { status: 'fail', authenticated: false, detail: `Atlassian rejected the API token: it expired on ${input.expiresOn}.`, hint: `Create a new token and run ${rotate(flag)}.` };
    }
    if (input.siteAnswer && isResponse(input.siteAnswer) && input.siteAnswer.status === 200) {
      return {
        status: 'fail',
        authenticated: false,
        detail: 'This API token works on the site URL but not through Atlassian’s API gateway: it is a classic token, created without scopes.',
        hint: `On ${API_TOKENS_PAGE} choose "Create API token with scopes" (not "Create API token"), then run ${rotate(flag)}.`,
      };
    }
    return {
      status: 'fail',
      authenticated: false,
      detail: `Atlassian rejected the e-mail and API token pair (401): the e-mail is not the token owner's, the token was mistyped, or it was revoked.`,
      hint: `Check the e-mail is the account that created the token; otherwise create a new scoped token and run ${rotate(flag)}.`,
    };
  }
  if (answer.status === 404) {
    return { status: 'fail', authenticated: false, detail: 'Atlassian’s API gateway does not know this site (404).', hint: 'Run `kendis-jira setup` again to record the right site.' };
  }
  if (answer.status === 403) return { status: 'warn', authenticated: true, detail: 'Signed in, but the account may not use Jira (403).', hint: 'Check the account has Jira access on this site.' };
  if (answer.status === 429 || answer.status === 503) return { status: 'warn', authenticated: false, detail: `Atlassian is rate limiting (${answer.status}); the token could not be checked.`, hint: 'Wait a minute and run the test again.' };
  return { status: 'warn', authenticated: false, detail: `Inconclusive: Atlassian answered ${answer.status}.`, hint: 'Run the test again; if it persists, rerun with --debug.' };
}

/** The token's saved expiry date: pass > 30 days, warn ≤ 30, fail when expired. */
export function tokenExpiryVerdict(expiresOn: string, now: Date, profileFlag = ''): Verdict {
  const days = daysUntil(expiresOn, now);
  if (Number.isNaN(days)) return { status: 'warn', detail: 'No valid expiry date is saved.', hint: `Record it with ${rotate(profileFlag)}.` };
  if (days < 0) return { status: 'fail', detail: `The token expired on ${expiresOn} (${describeDaysLeft(days)}).`, hint: `Create a new token and run ${rotate(profileFlag)}.` };
  if (days <= 30) return { status: 'warn', detail: `The token expires on ${expiresOn} (${describeDaysLeft(days)}).`, hint: `Replace it now with ${rotate(profileFlag)}.` };
  return { status: 'pass', detail: `Expires on ${expiresOn} (${describeDaysLeft(days)}).` };
}

/** Token endpoint answer to a deliberately invalid code → are the client credentials accepted? */
export function oauthClientVerdict(result: ExchangeResult | Error): Verdict {
  if (result instanceof Error) return { status: 'warn', detail: `Could not reach Atlassian's token endpoint: ${errorText(result)}.` };
  if (result.ok) return { status: 'warn', detail: 'Atlassian exchanged an invalid code (unexpected); the client credentials seem to work.' };
  if (result.error === 'invalid_grant') return { status: 'pass', detail: 'Atlassian accepted the Client ID and Client Secret.' };
  if (['access_denied', 'invalid_client', 'unauthorized_client'].includes(result.error)) {
    return {
      status: 'fail',
      detail: `Atlassian rejected the Client ID and Client Secret (${result.status} ${result.error}).`,
      hint: "Copy both again from the app's Settings tab in the Developer Console, then run `kendis-jira setup` again.",
    };
  }
  return { status: 'warn', detail: `Inconclusive: the token endpoint answered ${result.status} ${result.error}.`, hint: 'Run the test again; if it persists, rerun with --debug.' };
}

/** The site's tenant_info against the saved cloudId. */
export function siteVerdict(result: string | Error, site: string, savedCloudId: string): Verdict {
  if (result instanceof Error) {
    const hint = 'hint' in result && typeof result.hint === 'string' ? result.hint : undefined;
    return { status: 'fail', detail: errorText(result) + '.', ...(hint ? { hint } : {}) };
  }
  if (result !== savedCloudId) {
    return { status: 'fail', detail: `${site} is now cloud ${result}, but this profile was set up for ${savedCloudId}.`, hint: 'Run `kendis-jira setup` again for this site.' };
  }
  return { status: 'pass', detail: `${site} is Jira Cloud ${result}.` };
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
  if (resources instanceof Error) return { status: 'warn', detail: `All ${granted.size} scopes were granted, but the site list could not be read: ${errorText(resources)}.` };
  if (!resources.some((r) => r.id === cloudId)) {
    return {
      status: 'fail',
      detail: 'The consent was given for another site: this Jira site is not among the app’s accessible sites.',
      hint: 'Run the OAuth check again and pick this site on the consent page ("Use app on").',
    };
  }
  return { status: 'pass', detail: `All required permissions were granted for this site (${granted.size} scopes).` };
}

export function identityVerdict(answer: Answer, me: { email?: string | undefined; account_id: string } | undefined, email: string): Verdict {
  if (!isResponse(answer)) return { status: 'warn', detail: `Inconclusive: ${errorText(answer)}.` };
  if (answer.status === 401 && isScopeMismatch(answer)) {
    return { status: 'fail', detail: 'The User Identity API is not added to the app (read:me missing).', hint: "On the app's Permissions tab, click Add next to User Identity API." };
  }
  if (answer.status !== 200 || !me) return { status: 'warn', detail: `Inconclusive: /me answered ${answer.status}.` };
  if (me.email && me.email.toLowerCase() !== email.toLowerCase()) {
    return { status: 'warn', detail: `The browser consented as ${me.email}, not ${email}.`, hint: 'Kendis signs in with the e-mail you give it: use the same account in the browser, or run setup with that e-mail.' };
  }
  return { status: 'pass', detail: `The consenting account is ${me.email ?? me.account_id}.` };
}

export function personalDataVerdict(answer: Answer | undefined): Verdict {
  if (answer === undefined) return { status: 'skip', detail: 'Needs the account id from /me.' };
  if (!isResponse(answer)) return { status: 'warn', detail: `Inconclusive: ${errorText(answer)}.` };
  if (answer.status === 200 || answer.status === 204) return { status: 'pass', detail: 'The Personal Data Reporting API answered.' };
  if (answer.status === 401 && isScopeMismatch(answer)) {
    return { status: 'fail', detail: 'The Personal Data Reporting API is not added to the app (report:personal-data missing).', hint: "On the app's Permissions tab, click Add next to Personal Data Reporting API." };
  }
  return { status: 'warn', detail: `Inconclusive: report-accounts answered ${answer.status}.` };
}
