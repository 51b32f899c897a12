/**
 * A Kendis user's own scoped token (Kendis: "Jira Scope-Based API Authentication for Individual
 * Users"): Step 1 creates and proves it, Step 2 stores it and says what to do in Kendis.
 */
import { typed } from '../../io/typed.js';
import { runChecks } from '../../checks/run-checks.js';
import { fullTestLine, printCommands, refusalOf, renderCheckLines } from '../../checks/report.js';
import { ChecksFailedError } from '../../errors.js';
import { profileFlagFor } from '../../config/profile-name.js';
import { daysUntil, describeDaysLeft } from '../../dates/dates.js';
import { draftUserProfile } from '../draft.js';
import { commitProfile } from '../commit.js';
import { askProjects } from '../projects.js';
import { defineStep } from '../context.js';
import { mask, offerReveal } from '../../input/ask.js';
import { proveToken, showTokenInstructions } from './api-token.js';

export const userTokenStep = defineStep({
  number: 1,
  title: 'Create your scoped API token',
  needs: ['site', 'cloudId', 'email'],
  stages: 'api-token',
  async run(ctx, have) {
    ctx.deps.io.info('  Your Kendis admin has set up the organisation’s ALM account; this token lets Kendis act in Jira as you.');
    await showTokenInstructions(ctx, 'user');
    await proveToken(ctx, 'user', (expiresOn) => draftUserProfile(ctx, { ...have, email: ctx.answers.email ?? have.email }, expiresOn));
  },
});

/** What Kendis calls the user's screen: documented only as "Profile settings" (kendis.md). */
const KENDIS_PROFILE_STEPS = [
  'In Kendis, open your Profile settings and update your Jira token there with the one you just created.',
  '(An older Kendis article calls that screen "ALM Credentials": your Jira e-mail and the token → Test Connection → SAVE. Labels may differ in your Kendis.)',
  'Then validate the connection from that screen.',
];

export const userFinishStep = defineStep({
  number: 2,
  title: 'Put it into your Kendis profile',
  needs: ['site', 'cloudId', 'email', 'tokenExpires'],
  async run(ctx, have) {
    const io = ctx.deps.io;
    const token = ctx.secrets['api-token'];
    if (token === undefined) throw new Error('internal: the verified API token is missing at the last step');
    await askProjects(ctx);
    const draft = draftUserProfile(ctx, have, have.tokenExpires);
    const results = await io.task('Running the full connection test…', () =>
      // The same checks as test-connection will run on this profile, so the counts agree.
      runChecks({
        profile: draft,
        projects: draft.projects ?? [],
        clientSecret: undefined,
        apiToken: token,
        secretsProblem: undefined,
        client: ctx.client,
        now: ctx.deps.now(),
        profileFlag: profileFlagFor(ctx.profile),
      }),
    );
    renderCheckLines(io, results, { showPasses: false, showSkips: false });
    const refusal = refusalOf(results, 'nothing was saved');
    if (refusal)
      throw new ChecksFailedError(
        refusal.message,
        refusal.kind === 'fail' ? `Follow the → hints above, then run \`${ctx.rerun}\` again.` : `Run \`${ctx.rerun}\` again later.`,
      );
    io.success(fullTestLine(results));
    await commitProfile(ctx, draft, ctx.deps.now().toISOString());
    io.success(`Saved profile "${ctx.profile}": your token is in ${ctx.backend.description}.`);
    io.info(`Your token: ${mask(token)}.`);
    await offerReveal(ctx.deps, 'token', token, ctx.profile);
    for (const line of KENDIS_PROFILE_STEPS) io.info(`  ${line}`);
    if (ctx.target.fakeCredentialsNote) io.hint(ctx.target.fakeCredentialsNote);
    const flag = profileFlagFor(ctx.profile);
    io.info('');
    io.info(`The token expires on ${have.tokenExpires} (${describeDaysLeft(daysUntil(have.tokenExpires, ctx.deps.now()))}). To be reminded in time:`);
    printCommands(io, [
      [`${typed()} rotate-token --check --calendar kendis-token.ics${flag}`, 'a calendar reminder'],
      [`${typed()} rotate-token${flag}`, 'when it is due'],
    ]);
  },
});
