/** `kendis-jira test-connection`: every check of the catalogue, as lines or one JSON document. */
import { typed } from '../io/typed.js';
import { SECRET_ENV } from '../secrets/secret-store.js';
import type { Deps } from '../deps.js';
import { ChecksFailedError, CliError, UsageError } from '../errors.js';
import { runChecks } from '../checks/run-checks.js';
import { blockingOf, isOk, renderCheckLines, summaryLine, type ReportDocument } from '../checks/report.js';
import { APP_SCOPES } from '../atlassian/scopes.js';
import { runOAuthFlow } from '../auth/oauth-flow.js';
import { daysUntil } from '../dates/dates.js';
import { openConnection, type Connection } from '../targets/connection.js';
import type { Profile } from '../config/schema.js';
import type { CheckResult } from '../checks/types.js';
import { list, oauthTimeoutSeconds, on, type RawOptions, redirectUriCheck, text, unlessOff } from '../options/options.js';
import { profileFlag, requireProfile, secretStoreFor } from '../profiles/saved-profile.js';

export interface TestConnectionOptions {
  json: boolean;
  oauth: boolean;
  browser: boolean;
  redirectUri: string | undefined;
  oauthTimeoutSeconds: number;
  /** --all: every profile, one line each. */
  all?: boolean;
  /** --project keys (already checked by commander's argParser); none: the profile's saved ones. */
  projects?: string[] | undefined;
}

export function parseTestConnectionOptions(raw: RawOptions): TestConnectionOptions {
  return {
    json: on(raw.json),
    oauth: on(raw.oauth),
    browser: unlessOff(raw.browser),
    redirectUri: text(raw.redirectUri, redirectUriCheck),
    oauthTimeoutSeconds: oauthTimeoutSeconds(raw.oauthTimeout),
    projects: list(raw.project),
    all: on(raw.all),
  };
}

/** The stored secrets, or why they cannot be read (a check reports it; an unsafe secrets file is exit 2). */
async function readSecrets(saved: Profile, deps: Deps): Promise<{ clientSecret?: string; apiToken?: string; secretsProblem?: string; secretsHint?: string }> {
  const store = secretStoreFor(saved, deps);
  const found: { clientSecret?: string; apiToken?: string; secretsProblem?: string; secretsHint?: string } = {};
  const read = async (kind: 'client-secret' | 'api-token') => {
    try {
      const value = await store.get(kind);
      if (!value) found.secretsProblem = `The ${kind === 'api-token' ? 'API token' : 'client secret'} is not stored (${store.backend.description}).`;
      return value?.value;
    } catch (error) {
      // A secrets file that is unsafe or damaged is an input error (exit 2), not a failed check.
      if (error instanceof UsageError) throw error;
      // The secrets are still stored: the keychain cannot be reached from here. Say so, and how to reach it.
      found.secretsProblem = `${(error as Error).message.replace(/\.$/, '')} — the stored secrets are fine, but cannot be read from this session.`;
      if (error instanceof CliError && error.hint) found.secretsHint = error.hint;
      return undefined;
    }
  };
  // A user's profile has no client secret: only the API token is read.
  const clientSecret = saved.kind === 'user' ? undefined : await read('client-secret');
  const apiToken = await read('api-token');
  if (clientSecret !== undefined) found.clientSecret = clientSecret;
  if (apiToken !== undefined) found.apiToken = apiToken;
  return found;
}

/** The --oauth check: a real sign-in through the browser with the app's scopes. */
function oauthCheck(
  options: TestConnectionOptions,
  connection: Connection,
  clientSecret: string | undefined,
  deps: Deps,
): { oauth?: () => ReturnType<typeof runOAuthFlow> } {
  const { profile, client, target } = connection;
  if (!options.oauth || !clientSecret || profile.kind === 'user') return {};
  const flow = {
    endpoints: profile.endpoints,
    clientId: profile.clientId,
    clientSecret,
    redirectUri: options.redirectUri ?? profile.redirectUri,
    scopes: APP_SCOPES.map((s) => s.scope),
    timeoutMs: options.oauthTimeoutSeconds * 1000,
    openBrowser: options.browser || target.alwaysOpensConsent,
    interactive: deps.io.interactive,
  };
  return {
    oauth: () =>
      runOAuthFlow(flow, { io: deps.io, prompter: deps.prompter, browser: target.browser, client, randomBytes: deps.randomBytes, signal: deps.signal }),
  };
}

