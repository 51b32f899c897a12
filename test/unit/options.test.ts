/**
 * Command-line options are parsed once, by each command's schema: the defaults come from DEFAULTS,
 * and every bad value is one usage error (exit 2) that names the flag, before anything else runs.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { DEFAULTS } from '../../src/options/defaults.js';
import { parseSetupOptions } from '../../src/commands/setup.js';
import { parseTestConnectionOptions } from '../../src/commands/test-connection.js';
import { parseRotateOptions } from '../../src/commands/rotate-token.js';
import { parseStatusOptions } from '../../src/commands/status.js';
import { parseLogoutOptions } from '../../src/commands/logout.js';
import { parseSandboxOptions } from '../../src/commands/sandbox.js';
import { loopbackHostHeaders } from '../../src/net/loopback.js';

const now = new Date('2026-11-30T12:00:00Z');

function usage(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a usage error');
}

describe('setup options', () => {
  it('with nothing given: every default from DEFAULTS, switches off, --user not said', () => {
    expect(parseSetupOptions({}, now)).toEqual({
      site: undefined,
      email: undefined,
      appId: undefined,
      callbackUrl: undefined,
      clientId: undefined,
      tokenExpires: undefined,
      projects: undefined,
      redirectUri: DEFAULTS.redirectUri,
      redirectUriGiven: false,
      oauthTimeoutSeconds: DEFAULTS.oauthTimeoutSeconds,
      browser: true,
      skipOAuth: false,
      allowNonAtlassianSite: false,
      insecureStorage: false,
      sandbox: false,
      restart: false,
      user: undefined,
    });
  });

  it('reads what commander gives: strings, switches and --no-browser', () => {
    const o = parseSetupOptions(
      {
        site: 'https://acme.atlassian.net',
        email: 'a@acme.com',
        oauthTimeout: '60',
        browser: false,
        skipOauth: true,
        user: false,
        tokenExpires: '2027-06-01',
        redirectUri: 'http://127.0.0.1:9000/cb',
      },
      now,
    );
    expect(o).toMatchObject({
      site: 'https://acme.atlassian.net',
      email: 'a@acme.com',
      oauthTimeoutSeconds: 60,
      browser: false,
      skipOAuth: true,
      user: false,
      tokenExpires: '2027-06-01',
      redirectUri: 'http://127.0.0.1:9000/cb',
    });
  });

  it.each([
    [{ site: 'acme atlassian' }, '--site:'],
    [{ email: 'nobody' }, '--email:'],
    [{ callbackUrl: 'not a url' }, '--callback-url:'],
    [{ clientId: 'has space' }, '--client-id:'],
    [{ appId: '%%%' }, '--app-id:'],
    [{ tokenExpires: '2027-02-30' }, '--token-expires:'],
    [{ tokenExpires: '2025-01-01' }, '--token-expires:'],
    [{ oauthTimeout: 'soon' }, '--oauth-timeout must be a whole number of seconds from 5 to 3600 (got soon).'],
    [{ oauthTimeout: '4' }, '--oauth-timeout must be'],
    [{ oauthTimeout: '' }, '--oauth-timeout must be'],
    [{ redirectUri: 'https://example.com/cb' }, '--redirect-uri'],
    [{ redirectUri: 'http://localhost/cb' }, '--redirect-uri needs an explicit port'],
    [{ redirectUri: 'http://localhost:0/callback' }, '--redirect-uri needs a real port, not 0'],
    [{ redirectUri: 'http://me:pw@localhost:8976/callback' }, '--redirect-uri must not contain a user name or password'],
    [{ callbackUrl: 'https://me:secret@app.kendis.io/cb' }, '--callback-url: The callback URL contains a user name or password'],
    [{ oauthTimeout: '0x10' }, '--oauth-timeout must be'],
    [{ oauthTimeout: '1e2' }, '--oauth-timeout must be'],
    [{ oauthTimeout: ' 60 ' }, '--oauth-timeout must be'],
    [{ oauthTimeout: '+60' }, '--oauth-timeout must be'],
    [{ oauthTimeout: '60.' }, '--oauth-timeout must be'],
    [{ sandbox: true, site: 'https://acme.atlassian.net' }, '--sandbox and --site do not go together'],
  ])('%o is refused: %s', (raw, message) => {
    expect(usage(() => parseSetupOptions(raw, now)).message).toContain(message);
  });

  it('a site outside Atlassian is refused with the flags, naming the site probably meant', () => {
    const typo = usage(() => parseSetupOptions({ site: 'acme.atlasian.net' }, now));
    expect(typo.message).toContain('--site: https://acme.atlasian.net is not in Atlassian');
    expect(typo.hint).toContain('Did you mean https://acme.atlassian.net?');
    expect(usage(() => parseSetupOptions({ site: 'https://acme.atlassian.com' }, now)).hint).toContain('Did you mean https://acme.atlassian.net?');
    expect(usage(() => parseSetupOptions({ site: 'https://jira.example.org' }, now)).hint).not.toContain('Did you mean');
    expect(parseSetupOptions({ site: 'https://jira.example.org', allowNonAtlassianSite: true }, now).site).toBe('https://jira.example.org');
    expect(parseSetupOptions({ site: 'http://127.0.0.1:8080' }, now).site).toBe('http://127.0.0.1:8080');
  });

  it('a typed port 80 is a port (the listener also takes the Host browsers send for it); leading zeros of a plain number are fine', () => {
    expect(parseSetupOptions({ redirectUri: 'http://localhost:80/callback' }, now).redirectUri).toBe('http://localhost:80/callback');
    expect(loopbackHostHeaders(80)).toEqual(new Set(['localhost:80', '127.0.0.1:80', '[::1]:80', 'localhost', '127.0.0.1', '[::1]']));
    expect(loopbackHostHeaders(8976).has('localhost')).toBe(false);
    expect(parseSetupOptions({ oauthTimeout: '060' }, now).oauthTimeoutSeconds).toBe(60);
  });

  it('a problem with a next step keeps it as the hint', () => {
    expect(usage(() => parseSetupOptions({ redirectUri: 'http://example.com:80/cb' }, now)).hint).toContain('http://localhost:8976/callback');
    expect(usage(() => parseSetupOptions({ appId: 'x y' }, now)).hint).toContain('developer.atlassian.com/console/myapps');
  });

  it('a date is judged against the clock it is given', () => {
    expect(parseSetupOptions({ tokenExpires: '2027-01-01' }, now).tokenExpires).toBe('2027-01-01');
    expect(usage(() => parseSetupOptions({ tokenExpires: '2027-01-01' }, new Date('2027-06-01T00:00:00Z'))).message).toContain('--token-expires');
  });
});

describe('test-connection options', () => {
  it('defaults, and the redirect URI stays unset (the saved one is used)', () => {
    expect(parseTestConnectionOptions({})).toEqual({
      json: false,
      oauth: false,
      browser: true,
      redirectUri: undefined,
      oauthTimeoutSeconds: DEFAULTS.oauthTimeoutSeconds,
      projects: undefined,
      all: false,
    });
  });
  it('checks --redirect-uri and --oauth-timeout like setup does', () => {
    expect(usage(() => parseTestConnectionOptions({ redirectUri: 'http://10.0.0.1:8976/cb' })).message).toContain('must point at this machine');
    expect(usage(() => parseTestConnectionOptions({ oauthTimeout: '3601' })).message).toContain('--oauth-timeout');
  });
});

describe('rotate-token options', () => {
  it('defaults', () => {
    expect(parseRotateOptions({}, now)).toEqual({
      check: false,
      within: DEFAULTS.withinDays,
      json: false,
      tokenExpires: undefined,
      calendar: undefined,
      browser: true,
      all: false,
    });
  });
  it.each([
    [{ within: '-1', check: true }, '--within must be a whole number of days from 0 to 365 (got -1).', undefined],
    [{ within: 'soon', check: true }, '--within must be', undefined],
    [{ json: true }, '--json goes with --check.', 'Add --check'],
    [{ tokenExpires: '31/12/2027' }, '--token-expires:', undefined],
    [{ within: '0x10', check: true }, '--within must be', undefined],
    [{ within: '30' }, '--within goes with --check', 'Add --check'],
    [{ check: true, calendar: '-' }, '--calendar needs a file name', 'kendis-token.ics'],
    [{ within: '1e1', check: true }, '--within must be', undefined],
  ])('%o is refused', (raw, message, hint) => {
    const error = usage(() => parseRotateOptions(raw, now));
    expect(error.message).toContain(message);
    if (hint) expect(error.hint).toContain(hint);
  });
});

describe('rotate-token --check', () => {
  it('ignores --token-expires, as a cron line with a stale date keeps working', () => {
    expect(parseRotateOptions({ check: true, tokenExpires: '2020-01-01' }, now)).toMatchObject({ check: true });
    expect(parseRotateOptions({ check: true, tokenExpires: 'garbage' }, now)).toMatchObject({ check: true });
  });
});

describe('status, logout and the sandbox server', () => {
  it('read their switches', () => {
    expect(parseStatusOptions({})).toEqual({ json: false, all: false });
    expect(parseStatusOptions({ json: true, all: true })).toEqual({ json: true, all: true });
    expect(parseLogoutOptions({ yes: true })).toEqual({ yes: true });
    expect(parseSandboxOptions({ port: '0', latency: '150', autoApprove: true })).toEqual({ port: 0, latencyMs: 150, autoApprove: true, codeRefusal: 'today' });
    expect(parseSandboxOptions({ codeRefusal: 'auth0', consentBlock: 'sharing-off' })).toMatchObject({ codeRefusal: 'auth0', consentBlock: 'sharing-off' });
  });
  it('refuse a port or latency that is not a number', () => {
    expect(usage(() => parseSandboxOptions({ port: '70000' })).message).toContain('--port must be a port number');
    expect(usage(() => parseSandboxOptions({ latency: 'slow' })).message).toContain('--latency');
  });
});
