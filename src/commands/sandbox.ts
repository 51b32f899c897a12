/** Hidden `kendis-jira sandbox`: the fake Atlassian on its own, until Ctrl-C (for tests and demos). */
import type { Deps } from '../deps.js';
import { startSandbox } from '../sandbox/server.js';
import { on, type RawOptions, text, wholeNumber } from '../options/options.js';

export interface SandboxServerOptions {
  port: number;
  latencyMs: number;
  autoApprove: boolean;
  codeRefusal: 'today' | 'auth0';
  consentBlock?: 'admin-approval' | 'sharing-off' | 'no-site-access';
}

const CODE_REFUSALS = ['today', 'auth0'] as const;
const CONSENT_BLOCKS = ['admin-approval', 'sharing-off', 'no-site-access'] as const;

/** One of `choices` (commander's choices() already refused anything else). */
function oneOf<T extends string>(raw: unknown, choices: readonly T[], what: string): T | undefined {
  return text(raw, (v) => ((choices as readonly string[]).includes(v) ? undefined : `${what} must be one of ${choices.join(', ')} (got ${v}).`)) as
    | T
    | undefined;
}

export function parseSandboxOptions(raw: RawOptions): SandboxServerOptions {
  const consentBlock = oneOf(raw.consentBlock, CONSENT_BLOCKS, '--consent-block');
  return {
    port: wholeNumber(raw.port, '--port', { min: 0, max: 65535, kind: 'a port number' }) ?? 0,
    latencyMs: wholeNumber(raw.latency, '--latency', { min: 0, max: 60_000, kind: 'a whole number of milliseconds' }) ?? 0,
    autoApprove: on(raw.autoApprove),
    codeRefusal: oneOf(raw.codeRefusal, CODE_REFUSALS, '--code-refusal') ?? 'today',
    ...(consentBlock ? { consentBlock } : {}),
  };
}

export async function runSandboxServer(options: SandboxServerOptions, deps: Deps): Promise<void> {
  const sandbox = await startSandbox(options);
  deps.io.out(JSON.stringify({ site: sandbox.url, auth: sandbox.authUrl, api: sandbox.apiUrl }));
  deps.io.info(`Sandbox running: use --site ${sandbox.url}, KENDIS_JIRA_AUTH_URL=${sandbox.authUrl}, KENDIS_JIRA_API_URL=${sandbox.apiUrl}. Ctrl-C stops it.`);
  await new Promise<void>((resolve) => deps.signal.addEventListener('abort', () => resolve(), { once: true }));
  await sandbox.close();
}
