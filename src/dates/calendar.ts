/** An .ics reminder (RFC 5545) some days before the token expires. Contains no secret. */
import { addDays, parseIsoDate } from './dates.js';
import { profileFlagFor } from '../config/profile-name.js';

function icsDate(date: Date): string {
  return `${date.getFullYear()}${String(date.getMonth() + 1).padStart(2, '0')}${String(date.getDate()).padStart(2, '0')}`;
}

/** RFC 5545 §3.1: lines longer than 75 octets continue on the next line after one space (never inside a character). */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char);
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

/** The day to be reminded: daysBefore the expiry, or today when that day has passed ("late"). */
export function reminderDay(p: { expiresOn: string; daysBefore: number; now: Date }): { date: Date; late: boolean } {
  const expiry = parseIsoDate(p.expiresOn);
  if (!expiry) throw new Error(`invalid expiry ${p.expiresOn}`);
  const today = new Date(p.now.getFullYear(), p.now.getMonth(), p.now.getDate());
  const day = addDays(expiry, -p.daysBefore);
  return day < today ? { date: today, late: true } : { date: day, late: false };
}

export function tokenReminderIcs(p: {
  profile: string;
  kind?: 'alm-account' | 'user';
  cli?: string;
  site: string;
  expiresOn: string;
  daysBefore: number;
  now: Date;
  uid: string;
}): string {
  const day = reminderDay(p).date;
  const stamp = p.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const flag = profileFlagFor(p.profile);
  const where =
    p.kind === 'user'
      ? 'your Kendis Profile settings'
      : 'Kendis (board → ALM Account → Edit, also under Settings → ALM Accounts → "Change" next to the API Token → Test Connection → Save)';
  const description = `The Kendis Jira scoped API token for ${p.site} expires on ${p.expiresOn}.\nRun: ${p.cli ?? 'kendis-jira'} rotate-token${flag}\nThen paste the new token into ${where}.`;
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//kendis-jira//token reminder//EN',
    'CALSCALE:GREGORIAN',
    'BEGIN:VEVENT',
    `UID:${p.uid}@kendis-jira`,
    `DTSTAMP:${stamp}`,
    `DTSTART;VALUE=DATE:${icsDate(day)}`,
    `DTEND;VALUE=DATE:${icsDate(addDays(day, 1))}`,
    `SUMMARY:${escapeText(`Rotate the Kendis Jira API token (expires ${p.expiresOn})`)}`,
    `DESCRIPTION:${escapeText(description)}`,
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${escapeText('Rotate the Kendis Jira API token')}`,
    'TRIGGER:-PT0M',
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
  ]
    .map(foldLine)
    .join('\r\n')
    .concat('\r\n');
}
