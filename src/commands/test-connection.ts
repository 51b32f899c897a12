import type { Deps } from '../deps.js';
import { CliError } from '../errors.js';

export type TestConnectionOptions = Record<string, unknown>;
export function parseTestConnectionOptions(raw: Record<string, unknown>): TestConnectionOptions {
  return raw;
}
export async function runTestConnection(_options: TestConnectionOptions, _deps: Deps): Promise<void> {
  throw new CliError('This command is not available yet in this build.', { hint: 'Use `kendis-jira status` or `logout` meanwhile.' });
}
