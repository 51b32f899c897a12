/** Before Step 1: the Jira site (its cloud id proves it exists) and the account's e-mail. */
import { CliError, UsageError } from '../../errors.js';
import { foreignHostsWarning, foreignSiteProblem, suggestedSite } from '../../atlassian/domains.js';
import { askValue } from '../../input/ask.js';
import { checkEmail, checkSiteUrl } from '../../input/validate.js';
import { defineStep, type WizardContext } from '../context.js';

/**
 * A site outside Atlassian's domains receives the e-mail and token, so it needs an explicit yes:
 * --allow-non-atlassian-site, or a question (default No). A local test server is allowed (and warned).
 */
async function siteMayBeUsed(ctx: WizardContext, site: string): Promise<boolean> {
  const problem = foreignSiteProblem(site);
  if (!problem || ctx.options.allowNonAtlassianSite) return true;
  if (!ctx.deps.io.interactive || ctx.options.site !== undefined) throw new UsageError(problem.message, problem.hint);
  ctx.deps.io.warn(problem.message);
  const meant = suggestedSite(site);
  if (meant) ctx.deps.io.hint(`Did you mean ${meant}?`);
  return ctx.deps.prompter.confirm({
    id: 'site.foreign',
    message: 'Is this really your Jira Cloud site, and should your credentials be sent there?',
    default: false,
  });
}

export const siteStep = defineStep({
  title: 'Your Jira site and account',
  needs: [],
  async run(ctx) {
    const { deps, options, target } = ctx;
    for (;;) {
      const site =
        target.site ??
        (await askValue(deps, {
          id: 'site',
          message: 'Your Jira Cloud site (e.g. https://acme.atlassian.net):',
          flag: '--site',
          given: options.site,
          default: ctx.answers.site,
          check: checkSiteUrl,
        }));
      if (!target.site && !(await siteMayBeUsed(ctx, site))) {
        // Asked again, with the site probably meant as the answer Enter takes.
        ctx.answers.site = suggestedSite(site);
        continue;
      }
      try {
        const cloudId = await deps.io.task(`Looking up ${site}…`, () => ctx.client.tenantInfo(site));
        if (ctx.answers.cloudId && ctx.answers.site === site && ctx.answers.cloudId !== cloudId)
          deps.io.warn('This site’s cloud id changed since the saved progress; using the new one.');
        ctx.answers.site = site;
        ctx.answers.cloudId = cloudId;
        deps.io.success(`${site}: a Jira Cloud site.`);
        if (!target.site) {
          const foreign = foreignHostsWarning(target.endpoints, site);
          if (foreign) deps.io.warn(foreign);
        }
        break;
      } catch (error) {
        // A wrong site typed at the prompt is asked again; a flag or a fixed site ends the run.
        if (!(error instanceof CliError) || !deps.io.interactive || options.site !== undefined || target.site) throw error;
        deps.io.failure(error.message);
        if (error.hint) deps.io.hint(error.hint);
        ctx.answers.site = undefined;
      }
    }
    ctx.answers.email = await askValue(deps, {
      id: 'email',
      message: 'Your Atlassian account e-mail (Kendis calls it "Jira Login ID"):',
      flag: '--email',
      given: options.email,
      default: ctx.answers.email ?? target.defaults.email,
      check: checkEmail,
    });
  },
});
