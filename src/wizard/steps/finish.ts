/**
 * Step 8: the full test, then the commit (verified secrets move from the staging entries to the
 * profile's own, the profile is written, the progress removed), then what to type into Kendis.
 */
import { runChecks } from '../../checks/run-checks.js';
import { refusalOf, renderCheckLines, summaryLine } from '../../checks/report.js';
import { ChecksFailedError } from '../../errors.js';
import type { SecretKind } from '../../secrets/backend.js';
import { profileFlagFor } from '../../config/profile-name.js';
import { daysUntil, describeDaysLeft } from '../../dates/dates.js';
import { draftProfile } from '../draft.js';
import { commitProfile } from '../commit.js';
import { askProjects } from '../projects.js';
import { defineStep, type Have, type WizardContext } from '../context.js';
import { copySecret, mask, scrollbackHint } from '../ask.js';

type Needs = 'site' | 'cloudId' | 'email' | 'clientId' | 'callbackUrl' | 'redirectUri' | 'tokenExpires' | 'callbackMode';

/** A secret verified by an earlier step (in memory, or restored from staging on resume). */
function verified(ctx: WizardContext, kind: SecretKind): string {
  const value = ctx.secrets[kind];
  if (value === undefined) throw new Error(`internal: the verified ${kind} is missing at Step 8`);
  return value;
}

async function showKendisForm(ctx: WizardContext, have: Have<Needs>): Promise<void> {
  const io = ctx.deps.io;
  const rows: [string, string][] = [
    ['Jira Login ID (Email)', have.email],
    ['Scope-Based API Token', mask(verified(ctx, 'api-token'))],
    ['Client ID', have.clientId],
    ['Client Secret', mask(verified(ctx, 'client-secret'))],
  ];
  io.info('In Kendis, return to the "Add ALM Account" form (board → ALM Account → Edit) and fill in:');
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) io.info(`    ${k.padEnd(width)}  ${v}`);
  if (io.interactive) {
    for (;;) {
      const choice = await ctx.deps.prompter.select<'done' | SecretKind | `copy:${SecretKind}`>({
        id: 'reveal',
        message: 'Copy or show a secret to paste it into Kendis? (one at a time; copied values are never shown)',
        choices: [
          { name: 'No, I have them', value: 'done' },
          { name: 'Copy the API token to the clipboard', value: 'copy:api-token' },
          { name: 'Copy the Client Secret to the clipboard', value: 'copy:client-secret' },
          { name: 'Show the API token', value: 'api-token' },
          { name: 'Show the Client Secret', value: 'client-secret' },
        ],
      });
      if (choice === 'done') break;
      const kind: SecretKind = choice.startsWith('copy:') ? (choice.slice(5) as SecretKind) : (choice as SecretKind);
      if (choice.startsWith('copy:') && (await copySecret(ctx.deps, kind === 'api-token' ? 'API token' : 'Client Secret', verified(ctx, kind)))) continue;
      // On the terminal itself (an interactive run's stdout is one), never into a redirected stderr.
      io.streams.stdout.write(`    ${verified(ctx, kind)}\n`);
      io.hint(scrollbackHint(ctx.deps));
    }
  } else {
    io.hint('The secrets are not printed here (the run is not interactive); they are in the store named above.');
  }
  io.info('Before you click Test Connection in Kendis:');
  io.info('  • "Using Scope API" is enabled;');
  io.info(`  • the app's Callback URL matches Kendis' exactly: ${have.callbackUrl}`);
  if (!ctx.target.site) io.info(`  • if Kendis asks for the URL of your Jira instance: ${have.site}`);
  if (have.callbackMode === 'both') {
    io.info(`  • the local check URL (${have.redirectUri}) is no longer needed: remove it from the app's Authorization tab unless you will run \`test-connection --oauth\` again.`);
  }
}

export const finishStep = defineStep({
  number: 8,
  title: 'Complete the setup in Kendis',
  needs: ['site', 'cloudId', 'email', 'clientId', 'callbackUrl', 'redirectUri', 'tokenExpires', 'callbackMode'],
  async run(ctx, have) {
    const io = ctx.deps.io;
    await askProjects(ctx);
    const draft = draftProfile(ctx, have, have.tokenExpires);
    const results = await io.task('Running the full connection test…', () =>
      runChecks({ profile: draft, projects: draft.projects ?? [], clientSecret: verified(ctx, 'client-secret'), apiToken: verified(ctx, 'api-token'), secretsProblem: undefined, client: ctx.client, now: ctx.deps.now(), profileFlag: profileFlagFor(ctx.profile), cli: ctx.deps.cli }),
    );
    renderCheckLines(io, results, { showPasses: false, showSkips: false });
    io.info(`Full test: ${summaryLine(results)}.`);
    const refusal = refusalOf(results, 'nothing was saved');
    if (refusal) throw new ChecksFailedError(refusal.message, refusal.kind === 'fail' ? `Follow the → hints above, then run \`${ctx.rerun}\` again.` : `Run \`${ctx.rerun}\` again later.`);
    await commitProfile(ctx, draft, ctx.deps.now().toISOString());
    io.success(`Saved profile "${ctx.profile}": secrets in ${ctx.backend.description}${ctx.options.insecureStorage ? ' (as --insecure-storage asked)' : ''}.`);
    await showKendisForm(ctx, have);
    const flag = profileFlagFor(ctx.profile);
    io.info('');
    io.info(`The API token expires on ${have.tokenExpires} (${describeDaysLeft(daysUntil(have.tokenExpires, ctx.deps.now()))}). To be reminded in time:`);
    const commands: [string, string][] = [
      [`${ctx.deps.cli} rotate-token --check${flag}`, 'in cron or CI: exits 4 when it is due'],
      [`${ctx.deps.cli} rotate-token --check --calendar kendis-token.ics${flag}`, 'also writes a calendar reminder'],
      [`${ctx.deps.cli} test-connection${flag}`, 're-check everything any time'],
    ];
    const width = Math.max(...commands.map(([c]) => c.length));
    for (const [command, what] of commands) io.info(`  ${command.padEnd(width)}  # ${what}`);
  },
});
