/** Step 6: the Client ID and Secret, checked at once without a browser, then by a real sign-in. */
import { consentProblem } from '../../auth/consent-problems.js';
import { APP_SCOPES } from '../../atlassian/scopes.js';
import { consolePages } from '../../atlassian/endpoints.js';
import { checkClientCredentials, clientRejectedFix } from '../../atlassian/client-credentials.js';
import { runOAuthFlow } from '../../auth/oauth-flow.js';
import { runOAuthChecks } from '../../checks/run-checks.js';
import { callbackRefused, oauthClientVerdict } from '../../checks/verdicts.js';
import { blockingOf, renderCheckLines } from '../../checks/report.js';
import { ChecksFailedError } from '../../errors.js';
import { stageSecret } from '../commit.js';
import { askSecret, askValue, PausedError } from '../../input/ask.js';
import { checkCallbackUrl, checkClientId } from '../../input/validate.js';
import { defineStep, type Have, type WizardContext } from '../context.js';
import { consolePage } from './create-app.js';
import { withoutSecrets } from '../../io/sanitize.js';

type Needs = 'callbackUrl' | 'callbackMode' | 'redirectUri' | 'email' | 'cloudId';

/** The Client ID and Secret: from the flag, the environment, or asked. */
async function askClient(ctx: WizardContext): Promise<{ clientId: string; clientSecret: string }> {
  const clientId = await askValue(ctx.deps, {
    id: 'client.id',
    message: 'Client ID:',
    flag: '--client-id',
    given: ctx.options.clientId,
    default: ctx.answers.clientId ?? ctx.target.defaults.clientId,
    check: checkClientId,
  });
  // Kept with the answers (it is not a secret), so stopping here does not lose it.
  ctx.answers.clientId = clientId;
  const clientSecret = await askSecret(ctx.deps, { kind: 'client-secret', offered: ctx.target.defaults.clientSecret });
  return { clientId, clientSecret };
}

/**
 * Asked until Atlassian accepts them (a fail asks again; an outage stops: nothing proven, nothing
 * stored). A refused callback URL is not the ID's or Secret's fault: the user fixes the
 * Authorization tab (or the URL given in Step 5) and the same ID and Secret are checked again.
 */
async function askAndCheckClient(ctx: WizardContext, have: Have<Needs>): Promise<{ clientId: string; clientSecret: string }> {
  const io = ctx.deps.io;
  const canAskAgain = io.interactive && ctx.options.clientId === undefined;
  let kept: { clientId: string; clientSecret: string } | undefined;
  for (;;) {
    const { clientId, clientSecret } = kept ?? (await askClient(ctx));
    kept = undefined;
    // The URL registered on the app right now: in "switch" mode that is still the local one.
    const registered = have.callbackMode === 'switch' ? have.redirectUri : have.callbackUrl;
    const result = await io.task('Checking the Client ID and Secret with Atlassian…', () =>
      checkClientCredentials(ctx.client, clientId, clientSecret, registered).catch((error: unknown) => error as Error),
    );
    const raw = oauthClientVerdict(result, canAskAgain ? "Copy both again from the app's Settings tab." : clientRejectedFix(ctx.rerun));
    // The detail quotes the token endpoint: never with the secret in it.
    const verdict = { ...raw, detail: withoutSecrets(raw.detail, [clientSecret]) };
    renderCheckLines(io, [{ id: 'oauth-client', title: 'Client ID and Client Secret', ...verdict }]);
    if (verdict.status === 'pass') return { clientId, clientSecret };
    if (verdict.status === 'error') {
      throw new ChecksFailedError(
        `${verdict.detail.replace(/\.$/, '')}: the Client Secret was not stored. Try again later.`,
        `Run \`${ctx.rerun}\` again when Atlassian answers: it resumes at this step.`,
      );
    }
    if (callbackRefused(result)) {
      if (!io.interactive) throw new ChecksFailedError(verdict.detail, verdict.hint);
      const next = await ctx.deps.prompter.select<'retry' | 'change' | 'stop'>({
        id: 'callback.refused',
        message: `The app does not list ${registered} as a callback URL. What now?`,
        choices: [
          { name: 'I fixed the Authorization tab and clicked Save changes — check again', value: 'retry' },
          ...(have.callbackMode === 'switch'
            ? []
            : [{ name: 'The URL I gave in Step 5 was wrong — type Kendis’ callback URL again', value: 'change' as const }]),
          { name: 'Stop here (progress is saved; run setup again to continue)', value: 'stop' },
        ],
      });
      if (next === 'stop') throw new PausedError();
      if (next === 'change') {
        have.callbackUrl = await askValue(ctx.deps, {
          id: 'callback.url',
          message: 'Kendis’ callback URL, exactly as Kendis shows it:',
          flag: '--callback-url',
          given: undefined,
          default: undefined,
          check: checkCallbackUrl,
        });
        ctx.answers.callbackUrl = have.callbackUrl;
        ctx.target.registerCallbackUrl(have.callbackUrl);
        io.info('  Put exactly this on the Authorization tab, then Save changes:');
        io.url(have.callbackUrl);
      }
      kept = { clientId, clientSecret };
      continue;
    }
    if (!canAskAgain) throw new ChecksFailedError(verdict.detail, verdict.hint);
    io.info('Copy them again from the Settings tab and try once more.');
    ctx.answers.clientId = undefined;
  }
}

