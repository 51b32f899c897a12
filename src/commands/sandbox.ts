/** Hidden `kendis-jira sandbox`: the fake Atlassian on its own, until Ctrl-C (for tests and demos). */
import type { Deps } from '../deps.js';
import * as z from 'zod/mini';
import { startSandbox } from '../sandbox/server.js';
import { flag, parseOptions, wholeNumber } from './options.js';

export interface SandboxServerOptions {
  port: number;
  latencyMs: number;
  autoApprove: boolean;
  codeRefusal: 'today' | 'auth0';
  consentBlock?: 'admin-approval' | 'sharing-off' | 'no-site-access';
}

const sandboxSchema = z.pipe(
  z.object({
    port: wholeNumber('--port', { min: 0, max: 65535, kind: 'a port number', fallback: 0 }),
    latency: wholeNumber('--latency', { min: 0, max: 60_000, kind: 'a whole number of milliseconds', fallback: 0 }),
    autoApprove: flag(),
    // commander's choices() already refused anything else.
    codeRefusal: z._default(z.enum(['today', 'auth0']), 'today'),
    consentBlock: z.optional(z.enum(['admin-approval', 'sharing-off', 'no-site-access'])),
  }),
  z.transform(
    (o): SandboxServerOptions => ({
      port: o.port,
      latencyMs: o.latency,
      autoApprove: o.autoApprove,
      codeRefusal: o.codeRefusal,
      ...(o.consentBlock ? { consentBlock: o.consentBlock } : {}),
    }),
  ),
);

export function parseSandboxOptions(raw: Record<string, unknown>): SandboxServerOptions {
  return parseOptions(sandboxSchema, raw);
}

export async function runSandboxServer(options: SandboxServerOptions, deps: Deps): Promise<void> {
  const sandbox = await startSandbox(options);
  deps.io.out(JSON.stringify({ site: sandbox.url, auth: sandbox.authUrl, api: sandbox.apiUrl }));
  deps.io.info(`Sandbox running: use --site ${sandbox.url}, KENDIS_JIRA_AUTH_URL=${sandbox.authUrl}, KENDIS_JIRA_API_URL=${sandbox.apiUrl}. Ctrl-C stops it.`);
  await new Promise<void>((resolve) => deps.signal.addEventListener('abort', () => resolve(), { once: true }));
  await sandbox.close();
}
