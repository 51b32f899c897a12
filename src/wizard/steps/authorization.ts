/** Step 4: the Authorization tab: this tool's local callback URL (Kendis' follows in Step 5). */
import { consolePages } from '../../atlassian/endpoints.js';
import { defineStep } from '../context.js';
import { consolePage } from './create-app.js';

export const authorizationStep = defineStep({
  number: 4,
  title: 'Authorize the app connection',
  needs: [],
  async run(ctx) {
    const io = ctx.deps.io;
    ctx.answers.redirectUri = ctx.options.redirectUri;
    await consolePage(ctx, "Open the app's Authorization tab", consolePages(ctx.answers.appId).authorization, 'Authorization');
    io.info('  Next to OAuth 2.0 (3LO), click Add (or Configure).');
    if (ctx.options.skipOAuth) {
      io.info('  Kendis’ callback URL goes there: you get it from Kendis in Step 5 (with --skip-oauth no other is needed).');
      ctx.answers.callbackMode = 'skip';
      return;
    }
    // No question about the console here: Kendis' URL is added in Step 5, and only if Atlassian then
    // refuses the local one (a tab that keeps a single URL) does Step 6 ask, in what the admin sees.
    ctx.answers.callbackMode ??= 'both';
    io.info('  Add this as a callback URL (for this tool’s sign-in check), exactly, and click Save changes:');
    io.url(ctx.options.redirectUri);
  },
});
