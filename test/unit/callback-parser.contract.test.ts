/**
 * The contract of src/auth/callback-parser.ts, as tables: which callbacks (a request target on the
 * loopback listener, or a URL the user pasted) give a code, which an OAuth error, and which are
 * refused and why. Anyone on this machine can send the listener a request: only the exact state we
 * sent, once, on the expected path, with one code of sane length, is a code.
 */
import { describe, expect, it } from 'vitest';
import { describeCallbackError, parseCallback, stateMatches, type CallbackResult } from '../../src/auth/callback-parser.js';

const S = 'st4te-0f-th1s-sign-in';
const code = (value: string): CallbackResult => ({ kind: 'code', code: value });
const invalid = (reason: string): CallbackResult => ({ kind: 'invalid', reason });
const oauthError = (error: string, description?: string): CallbackResult => ({ kind: 'error', error, description });

describe('parseCallback: accepted as a code', () => {
  it.each([
    ['a request target', `/callback?code=abc&state=${S}`, code('abc')],
    ['parameters in any order', `/callback?state=${S}&code=abc`, code('abc')],
    ['a full pasted URL', `http://localhost:8976/callback?code=abc&state=${S}`, code('abc')],
    ['a pasted URL with spaces and a line break around it', `  http://localhost:8976/callback?code=abc&state=${S} \n`, code('abc')],
    [
      'a pasted URL with no-break spaces or a BOM around it (copied from a page)',
      `\u00a0\ufeffhttp://localhost:8976/callback?code=abc&state=${S}\u00a0`,
      code('abc'),
    ],
    ['a percent-encoded code, decoded', `/callback?code=a%2Fb%3Dc&state=${S}`, code('a/b=c')],
    ['other parameters alongside', `/callback?code=abc&state=${S}&session_state=x`, code('abc')],
    ['a code of 4096 characters (the longest accepted)', `/callback?code=${'c'.repeat(4096)}&state=${S}`, code('c'.repeat(4096))],
  ])('%s', (_name, target, expected) => {
    expect(parseCallback(target, S, '/callback')).toEqual(expected);
  });

  it('without an expected path, any path is accepted', () => {
    expect(parseCallback(`/anything/else?code=abc&state=${S}`, S)).toEqual(code('abc'));
  });
});

describe('parseCallback: an OAuth error from Atlassian (only with our state)', () => {
  it.each([
    [
      'Cancel on the consent page',
      `/callback?error=access_denied&error_description=User%20cancelled&state=${S}`,
      oauthError('access_denied', 'User cancelled'),
    ],
    ['an error without a description', `/callback?error=invalid_scope&state=${S}`, oauthError('invalid_scope')],
    [
      'a repeated description is not trusted (left out), the error still counts',
      `/callback?error=access_denied&error_description=a&error_description=b&state=${S}`,
      oauthError('access_denied'),
    ],
    ['an error wins over a code sent with it', `/callback?error=access_denied&code=abc&state=${S}`, oauthError('access_denied')],
  ])('%s', (_name, target, expected) => {
    expect(parseCallback(target, S, '/callback')).toEqual(expected);
  });
});

describe('parseCallback: refused, with the reason', () => {
  it.each([
    ['not a URL at all', 'http://[::1', invalid('not a URL')],
    ['another path', `/other?code=abc&state=${S}`, invalid('unexpected path /other')],
    ['the path with a trailing slash', `/callback/?code=abc&state=${S}`, invalid('unexpected path /callback/')],
    ['the path in other case', `/Callback?code=abc&state=${S}`, invalid('unexpected path /Callback')],
    ['no state', '/callback?code=abc', invalid('no state parameter')],
    ['an empty state', '/callback?code=abc&state=', invalid('no state parameter')],
    ['two states, even both right', `/callback?code=abc&state=${S}&state=${S}`, invalid('more than one state parameter')],
    ['a wrong state', '/callback?code=abc&state=wrong', invalid('the state does not match this sign-in')],
    ['our state with one character more', `/callback?code=abc&state=${S}x`, invalid('the state does not match this sign-in')],
    ['our state less its last character', `/callback?code=abc&state=${S.slice(0, -1)}`, invalid('the state does not match this sign-in')],
    ['our state in other case', `/callback?code=abc&state=${S.toUpperCase()}`, invalid('the state does not match this sign-in')],
    ['an error with a wrong state (anyone could send it)', '/callback?error=access_denied&state=nope', invalid('the state does not match this sign-in')],
    ['an error without a state', '/callback?error=access_denied', invalid('no state parameter')],
    ['two errors', `/callback?error=access_denied&error=invalid_scope&state=${S}`, invalid('more than one error parameter')],
    ['no code', `/callback?state=${S}`, invalid('no code parameter')],
    ['an empty code', `/callback?code=&state=${S}`, invalid('no code parameter')],
    ['two codes', `/callback?code=a&code=b&state=${S}`, invalid('more than one code parameter')],
    ['a code of 4097 characters', `/callback?code=${'c'.repeat(4097)}&state=${S}`, invalid('the code is too long')],
  ])('%s', (_name, target, expected) => {
    expect(parseCallback(target, S, '/callback')).toEqual(expected);
  });
});

