/**
 * Every command this tool tells the user to type is built here, for the screen, for errors and for
 * --json alike: `kendis-jira …` when it is installed, `npx kendis-jira …` under npx, or e.g.
 * `node bin/kendis-jira.js …` from a clone — so advice works when pasted. src/cli.ts says once how
 * the user ran it; nothing rewrites text afterwards.
 */
let invocation = 'kendis-jira';

/** How the user runs this tool (set once, at start-up; tests set their own). */
export function runAs(how: string): void {
  invocation = how;
}

/** A command to type, as the user runs this tool: typed('rotate-token --profile acme'). */
export function typed(args = ''): string {
  return args ? `${invocation} ${args}` : invocation;
}