/** How the OAuth check says Atlassian refused the local callback URL (consent-problems.ts). */
const LOCAL_URL_REFUSED = consentProblem('redirect-not-registered', { redirectUri: '', scopes: [] }).message;

/** One real sign-in with the app's scopes, and the checks of what it granted. */
function signInChecks(ctx: WizardContext, have: Have<Needs>, clientId: string, clientSecret: string) {
  const { deps, target } = ctx;
  const flow = {
    endpoints: target.endpoints,
    clientId,
    clientSecret,
    redirectUri: have.redirectUri,
    scopes: APP_SCOPES.map((s) => s.scope),
    timeoutMs: ctx.options.oauthTimeoutSeconds * 1000,
    openBrowser: ctx.options.browser || target.alwaysOpensConsent,
    interactive: deps.io.interactive,
  };
  const flowDeps = { io: deps.io, prompter: deps.prompter, browser: target.browser, client: ctx.client, randomBytes: deps.randomBytes, signal: deps.signal };
  return runOAuthChecks({ email: have.email, cloudId: have.cloudId, client: ctx.client, now: deps.now() }, () => runOAuthFlow(flow, flowDeps));
}

type NextMove = 'retry' | 'stop' | 'switch' | 'skip';

/** After a failed sign-in, interactively: check again, work around a tab that keeps one callback URL, or stop. */
function askNextMove(ctx: WizardContext, singleUrl: boolean): Promise<NextMove> {
  const oneUrl = singleUrl
    ? [
        { name: 'The Authorization tab keeps only one callback URL — put the local one there for this check, then Kendis’ back', value: 'switch' as const },
        { name: 'The Authorization tab keeps only one callback URL — skip the browser check (the Client ID and Secret were checked)', value: 'skip' as const },
      ]
    : [];
  return ctx.deps.prompter.select<NextMove>({
    id: 'oauth.retry',
    message: 'What now?',
    choices: [
      { name: 'I fixed it in the console — check again', value: 'retry' },
      ...oneUrl,
      { name: 'Stop here (progress is saved; run setup again to continue)', value: 'stop' },
    ],
  });
}

