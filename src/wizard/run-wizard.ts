/**
 * The wizard: preflight (before any secret is typed), then Steps 1–8 in order over one context,
 * progress saved after each step, resumable. Nothing final is written before Step 8 passes.
 */
import type { Deps } from '../deps.js';
import { CancelledError, CliError, KeychainUnavailableError, UsageError } from '../errors.js';
import { AtlassianClient } from '../atlassian/client.js';
import { endpointsFromEnv } from '../atlassian/endpoints.js';
import { displayProxy, proxySettings } from '../atlassian/http.js';
import { foreignHostsWarning, isAtlassianSite, isLoopbackUrl } from '../atlassian/domains.js';
import { startCallbackServer } from '../auth/callback-server.js';
import type { SecretBackend } from '../secrets/backend.js';
import { SECRET_KINDS, stagingAccountFor } from '../secrets/backend.js';
import { profileFlagFor } from '../config/profile-name.js';
import { SANDBOX } from '../sandbox/fixtures.js';
import { describeDaysLeft, daysUntil } from '../util/dates.js';
import { checkEmail, checkSecretValue, checkSiteUrl } from './validate.js';
import { TOTAL_STEPS, type AnswerKey, type SetupOptions, type WizardContext, type WizardStep } from './context.js';
import { addApisStep, authorizationStep, createAppStep, grantScopesStep } from './steps/app-steps.js';
import { clientCredentialsStep, kendisCallbackStep } from './steps/credentials-steps.js';
import { apiTokenStep } from './steps/token-step.js';
import { finishStep } from './steps/finish-step.js';
import { askValue, PausedError } from './ui.js';

export const STEPS: readonly WizardStep[] = [
  createAppStep,
  addApisStep,
  grantScopesStep,
  authorizationStep,
  kendisCallbackStep,
  clientCredentialsStep,
  apiTokenStep,
  finishStep,
];

/** Where secrets go: the keychain (probed), or the file when asked (or for the sandbox's fake secrets). */
async function chooseBackend(deps: Deps, options: SetupOptions): Promise<SecretBackend> {
  const keychain = deps.secretBackend('keychain');
  try {
    await keychain.probe();
    deps.io.info(`Secrets will be stored in ${keychain.description}, accounts "${deps.globals.profile}:client-secret" and "${deps.globals.profile}:api-token".`);
    return keychain;
  } catch (error) {
    if (!(error instanceof KeychainUnavailableError)) throw error;
    if (options.insecureStorage || options.sandbox) {
      const file = deps.secretBackend('file');
      deps.io.warn(`${error.message}`);
      deps.io.warn(
        options.insecureStorage
          ? `--insecure-storage: secrets will be stored in ${file.description}.`
          : `Sandbox secrets are fake, so they go to ${file.description} instead. With a real site you would need a keychain or --insecure-storage.`,
      );
      return file;
    }
    throw error;
  }
}

/**
 * A site outside Atlassian's domains receives the e-mail and token, so it needs an explicit yes:
 * --allow-non-atlassian-site, or a question (default No). A local test server is allowed (and warned).
 */
async function siteMayBeUsed(ctx: WizardContext, site: string): Promise<boolean> {
  if (isAtlassianSite(site) || isLoopbackUrl(site) || ctx.options.allowNonAtlassianSite) return true;
  const what = `${site} is not in Atlassian's domains (*.atlassian.net, *.jira.com, *.atlassian-us-gov-mod.net)`;
  if (!ctx.deps.io.interactive || ctx.options.site !== undefined) {
    throw new UsageError(`${what}: a mistyped or look-alike address would receive your e-mail and API token.`, 'Check the address you open Jira with; if this really is your Jira Cloud site, add --allow-non-atlassian-site.');
  }
  ctx.deps.io.warn(`${what}. A mistyped or look-alike address would receive your e-mail and API token.`);
  return ctx.deps.prompter.confirm({ id: 'site.foreign', message: 'Is this really your Jira Cloud site, and should your credentials be sent there?', default: false });
}

async function checkPortFree(redirectUri: string): Promise<void> {
  const server = await startCallbackServer({ redirectUri, state: 'preflight' });
  await server.close();
}

