/**
 * The optional question before the full test: which Jira projects the Kendis boards use, so the
 * jira-permissions check is about those projects exactly rather than "in at least one project"
 * (atlassian.md, "mypermissions without a project"). From --project, the saved answer, or a prompt
 * an interactive user may leave empty; never asked in a non-interactive run.
 */
import { MAX_PROJECTS, parseProjectKeys } from '../atlassian/project-keys.js';
import type { WizardContext } from './context.js';

export async function askProjects(ctx: WizardContext): Promise<void> {
  if (ctx.options.projects !== undefined) {
    ctx.answers.projects = ctx.options.projects.join(',');
    return;
  }
  if (ctx.answers.projects !== undefined || !ctx.deps.io.interactive) return;
  const typed = await ctx.deps.prompter.input({
    id: 'projects',
    message: 'Optional: the Jira project keys of your Kendis boards (e.g. KEN, PLAN), to check the permissions there; Enter to skip:',
    default: '',
    validate: (value) => {
      const parsed = parseProjectKeys(value);
      if ('invalid' in parsed) return `"${parsed.invalid}" is not a Jira project key: it is the part before the number in an issue key (KEN in KEN-12).`;
      return parsed.keys.length <= MAX_PROJECTS ? true : `At most ${MAX_PROJECTS} projects.`;
    },
  });
  const parsed = parseProjectKeys(typed);
  ctx.answers.projects = 'keys' in parsed ? parsed.keys.join(',') : '';
}
