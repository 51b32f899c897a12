import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../src/io/browser.js';
import { environmentCopy } from '../../src/io/environment.js';

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

describe('BROWSER on Windows', () => {
  it('a list is separated by ";" (":" is part of C:\\…), and a quoted path may hold spaces', () => {
    expect(browserCommand('C:\\Tools\\browser.exe', 'U', 'win32')).toEqual({ command: 'C:\\Tools\\browser.exe', args: ['U'] });
    expect(browserCommand('"C:\\Program Files\\Mozilla Firefox\\firefox.exe" -new-tab %s;edge', 'U', 'win32')).toEqual({
      command: 'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
      args: ['-new-tab', 'U'],
    });
    expect(browserCommand(';chrome', 'U', 'win32')).toEqual({ command: 'chrome', args: ['U'] });
    expect(browserCommand('links:lynx', 'U', 'linux')).toEqual({ command: 'links', args: ['U'] });
    expect(browserCommand('"/Applications/My Browser.app/x" %s', 'U', 'darwin')).toEqual({ command: '/Applications/My Browser.app/x', args: ['U'] });
  });
});

describe('the environment copy', () => {
  it('on Windows, names are capitals (Path is PATH there); elsewhere they are kept', () => {
    expect(environmentCopy({ Path: 'C:\\bin', browser: 'x', HOME: 'h' }, 'win32')).toEqual({ PATH: 'C:\\bin', BROWSER: 'x', HOME: 'h' });
    expect(environmentCopy({ Path: '/bin' }, 'linux')).toEqual({ Path: '/bin' });
  });
});