async function resolveSite(ctx: WizardContext): Promise<void> {
  const { deps, options } = ctx;
  for (;;) {
    const site = options.sandbox
      ? ctx.sandbox!.site
      : await askValue(ctx, { id: 'site', message: 'Your Jira Cloud site (e.g. https://acme.atlassian.net):', flag: '--site', given: options.site, default: ctx.answers.site, check: checkSiteUrl });
    if (!options.sandbox && !(await siteMayBeUsed(ctx, site))) {
      ctx.answers.site = undefined;
      continue;
    }
    try {
      const cloudId = await deps.io.task(`Looking up ${site}…`, () => ctx.client.tenantInfo(site));
      if (ctx.answers.cloudId && ctx.answers.site === site && ctx.answers.cloudId !== cloudId) {
        deps.io.warn('This site’s cloud id changed since the saved progress; using the new one.');
      }
      ctx.answers.site = site;
      ctx.answers.cloudId = cloudId;
      const foreign = options.sandbox ? undefined : foreignHostsWarning(ctx.endpoints, site);
      if (foreign) deps.io.warn(foreign);
      deps.io.success(`${site} is Jira Cloud ${cloudId}.`);
      break;
    } catch (error) {
      if (!(error instanceof CliError) || !deps.io.interactive || options.site !== undefined || options.sandbox) throw error;
      deps.io.failure(error.message);
      if (error.hint) deps.io.hint(error.hint);
      ctx.answers.site = undefined;
    }
  }
  ctx.answers.email = await askValue(ctx, {
    id: 'email',
    message: 'Your Atlassian account e-mail (Kendis calls it "Jira Login ID"):',
    flag: '--email',
    given: options.email,
    default: ctx.answers.email ?? (options.sandbox ? SANDBOX.email : undefined),
    check: checkEmail,
  });
}

async function discardStagedSecrets(backend: SecretBackend, profile: string): Promise<void> {
  for (const kind of SECRET_KINDS) await backend.delete(stagingAccountFor(profile, kind)).catch(() => false);
}

/** Non-interactive: name every missing flag or variable at once (exit 2). */
export function missingForNonInteractive(options: SetupOptions, env: Record<string, string | undefined>, resumed: Partial<Record<AnswerKey, string>>): string[] {
  if (options.sandbox) return [];
  const missing: string[] = [];
  if (!options.site && !resumed.site) missing.push('--site');
  if (!options.email && !resumed.email) missing.push('--email');
  if (!options.callbackUrl && !resumed.callbackUrl) missing.push('--callback-url');
  if (!options.clientId && !resumed.clientId) missing.push('--client-id');
  if (!env.KENDIS_JIRA_CLIENT_SECRET) missing.push('KENDIS_JIRA_CLIENT_SECRET');
  if (!env.KENDIS_JIRA_API_TOKEN) missing.push('KENDIS_JIRA_API_TOKEN');
  return missing;
}

