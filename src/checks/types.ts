/**
 * A check's status (../shared/spec/checks.md, "No pass without proof"):
 * pass/warn/fail are what Atlassian's answer proved; `error` means it could not be checked
 * (an outage, a proxy page, a timeout: nothing was concluded); `skip` means it cannot be checked
 * by design. A run with any `fail` or `error` is not OK.
 */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'error' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
}

export type Verdict = Omit<CheckResult, 'id' | 'title'>;

/** Statuses that make a run not OK and forbid storing anything on its strength. */
export function isBlocking(status: CheckStatus): boolean {
  return status === 'fail' || status === 'error';
}
