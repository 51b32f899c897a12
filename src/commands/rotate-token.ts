import type { Deps } from '../deps.js';
import { CliError } from '../errors.js';

export type RotateTokenOptions = Record<string, unknown>;
export function parseRotateOptions(raw: Record<string, unknown>): RotateTokenOptions {
  return raw;
}
export async function runRotateToken(_options: RotateTokenOptions, _deps: Deps): Promise<void> {
  throw new CliError('This command is not available yet in this build.', { hint: 'Use `kendis-jira status` or `logout` meanwhile.' });
}
