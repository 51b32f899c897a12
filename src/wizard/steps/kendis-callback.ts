/** Step 5: Kendis' callback URL, printed back as the exact text for the Authorization tab. */
import { askValue } from '../ask.js';
import { checkCallbackUrl } from '../validate.js';
import { defineStep } from '../context.js';

export const kendisCallbackStep = defineStep({
  number: 5,
  title: 'The Kendis callback URL',
  needs: ['callbackMode', 'redirectUri'],
  async run(ctx, have) {
    const io = ctx.deps.io;
    io.info('  In Kendis: open your board → ALM Account → Edit → enable "Using Scope API" → copy the Callback URL.');
    const url = await askValue(ctx.deps, {
      id: 'callback.url',
      message: 'Paste Kendis’ callback URL:',
      flag: '--callback-url',
      given: ctx.options.callbackUrl,
      default: ctx.answers.callbackUrl ?? ctx.target.defaults.callbackUrl,
      check: checkCallbackUrl,
    });
    ctx.answers.callbackUrl = url;
    ctx.target.registerCallbackUrl(url);
    if (have.callbackMode === 'switch') {
      // One field only: the local URL goes there first; Kendis' URL replaces it after Step 6.
      io.info('  For now, keep the local check URL (Step 4) in the Authorization tab’s Callback URL field:');
      io.url(have.redirectUri);
      io.info('  (After the check in Step 6 you replace it with Kendis’ URL above; the wizard will ask.)');
    } else {
      io.info(have.callbackMode === 'both' ? '  Add exactly this as a second Callback URL on the Authorization tab (the local one from Step 4 stays):' : '  Paste exactly this into the Authorization tab’s Callback URL field:');
      io.url(url);
    }
    io.info('  Then click Save changes.');
  },
});
