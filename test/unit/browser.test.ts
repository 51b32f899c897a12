import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../src/io/browser.js';

describe('browserCommand (the BROWSER variable)', () => {
  it.each([
    ['firefox', { command: 'firefox', args: ['U'] }],
    ['/usr/bin/chromium --headless', { command: '/usr/bin/chromium', args: ['--headless', 'U'] }],
    ['w3m %s', { command: 'w3m', args: ['U'] }],
    ['links:lynx', { command: 'links', args: ['U'] }],
    [':firefox', { command: 'firefox', args: ['U'] }],
  ])('%s', (value, expected) => {
    expect(browserCommand(value, 'U')).toEqual(expected);
  });
  it('nothing usable', () => {
    expect(browserCommand('  ', 'U')).toBeUndefined();
  });
});