describe('stateMatches: exactly the state we sent', () => {
  it.each([
    ['the same state', S, S, true],
    ['the same non-ASCII state', 'é-state', 'é-state', true],
    ['one character more', `${S}x`, S, false],
    ['one character less', S.slice(0, -1), S, false],
    ['empty', '', S, false],
    ['same length, last character differs', `${S.slice(0, -1)}X`, S, false],
    ['same number of characters, different bytes (é vs e)', 'é-state', 'e-state', false],
  ] as const)('%s → %s', (_name, received, expected, matches) => {
    expect(stateMatches(received, expected)).toBe(matches);
  });
});

describe('describeCallbackError: what an OAuth error means for the user', () => {
  it.each([
    [
      'access_denied',
      'whatever',
      { message: 'You pressed Cancel on Atlassian’s consent page, so no access was granted.', hint: 'Run the step again and click Accept.' },
    ],
    [
      'unauthorized_client',
      'redirect_uri is not registered',
      {
        message: 'Atlassian refused the app (redirect_uri is not registered).',
        hint: 'Check the callback URL on the Authorization tab and that the Client ID is this app’s.',
      },
    ],
    [
      'unauthorized_client',
      undefined,
      {
        message: 'Atlassian refused the app (unauthorized_client).',
        hint: 'Check the callback URL on the Authorization tab and that the Client ID is this app’s.',
      },
    ],
    [
      'unauthorized_client',
      '',
      {
        message: 'Atlassian refused the app (unauthorized_client).',
        hint: 'Check the callback URL on the Authorization tab and that the Client ID is this app’s.',
      },
    ],
    [
      'invalid_scope',
      'scope read:foo is unknown',
      {
        message: 'Atlassian refused the requested scopes (scope read:foo is unknown).',
        hint: 'Add the three APIs and six Jira permissions on the app’s Permissions tab (Steps 2 and 3), then try again.',
      },
    ],
    [
      'invalid_scope',
      undefined,
      {
        message: 'Atlassian refused the requested scopes (invalid_scope).',
        hint: 'Add the three APIs and six Jira permissions on the app’s Permissions tab (Steps 2 and 3), then try again.',
      },
    ],
    [
      'invalid_scope',
      '',
      {
        message: 'Atlassian refused the requested scopes (invalid_scope).',
        hint: 'Add the three APIs and six Jira permissions on the app’s Permissions tab (Steps 2 and 3), then try again.',
      },
    ],
    [
      'server_error',
      'try later',
      { message: 'Atlassian answered with an error: server_error (try later).', hint: 'Check the app on the Developer Console and try again.' },
    ],
    ['server_error', undefined, { message: 'Atlassian answered with an error: server_error.', hint: 'Check the app on the Developer Console and try again.' }],
    ['server_error', '', { message: 'Atlassian answered with an error: server_error.', hint: 'Check the app on the Developer Console and try again.' }],
  ] as const)('%s (%s)', (error, description, expected) => {
    expect(describeCallbackError(error, description)).toEqual(expected);
  });

  it('both came in on a URL anyone could send: each is one line of plain text', () => {
    const { message } = describeCallbackError('bad\n✔ ok\u001b[2J', 'line one\r\nline two\u202e');
    expect(message).toBe('Atlassian answered with an error: bad ✔ ok [2J (line one  line two).');
  });

  it('the error is cut at 80 characters and the description at 200', () => {
    const { message } = describeCallbackError('e'.repeat(100), 'd'.repeat(300));
    expect(message).toBe(`Atlassian answered with an error: ${'e'.repeat(80)} (${'d'.repeat(200)}).`);
  });

  it('an error that only starts with access_denied is not taken for Cancel', () => {
    expect(describeCallbackError('access_denied\nreally', undefined).message).toBe('Atlassian answered with an error: access_denied really.');
  });
});
