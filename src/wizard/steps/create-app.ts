/** Step 1: create the OAuth 2.0 integration in the Developer Console. */
import { consolePages, parseAppId } from '../../atlassian/endpoints.js';
import { UsageError } from '../../errors.js';
import { checklist, openPage } from '../../input/ask.js';
import { defineStep, type WizardContext } from '../context.js';

function siteName(site: string | undefined): string {
  try {
    const host = site ? new URL(site).hostname : '';
    // acme.atlassian.net → "acme"; an address without a name (a test server) → "Jira".
    return /^[a-z][a-z0-9-]*\./i.test(host) ? (host.split('.')[0] ?? 'Jira') : 'Jira';
  } catch {
    return 'Jira';
  }
}

const noted = new WeakSet<WizardContext>();
/** The last console address printed for a run: the same page is not printed again. */
const lastUrl = new WeakMap<WizardContext, string>();

/**
 * Open one of the app's Developer Console pages. Without the app's address (Step 1 skipped it)
 * only the app list can be opened: the label says which tab to pick there. The target's note
 * (pages that are not real) is said once, not on every page.
 */
export function consolePage(ctx: WizardContext, label: string, url: string, tab?: string): Promise<void> {
  const note = noted.has(ctx) ? undefined : ctx.target.consolePageNote;
  if (note) noted.add(ctx);
  const where = tab && !ctx.answers.appId ? `Open your app from the list, then its ${tab} tab` : label;
  if (lastUrl.get(ctx) === url && tab) {
    // The same page as the step before (the app list, or this tab): no need to print or open it again.
    ctx.deps.io.info(`In your app, its ${tab} tab:`);
    return Promise.resolve();
  }
  lastUrl.set(ctx, url);
  // A target whose pages are not real never opens them (nor says no browser could).
  const browser = ctx.options.browser && !ctx.target.consolePageNote;
  return openPage(ctx.deps, { label: where, url, browser, note, open: (u) => ctx.target.browser.open(u) });
}

export const createAppStep = defineStep({
  number: 1,
  title: 'Create an OAuth 2.0 integration',
  needs: [],
  async run(ctx) {
    await consolePage(ctx, 'Open the Atlassian Developer Console', consolePages(undefined).list);
    checklist(ctx.deps, ['All apps → Create → OAuth 2.0 integration.', `Name it, e.g. "Kendis – ${siteName(ctx.answers.site)}"; accept the terms; Create.`]);
    if (ctx.options.appId !== undefined) {
      const id = parseAppId(ctx.options.appId);
      if (!id)
        throw new UsageError(
          '--app-id: that is not an app id or a Developer Console app URL.',
          'Copy the address of the app’s page, e.g. https://developer.atlassian.com/console/myapps/<id>/overview.',
        );
      ctx.answers.appId = id;
    } else if (ctx.deps.io.interactive) {
      // A refused address stays in the prompt, so "Enter to skip" would send it again: the same text
      // a second time is taken as "skip".
      let refused: string | undefined;
      const answer = await ctx.deps.prompter.input({
        id: 'app.url',
        message: 'Paste the new app’s address from the browser (optional, Enter to skip — it lets the next steps open the right tabs):',
        default: ctx.answers.appId ?? '',
        validate: (v) => {
          if (!v.trim() || parseAppId(v) || v === refused) return true;
          refused = v;
          return 'That address has no app id: copy it from the app’s page, or press Enter again to skip.';
        },
      });
      const id = answer.trim() ? parseAppId(answer) : undefined;
      if (id) ctx.answers.appId = id;
      else if (answer.trim()) ctx.deps.io.hint('Skipped: the next steps open the app list, and say which tab to pick.');
    }
    if (ctx.answers.appId) ctx.deps.io.success(`App ${ctx.answers.appId}: the next steps open its own tabs.`);
  },
});
