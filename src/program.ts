/**
 * The command tree. Each action turns commander's options into its command's typed options and
 * calls runX(options, deps); the command modules are imported only when that command runs.
 */
import { typed } from './io/typed.js';
import { Argument, Command, Option } from 'commander';
import { UsageError } from './errors.js';
import { PROFILE_NAME } from './config/profile-name.js';
import { DEFAULTS } from './options/defaults.js';
import { MAX_PROJECTS, normalizeProjectKey } from './atlassian/project-keys.js';
import type { Deps, GlobalOptions } from './deps.js';

declare const __VERSION__: string;
export const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

export interface ProgramHooks {
  makeDeps(globals: GlobalOptions): Promise<Deps>;
  env: Record<string, string | undefined>;
  writeOut(text: string): void;
  writeErr(text: string): void;
}

type Raw = Record<string, unknown>;

function globalsOf(command: Command, env: Record<string, string | undefined>): GlobalOptions {
  const o = command.optsWithGlobals() as Raw;
  // An empty KENDIS_JIRA_PROFILE (e.g. `KENDIS_JIRA_PROFILE=` in a CI file) means "not set".
  // --sandbox on a command other than setup names the sandbox's profile (setup starts the sandbox itself).
  const sandboxProfile = o.sandbox === true && command.name() !== 'setup' && o.profile === undefined ? 'sandbox' : undefined;
  const profile = String(o.profile ?? sandboxProfile ?? (env.KENDIS_JIRA_PROFILE || undefined) ?? 'default');
  if (!PROFILE_NAME.test(profile)) {
    throw new UsageError(`"${profile}" is not a valid profile name.`, 'Use letters, digits, ".", "_" or "-" (at most 64), starting with a letter or digit.');
  }
  return {
    profile,
    // Only --profile on the command line: an exported KENDIS_JIRA_PROFILE must never steer the
    // sandbox onto a real profile.
    profileExplicit: o.profile !== undefined || sandboxProfile !== undefined,
    color: o.color !== false,
    debug: Boolean(o.debug),
    verbose: Boolean(o.verbose),
    nonInteractive: Boolean(o.nonInteractive),
  };
}

/** commander's argParser for a repeatable --project: each value checked and collected. */
function collectProjectKey(value: string, previous: string[] | undefined): string[] {
  const key = normalizeProjectKey(value);
  if (key === undefined)
    throw new UsageError(
      `--project takes a Jira project key, like KEN (got ${JSON.stringify(value)}).`,
      'A project key is the part before the number in an issue key: KEN in KEN-12.',
    );
  const keys = [...(previous ?? []), ...(previous?.includes(key) ? [] : [key])];
  if (keys.length > MAX_PROJECTS) throw new UsageError(`At most ${MAX_PROJECTS} --project keys.`, 'Name the projects of the Kendis boards that matter most.');
  return keys;
}

/** The commands that read or change profiles. */
const PROFILE_COMMANDS = new Set(['setup', 'test-connection', 'rotate-token', 'status', 'logout', 'copy']);

