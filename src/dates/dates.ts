/** Calendar dates as YYYY-MM-DD in the user's local time zone (what they picked on Atlassian's page). */
const DAY_MS = 86_400_000;

export function isoDate(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Parse a strict YYYY-MM-DD that names a real day; undefined otherwise. */
export function parseIsoDate(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(y, m - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) return undefined;
  return date;
}

export function addDays(date: Date, days: number): Date {
  const copy = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  copy.setDate(copy.getDate() + days);
  return copy;
}

/** Whole days from `now`'s calendar day to `expiresOn`: 0 = expires today, negative = expired. */
export function daysUntil(expiresOn: string, now: Date): number {
  const target = parseIsoDate(expiresOn);
  if (!target) return Number.NaN;
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((Date.UTC(target.getFullYear(), target.getMonth(), target.getDate()) - Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())) / DAY_MS);
}

export function describeDaysLeft(days: number): string {
  if (days < 0) return days === -1 ? 'expired yesterday' : `expired ${-days} days ago`;
  if (days === 0) return 'expires today';
  if (days === 1) return '1 day left';
  return `${days} days left`;
}

/** Validate a token expiry typed by the user: a real date, not in the past, at most 365 days ahead. */
export function validateTokenExpiry(text: string, now: Date): string | true {
  const date = parseIsoDate(text);
  if (!date) return 'Use the date format YYYY-MM-DD, e.g. 2027-01-31.';
  const days = daysUntil(text.trim(), now);
  if (days < 0) return 'That date is in the past: a token that has expired cannot be used. Create a new token.';
  if (days > 366) return 'Atlassian API tokens expire within 365 days: check the date you picked.';
  return true;
}
