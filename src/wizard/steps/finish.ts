/**
 * Step 8: the full test, then the commit (verified secrets move from the staging entries to the
 * profile's own, the profile is written, the progress removed), then what to type into Kendis.
 */
import { typed } from '../../io/typed.js';
import { runChecks } from '../../checks/run-checks.js';
import { fullTestLine, refusalOf, renderCheckLines } from '../../checks/report.js';
import { ChecksFailedError } from '../../errors.js';
import type { SecretKind } from '../../secrets/backend.js';
import { profileFlagFor } from '../../config/profile-name.js';
import { daysUntil, describeDaysLeft } from '../../dates/dates.js';
import { draftProfile } from '../draft.js';
import { commitProfile } from '../commit.js';
import { askProjects } from '../projects.js';
import { defineStep, type Have, type WizardContext } from '../context.js';
import { copySecret, mask, scrollbackHint } from '../../input/ask.js';

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
  io.info('In Kendis’ “Add ALM Account” form (board → ALM Account → Edit), fill in:');
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
    io.hint(`Copy one: \`${typed()} copy api-token${profileFlagFor(ctx.profile)}\``);
  }
  io.info('Before Test Connection: "Using Scope API" on; the app’s callback URL is exactly:');
  io.url(have.callbackUrl);
  if (!ctx.target.site) io.info(`  If Kendis asks for your Jira instance's URL: ${have.site}`);
  if (have.callbackMode === 'both') io.info(`  Remove ${have.redirectUri} from the tab (kept only for --oauth).`);
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
      runChecks({
        profile: draft,
        projects: draft.projects ?? [],
        clientSecret: verified(ctx, 'client-secret'),
        apiToken: verified(ctx, 'api-token'),
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
    io.success(`Saved profile "${ctx.profile}".`);
    await showKendisForm(ctx, have);
    const flag = profileFlagFor(ctx.profile);
    io.info(`The API token expires on ${have.tokenExpires} (${describeDaysLeft(daysUntil(have.tokenExpires, ctx.deps.now()))}). To be reminded in time:`);
    io.info('  # in cron or CI (exits 4 when one is due), or as a calendar reminder:');
    io.copyLine(`  ${typed()} rotate-token --check --all`);
    io.copyLine(`  ${typed()} rotate-token --check --calendar kendis-token.ics${flag}`);
  },
});
