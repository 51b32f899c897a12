/** Steps 5 and 6: Kendis' callback URL; the Client ID and Secret, checked at once and by a real OAuth round trip. */
import { APP_SCOPES } from '../../atlassian/scopes.js';
import { consolePages } from '../../atlassian/endpoints.js';
import { runOAuthFlow } from '../../auth/oauth-flow.js';
import { runOAuthChecks } from '../../checks/run-checks.js';
import { oauthClientVerdict } from '../../checks/verdicts.js';
import { checkClientCredentials } from '../../checks/client-credentials.js';
import { renderCheckLines } from '../../checks/report.js';
import { ChecksFailedError, UsageError } from '../../errors.js';
import { SANDBOX } from '../../sandbox/fixtures.js';
import { stagingAccountFor } from '../../secrets/backend.js';
import { SECRET_ENV } from '../../secrets/secret-store.js';
import { checkCallbackUrl, checkClientId, checkSecretValue } from '../validate.js';
import type { WizardContext, WizardStep } from '../context.js';
import { askValue, openPage, PausedError, stepHeading } from '../ui.js';

export const kendisCallbackStep: WizardStep = {
  number: 5,
  title: 'The Kendis callback URL',
  async run(ctx) {
    stepHeading(ctx, 5, this.title);
    ctx.deps.io.info('  In Kendis: open your board → ALM Account → Edit → enable "Using Scope API" → copy the Callback URL.');
    const url = await askValue(ctx, {
      id: 'callback.url',
      message: 'Paste Kendis’ callback URL:',
      flag: '--callback-url',
      given: ctx.options.callbackUrl,
      default: ctx.options.sandbox ? SANDBOX.kendisCallbackUrl : ctx.answers.callbackUrl,
      check: checkCallbackUrl,
    });
    ctx.answers.callbackUrl = url;
    ctx.deps.io.info('  Paste exactly this into the Authorization tab’s Callback URL field:');
    ctx.deps.io.url(url);
    if (ctx.answers.callbackMode === 'both') {
      ctx.deps.io.info('  and add the local check URL as a second callback:');
      ctx.deps.io.url(ctx.answers.redirectUri ?? ctx.options.redirectUri);
    } else if (ctx.answers.callbackMode === 'switch') {
      ctx.deps.io.info('  For now, put the local check URL there instead (you switch to Kendis’ URL after the check in Step 6):');
      ctx.deps.io.url(ctx.answers.redirectUri ?? ctx.options.redirectUri);
    }
    ctx.deps.io.info('  Then click Save changes.');
  },
};

/** A secret from the environment (non-interactive) or a masked prompt; never from a flag. */
export async function askSecret(ctx: WizardContext, kind: 'client-secret' | 'api-token', label: 'Client Secret' | 'API token', sandboxValue: string): Promise<string> {
  const envName = SECRET_ENV[kind];
  const fromEnv = ctx.deps.env[envName];
  if (fromEnv !== undefined && fromEnv !== '') {
    const checked = checkSecretValue(fromEnv, label);
    if (!checked.ok) throw new UsageError(`${envName}: ${checked.message}`);
    return checked.value;
  }
  if (!ctx.deps.io.interactive) {
    if (ctx.options.sandbox) return sandboxValue;
    throw new UsageError(`Missing ${envName}.`, 'Set it in the environment (secrets are never flags).');
  }
  if (ctx.options.sandbox) ctx.deps.io.hint(`Sandbox ${label}: ${sandboxValue}  (fake; press Enter to use it)`);
  const answer = await ctx.deps.prompter.secret({
    id: kind,
    message: `${label} (hidden as you type):`,
    validate: (v) => {
      if (ctx.options.sandbox && v === '') return true;
      const c = checkSecretValue(v, label);
      return c.ok ? true : c.message;
    },
  });
  if (ctx.options.sandbox && answer === '') return sandboxValue;
  const checked = checkSecretValue(answer, label);
  if (!checked.ok) throw new ChecksFailedError(checked.message);
  return checked.value;
}

export async function stageSecret(ctx: WizardContext, kind: 'client-secret' | 'api-token', value: string): Promise<void> {
  await ctx.backend.set(stagingAccountFor(ctx.profile, kind), value);
}

