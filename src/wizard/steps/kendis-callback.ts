/** Step 5: Kendis' callback URL, printed back as the exact text for the Authorization tab. */
import { askValue } from '../../input/ask.js';
import { checkCallbackUrl } from '../../input/validate.js';
import { defineStep } from '../context.js';

export const kendisCallbackStep = defineStep({
  number: 5,
  title: 'The Kendis callback URL',
  needs: ['callbackMode', 'redirectUri'],
  async run(ctx, have) {
    const io = ctx.deps.io;
    io.info('  In Kendis: board → ALM Account → Edit → "Using Scope API" → copy Callback URL.');
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
      io.info('  For now, keep the local check URL (Step 4) in the Authorization tab’s callback URL field:');
      io.url(have.redirectUri);
      io.info('  (After the check in Step 6 you replace it with Kendis’ URL above; the wizard will ask.)');
      io.info('  Then click Save changes.');
    } else {
      io.info(
        have.callbackMode === 'both'
          ? '  Add it on the Authorization tab too (a second callback URL), and Save changes:'
          : '  Put exactly this in the Authorization tab’s callback URL field, and Save changes:',
      );
      io.url(url);
    }
  },
});