/**
 * "Last good test" is about the stored secrets: a run with a secret from the environment tested
 * something else, so it does not vouch for them.
 */
async function recordGoodTest(deps: Deps): Promise<void> {
  const fromEnvironment = Object.values(SECRET_ENV).filter((name) => deps.env[name]);
  if (fromEnvironment.length) {
    deps.io.info(`"Last good test" is not updated: ${fromEnvironment.join(' and ')} came from the environment, not from the store.`);
    return;
  }
  const when = deps.now().toISOString();
  await deps.config.update((config) => {
    const p = config.profiles[deps.globals.profile];
    if (p) p.lastSuccessfulTest = when;
  });
}

function report(results: CheckResult[], ok: boolean, saved: Profile, options: TestConnectionOptions, deps: Deps): void {
  if (options.json) {
    const daysLeft = daysUntil(saved.token.expiresOn, deps.now());
    const doc: ReportDocument = {
      ok,
      profile: deps.globals.profile,
      site: saved.site,
      cloudId: saved.cloudId,
      token: { expiresOn: saved.token.expiresOn, daysLeft },
      checks: results,
    };
    deps.io.json(doc);
    return;
  }
  // The report on stdout, verdict included, so `> report.txt` or `| tail` keeps it whole.
  renderCheckLines(deps.io, results, { toStdout: true });
  deps.io.out('');
  deps.io.out(`${ok ? deps.io.outPaint.green('Connection OK') : deps.io.outPaint.red('Connection has problems')}: ${summaryLine(results)}.`);
}

/** Exit 1 naming what failed and what could not be checked, with the next step. */
function problemsError(results: CheckResult[], options: TestConnectionOptions, deps: Deps): ChecksFailedError {
  const { failed, errors } = blockingOf(results);
  const plural = (n: number) => (n === 1 ? '' : 's');
  const parts = [
    ...(failed.length ? [`${failed.length} check${plural(failed.length)} failed (${failed.map((r) => r.title).join('; ')})`] : []),
    ...(errors.length ? [`${errors.length} could not be checked because Atlassian did not answer (${errors.map((r) => r.title).join('; ')})`] : []),
  ];
  const again = `\`${typed()} test-connection${profileFlag(deps)}\``;
  const hints = options.json ? 'hints in the document (.checks[].hint)' : '→ hints above';
  return new ChecksFailedError(
    `${parts.join('; ')}.`,
    failed.length ? `Follow the ${hints}, then run ${again} again.` : `Nothing was concluded: run ${again} again later.`,
  );
}

export async function runTestConnection(options: TestConnectionOptions, deps: Deps): Promise<void> {
  if (options.all) {
    const { runTestConnectionAll } = await import('./all-profiles.js');
    return runTestConnectionAll(options.json, deps);
  }
  const saved = await requireProfile(deps);
  if (saved.kind === 'user' && options.oauth) {
    throw new UsageError(
      `Profile "${deps.globals.profile}" is a user's own token: it has no OAuth app, so there is no --oauth check.`,
      'The OAuth app belongs to the organisation’s ALM account profile: run `--oauth` on that one.',
    );
  }
  // No expiry banner here: the token-expiry check says it, once.
  const secrets = await readSecrets(saved, deps);
  const connection = await openConnection(saved, deps, options.browser, options.redirectUri);
  try {
    const { profile, client } = connection;
    const results = await deps.io.task('Checking the connection…', () =>
      runChecks({
        profile,
        clientSecret: secrets.clientSecret,
        apiToken: secrets.apiToken,
        secretsProblem: secrets.secretsProblem,
        ...(secrets.secretsHint ? { secretsHint: secrets.secretsHint } : {}),
        apiTokenFromEnv: Boolean(deps.env.KENDIS_JIRA_API_TOKEN),
        client,
        now: deps.now(),
        profileFlag: profileFlag(deps),

        projects: options.projects ?? profile.projects ?? [],
        ...oauthCheck(options, connection, secrets.clientSecret, deps),
      }),
    );
    const ok = isOk(results);
    if (ok) await recordGoodTest(deps);
    report(results, ok, { ...saved, site: profile.site }, options, deps);
    if (!ok) throw problemsError(results, options, deps);
  } finally {
    await connection.close();
  }
}