async function askAndCheckClient(ctx: WizardContext): Promise<void> {
  for (;;) {
    const clientId = await askValue(ctx, {
      id: 'client.id',
      message: 'Client ID:',
      flag: '--client-id',
      given: ctx.options.clientId,
      default: ctx.answers.clientId ?? (ctx.options.sandbox ? SANDBOX.clientId : undefined),
      check: checkClientId,
    });
    ctx.deps.io.hint(`The Client Secret is stored in ${ctx.backend.description} once Atlassian has accepted it; it is never printed or logged.`);
    const clientSecret = await askSecret(ctx, 'client-secret', 'Client Secret', SANDBOX.clientSecret);
    const result = await ctx.deps.io.task('Checking the Client ID and Secret with Atlassian…', async () => {
      try {
        // The URL registered on the app right now: in "switch" mode that is still the local one.
        const registered = ctx.answers.callbackMode === 'switch' ? (ctx.answers.redirectUri ?? ctx.options.redirectUri) : (ctx.answers.callbackUrl ?? ctx.options.callbackUrl ?? '');
        return await checkClientCredentials(ctx.client, clientId, clientSecret, registered);
      } catch (error) {
        return error as Error;
      }
    });
    const verdict = oauthClientVerdict(result);
    renderCheckLines(ctx.deps.io, [{ id: 'oauth-client', title: 'Client ID and Client Secret', ...verdict }]);
    if (verdict.status === 'error') {
      throw new ChecksFailedError(`${verdict.detail.replace(/\.$/, '')}: the Client Secret was not stored. Try again later.`, 'Run `kendis-jira setup` again when Atlassian answers: it resumes at this step.');
    }
    if (verdict.status === 'pass') {
      ctx.answers.clientId = clientId;
      ctx.secrets.clientSecret = clientSecret;
      await stageSecret(ctx, 'client-secret', clientSecret);
      return;
    }
    if (!ctx.deps.io.interactive || ctx.options.clientId !== undefined) throw new ChecksFailedError(verdict.detail, verdict.hint);
    ctx.deps.io.info('Copy them again from the Settings tab and try once more.');
    ctx.answers.clientId = undefined;
  }
}

async function oauthRoundTrip(ctx: WizardContext): Promise<void> {
  const clientSecret = ctx.secrets.clientSecret!;
  for (;;) {
    ctx.deps.io.info('Now a real sign-in proves the app’s permissions (the tokens are thrown away afterwards: Kendis signs in by itself).');
    const results = await runOAuthChecks(
      { email: ctx.answers.email!, cloudId: ctx.answers.cloudId!, client: ctx.client, now: ctx.deps.now() },
      () =>
        runOAuthFlow(
          {
            endpoints: ctx.endpoints,
            clientId: ctx.answers.clientId!,
            clientSecret,
            redirectUri: ctx.answers.redirectUri ?? ctx.options.redirectUri,
            scopes: APP_SCOPES.map((s) => s.scope),
            timeoutMs: ctx.options.oauthTimeoutSeconds * 1000,
            openBrowser: ctx.options.browser || ctx.options.sandbox,
            interactive: ctx.deps.io.interactive,
          },
          { io: ctx.deps.io, prompter: ctx.deps.prompter, browser: ctx.browser, client: ctx.client, randomBytes: ctx.deps.randomBytes, signal: ctx.deps.signal },
        ),
    );
    renderCheckLines(ctx.deps.io, results);
    const failed = results.filter((r) => r.status === 'fail');
    if (failed.length === 0) {
      ctx.answers.oauthVerified = 'yes';
      return;
    }
    if (!ctx.deps.io.interactive) throw new ChecksFailedError(`The OAuth check failed: ${failed.map((f) => f.id).join(', ')}.`, failed[0]?.hint ?? 'Fix the app in the Developer Console and run `kendis-jira setup` again.');
    const next = await ctx.deps.prompter.select({
      id: 'oauth.retry',
      message: 'What now?',
      choices: [
        { name: 'I fixed it in the console — check again', value: 'retry' },
        { name: 'Stop here (progress is saved; run setup again to continue)', value: 'stop' },
      ],
    });
    if (next === 'stop') throw new PausedError();
  }
}

export const clientCredentialsStep: WizardStep = {
  number: 6,
  title: 'Client ID and Client Secret',
  async run(ctx) {
    stepHeading(ctx, 6, this.title);
    const pages = consolePages(ctx.answers.appId);
    await openPage(ctx, "Open the app's Settings tab (if the link does not open it, open the app and click Settings)", pages.settings);
    await askAndCheckClient(ctx);
    await ctx.save(5);
    if (ctx.answers.callbackMode === 'skip' || ctx.options.skipOAuth) {
      ctx.deps.io.hint('The browser OAuth check was skipped (--skip-oauth); the app’s permissions are checked by Kendis’ Test Connection.');
      return;
    }
    await oauthRoundTrip(ctx);
    if (ctx.answers.callbackMode === 'switch' && ctx.deps.io.interactive) {
      ctx.deps.io.info('Now switch the Authorization tab’s Callback URL back to Kendis’ URL, exactly:');
      ctx.deps.io.url(ctx.answers.callbackUrl!);
      for (;;) {
        const ok = await ctx.deps.prompter.confirm({ id: 'callback.switched', message: 'Does the field now read exactly that URL, and did you click Save changes?', default: true });
        if (ok) break;
        ctx.deps.io.warn('Kendis’ connection fails until the field matches exactly. Change it, save, then answer Yes.');
      }
    }
  },
};
