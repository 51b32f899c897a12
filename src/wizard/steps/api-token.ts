import { profileFlagFor } from '../../config/profile-name.js';
import { API_TOKENS_PAGE } from '../../atlassian/endpoints.js';
import { TOKEN_SCOPE_LISTS, datedTokenName, scopeTitle } from '../../atlassian/scopes.js';
import { runTokenChecks } from '../../checks/run-checks.js';
import { REFUSED_MID_RUN } from '../../checks/verdicts.js';
import { refusalOf, renderCheckLines } from '../../checks/report.js';
import type { CheckResult } from '../../checks/types.js';
import { ChecksFailedError } from '../../errors.js';
import type { Profile, ProfileKind } from '../../config/schema.js';
import { stageSecret } from '../commit.js';
import { SECRET_ENV } from '../../secrets/secret-store.js';
import { askExpiry, askSecret, askValue } from '../../input/ask.js';
import { checkEmail } from '../../input/validate.js';
import { consolePage } from './create-app.js';
import { printTokenScopes } from '../token-instructions.js';
import { draftProfile } from '../draft.js';
import { defineStep, type WizardContext } from '../context.js';

/** Where to create the token and what to pick, for either kind of token. */
export async function showTokenInstructions(ctx: WizardContext, kind: ProfileKind): Promise<void> {
  const io = ctx.deps.io;
  const list = TOKEN_SCOPE_LISTS[kind];
  await consolePage(ctx, 'Open your Atlassian account’s API tokens page', API_TOKENS_PAGE);
  io.info('  1. Click "Create API token with scopes" (not plain "Create API token").');
  io.info(`  2. Name: ${datedTokenName(list.tokenName, ctx.deps.now())}`);
  io.info('  3. Expiry: the maximum (365 days), and note the date; app: Jira → Next.');
  io.info(`  4. Select these ${list.scopes.length} (or paste the line after them into the search):`);
  printTokenScopes(io, '  ', kind);
  io.info('  5. Create token → Copy; keep it in your password manager (it is shown once).');
}

/**
 * During setup nothing is stored yet: the fix is a new token given to this setup, not rotate-token.
 * The e-mail is in doubt only when the sign-in itself was refused, not when it worked and a later
 * request was. Returns whether the sign-in was refused.
 */
function setupHints(ctx: WizardContext, results: CheckResult[], fromEnv: boolean): boolean {
  const signInRefused = results.some((r) => r.id === 'api-token' && (r.status === 'warn' || (r.status === 'fail' && r.detail !== REFUSED_MID_RUN)));
  for (const r of results) {
    if (r.id === 'api-token' && signInRefused) {
      r.hint =
        ctx.deps.io.interactive && !fromEnv && ctx.options.email === undefined
          ? 'Type the e-mail of the account that created the token below; if it was right, create a new scoped token and paste that instead.'
          : `Check the e-mail is the account that created the token; otherwise create a new scoped token and give it to \`${ctx.rerun}\`.`;
    } else if (r.status === 'fail' && r.hint?.includes('rotate-token')) {
      r.hint = r.id.startsWith('scope:')
        ? `Create a new token that also includes "${scopeTitle(r.id.slice(6))}" (${r.id.slice(6)}); Atlassian cannot add scopes to an existing token.`
        : `Check the token still exists on ${API_TOKENS_PAGE}; otherwise create a new scoped token and give it to \`${ctx.rerun}\`.`;
    }
  }
  return signInRefused;
}

/** A refused token, in one sentence naming the scopes it lacks, with the fix. */
function refusedToken(results: CheckResult[], refusal: { message: string; hint?: string | undefined }, scopeCount: number): { message: string; hint: string } {
  const missing = results.filter((r) => r.status === 'fail' && r.id.startsWith('scope:')).map((r) => r.id.slice(6));
  if (!missing.length) return { message: refusal.message, hint: refusal.hint ?? 'Create a new scoped token and try again.' };
  return {
    message: `The token lacks ${missing.length === 1 ? 'a scope' : `${missing.length} scopes`}: ${missing.join(', ')}; it was not stored.`,
    hint: `Atlassian cannot add scopes to an existing token: create a new one with all ${scopeCount} scopes on ${API_TOKENS_PAGE}.`,
  };
}

