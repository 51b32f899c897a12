/** `kendis-jira test-connection`: every check of the catalogue, as lines or one JSON document. */
import * as z from 'zod/mini';
import { SECRET_ENV } from '../secrets/secret-store.js';
import type { Deps } from '../deps.js';
import { ChecksFailedError, CliError, UsageError } from '../errors.js';
import { runChecks } from '../checks/run-checks.js';
import { blockingOf, isOk, renderCheckLines, summaryLine, type ReportDocument } from '../checks/report.js';
import { APP_SCOPES } from '../atlassian/scopes.js';
import { runOAuthFlow } from '../auth/oauth-flow.js';
import { daysUntil } from '../dates/dates.js';
import { openConnection } from './atlassian-session.js';
import { flag, oauthTimeout, parseOptions, redirectUriCheck, text, unlessNo } from './options.js';
import { profileFlag, requireProfile, secretStoreFor } from './saved-profile.js';

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

const testConnectionSchema = z.pipe(
  z.object({
    json: flag(),
    oauth: flag(),
    browser: unlessNo(),
    redirectUri: text(redirectUriCheck),
    oauthTimeout: oauthTimeout(),
    project: z.optional(z.array(z.string())),
    all: flag(),
  }),
  z.transform(
    (o): TestConnectionOptions => ({
      json: o.json,
      oauth: o.oauth,
      browser: o.browser,
      redirectUri: o.redirectUri,
      oauthTimeoutSeconds: o.oauthTimeout,
      projects: o.project,
      all: o.all,
    }),
  ),
);

export function parseTestConnectionOptions(raw: Record<string, unknown>): TestConnectionOptions {
  return parseOptions(testConnectionSchema, raw);
}

export async function runTestConnection(options: TestConnectionOptions, deps: Deps): Promise<void> {
  if (options.all) {
    const { runTestConnectionAll } = await import('./all-profiles.js');
    return runTestConnectionAll(options.json, deps);
  }
  const saved = await requireProfile(deps);
  // No expiry banner here: the token-expiry check says it, once.
  const store = secretStoreFor(saved, deps);
  let secretsProblem: string | undefined;
  let secretsHint: string | undefined;
  const read = async (kind: 'client-secret' | 'api-token') => {
    try {
      const found = await store.get(kind);
      if (!found) secretsProblem = `The ${kind === 'api-token' ? 'API token' : 'client secret'} is not stored (${store.backend.description}).`;
      return found?.value;
    } catch (error) {
      // A secrets file that is unsafe or damaged is an input error (exit 2), not a failed check.
      if (error instanceof UsageError) throw error;
      // The secrets are still stored: the keychain cannot be reached from here. Say so, and how to reach it.
      secretsProblem = `${(error as Error).message.replace(/\.$/, '')} — the stored secrets are fine, but cannot be read from this session.`;
      if (error instanceof CliError && error.hint) secretsHint = error.hint;
      return undefined;
    }
  };
  if (saved.kind === 'user' && options.oauth) {
    throw new UsageError(
      `Profile "${deps.globals.profile}" is a user's own token: it has no OAuth app, so there is no --oauth check.`,
      'The OAuth app belongs to the organisation’s ALM account profile: run `--oauth` on that one.',
    );
  }
  // A user's profile has no client secret: only the API token is read.
  const clientSecret = saved.kind === 'user' ? undefined : await read('client-secret');
  const apiToken = await read('api-token');
  const connection = await openConnection(saved, deps, options.browser, options.redirectUri);
  try {
    const { profile, client } = connection;
    const results = await deps.io.task('Checking the connection…', () =>
      runChecks({
        profile,
        clientSecret,
        apiToken,
        secretsProblem,
        ...(secretsHint ? { secretsHint } : {}),
        apiTokenFromEnv: Boolean(deps.env.KENDIS_JIRA_API_TOKEN),
        client,
        now: deps.now(),
        profileFlag: profileFlag(deps),
        cli: deps.cli,
        projects: options.projects ?? profile.projects ?? [],
        ...(options.oauth && clientSecret && profile.kind !== 'user'
          ? {
              oauth: () =>
                runOAuthFlow(
                  {
                    endpoints: profile.endpoints,
                    clientId: profile.clientId,
                    clientSecret,
                    redirectUri: options.redirectUri ?? profile.redirectUri,
                    scopes: APP_SCOPES.map((s) => s.scope),
                    timeoutMs: options.oauthTimeoutSeconds * 1000,
                    openBrowser: options.browser || connection.target.alwaysOpensConsent,
                    interactive: deps.io.interactive,
                  },
                  { io: deps.io, prompter: deps.prompter, browser: connection.target.browser, client, randomBytes: deps.randomBytes, signal: deps.signal },
                ),
            }
          : {}),
      }),
    );
    const ok = isOk(results);
    // "Last good test" is about the stored secrets: a run with a secret from the environment tested
    // something else, so it does not vouch for them.
    const fromEnvironment = Object.values(SECRET_ENV).filter((name) => deps.env[name]);
    if (ok && fromEnvironment.length)
      deps.io.info(`"Last good test" is not updated: ${fromEnvironment.join(' and ')} came from the environment, not from the store.`);
    if (ok && !fromEnvironment.length) {
      const when = deps.now().toISOString();
      await deps.config.update((config) => {
        const p = config.profiles[deps.globals.profile];
        if (p) p.lastSuccessfulTest = when;
      });
    }
    if (options.json) {
      const doc: ReportDocument = {
        ok,
        profile: deps.globals.profile,
        site: profile.site,
        cloudId: saved.cloudId,
        token: { expiresOn: saved.token.expiresOn, daysLeft: daysUntil(saved.token.expiresOn, deps.now()) },
        checks: results,
      };
      deps.io.json(doc);
    } else {
      // The report on stdout, verdict included, so `> report.txt` or `| tail` keeps it whole.
      renderCheckLines(deps.io, results, { toStdout: true });
      deps.io.out('');
      deps.io.out(`${ok ? deps.io.outPaint.green('Connection OK') : deps.io.outPaint.red('Connection has problems')}: ${summaryLine(results)}.`);
    }
    if (!ok) {
      const { failed, errors } = blockingOf(results);
      const parts = [
        ...(failed.length ? [`${failed.length} check${failed.length === 1 ? '' : 's'} failed (${failed.map((r) => r.title).join('; ')})`] : []),
        ...(errors.length ? [`${errors.length} could not be checked because Atlassian did not answer (${errors.map((r) => r.title).join('; ')})`] : []),
      ];
      throw new ChecksFailedError(
        `${parts.join('; ')}.`,
        failed.length
          ? `Follow the ${options.json ? 'hints in the document (.checks[].hint)' : '→ hints above'}, then run \`${deps.cli} test-connection${profileFlag(deps)}\` again.`
          : `Nothing was concluded: run \`${deps.cli} test-connection${profileFlag(deps)}\` again later.`,
      );
    }
  } finally {
    await connection.close();
  }
}