export function buildProgram(hooks: ProgramHooks): Command {
  const program = new Command('kendis-jira');
  program
    .description('Connect a Jira Cloud site to Kendis through a scope-based OAuth 2.0 (3LO) app — guided, verified, and with secrets kept in your OS keychain.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--profile <name>', 'which saved connection to use (env KENDIS_JIRA_PROFILE)', undefined)
    .option('--no-color', 'no colours (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--debug', 'log requests (redacted: no tokens, secrets or codes) on stderr')
    .option('--verbose', 'say how each passing check was proven (--json always has it)')
    .option('--non-interactive', 'never prompt (implied when stdin or stdout is not a terminal)')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    // Each command's help lists the options every command takes (--profile, --debug, …) too.
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError(`(run \`${typed('--help')}\` for usage)`)
    .exitOverride()
    .configureOutput({ writeOut: hooks.writeOut, writeErr: hooks.writeErr })
    .addHelpText(
      'after',
      `
Start here:
  kendis-jira setup            walk through the 8 steps of Kendis' "Jira Scope-Based OAuth" guide
  kendis-jira setup --user     every Kendis user: your own scoped API token for your Kendis profile
  kendis-jira setup --sandbox  try the whole flow against a built-in fake Atlassian (no account needed)

Exit codes: 0 ok · 1 a check or operation failed · 2 bad usage or input · 3 profile not set up ·
            4 token rotation due (rotate-token --check) · 130 cancelled`,
    );

  const run = async (command: Command, load: (deps: Deps, opts: Raw) => Promise<void>) => {
    const globals = globalsOf(command, hooks.env);
    const deps = await hooks.makeDeps(globals);
    // What a crash left (src/profiles/transaction.ts) is removed before a command reads a profile.
    if (PROFILE_COMMANDS.has(command.name())) await (await import('./profiles/transaction.js')).tidy(deps);
    await load(deps, command.opts() as Raw);
  };

  const sub = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .showHelpAfterError(`(run \`${typed(`help ${name}`)}\` for usage)`)
      .exitOverride()
      .configureOutput({ writeOut: hooks.writeOut, writeErr: hooks.writeErr });

  sub(
    'setup',
    'the organisation’s ALM account: Steps 1–8 (the Atlassian app, every scope checked, secrets stored, the connection tested); with --user: your own token',
  )
    .option('--site <url>', 'your Jira Cloud site, e.g. https://acme.atlassian.net')
    .option('--email <email>', 'your Atlassian account e-mail (Kendis calls it "Jira Login ID")')
    .option('--app-id <id-or-url>', 'the Developer Console app (its id or any of its console URLs)')
    .option('--callback-url <url>', 'the callback URL Kendis shows (ALM Account → Edit → Using Scope API)')
    .option('--client-id <id>', "the app's Client ID (Settings tab)")
    .option(
      '--project <KEY>',
      'optional: a Jira project of the Kendis boards (e.g. KEN), to check the Jira permissions there exactly; repeatable',
      collectProjectKey,
    )
    .option('--token-expires <YYYY-MM-DD>', 'the expiry date you chose for the scoped API token (default: today + 365 days, the longest Atlassian allows)')
    .option('--redirect-uri <uri>', `the local callback this tool listens on (default ${DEFAULTS.redirectUri}; with --sandbox a free port)`)
    .option('--oauth-timeout <seconds>', `how long to wait for the browser to come back (default ${DEFAULTS.oauthTimeoutSeconds})`)
    .option('--no-browser', 'print URLs instead of opening a browser')
    .option('--skip-oauth', 'skip the browser OAuth check (the client ID and secret are still checked)')
    .option(
      '--allow-non-atlassian-site',
      "accept a site outside Atlassian's domains (*.atlassian.net, *.jira.com, Government Cloud): your credentials go there",
    )
    .option('--insecure-storage', 'with no usable OS keychain, keep secrets in a private, unencrypted file instead of failing')
    .option('--user', "set up your own scoped API token for your Kendis profile (every Kendis user), not the organisation's ALM account")
    .option('--sandbox', 'use the built-in fake Atlassian: try everything with no account')
    .option('--restart', 'ignore saved progress and start again at Step 1')
    .addHelpText(
      'after',
      `
Secrets are never flags: you type them at a masked prompt, or in scripts set
KENDIS_JIRA_CLIENT_SECRET and KENDIS_JIRA_API_TOKEN; they are stored in your OS keychain.

Examples:
  kendis-jira setup                 # asks: the organisation's ALM account, or your own token
  kendis-jira setup --user          # your own scoped token, for your Kendis profile
  kendis-jira setup --sandbox
  # the secrets for a script (paste, Enter: not shown, not kept in history)
  read -rs KENDIS_JIRA_CLIENT_SECRET && export KENDIS_JIRA_CLIENT_SECRET      # macOS, Linux
  read -rs KENDIS_JIRA_API_TOKEN && export KENDIS_JIRA_API_TOKEN
  $env:KENDIS_JIRA_CLIENT_SECRET = Read-Host -MaskInput 'Client Secret'      # Windows PowerShell
  $env:KENDIS_JIRA_API_TOKEN = Read-Host -MaskInput 'API token'
  kendis-jira setup --non-interactive --site https://acme.atlassian.net --email admin@acme.com --callback-url https://… --client-id … --token-expires 2027-11-20 --skip-oauth`,
    )
    .action(async (_o, command: Command) =>
      run(command, async (deps, opts) => {
        const { parseSetupOptions, runSetup } = await import('./commands/setup.js');
        await runSetup(parseSetupOptions(opts, deps.now()), deps);
      }),
    );

  sub('test-connection', 'check every required scope and credential of a saved connection')
    .option('--sandbox', 'the sandbox profile set up by `setup --sandbox` (same as --profile sandbox)')
    .option('--json', 'print one JSON document on stdout')
    .option('--oauth', 'also run the browser OAuth round trip (granted scopes, site access, identity)')
    .option('--no-browser', 'print the authorize URL instead of opening a browser')
    .option('--redirect-uri <uri>', 'the local callback for --oauth (default: the one saved at setup)')
    .option('--oauth-timeout <seconds>', `how long to wait for the browser to come back (default ${DEFAULTS.oauthTimeoutSeconds})`)
    .option(
      '--project <KEY>',
      "check the Jira permissions in this project (a Kendis board's, e.g. KEN); repeatable (default: the projects saved at setup, else any project)",
      collectProjectKey,
    )
    .addOption(new Option('--all', 'every profile (a few at a time), one line each; exit 1 when any did not pass').conflicts(['oauth', 'project']))
    .addHelpText(
      'after',
      `
Each line is one check (✔ pass, ! warning, ✖ fail, ? could not be checked, – skipped), with → and
the fix for anything that is not a pass. Exit 0 when nothing failed or went unchecked, 1 otherwise,
3 when the profile is not set up.

Examples:
  kendis-jira test-connection
  kendis-jira test-connection --json | jq '.checks[] | select(.status=="fail" or .status=="error")'
  kendis-jira test-connection --oauth --profile acme
  kendis-jira test-connection --project KEN --project PLAN`,
    )
    .action(async (_o, command: Command) =>
      run(command, async (deps, opts) => {
        const { parseTestConnectionOptions, runTestConnection } = await import('./commands/test-connection.js');
        await runTestConnection(parseTestConnectionOptions(opts), deps);
      }),
    );

  sub('rotate-token', 'replace the scoped API token before it expires (verified before it is swapped)')
    .option('--sandbox', 'the sandbox profile set up by `setup --sandbox` (same as --profile sandbox)')
    .option('--check', 'change nothing; exit 4 when the token expires within --within days (for cron/CI)')
    .option('--within <days>', `with --check: the warning window in days (default: ${DEFAULTS.withinDays})`)
    .option('--json', 'with --check: print a JSON document')
    .option('--token-expires <YYYY-MM-DD>', "the new token's expiry date (default: today + 365 days)")
    .option('--calendar <file>', 'also write an .ics reminder, a few days before the token expires')
    .option('--all', 'with --check: every profile, one line each; exit 4 when any is due')
    .option('--no-browser', 'print the API-token page instead of opening it')
    .addHelpText(
      'after',
      `
The new token is checked (sign-in and every scope) before it replaces the old one; if it fails,
nothing changes. In scripts the new token comes from KENDIS_JIRA_API_TOKEN.

Examples:
  kendis-jira rotate-token
  kendis-jira rotate-token --check                    # exit 4 when the token expires within ${DEFAULTS.withinDays} days
  kendis-jira rotate-token --check --within 30 --json
  kendis-jira rotate-token --check --calendar kendis-token.ics   # and a calendar reminder
  kendis-jira rotate-token --check --all             # every profile, one line each
  # one line per machine, every Monday at 9: crontab (macOS, Linux) mails only when one is due
  0 9 * * 1  kendis-jira rotate-token --check --all >/dev/null 2>&1 || echo "Rotate a Kendis Jira token" | mail -s kendis you@acme.com
  # Windows Task Scheduler: "Last Run Result" 0x4 means a rotation is due
  schtasks /Create /SC WEEKLY /D MON /ST 09:00 /TN "Kendis Jira tokens" /TR "kendis-jira rotate-token --check --all"`,
    )
    .action(async (_o, command: Command) =>
      run(command, async (deps, opts) => {
        const { parseRotateOptions, runRotateToken } = await import('./commands/rotate-token.js');
        await runRotateToken(parseRotateOptions(opts, deps.now()), deps);
      }),
    );

  sub('status', 'show what is configured, where the secrets are kept and when the token expires')
    .option('--sandbox', 'the sandbox profile set up by `setup --sandbox` (same as --profile sandbox)')
    .option('--json', 'print one JSON document on stdout')
    .option('--all', 'every profile, one row each (also when no --profile is given and "default" does not exist)')
    .action(async (_o, command: Command) =>
      run(command, async (deps, opts) => {
        const { parseStatusOptions, runStatus } = await import('./commands/status.js');
        await runStatus(parseStatusOptions(opts), deps);
      }),
    );

  sub('logout', 'remove a profile: its keychain entries and its saved settings')
    .option('--sandbox', 'the sandbox profile set up by `setup --sandbox` (same as --profile sandbox)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (_o, command: Command) =>
      run(command, async (deps, opts) => {
        const { parseLogoutOptions, runLogout } = await import('./commands/logout.js');
        await runLogout(parseLogoutOptions(opts), deps);
      }),
    );

  sub('copy', 'put one saved value on the clipboard (never on the screen), e.g. to paste a new token into Kendis')
    .option('--sandbox', 'the sandbox profile set up by `setup --sandbox` (same as --profile sandbox)')
    .addArgument(new Argument('<value>', 'what to copy').choices(['client-id', 'client-secret', 'api-token', 'email', 'callback-url']))
    .addHelpText(
      'after',
      `
The value goes to the clipboard program's input (pbcopy on macOS, clip.exe on Windows, wl-copy,
xclip or xsel on Linux), or over SSH to your terminal's clipboard (OSC 52). A secret is cleared
from the clipboard after 45 s where it can be read back, if it is still there.

Examples:
  kendis-jira copy api-token
  kendis-jira copy client-secret --profile acme`,
    )
    .action(async (value: string, _o, command: Command) =>
      run(command, async (deps) => {
        const { runCopy } = await import('./commands/copy.js');
        await runCopy(value as 'api-token', deps);
      }),
    );

  sub('completion', 'print a shell completion script (commands, options, profile names)')
    .addArgument(new Argument('<shell>', 'your shell').choices(['bash', 'zsh', 'fish', 'powershell']))
    .addHelpText(
      'after',
      `
Install it once:
  bash        kendis-jira completion bash > ~/.local/share/bash-completion/completions/kendis-jira
  zsh         echo 'source <(kendis-jira completion zsh)' >> ~/.zshrc
  fish        kendis-jira completion fish > ~/.config/fish/completions/kendis-jira.fish
  PowerShell  Add-Content $PROFILE 'kendis-jira completion powershell | Out-String | Invoke-Expression'
Profile names are read from your settings as you type (no network, no keychain).`,
    )
    .action(async (shell: string, _o, command: Command) =>
      run(command, async (deps) => {
        const { completionScript } = await import('./commands/completion.js');
        const visible = program.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden && c.name() !== 'help');
        const longs = (c: Command) => c.options.map((o) => o.long).filter((l): l is string => Boolean(l));
        deps.io.out(
          completionScript(shell as 'bash', {
            commands: [...visible.map((c) => ({ name: c.name(), options: longs(c) })), { name: 'help', options: [] }],
            global: [...longs(program).filter((l) => l !== '--version'), '--help'],
            values: {
              copy: ['client-id', 'client-secret', 'api-token', 'email', 'callback-url'],
              completion: ['bash', 'zsh', 'fish', 'powershell'],
              help: visible.map((c) => c.name()),
            },
          }),
        );
      }),
    );

  // Hidden: the completion scripts ask it for profile names as the user types.
  program.addCommand(
    new Command('__complete')
      .argument('<what>')
      .exitOverride()
      .action(async (_what: string, _o, command: Command) =>
        run(command, async (deps) => {
          const { printProfileNames } = await import('./commands/completion.js');
          await printProfileNames(deps);
        }),
      ),
    { hidden: true },
  );

  // Hidden: used by tests and by `setup --sandbox` users who want the fake Atlassian on its own.
  program.addCommand(
    new Command('sandbox')
      .description('run the built-in fake Atlassian on 127.0.0.1 until Ctrl-C')
      .option('--port <port>', 'port to listen on', '0')
      .option('--latency <ms>', 'delay every answer (for benchmarks)', '0')
      .option('--auto-approve', 'skip the consent page')
      .addOption(
        new Option('--code-refusal <how>', "how the token endpoint refuses a bad code: today's answer, or the older (Auth0-era) one")
          .choices(['today', 'auth0'])
          .default('today'),
      )
      .addOption(
        new Option('--consent-block <page>', "stop at one of Atlassian's consent error pages instead of asking for consent").choices([
          'admin-approval',
          'sharing-off',
          'no-site-access',
        ]),
      )
      .exitOverride()
      .action(async (_o, command: Command) =>
        run(command, async (deps, opts) => {
          const { parseSandboxOptions, runSandboxServer } = await import('./commands/sandbox.js');
          await runSandboxServer(parseSandboxOptions(opts), deps);
        }),
      ),
    { hidden: true },
  );

  // `help [command]`: an unknown command is a usage error (exit 2), as it is without `help`.
  program
    .command('help [command]')
    .description('show help for a command')
    .action((name: string | undefined) => {
      if (name === undefined) return program.help();
      const command = program.commands.find((c) => c.name() === name && c.name() !== 'help');
      if (!command) {
        throw new UsageError(
          `There is no command "${name}".`,
          `The commands are: ${program.commands
            .filter((c) => !(c as unknown as { _hidden?: boolean })._hidden && c.name() !== 'help')
            .map((c) => c.name())
            .join(', ')}. See \`${typed('--help')}\`.`,
        );
      }
      return command.help();
    });

  // A usage error shows the command's usage line and where to read more.
  for (const command of program.commands) {
    command.showHelpAfterError(`Usage: kendis-jira ${command.name()} ${command.usage()}\n(run \`${typed(`help ${command.name()}`)}\` for details)`);
  }
  return program;
}