/** The e-mail is half of the sign-in: asked again (Enter keeps it); whether it changed. */
async function askEmailAgain(ctx: WizardContext): Promise<boolean> {
  const before = ctx.answers.email;
  ctx.answers.email = await askValue(ctx.deps, {
    id: 'email',
    message: 'The e-mail of the Atlassian account that created the token (Enter keeps it):',
    flag: '--email',
    given: undefined,
    default: ctx.answers.email,
    check: checkEmail,
  });
  return ctx.answers.email !== before;
}

/**
 * Ask for the token and its expiry until the token is proven (sign-in and every probeable scope),
 * then stage it. A missing scope asks again (interactive); an outage stops: nothing proven, nothing stored.
 */
export async function proveToken(ctx: WizardContext, kind: ProfileKind, draft: (expiresOn: string) => Profile): Promise<void> {
  const io = ctx.deps.io;
  const scopes = TOKEN_SCOPE_LISTS[kind].scopes;
  const fromEnv = Boolean(ctx.deps.env[SECRET_ENV['api-token']]);
  const offered = kind === 'user' ? ctx.target.defaults.userApiToken : ctx.target.defaults.apiToken;
  // After a corrected e-mail the same token and date are tried again, not asked again.
  let kept: { apiToken: string; expiresOn: string } | undefined;
  for (;;) {
    const apiToken = kept?.apiToken ?? (await askSecret(ctx.deps, { kind: 'api-token', offered }));
    const expiresOn = kept?.expiresOn ?? (await askExpiry(ctx.deps, { given: ctx.options.tokenExpires, previous: ctx.answers.tokenExpires }));
    kept = undefined;
    ctx.answers.tokenExpires = expiresOn;
    const check = {
      profile: draft(expiresOn),
      apiToken,
      client: ctx.client,
      now: ctx.deps.now(),
      profileFlag: profileFlagFor(ctx.profile),

      apiTokenFromEnv: fromEnv,
    };
    const results = await io.task('Checking the token and each of its scopes…', () => runTokenChecks(check));
    const signInRefused = setupHints(ctx, results, fromEnv);
    renderCheckLines(io, results, { showPasses: io.interactive, showSkips: false });
    const refusal = refusalOf(results, 'the token was not stored');
    if (!refusal) {
      ctx.secrets['api-token'] = apiToken;
      await stageSecret(ctx, 'api-token', apiToken);
      const proven = results.filter((r) => r.id.startsWith('scope:') && r.status === 'pass').length;
      const unprovable = results.filter((r) => r.id.startsWith('scope:') && r.status === 'skip').length;
      io.success(`The token signs in; ${proven} of its ${scopes.length} scopes proven${unprovable ? ` (${unprovable} cannot be checked alone)` : ''}.`);
      return;
    }
    // An outage proves nothing either way: stop (progress is saved) rather than ask for another token.
    if (refusal.kind === 'error') throw new ChecksFailedError(refusal.message, `Run \`${ctx.rerun}\` again later: it resumes at this step.`);
    const { message, hint } = refusedToken(results, refusal, scopes.length);
    if (!io.interactive || fromEnv) throw new ChecksFailedError(message, hint);
    io.failure(message);
    // Said once: the check line above may already carry the same fix.
    if (!results.some((r) => r.hint === hint)) io.hint(hint);
    if (signInRefused && ctx.options.email === undefined && (await askEmailAgain(ctx))) kept = { apiToken, expiresOn };
  }
}

export const apiTokenStep = defineStep({
  number: 7,
  title: 'Create the scoped API token',
  needs: ['site', 'cloudId', 'email', 'clientId', 'callbackUrl', 'redirectUri'],
  stages: 'api-token',
  async run(ctx, have) {
    await showTokenInstructions(ctx, 'alm-account');
    await proveToken(ctx, 'alm-account', (expiresOn) => draftProfile(ctx, { ...have, email: ctx.answers.email ?? have.email }, expiresOn));
  },
});
