/** Steps 1–4: create the app, add the APIs, grant the Jira permissions, open the Authorization tab. */
import { APP_SCOPES } from '../../atlassian/scopes.js';
import { consolePages, parseAppId } from '../../atlassian/endpoints.js';
import type { WizardStep } from '../context.js';
import { askValue, checklist, confirmDone, openPage, stepHeading } from '../ui.js';
import { UsageError } from '../../errors.js';

function siteName(site: string | undefined): string {
  if (!site) return 'Jira';
  try {
    return new URL(site).hostname.split('.')[0] ?? 'Jira';
  } catch {
    return 'Jira';
  }
}

export const createAppStep: WizardStep = {
  number: 1,
  title: 'Create an OAuth 2.0 integration',
  async run(ctx) {
    stepHeading(ctx, 1, this.title);
    const pages = consolePages(undefined);
    await openPage(ctx, 'Open the Atlassian Developer Console', pages.list);
    checklist(ctx, [
      'Click All apps, then Create → OAuth 2.0 integration.',
      `Name it, e.g. "Kendis – ${ctx.options.sandbox ? 'sandbox' : siteName(ctx.answers.site)}".`,
      'Accept the terms and click Create.',
    ]);
    if (ctx.options.appId !== undefined) {
      const id = parseAppId(ctx.options.appId);
      if (!id) throw new UsageError('--app-id: that is not an app id or a Developer Console app URL.', 'Copy the address of the app’s page, e.g. https://developer.atlassian.com/console/myapps/<id>/overview.');
      ctx.answers.appId = id;
    } else if (ctx.deps.io.interactive) {
      const answer = await ctx.deps.prompter.input({
        id: 'app.url',
        message: 'Paste the new app’s address from the browser (optional, Enter to skip — it lets the next steps open the right tabs):',
        default: ctx.answers.appId ?? '',
        validate: (v) => (!v.trim() || parseAppId(v) ? true : 'That address has no app id; copy it from the app’s page, or press Enter to skip.'),
      });
      const id = answer.trim() ? parseAppId(answer) : undefined;
      if (id) ctx.answers.appId = id;
    }
    if (ctx.answers.appId) ctx.deps.io.success(`App ${ctx.answers.appId}: the next steps open its own tabs.`);
  },
};

export const addApisStep: WizardStep = {
  number: 2,
  title: 'Add the required APIs',
  async run(ctx) {
    stepHeading(ctx, 2, this.title);
    await openPage(ctx, "Open the app's Permissions tab", consolePages(ctx.answers.appId).permissions);
    checklist(ctx, APP_SCOPES.filter((s) => s.kind === 'api').map((s) => `${s.title}: click Add`).concat('Jira API: click Add'));
    await confirmDone(ctx, 'apis.done', 'Have you added all three APIs?');
  },
};

export const grantScopesStep: WizardStep = {
  number: 3,
  title: 'Grant Jira API permissions',
  async run(ctx) {
    stepHeading(ctx, 3, this.title);
    await openPage(ctx, 'Still on the Permissions tab', consolePages(ctx.answers.appId).permissions);
    ctx.deps.io.info('  Jira API → Configure → Granular scopes → Edit Scopes. Search for each and tick it:');
    const jira = APP_SCOPES.filter((s) => s.kind === 'jira');
    const width = Math.max(...jira.map((s) => s.title.length));
    for (const s of jira) ctx.deps.io.info(`    [ ] ${s.title.padEnd(width)}  ${ctx.deps.io.paint.dim(s.scope)}`);
    ctx.deps.io.info('  Exactly these six, no more. Then click Save and look for the confirmation that new scopes were added.');
    await confirmDone(ctx, 'scopes.done', 'Have you saved all six permissions?');
  },
};

export const authorizationStep: WizardStep = {
  number: 4,
  title: 'Authorize the app connection',
  async run(ctx) {
    stepHeading(ctx, 4, this.title);
    await openPage(ctx, "Open the app's Authorization tab", consolePages(ctx.answers.appId).authorization);
    checklist(ctx, ['Next to OAuth 2.0 (3LO), click Add (or Configure).']);
    ctx.deps.io.info('  Two callback URLs belong there:');
    ctx.deps.io.info('   • Kendis’ own (you copy it from Kendis in Step 5), and');
    if (ctx.options.skipOAuth) {
      ctx.deps.io.info('   • (--skip-oauth: the local check URL is not needed.)');
      ctx.answers.callbackMode = 'skip';
      return;
    }
    ctx.deps.io.info('   • this tool’s local check URL, exactly:');
    ctx.deps.io.url(ctx.answers.redirectUri ?? ctx.options.redirectUri);
    if (!ctx.deps.io.interactive) {
      ctx.answers.callbackMode ??= 'both';
      return;
    }
    ctx.answers.callbackMode = await ctx.deps.prompter.select({
      id: 'callback.mode',
      message: 'Does the Authorization tab let you add both URLs?',
      default: ctx.answers.callbackMode ?? 'both',
      choices: [
        { name: 'Yes — I will add both', value: 'both' },
        { name: 'Only one fits — add the local URL first, check, then switch to Kendis’ URL', value: 'switch' },
        { name: 'Only one fits — skip the browser check (the Client ID and Secret are still checked)', value: 'skip' },
      ],
    });
  },
};
