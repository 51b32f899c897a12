/** Step 2: add the three APIs on the app's Permissions tab. */
import { APP_SCOPES } from '../../atlassian/scopes.js';
import { consolePages } from '../../atlassian/endpoints.js';
import { confirmDone } from '../../input/ask.js';
import { defineStep } from '../context.js';
import { consolePage } from './create-app.js';

export const addApisStep = defineStep({
  number: 2,
  title: 'Add the required APIs',
  needs: [],
  async run(ctx) {
    await consolePage(ctx, "Open the app's Permissions tab", consolePages(ctx.answers.appId).permissions, 'Permissions');
    ctx.deps.io.info(`  Click Add next to: ${[...APP_SCOPES.filter((s) => s.kind === 'api').map((s) => s.title), 'Jira API'].join(', ')}.`);
    await confirmDone(ctx.deps, 'apis.done', 'Have you added all three APIs?');
  },
});
