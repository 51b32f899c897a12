import { describe, expect, it } from 'vitest';
import { checkCallbackUrl, checkClientId, checkEmail, checkSecretValue, checkSiteUrl } from '../../src/input/validate.js';
import { addDays, daysUntil, isoDate, parseIsoDate, validateTokenExpiry } from '../../src/dates/dates.js';
import { parseAppId } from '../../src/atlassian/endpoints.js';

describe('checkSiteUrl', () => {
  it.each([
    ['https://acme.atlassian.net', 'https://acme.atlassian.net'],
    ['acme.atlassian.net', 'https://acme.atlassian.net'],
    ['https://acme.atlassian.net/jira/software/projects', 'https://acme.atlassian.net'],
    ['https://ACME.atlassian.net/', 'https://acme.atlassian.net'],
    ['http://127.0.0.1:4000', 'http://127.0.0.1:4000'],
    ['http://localhost:4000/', 'http://localhost:4000'],
    ['https://jira.atlassian-us-gov-mod.net', 'https://jira.atlassian-us-gov-mod.net'],
    ['https://acme.atlassian.net.', 'https://acme.atlassian.net'],
    ['acme.atlassian.net./', 'https://acme.atlassian.net'],
  ])('%s ⇒ %s', (input, value) => {
    const r = checkSiteUrl(input);
    expect(r).toMatchObject({ ok: true, value });
  });
  it.each([
    ['', 'Type your Jira site'],
    ['http://acme.atlassian.net', 'use https'],
    ['https://acme.atlassian.net:8443', 'no port'],
    ['https://аcme.atlassian.net', 'non-ASCII'],
    ['https://xn--cme-8cd.atlassian.net', 'xn--'],
    ['https://user:pw@acme.atlassian.net', 'user name'],
    ['ftp://acme.atlassian.net', 'https://'],
    ['https://acme', 'full host name'],
    ['acme.', 'full host name'],
    ['acme atlassian', 'space'],
  ])('%s is refused (%s)', (input, words) => {
    const r = checkSiteUrl(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(words);
  });
  it('says what it changed', () => {
    const r = checkSiteUrl('acme.atlassian.net/jira');
    expect(r.ok && r.notice).toContain('added https://');
  });
});

describe('checkEmail', () => {
  it.each(['admin@acme.com', ' admin@acme.com '])('%s is fine', (e) => expect(checkEmail(e).ok).toBe(true));
  it.each(['', 'admin', 'admin@acme', 'a b@c.d', 'a@@b.c', 'a@bсd.com'])('%s is refused', (e) => expect(checkEmail(e).ok).toBe(false));
});

describe('checkCallbackUrl', () => {
  it('accepts Kendis’ https URL', () =>
    expect(checkCallbackUrl('https://app.kendis.io/oauth/jira/callback')).toEqual({ ok: true, value: 'https://app.kendis.io/oauth/jira/callback' }));
  it.each([
    ['http://app.kendis.io/cb', 'https://'],
    ['https://app.kendis.io/cb#x', '#'],
    ['https://app.kendis.io/c b', 'space'],
    ['http://localhost:8976/callback', 'https://'],
    ['https://localhost:8976/callback', 'local address'],
    ['kendis.io/callback', 'complete URL'],
  ])('%s is refused', (input, words) => {
    const r = checkCallbackUrl(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(words);
  });
  it('warns on a trailing slash and a host that is not Kendis’', () => {
    const r = checkCallbackUrl('https://app.kendls.io/callback/');
    expect(r.ok && r.notice).toMatch(/ends with "\/".*does not look like Kendis/);
  });
});

describe('client id and secrets', () => {
  it('client id: soft check on the usual 32 characters', () => {
    expect(checkClientId('abcdefghijklmnopqrstuvwxyz012345')).toEqual({ ok: true, value: 'abcdefghijklmnopqrstuvwxyz012345' });
    const short = checkClientId('abc123');
    expect(short.ok && short.notice).toContain('32');
    expect(checkClientId('abc 123').ok).toBe(false);
  });
  it('secrets: a trailing newline is forgiven, inner whitespace is not', () => {
    expect(checkSecretValue('ATATT3xabcdef\n', 'API token')).toEqual({ ok: true, value: 'ATATT3xabcdef' });
    expect(checkSecretValue('ATATT3x abcdef', 'API token').ok).toBe(false);
    expect(checkSecretValue('ATATT3x\nabcdef', 'API token').ok).toBe(false);
    // Spaces around it (a paste, cmd.exe's `set X=value && …`) are trimmed, never stored.
    expect(checkSecretValue('  ATATT3xabcdef ', 'API token')).toEqual({ ok: true, value: 'ATATT3xabcdef' });
    expect(checkSecretValue('ATATT3xabcdef \r\n', 'API token')).toEqual({ ok: true, value: 'ATATT3xabcdef' });
    expect(checkSecretValue('   ', 'API token').ok).toBe(false);
    expect(checkSecretValue('', 'Client Secret').ok).toBe(false);
    expect(checkSecretValue('x'.repeat(5000), 'Client Secret').ok).toBe(false);
  });
});

describe('dates', () => {
  const now = new Date(2026, 10, 29, 15, 0);
  it('parses only real days', () => {
    expect(parseIsoDate('2027-02-29')).toBeUndefined();
    expect(parseIsoDate('2028-02-29')).toBeDefined();
    expect(parseIsoDate('27-1-1')).toBeUndefined();
  });
  it('counts days', () => {
    expect(daysUntil('2026-11-29', now)).toBe(0);
    expect(daysUntil('2026-11-28', now)).toBe(-1);
    expect(daysUntil(isoDate(addDays(now, 365)), now)).toBe(365);
  });
  it('refuses a callback URL with a bare trailing #, as the README promises', () => {
    expect(checkCallbackUrl('https://app.kendis.io/cb#')).toMatchObject({ ok: false, message: expect.stringContaining('#') });
  });
  it('validates a token expiry', () => {
    expect(validateTokenExpiry('2027-11-29', now)).toBe(true);
    expect(validateTokenExpiry('2026-11-01', now)).toContain('past');
    expect(validateTokenExpiry('2029-01-01', now)).toContain('365');
    expect(validateTokenExpiry('next year', now)).toContain('YYYY-MM-DD');
  });
  it('one rule for every path, each refusal naming the date: a day that does not exist, today, 366 days ahead', () => {
    expect(validateTokenExpiry('2027-02-30', now)).toBe('2027-02-30 is not a day of the calendar: check the day and month you picked.');
    expect(validateTokenExpiry('2026-11-29', now)).toContain('2026-11-29 is today');
    expect(validateTokenExpiry(isoDate(addDays(now, 365)), now)).toBe(true);
    expect(validateTokenExpiry(isoDate(addDays(now, 366)), now)).toContain(`${isoDate(addDays(now, 366))} is more than 365 days away`);
  });
});

describe('parseAppId', () => {
  it('takes the id from a console URL or a bare id', () => {
    expect(parseAppId('https://developer.atlassian.com/console/myapps/7F3C1A52-9D0E-4B7A-8C61-2E5F0D9B4A10/overview')).toBe(
      '7f3c1a52-9d0e-4b7a-8c61-2e5f0d9b4a10',
    );
    expect(parseAppId('nope')).toBeUndefined();
  });
});
