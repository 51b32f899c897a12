/** Hidden `kendis-jira sandbox`: the fake Atlassian on its own, until Ctrl-C (for tests and demos). */
import type { Deps } from '../deps.js';
import { UsageError } from '../errors.js';
import { startSandbox } from '../sandbox/server.js';

export async function runSandboxServer(options: { port: number; latencyMs?: number; autoApprove?: boolean }, deps: Deps): Promise<void> {
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new UsageError('--port must be a port number.');
  if (options.latencyMs !== undefined && (!Number.isFinite(options.latencyMs) || options.latencyMs < 0)) throw new UsageError('--latency must be a number of milliseconds.');
  const sandbox = await startSandbox({ port: options.port, latencyMs: options.latencyMs ?? 0, autoApprove: Boolean(options.autoApprove) });
  deps.io.out(JSON.stringify({ site: sandbox.url, auth: sandbox.authUrl, api: sandbox.apiUrl }));
  deps.io.info(`Sandbox running: use --site ${sandbox.url}, KENDIS_JIRA_AUTH_URL=${sandbox.authUrl}, KENDIS_JIRA_API_URL=${sandbox.apiUrl}. Ctrl-C stops it.`);
  await new Promise<void>((resolve) => deps.signal.addEventListener('abort', () => resolve(), { once: true }));
  await sandbox.close();
}
