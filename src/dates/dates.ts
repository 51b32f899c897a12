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
  return Math.round(
    (Date.UTC(target.getFullYear(), target.getMonth(), target.getDate()) - Date.UTC(today.getFullYear(), today.getMonth(), today.getDate())) / DAY_MS,
  );
}

export function describeDaysLeft(days: number): string {
  if (days < 0) return days === -1 ? 'expired yesterday' : `expired ${-days} days ago`;
  if (days === 0) return 'expires today';
  if (days === 1) return '1 day left';
  return `${days} days left`;
}

/**
 * Validate a token expiry typed by the user: YYYY-MM-DD, a real day, from tomorrow to 365 days
 * ahead (Atlassian's range). Every path that takes the date uses this one rule; each refusal names the date.
 */
export function validateTokenExpiry(text: string, now: Date): string | true {
  const value = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return `"${value}" is not a date like 2027-01-31 (YYYY-MM-DD).`;
  if (!parseIsoDate(value)) return `${value} is not a day of the calendar: check the day and month you picked.`;
  const days = daysUntil(value, now);
  if (days < 0) return `${value} is in the past: a token that has expired cannot be used. Create a new token.`;
  if (days === 0) return `${value} is today: the token would stop working tonight. Create one with a later expiry (the maximum is 365 days).`;
  if (days > 365) return `${value} is more than 365 days away; Atlassian API tokens expire within 365 days: check the date you picked.`;
  return true;
}

/** A moment (ISO timestamp) in the user's local time, with how long ago: "2026-11-29 22:06 (3 hours ago)". */
export function describeMoment(iso: string, now: Date): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  // With the machine's time zone named ("UTC", "CET", "GMT+2"): a time without one is ambiguous.
  const zone = new Intl.DateTimeFormat('en-GB', { timeZoneName: 'short' }).formatToParts(when).find((part) => part.type === 'timeZoneName')?.value;
  const local = `${isoDate(when)} ${String(when.getHours()).padStart(2, '0')}:${String(when.getMinutes()).padStart(2, '0')}${zone ? ` ${zone}` : ''}`;
  const minutes = Math.round((now.getTime() - when.getTime()) / 60_000);
  const ago =
    minutes < 1
      ? 'just now'
      : minutes < 60
        ? `${minutes} minute${minutes === 1 ? '' : 's'} ago`
        : minutes < 48 * 60
          ? `${Math.round(minutes / 60)} hour${Math.round(minutes / 60) === 1 ? '' : 's'} ago`
          : `${Math.round(minutes / 1440)} days ago`;
  return `${local} (${ago})`;
}
