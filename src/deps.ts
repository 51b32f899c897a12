/**
 * The dependency object: built once per run from the global options, passed to every command.
 * Expensive parts (HTTP client, keychain, prompts, browser opener) load lazily, so `--help`
 * and `status` stay fast. Tests build their own with makeTestDeps (test/helpers).
 */
import { randomBytes } from 'node:crypto';
import { ConfigStore } from './config/store.js';
import { configDir } from './config/paths.js';
import { InquirerPrompter, NoPrompter, type Prompter } from './io/prompter.js';
import { Terminal, type Streams } from './io/terminal.js';
import { keychainService, type SecretBackend } from './secrets/backend.js';
import { FileBackend } from './secrets/file-backend.js';
import { KeychainBackend, keychainTimeoutMs } from './secrets/keychain.js';
import { isRemoteSession } from './secrets/keychain-advice.js';
import type { HttpClient } from './atlassian/http.js';
import type { BrowserOpener } from './io/browser.js';
import { openTarget, type Target, type TargetKind } from './targets/target.js';
import type { Endpoints } from './config/schema.js';

export type Env = Record<string, string | undefined>;

export interface GlobalOptions {
  profile: string;
  /** Whether --profile on the command line named it (setup --sandbox otherwise uses "sandbox"). */
  profileExplicit?: boolean;
  color: boolean;
  debug: boolean;
  nonInteractive: boolean;
  /** --verbose: how each passing check was proven. */
  verbose?: boolean;
}

export interface Deps {
  io: Terminal;
  prompter: Prompter;
  env: Env;
  platform: NodeJS.Platform;
  now: () => Date;
  randomBytes: (size: number) => Buffer;
  config: ConfigStore;
  /** The keychain or the opt-in file backend. */
  secretBackend: (kind: 'keychain' | 'file') => SecretBackend;
  /** The HTTP client (undici, proxy-aware), created on first use. */
  http: () => Promise<HttpClient>;
  browser: BrowserOpener;
  /** Aborted on Ctrl-C: long waits (OAuth callback, requests) stop at once. */
  signal: AbortSignal;
  globals: GlobalOptions;
  /**
   * Called at named points of a multi-write operation (the token rotation). Tests use it to stop
   * there; the real binary dies at the point KENDIS_JIRA_TEST_CRASH_AT names, as a power cut would.
   */
  faultPoint?: (name: string) => void;
  /** How the user runs this CLI, for the commands it prints: "kendis-jira", "npx kendis-jira" or "node bin/kendis-jira.js". */
  /** Where Atlassian is for this run (src/targets/target.ts): Atlassian's hosts, or the built-in sandbox. */
  target(kind: TargetKind, options: { callbackUrls: string[]; realBrowser: boolean; endpoints?: Endpoints }): Promise<Target>;
}

export interface ProcessParts {
  streams: Streams;
  env: Env;
  platform: NodeJS.Platform;
  signal: AbortSignal;
}

/** The OS keychain, made once per run, with this run's timeout and its macOS dialog notice. */
function keychainFor(parts: ProcessParts, io: Terminal): () => KeychainBackend {
  let keychain: KeychainBackend | undefined;
  return () => {
    keychain ??= new KeychainBackend({
      platform: parts.platform,
      service: keychainService(parts.env),
      remote: isRemoteSession(parts.env),
      timeoutMs: keychainTimeoutMs(parts.platform, io.interactive),
      ...(parts.platform === 'darwin' && io.interactive
        ? { onSlow: () => io.hint('Waiting for the macOS Keychain… if it asks whether node may use a kendis-jira item, click Always Allow (or Allow).') }
        : {}),
    });
    return keychain;
  };
}

/** The crash and concurrency tests: die (SIGKILL) or stop (SIGSTOP, holding any lock, once) at a named point. */
function faultPointFor(env: Env): Pick<Deps, 'faultPoint'> {
  const crashAt = env.KENDIS_JIRA_TEST_CRASH_AT;
  const stopAt = env.KENDIS_JIRA_TEST_STOP_AT;
  if (!crashAt && !stopAt) return {};
  let stopped = false;
  return {
    faultPoint: (name: string) => {
      if (name === crashAt) process.kill(process.pid, 'SIGKILL');
      // Stopped the first time only: once continued, the run goes on to its end.
      if (name === stopAt && !stopped) {
        stopped = true;
        process.kill(process.pid, 'SIGSTOP');
      }
    },
  };
}

export function createDeps(globals: GlobalOptions, parts: ProcessParts): Deps {
  const io = new Terminal(parts.streams, {
    color: globals.color,
    nonInteractive: globals.nonInteractive,
    debug: globals.debug,
    verbose: Boolean(globals.verbose),
    env: parts.env,
  });
  const dir = configDir(parts.env, parts.platform);
  let http: Promise<HttpClient> | undefined;
  const keychain = keychainFor(parts, io);
  const deps: Deps = {
    io,
    prompter: io.interactive ? new InquirerPrompter(parts.streams, parts.signal) : new NoPrompter(),
    env: parts.env,
    platform: parts.platform,
    now: () => new Date(),
    randomBytes: (size) => randomBytes(size),
    config: new ConfigStore(dir),
    secretBackend: (kind) => (kind === 'file' ? new FileBackend(dir, parts.platform) : keychain()),
    http: () => {
      http ??= import('./atlassian/http.js').then(({ createHttpClient }) =>
        createHttpClient({ env: parts.env, log: (line) => io.debug(line), signal: parts.signal }),
      );
      return http;
    },
    browser: {
      open: async (url) => {
        const { openBrowser } = await import('./io/browser.js');
        return openBrowser(url, parts.env, parts.platform);
      },
    },
    signal: parts.signal,
    globals,
    // A run nobody watches never waits for a click: the sandbox approves its own consent page unless
    // BROWSER names a browser to drive it (on macOS and Windows `open` reports success as soon as
    // the launcher starts, and the run used to wait out the whole OAuth timeout).
    target: (kind, options) => {
      const realBrowser = options.realBrowser && (io.interactive || Boolean(parts.env.BROWSER));
      return openTarget(kind, { env: parts.env, io, browser: deps.browser, callbackUrls: options.callbackUrls, realBrowser }, options.endpoints);
    },
    ...faultPointFor(parts.env),
  };
  return deps;
}
