/**
 * The OAuth 2.0 (3LO) authorization-code round trip, for checking only: start the loopback
 * listener, print (then open) the authorize URL, wait for the code (or a pasted redirect URL when
 * the browser cannot reach this machine), exchange it. The caller discards the tokens afterwards:
 * Kendis does its own OAuth. https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/
 */
import { CliError } from '../errors.js';
import { singleLine } from '../io/sanitize.js';
import { clientRejected, clientRejectedFix, codeRefused } from '../atlassian/client-credentials.js';
import type { Endpoints } from '../config/schema.js';
import type { AtlassianClient, ExchangeResult } from '../atlassian/client.js';
import { authorizeUrl } from '../atlassian/endpoints.js';
import { parseScopeString } from '../atlassian/scopes.js';
import type { Terminal } from '../io/terminal.js';
import { PromptWithdrawnError, type Prompter } from '../io/prompter.js';
import type { BrowserOpener } from '../io/browser.js';
import { describeCallbackError, parseCallback } from './callback-parser.js';
import { type AcceptedCallback, CallbackTimeoutError, type RunningCallbackServer, startCallbackServer } from './callback-server.js';
import { CONSENT_PROBLEMS, WAIT_PROMPT, consentProblem, readWaitAnswer, whatToLookFor, type ConsentProblem } from './consent-problems.js';

export interface OAuthFlowInput {
  endpoints: Endpoints;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: readonly string[];
  timeoutMs: number;
  openBrowser: boolean;
  interactive: boolean;
}

export interface OAuthFlowDeps {
  io: Terminal;
  prompter: Prompter;
  browser: BrowserOpener;
  client: AtlassianClient;
  randomBytes: (n: number) => Buffer;
  signal: AbortSignal;
}

export interface OAuthGrant {
  accessToken: string;
  grantedScopes: Set<string>;
  expiresIn: number | undefined;
}

export class OAuthFlowError extends CliError {
  readonly reason: 'cancelled-in-browser' | 'callback-error' | 'exchange-failed' | 'consent-blocked' | 'no-callback';
  constructor(reason: OAuthFlowError['reason'], message: string, hint: string) {
    super(message, { hint });
    this.reason = reason;
  }
}

export function exchangeFailure(result: Extract<ExchangeResult, { ok: false }>): OAuthFlowError {
  if (codeRefused(result)) {
    return new OAuthFlowError(
      'exchange-failed',
      `Atlassian refused the authorization code (${result.status} ${singleLine(result.error)}): it expired or was already used.`,
      'Run the check again and approve the app once more (a code is valid for a few minutes, once).',
    );
  }
  if (clientRejected(result.error)) {
    return new OAuthFlowError(
      'exchange-failed',
      `Atlassian rejected the Client ID and Client Secret (${result.status} ${singleLine(result.error)}).`,
      clientRejectedFix(),
    );
  }
  return new OAuthFlowError(
    'exchange-failed',
    `Atlassian did not exchange the authorization code (${result.status} ${singleLine(result.error)}${result.description ? `: ${singleLine(result.description).slice(0, 200)}` : ''}).`,
    `Check the callback URL on the Authorization tab matches the local callback exactly, then try again.`,
  );
}

/** Show the consent address and open it; what the browser did. */
async function offerConsent(url: string, input: OAuthFlowInput, deps: OAuthFlowDeps): Promise<string> {
  // A browser that handles the consent itself (a stand-in target's, unwatched) needs no address to copy.
  if (!deps.browser.handlesItself) {
    deps.io.info('Approve the app at this address:');
    deps.io.url(url);
  }
  const opened = input.openBrowser ? await deps.browser.open(url) : 'unavailable';
  if (opened === 'opened') deps.io.hint('A browser tab was opened. Click Accept there, then come back here.');
  else if (opened === 'unavailable' && input.openBrowser) deps.io.hint('No browser could be opened here: open the address above on any machine.');
  return opened;
}

/** A silent timeout usually means Atlassian is showing one of its error pages: name them all, with their fixes. */
function noCallback(error: CallbackTimeoutError, opened: string, help: { redirectUri: string; scopes: readonly string[] }): OAuthFlowError {
  const pages = CONSENT_PROBLEMS.map((k) => consentProblem(k, help)).map((t) => `${t.looksLike}: ${t.hint}`);
  const said = error.message.replace(/\.$/, '');
  return new OAuthFlowError(
    'no-callback',
    opened === 'opened'
      ? `${said}: Atlassian probably showed an error page instead of sending the browser back.`
      : `${said}: nobody completed the sign-in at the address above, or Atlassian showed an error page instead of sending the browser back.`,
    `What the page says tells the fix. ${pages.join(' ')} If the browser ran on another machine, run again and paste the address it ended on, or use --skip-oauth.`,
  );
}

