/** Step 4: the Authorization tab: which callback URLs the app will hold. */
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
      io.info('  One callback URL belongs there: Kendis’ own, which you get from Kendis in Step 5 and add then');
      io.info('  (with --skip-oauth, this tool’s local check URL is not needed).');
      ctx.answers.callbackMode = 'skip';
      return;
    }
    io.info('  Two callback URLs belong there:');
    io.info('   • Kendis’ own: you get it from Kendis in Step 5 and add it then, and');
    io.info('   • this tool’s local check URL, exactly:');
    io.url(ctx.options.redirectUri);
    if (!io.interactive) {
      ctx.answers.callbackMode ??= 'both';
      if (ctx.answers.callbackMode !== 'skip') io.info('  Paste the local check URL above into the Callback URL field and click Save changes.');
      return;
    }
    ctx.answers.callbackMode = await ctx.deps.prompter.select({
      id: 'callback.mode',
      message: 'Does the Authorization tab take more than one callback URL (there will be two: this one now, Kendis’ in Step 5)?',
      default: ctx.answers.callbackMode ?? 'both',
      choices: [
        { name: 'Yes — add the local URL now, Kendis’ in Step 5', value: 'both' },
        { name: 'Only one fits — add the local URL first, check, then switch to Kendis’ URL', value: 'switch' },
        { name: 'Only one fits — skip the browser check (the Client ID and Secret are still checked)', value: 'skip' },
      ],
    });
    if (ctx.answers.callbackMode !== 'skip') io.info('  Now paste the local check URL above into the Callback URL field and click Save changes.');
  },
});
