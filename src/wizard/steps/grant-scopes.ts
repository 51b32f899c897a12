/** Step 3: tick exactly Kendis' six Jira permissions. */
import { APP_SCOPES } from '../../atlassian/scopes.js';
import { consolePages } from '../../atlassian/endpoints.js';
import { confirmDone } from '../../input/ask.js';
import { defineStep } from '../context.js';
import { consolePage } from './create-app.js';
import { printScopeRows } from '../token-instructions.js';

export const grantScopesStep = defineStep({
  number: 3,
  title: 'Grant Jira API permissions',
  needs: [],
  async run(ctx) {
    const io = ctx.deps.io;
    await consolePage(ctx, 'Still on the Permissions tab', consolePages(ctx.answers.appId).permissions, 'Permissions');
    io.info(`  Jira API → Configure → Granular scopes → Edit Scopes; tick these ${APP_SCOPES.filter((s) => s.kind === 'jira').length}, then Save:`);
    const jira = APP_SCOPES.filter((s) => s.kind === 'jira');
    printScopeRows(io, '    ', jira);
    await confirmDone(ctx.deps, 'scopes.done', 'Have you saved all six permissions?');
  },
});
