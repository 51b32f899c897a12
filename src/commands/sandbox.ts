import type { Deps } from '../deps.js';
import { CliError } from '../errors.js';
export async function runSandboxServer(_o: { port: number }, _deps: Deps): Promise<void> {
  throw new CliError('The sandbox is not available yet in this build.');
}
