/** Build a Deps for tests in one line: captured streams, scripted prompts, memory secrets, temp config. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { ConfigStore } from '../../src/config/store.js';
import type { Deps, GlobalOptions } from '../../src/deps.js';
import { createHttpClient, type HttpClientOptions } from '../../src/atlassian/http.js';
import { NoPrompter, type Prompter } from '../../src/io/prompter.js';
import { Terminal } from '../../src/io/terminal.js';
import { MemoryBackend } from '../../src/secrets/memory-backend.js';
import { FileBackend } from '../../src/secrets/file-backend.js';
import type { SecretBackend } from '../../src/secrets/backend.js';
import { openTarget } from '../../src/targets/target.js';

export class Capture extends PassThrough {
  isTTY: boolean;
  private chunks: string[] = [];
  constructor(isTTY = false) {
    super();
    this.isTTY = isTTY;
    this.on('data', (chunk: Buffer) => this.chunks.push(chunk.toString('utf8')));
  }
  get text(): string {
    return this.chunks.join('');
  }
}

export interface TestDepsOptions {
  prompter?: Prompter;
  interactive?: boolean;
  env?: Record<string, string | undefined>;
  globals?: Partial<GlobalOptions>;
  configDir?: string;
  keychain?: SecretBackend;
  http?: Partial<HttpClientOptions>;
  now?: Date;
  opened?: string[];
  browserOpens?: boolean;
  onOpen?: (url: string) => void;
}

export interface TestDeps extends Deps {
  stdout: Capture;
  stderr: Capture;
  keychain: SecretBackend;
  configDirPath: string;
  opened: string[];
}

export function tempDir(prefix = 'kj-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function makeTestDeps(options: TestDepsOptions = {}): TestDeps {
  const interactive = options.interactive ?? Boolean(options.prompter);
  const stdin = Object.assign(new PassThrough(), { isTTY: interactive });
  const stdout = new Capture(interactive);
  const stderr = new Capture(interactive);
  const env = options.env ?? {};
  const globals: GlobalOptions = { profile: 'default', color: false, debug: false, nonInteractive: !interactive, ...options.globals };
  const io = new Terminal({ stdin, stdout, stderr }, { color: false, nonInteractive: globals.nonInteractive, debug: globals.debug, env });
  const dir = options.configDir ?? tempDir();
  const keychain = options.keychain ?? new MemoryBackend();
  const opened = options.opened ?? [];
  const controller = new AbortController();
  const http = createHttpClient({ env, log: (line) => io.debug(line), maxRetryWaitMs: 3000, ...options.http });
  const fixedNow = options.now;
  const deps: TestDeps = {
    io,
    prompter: options.prompter ?? new NoPrompter(),
    env,
    platform: 'linux',
    now: () => (fixedNow ? new Date(fixedNow) : new Date()),
    randomBytes: (n) => randomBytes(n),
    config: new ConfigStore(dir),
    secretBackend: (kind) => (kind === 'file' ? new FileBackend(dir) : keychain),
    http: async () => http,
    browser: {
      open: async (url) => {
        opened.push(url);
        options.onOpen?.(url);
        return options.browserOpens ? 'opened' : 'unavailable';
      },
    },
    signal: controller.signal,
    globals,
    stdout,
    stderr,
    keychain,
    configDirPath: dir,
    opened,
    target: (kind, o) => openTarget(kind, { env, io, browser: deps.browser, callbackUrls: o.callbackUrls, realBrowser: o.realBrowser }, o.endpoints),
  };
  return deps;
}