/** The browser sign-in that proves the app's permissions; the tokens are thrown away. */
async function oauthRoundTrip(ctx: WizardContext, have: Have<Needs>, clientId: string, clientSecret: string): Promise<void> {
  for (;;) {
    ctx.deps.io.info(`A real sign-in now proves the app’s permissions (${ctx.target.signInNote}).`);
    const results = await signInChecks(ctx, have, clientId, clientSecret);
    renderCheckLines(ctx.deps.io, results);
    const { failed, errors } = blockingOf(results);
    const blocking = [...failed, ...errors];
    if (blocking.length === 0) {
      ctx.answers.oauthVerified = 'yes';
      await offerConsentingEmail(ctx, have, results);
      return;
    }
    // Atlassian refused the local URL after Step 5: on a tab that keeps a single callback URL, adding
    // Kendis' replaced it. Asked now, in the words of what the admin sees.
    const singleUrl = have.callbackMode === 'both' && blocking.some((r) => r.detail.startsWith(LOCAL_URL_REFUSED));
    if (!ctx.deps.io.interactive) {
      throw new ChecksFailedError(
        `The OAuth check did not pass: ${blocking.map((f) => f.title).join('; ')}.`,
        singleUrl
          ? `If the Authorization tab keeps only one callback URL, rerun with --skip-oauth (the Client ID and Secret are still checked). ${blocking[0]?.hint ?? ''}`.trim()
          : (blocking[0]?.hint ?? `Fix the app in the Developer Console and run \`${ctx.rerun}\` again.`),
      );
    }
    const next = await askNextMove(ctx, singleUrl);
    if (next === 'stop') throw new PausedError();
    if (next === 'retry') continue;
    have.callbackMode = next;
    ctx.answers.callbackMode = next;
    if (next === 'skip') return;
    ctx.deps.io.info('  Put exactly this in the Authorization tab’s callback URL field for now, and Save changes:');
    ctx.deps.io.url(have.redirectUri);
  }
}

/**
 * The browser consented as another account than the e-mail given: said now, at Step 6, with the fix
 * at hand (Kendis signs in with the e-mail it is given, and the token must be that account's).
 */
async function offerConsentingEmail(ctx: WizardContext, have: Have<Needs>, results: readonly { id: string; status: string; detail: string }[]): Promise<void> {
  const identity = results.find((r) => r.id === 'oauth-identity' && r.status === 'warn');
  const other = identity ? /consented as (\S+), not/.exec(identity.detail)?.[1] : undefined;
  if (!other || !ctx.deps.io.interactive || ctx.options.email !== undefined) return;
  const use = await ctx.deps.prompter.confirm({
    id: 'email.from-consent',
    message: `Use ${other} as the account for Kendis (the API token in Step 7 must be that account's)?`,
    default: true,
  });
  if (!use) return;
  have.email = other;
  ctx.answers.email = other;
  ctx.deps.io.success(`The account for Kendis is now ${other}.`);
}

export const clientCredentialsStep = defineStep({
  number: 6,
  title: 'Client ID and Client Secret',
  needs: ['callbackUrl', 'callbackMode', 'redirectUri', 'email', 'cloudId'],
  stages: 'client-secret',
  async run(ctx, have) {
    await consolePage(
      ctx,
      "Open the app's Settings tab (if the link does not open it, open the app and click Settings)",
      consolePages(ctx.answers.appId).settings,
      'Settings',
    );
    const { clientId, clientSecret } = await askAndCheckClient(ctx, have);
    ctx.answers.clientId = clientId;
    ctx.secrets['client-secret'] = clientSecret;
    // Verified: staged, so a resume after this step does not ask for it again.
    await stageSecret(ctx, 'client-secret', clientSecret);
    if (have.callbackMode === 'skip' || ctx.options.skipOAuth) {
      ctx.deps.io.hint('The browser OAuth check was skipped; Kendis’ Test Connection exercises the app’s permissions.');
      return;
    }
    await oauthRoundTrip(ctx, have, clientId, clientSecret);
    if (have.callbackMode === 'switch' && ctx.deps.io.interactive) {
      ctx.deps.io.info('Now switch the Authorization tab’s Callback URL back to Kendis’ URL, exactly:');
      ctx.deps.io.url(have.callbackUrl);
      for (;;) {
        const ok = await ctx.deps.prompter.confirm({
          id: 'callback.switched',
          message: 'Does the field now read exactly that URL, and did you click Save changes?',
          default: true,
        });
        if (ok) break;
        ctx.deps.io.warn('Kendis’ connection fails until the field matches exactly. Change it, save, then answer Yes.');
      }
    }
  },
});