export async function runWizard(options: SetupOptions, deps: Deps): Promise<void> {
  const io = deps.io;
  const profile = deps.globals.profile;
  const existing = await deps.config.getProfile(profile);
  let progress = options.restart ? undefined : await deps.config.getProgress(profile);
  if (progress && options.sandbox !== (progress.answers.sandbox === 'yes')) progress = undefined;

  io.heading(`kendis-jira setup${options.sandbox ? ' — sandbox (a built-in fake Atlassian; nothing real is touched)' : ''}`);
  io.info(`Connects a Jira Cloud site to Kendis in ${TOTAL_STEPS} steps, checking each one. Profile: "${profile}".`);

  if (!io.interactive) {
    const missing = missingForNonInteractive(options, deps.env, progress?.answers ?? {});
    if (missing.length) {
      throw new UsageError(`Missing in a non-interactive run: ${missing.join(', ')}.`, 'Pass the flags, and set the secrets as environment variables (never as flags). See `kendis-jira help setup`.');
    }
    // A mangled secret is an input error found now, not after Steps 1–6 (its value is never echoed).
    for (const [name, label] of [['KENDIS_JIRA_CLIENT_SECRET', 'Client Secret'], ['KENDIS_JIRA_API_TOKEN', 'API token']] as const) {
      const value = deps.env[name];
      if (value === undefined || value === '') continue;
      const checked = checkSecretValue(value, label);
      if (!checked.ok) throw new UsageError(`${name}: ${checked.message}`, `Set ${name} again, e.g. \`read -rs ${name} && export ${name}\`, and paste the value.`);
    }
  }

  if (existing) {
    io.info(`Profile "${profile}" already exists: ${existing.site} as ${existing.email}, token expires ${existing.token.expiresOn} (${describeDaysLeft(daysUntil(existing.token.expiresOn, deps.now()))}).`);
    if (io.interactive) {
      const replace = await deps.prompter.confirm({ id: 'profile.replace', message: 'Set it up again? (It stays as it is until the new setup passes its final test.)', default: false });
      if (!replace) {
        io.info('Nothing changed. To check it: `kendis-jira test-connection`; another site: `kendis-jira setup --profile <name>`.');
        return;
      }
    } else {
      io.warn('It will be replaced if this setup passes its final test.');
    }
  }

  let startAt = 1;
  const answers: WizardContext['answers'] = {};
  if (progress) {
    const resume = io.interactive
      ? await deps.prompter.confirm({ id: 'resume', message: `Resume the unfinished setup at Step ${Math.min(progress.step + 1, TOTAL_STEPS)}?`, default: true })
      : true;
    if (resume) {
      Object.assign(answers, progress.answers);
      startAt = Math.min(progress.step + 1, TOTAL_STEPS);
      io.info(`Resuming at Step ${startAt}.`);
    }
  }
  answers.redirectUri = options.redirectUri;
  if (options.sandbox) answers.sandbox = 'yes';

  // Preflight: where secrets go, the loopback port, the proxy, the site — before any secret is typed.
  const backend = await chooseBackend(deps, options);
  answers.storage = backend.location;
  if (!options.skipOAuth) await checkPortFree(options.redirectUri);
  const proxy = proxySettings(deps.env);
  if (proxy) io.info(`Using the proxy ${displayProxy(proxy.httpsProxy ?? proxy.httpProxy ?? '')} for Atlassian (NO_PROXY honoured).`);

  let sandbox: WizardContext['sandbox'];
  if (options.sandbox) {
    const { startSandboxSession } = await import('../sandbox/session.js');
    sandbox = await startSandboxSession(deps.browser, io, { callbackUrls: [options.callbackUrl ?? SANDBOX.kendisCallbackUrl, options.redirectUri] }, options.browser);
    io.info(`The sandbox is running at ${sandbox.sandbox.url}. Its fake credentials are offered as defaults — just press Enter.`);
  }
  const endpoints = sandbox ? sandbox.endpoints : endpointsFromEnv(deps.env);
  const http = await deps.http();
  const ctx: WizardContext = {
    deps,
    options,
    profile,
    answers,
    endpoints,
    client: new AtlassianClient(http, endpoints),
    backend,
    browser: sandbox ? sandbox.browser : deps.browser,
    sandbox,
    secrets: {},
    async save(step) {
      const clean = Object.fromEntries(Object.entries(ctx.answers).filter(([, v]) => v !== undefined)) as Record<string, string>;
      await deps.config.update((config) => {
        config.progress[profile] = { step, answers: clean, updatedAt: deps.now().toISOString() };
      });
    },
  };

  try {
    await resolveSite(ctx);
    await ctx.save(Math.max(0, startAt - 1));
    // Verified secrets from an interrupted run are in the staging entries.
    if (startAt > 6) {
      const staged = await backend.get(stagingAccountFor(profile, 'client-secret'));
      if (staged) ctx.secrets.clientSecret = staged;
      else startAt = 6;
    }
    if (startAt > 7) {
      const staged = await backend.get(stagingAccountFor(profile, 'api-token'));
      if (staged) ctx.secrets.apiToken = staged;
      else startAt = 7;
    }
    for (const step of STEPS) {
      if (step.number < startAt) continue;
      await step.run(ctx);
      if (step.number < TOTAL_STEPS) await ctx.save(step.number);
    }
  } catch (error) {
    if (error instanceof PausedError) {
      const flag = profileFlagFor(profile);
      io.info(`Paused. Your answers so far are saved: run \`kendis-jira setup${options.sandbox ? ' --sandbox' : ''}${flag}\` again when ready — it resumes where you stopped.`);
      return;
    }
    // No pass without proof: a setup that did not finish keeps its answers (to resume) but no secret.
    if (!(error instanceof CancelledError)) await discardStagedSecrets(backend, profile);
    throw error;
  } finally {
    await sandbox?.close();
  }
}
