/** Step 7: the scoped API token — created on Atlassian's page, then every scope probed at once. */
import { API_TOKENS_PAGE } from '../../atlassian/endpoints.js';
import { TOKEN_SCOPES } from '../../atlassian/scopes.js';
import { runTokenChecks } from '../../checks/run-checks.js';
import { printTokenScopes } from '../token-instructions.js';
import { refusalOf, renderCheckLines } from '../../checks/report.js';
import { ChecksFailedError, UsageError } from '../../errors.js';
import { SANDBOX } from '../../sandbox/fixtures.js';
import { addDays, isoDate, validateTokenExpiry } from '../../util/dates.js';
import { draftProfile } from '../profile-draft.js';
import type { WizardContext, WizardStep } from '../context.js';
import { askSecret, stageSecret } from './credentials-steps.js';
import { openPage, stepHeading } from '../ui.js';

export async function askExpiry(ctx: WizardContext): Promise<string> {
  const now = ctx.deps.now();
  const fallback = isoDate(addDays(now, 365));
  const given = ctx.options.tokenExpires;
  if (given !== undefined) {
    const verdict = validateTokenExpiry(given, now);
    if (verdict !== true) throw new UsageError(`--token-expires: ${verdict}`);
    return given.trim();
  }
  if (!ctx.deps.io.interactive) {
    ctx.deps.io.warn(`No --token-expires given: assuming the maximum, ${fallback}. Pass the date you chose so the expiry warnings are right.`);
    return fallback;
  }
  const answer = await ctx.deps.prompter.input({
    id: 'token.expires',
    message: 'The expiry date you picked (YYYY-MM-DD):',
    default: ctx.answers.tokenExpires ?? fallback,
    validate: (v) => validateTokenExpiry(v, now),
  });
  return answer.trim();
}

export const apiTokenStep: WizardStep = {
  number: 7,
  title: 'Create the scoped API token',
  async run(ctx) {
    stepHeading(ctx, 7, this.title);
    await openPage(ctx, 'Open your Atlassian account’s API tokens page', API_TOKENS_PAGE);
    ctx.deps.io.info('  1. Click "Create API token with scopes" (not plain "Create API token").');
    ctx.deps.io.info('  2. Name: Kendis Scope Integration');
    ctx.deps.io.info('  3. Expires on: the maximum allowed (365 days) — remember the date.');
    ctx.deps.io.info('  4. App: Jira → Next.');
    ctx.deps.io.info(`  5. Select these ${TOKEN_SCOPES.length} scopes, on two tabs of the picker:`);
    printTokenScopes(ctx.deps.io, '     ');
    ctx.deps.io.info('  6. Next → review → Create token → Copy. Keep it in your password manager: Atlassian never shows it again.');
    for (;;) {
      ctx.deps.io.hint(`The API token is stored in ${ctx.backend.description} once every scope has been checked; it is never printed or logged.`);
      const apiToken = await askSecret(ctx, 'api-token', 'API token', SANDBOX.apiToken);
      const expiresOn = await askExpiry(ctx);
      ctx.answers.tokenExpires = expiresOn;
      const relevant = await ctx.deps.io.task('Checking the token and each of its scopes…', () =>
        runTokenChecks({ profile: draftProfile(ctx), apiToken, client: ctx.client, now: ctx.deps.now(), profileFlag: '', apiTokenFromEnv: Boolean(ctx.deps.env.KENDIS_JIRA_API_TOKEN) }),
      );
      renderCheckLines(ctx.deps.io, relevant, { showPasses: ctx.deps.io.interactive, showSkips: false });
      const refusal = refusalOf(relevant, 'the token was not stored');
      if (!refusal) {
        ctx.secrets.apiToken = apiToken;
        await stageSecret(ctx, 'api-token', apiToken);
        const passed = relevant.filter((r) => r.status === 'pass').length;
        const skipped = relevant.filter((r) => r.status === 'skip').length;
        ctx.deps.io.success(`The token works: ${passed} checks passed${skipped ? `; ${skipped} scopes cannot be checked separately (Atlassian accepts read:jira-work for them)` : ''}.`);
        return;
      }
      // An outage proves nothing either way: stop (progress is saved) rather than ask for another token.
      if (refusal.kind === 'error') throw new ChecksFailedError(refusal.message, 'Run `kendis-jira setup` again later: it resumes at this step.');
      const missing = relevant.filter((r) => r.status === 'fail' && r.id.startsWith('scope:')).map((r) => r.id.slice(6));
      const message = missing.length
        ? `The token lacks ${missing.length === 1 ? 'a scope' : `${missing.length} scopes`}: ${missing.join(', ')}; it was not stored.`
        : refusal.message;
      const hint = missing.length
        ? `Atlassian cannot add scopes to an existing token: create a new one with all ${TOKEN_SCOPES.length} scopes on ${API_TOKENS_PAGE}.`
        : (refusal.hint ?? 'Create a new scoped token and try again.');
      if (!ctx.deps.io.interactive || ctx.deps.env.KENDIS_JIRA_API_TOKEN) throw new ChecksFailedError(message, hint);
      ctx.deps.io.failure(message);
      ctx.deps.io.hint(hint);
    }
  },
};
