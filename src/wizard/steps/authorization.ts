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
    if (ctx.options.skipOAuth) {
      io.info('  Next to OAuth 2.0 (3LO) click Add: Kendis’ callback URL goes there, in Step 5.');
      ctx.answers.callbackMode = 'skip';
      return;
    }
    // No question about the console here: Kendis' URL is added in Step 5, and only if Atlassian then
    // refuses the local one (a tab that keeps a single URL) does Step 6 ask, in what the admin sees.
    ctx.answers.callbackMode ??= 'both';
    io.info('  Next to OAuth 2.0 (3LO) click Add; add this callback URL, then Save changes:');
    io.url(ctx.options.redirectUri);
  },
});
