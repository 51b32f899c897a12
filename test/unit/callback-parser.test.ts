import { describe, expect, it } from 'vitest';
import { describeCallbackError, parseCallback, stateMatches } from '../../src/auth/callback-parser.js';

const S = 'expected-state-123';

describe('parseCallback', () => {
  it.each([
    ['/callback?code=abc&state=expected-state-123', { kind: 'code', code: 'abc' }],
    ['http://localhost:8976/callback?state=expected-state-123&code=abc', { kind: 'code', code: 'abc' }],
    [
      '/callback?error=access_denied&error_description=User%20cancelled&state=expected-state-123',
      { kind: 'error', error: 'access_denied', description: 'User cancelled' },
    ],
    ['/callback?code=abc&state=wrong', { kind: 'invalid', reason: 'the state does not match this sign-in' }],
    ['/callback?code=abc', { kind: 'invalid', reason: 'no state parameter' }],
    ['/callback?state=expected-state-123', { kind: 'invalid', reason: 'no code parameter' }],
    ['/callback?code=a&code=b&state=expected-state-123', { kind: 'invalid', reason: 'more than one code parameter' }],
    ['/callback?code=a&state=expected-state-123&state=expected-state-123', { kind: 'invalid', reason: 'more than one state parameter' }],
    ['/other?code=a&state=expected-state-123', { kind: 'invalid', reason: 'unexpected path /other' }],
  ])('%s', (target, expected) => {
    expect(parseCallback(target, S, target.startsWith('/other') ? '/callback' : undefined)).toEqual(expected);
  });
  it('an error with a wrong state is not trusted', () => {
    expect(parseCallback('/callback?error=access_denied&state=nope', S).kind).toBe('invalid');
  });
  it('accepts a pasted URL with spaces around it', () => {
    expect(parseCallback('  http://localhost:8976/callback?code=z&state=expected-state-123 \n', S)).toEqual({ kind: 'code', code: 'z' });
  });
});

describe('stateMatches', () => {
  it('compares exactly', () => {
    expect(stateMatches(S, S)).toBe(true);
    expect(stateMatches(`${S}x`, S)).toBe(false);
    expect(stateMatches('', S)).toBe(false);
  });
});

describe('describeCallbackError', () => {
  it('access_denied means the user pressed Cancel', () => {
    expect(describeCallbackError('access_denied', undefined).message).toContain('pressed Cancel');
  });
  it('unauthorized_client points at the callback URL', () => {
    expect(describeCallbackError('unauthorized_client', 'redirect_uri is not registered').hint).toContain('callback URL');
  });
});
