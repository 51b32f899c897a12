/**
 * Step 8: the full test, then the commit (verified secrets move from the staging entries to the
 * profile's own, the profile is written, the progress removed), then what to type into Kendis.
 */
import { runChecks } from '../../checks/run-checks.js';
import { refusalOf, renderCheckLines, summaryLine } from '../../checks/report.js';
import { ChecksFailedError } from '../../errors.js';
import { accountFor, SECRET_KINDS, stagingAccountFor } from '../../secrets/backend.js';
import { profileFlagFor } from '../../config/profile-name.js';
import { daysUntil, describeDaysLeft } from '../../util/dates.js';
import { draftProfile } from '../profile-draft.js';
import type { WizardContext, WizardStep } from '../context.js';
import { mask, stepHeading } from '../ui.js';

async function commit(ctx: WizardContext, lastTest: string): Promise<void> {
  // Secrets first: at every moment either the old profile's secrets or the new verified ones are
  // stored under the profile's accounts.
  await ctx.backend.set(accountFor(ctx.profile, 'client-secret'), ctx.secrets.clientSecret!);
  await ctx.backend.set(accountFor(ctx.profile, 'api-token'), ctx.secrets.apiToken!);
  const draft = draftProfile(ctx);
  await ctx.deps.config.update((config) => {
    const previous = config.profiles[ctx.profile];
    config.profiles[ctx.profile] = { ...draft, createdAt: previous?.createdAt ?? draft.createdAt, lastSuccessfulTest: lastTest };
    delete config.progress[ctx.profile];
  });
  for (const kind of SECRET_KINDS) await ctx.backend.delete(stagingAccountFor(ctx.profile, kind)).catch(() => false);
  if (ctx.backend.location === 'file') {
    ctx.deps.io.warn(`Secrets were written to ${ctx.backend.description}${ctx.options.insecureStorage ? ', as --insecure-storage asked' : ' (sandbox only)'}.`);
  }
}

async function showKendisForm(ctx: WizardContext): Promise<void> {
  const io = ctx.deps.io;
  const rows: [string, string][] = [
    ['Jira Login ID (Email)', ctx.answers.email!],
    ['Scope-Based API Token', mask(ctx.secrets.apiToken!)],
    ['Client ID', ctx.answers.clientId!],
    ['Client Secret', mask(ctx.secrets.clientSecret!)],
  ];
  io.info('In Kendis, return to the "Add ALM Account" form (board → ALM Account → Edit) and fill in:');
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) io.info(`    ${k.padEnd(width)}  ${v}`);
  if (io.interactive) {
    for (;;) {
      const choice = await ctx.deps.prompter.select({
        id: 'reveal',
        message: 'Show a secret to copy it? (one at a time; it is printed on this terminal only)',
        choices: [
          { name: 'No, I have them', value: 'done' },
          { name: 'Show the API token', value: 'api-token' },
          { name: 'Show the Client Secret', value: 'client-secret' },
        ],
      });
      if (choice === 'done') break;
      const value = choice === 'api-token' ? ctx.secrets.apiToken! : ctx.secrets.clientSecret!;
      io.streams.stderr.write(`    ${value}\n`);
    }
  } else {
    io.hint(`The secrets are not printed here: you supplied them yourself, and they are stored in ${ctx.backend.description}.`);
  }
  io.info('Before you click Test Connection in Kendis:');
  io.info('  • "Using Scope API" is enabled;');
  io.info(`  • the app's Callback URL matches Kendis' exactly: ${ctx.answers.callbackUrl}`);
  io.info(`  • if Kendis asks for the URL of your Jira instance: ${ctx.answers.site}`);
  if (ctx.answers.callbackMode === 'both') {
    io.info(`  • the local check URL (${ctx.answers.redirectUri ?? ctx.options.redirectUri}) is no longer needed: remove it from the app's Authorization tab unless you will run \`test-connection --oauth\` again.`);
  }
}

export const finishStep: WizardStep = {
  number: 8,
  title: 'Complete the setup in Kendis',
  async run(ctx) {
    stepHeading(ctx, 8, this.title);
    const results = await ctx.deps.io.task('Running the full connection test…', () =>
      runChecks({
        profile: draftProfile(ctx),
        clientSecret: ctx.secrets.clientSecret,
        apiToken: ctx.secrets.apiToken,
        secretsProblem: undefined,
        client: ctx.client,
        now: ctx.deps.now(),
        profileFlag: '',
      }),
    );
    renderCheckLines(ctx.deps.io, results, { showPasses: false, showSkips: false });
    ctx.deps.io.info(`Full test: ${summaryLine(results)}.`);
    const refusal = refusalOf(results, 'nothing was saved');
    if (refusal) {
      throw new ChecksFailedError(refusal.message, refusal.kind === 'fail' ? 'Follow the → hints above, then run `kendis-jira setup` again.' : 'Run `kendis-jira setup` again later.');
    }
    await commit(ctx, ctx.deps.now().toISOString());
    const flag = profileFlagFor(ctx.profile);
    ctx.deps.io.success(`Saved profile "${ctx.profile}": secrets in ${ctx.backend.description}.`);
    await showKendisForm(ctx);
    const expires = ctx.answers.tokenExpires!;
    ctx.deps.io.info('');
    ctx.deps.io.info(`The API token expires on ${expires} (${describeDaysLeft(daysUntil(expires, ctx.deps.now()))}). To be reminded in time:`);
    ctx.deps.io.info(`  kendis-jira rotate-token --check${flag}        # in cron or CI: exits 4 when it is due`);
    ctx.deps.io.info(`  kendis-jira rotate-token --check --calendar kendis-token.ics${flag}   # also writes a calendar reminder`);
    ctx.deps.io.info(`  kendis-jira test-connection${flag}              # re-check everything any time`);
  },
};