/**
 * While waiting, the user can say what Atlassian shows (its error pages never call back), or paste
 * the address the browser ended on (a browser on another machine cannot reach us).
 */
async function waitAsking(p: {
  waiting: Promise<AcceptedCallback>;
  stopWaiting: AbortController;
  server: RunningCallbackServer;
  state: string;
  help: { redirectUri: string; scopes: readonly string[] };
  deps: OAuthFlowDeps;
}): Promise<AcceptedCallback> {
  const withdraw = new AbortController();
  let told: ConsentProblem | undefined;
  const validate = (value: string) => {
    const kind = readWaitAnswer(value);
    if (kind === undefined) return 'Type a number from 1 to 5, or paste the full address from the browser.';
    if (kind !== 'url') return true;
    const result = parseCallback(value, p.state);
    return result.kind === 'invalid' ? `That address is not this sign-in’s callback (${result.reason}).` : true;
  };
  const answered = p.deps.prompter
    .input({ id: 'oauth.wait', message: WAIT_PROMPT, signal: withdraw.signal, validate })
    .then((value) => {
      const kind = readWaitAnswer(value);
      if (kind === 'url') p.server.offer(value.trim());
      else told = kind;
    })
    .catch((error: unknown) => {
      if (!(error instanceof PromptWithdrawnError)) throw error;
    });
  let callback: AcceptedCallback | undefined;
  try {
    callback = await Promise.race([p.waiting, answered.then(() => (told ? undefined : p.waiting))]);
  } finally {
    withdraw.abort();
  }
  await answered;
  if (told) {
    p.waiting.catch(() => undefined);
    p.stopWaiting.abort();
    const text = consentProblem(told, p.help);
    throw new OAuthFlowError('consent-blocked', text.message, text.hint);
  }
  return callback ?? (await p.waiting);
}

/** The callback's code exchanged for a token: the grant, with the scopes Atlassian granted. */
async function exchange(callback: AcceptedCallback, input: OAuthFlowInput, deps: OAuthFlowDeps): Promise<OAuthGrant> {
  if (callback.kind === 'error') {
    const { message, hint } = describeCallbackError(callback.error, callback.description);
    throw new OAuthFlowError(callback.error === 'access_denied' ? 'cancelled-in-browser' : 'callback-error', message, hint);
  }
  const exchanged = await deps.client.exchangeCode({
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    code: callback.code,
    redirectUri: input.redirectUri,
  });
  if (!exchanged.ok) throw exchangeFailure(exchanged);
  return { accessToken: exchanged.token.access_token, grantedScopes: parseScopeString(exchanged.token.scope), expiresIn: exchanged.token.expires_in };
}

export async function runOAuthFlow(input: OAuthFlowInput, deps: OAuthFlowDeps): Promise<OAuthGrant> {
  const state = deps.randomBytes(24).toString('base64url');
  // One warning, then a count: a web page firing hundreds of requests must not flood the terminal.
  let ignored = 0;
  const onRejected = (reason: string) => {
    ignored += 1;
    if (ignored === 1) deps.io.warn(`Ignored a request to the local callback: ${reason}. Still waiting for the real one…`);
  };
  const server = await startCallbackServer({ redirectUri: input.redirectUri, state, onRejected });
  try {
    const url = authorizeUrl(input.endpoints, { clientId: input.clientId, scopes: input.scopes, redirectUri: input.redirectUri, state });
    const opened = await offerConsent(url, input, deps);
    const help = { redirectUri: input.redirectUri, scopes: input.scopes };
    // An automated browser went through the consent page itself: nothing to look for, nothing to ask.
    const handled = opened === 'handled';
    if (!handled) deps.io.hint(whatToLookFor(help));
    const stopWaiting = new AbortController();
    const waiting = server.wait(input.timeoutMs, AbortSignal.any([deps.signal, stopWaiting.signal])).catch((error: unknown) => {
      throw error instanceof CallbackTimeoutError ? noCallback(error, opened, help) : error;
    });
    if (input.interactive && !handled) return await exchange(await waitAsking({ waiting, stopWaiting, server, state, help, deps }), input, deps);
    if (!handled) deps.io.hint(`Waiting up to ${Math.round(input.timeoutMs / 1000)} s for the browser to come back to ${input.redirectUri} …`);
    return await exchange(await waiting, input, deps);
  } finally {
    await server.close();
    if (ignored > 1) deps.io.warn(`Ignored ${ignored} requests to the local callback in all (not this sign-in's).`);
  }
}
