import type { Deps } from '../deps.js';
import { CliError } from '../errors.js';

export type SetupOptions = Record<string, unknown>;
export function parseSetupOptions(raw: Record<string, unknown>): SetupOptions {
  return raw;
}
export async function runSetup(_options: SetupOptions, _deps: Deps): Promise<void> {
  throw new CliError('This command is not available yet in this build.', { hint: 'Use `kendis-jira status` or `logout` meanwhile.' });
}
