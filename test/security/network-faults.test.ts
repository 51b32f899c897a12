/**
 * Network faults against the sandbox: each ends in a clear message and exit 1 within a bounded
 * time, and nothing stored is damaged (config bytes and keychain entries unchanged).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { RunningSandbox, SandboxOptions } from '../../src/sandbox/server.js';
import { SANDBOX } from '../../src/sandbox/fixtures.js';
import { runTestConnection } from '../../src/commands/test-connection.js';
import { parseRotateOptions, runRotateToken } from '../../src/commands/rotate-token.js';
import { ChecksFailedError } from '../../src/errors.js';
import { exitCodeOf } from '../../src/errors.js';
import { makeTestDeps, type TestDeps } from '../helpers/test-deps.js';
import { saveSandboxProfile } from '../helpers/sandbox-profile.js';
import { startTestSandbox } from '../helpers/sandbox-profile.js';

let sandbox: RunningSandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(async () => sandbox.close());

const options = { json: true, oauth: false, browser: false, redirectUri: undefined, oauthTimeoutSeconds: 30 };

async function snapshot(deps: TestDeps) {
  return {
    config: readFileSync(deps.config.path, 'utf8'),
    secret: await deps.keychain.get('default:client-secret'),
    token: await deps.keychain.get('default:api-token'),
  };
}

const faults: [string, SandboxOptions, RegExp][] = [
  ['a latency spike beyond the timeout', { latencyMs: 1500 }, /did not answer within/],
  ['a reset mid-response', { faults: { resetGateway: true } }, /cut off|did not answer|failed/],
  ['500 on everything', { faults: { everythingStatus: 500 } }, /did not answer \(500 from 127\.0\.0\.1/],
  ['a 429 storm', { faults: { rateLimitStorm: { retryAfter: '0' } } }, /rate limiting/],
  ['a non-JSON site answer', { faults: { garbageTenantInfo: true } }, /Something other than .* answered \(200 from 127\.0\.0\.1:\d+, an HTML page/],
  [
    'a non-JSON gateway answer',
    { faults: { garbageGateway: true } },
    /Something other than Atlassian's API gateway answered \(200 from 127\.0\.0\.1:\d+, an HTML page/,
  ],
];

describe('network faults end cleanly', () => {
  it.each(faults)('%s', async (_name, fault, message) => {
    const deps = makeTestDeps({ http: { timeoutMs: 400 } });
    await saveSandboxProfile(deps, sandbox);
    const before = await snapshot(deps);
    Object.assign(sandbox.options, fault);
    const started = Date.now();
    const error = await runTestConnection(options, deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(error).toBeInstanceOf(ChecksFailedError);
    expect(exitCodeOf(error)).toBe(1);
    const doc = JSON.parse(deps.stdout.text) as { ok: boolean; checks: { id: string; status: string; detail: string; hint?: string }[] };
    expect(doc.ok).toBe(false);
    // An outage is `error` (could not be checked): never a pass of anything it touched, never a plain "no".
    const problems = doc.checks.filter((c) => c.status === 'error');
    expect(problems.map((c) => c.detail).join('\n')).toMatch(message);
    expect(doc.checks.filter((c) => c.status === 'pass' && c.id.startsWith('scope:'))).toEqual([]);
    for (const c of problems) expect(c.detail).toMatch(/\.$/);
    expect(await snapshot(deps)).toEqual(before);
  });

  it('a proxy that refuses is named, and nothing leaves the machine', async () => {
    const deps = makeTestDeps({ env: { HTTPS_PROXY: 'http://127.0.0.1:9' } });
    await saveSandboxProfile(deps, sandbox, {
      profile: { site: 'https://acme.atlassian.invalid', endpoints: { auth: 'https://auth.atlassian.invalid', api: 'https://api.atlassian.invalid' } },
    });
    const before = await snapshot(deps);
    const error = await runTestConnection(options, deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(exitCodeOf(error)).toBe(1);
    const doc = JSON.parse(deps.stdout.text) as { checks: { id: string; detail: string; hint?: string }[] };
    const site = doc.checks.find((c) => c.id === 'site')!;
    expect(`${site.detail} ${site.hint}`).toMatch(/proxy/i);
    expect(await snapshot(deps)).toEqual(before);
  });

  it('rotate-token during an outage keeps the old token', async () => {
    sandbox.options.tokens!.push({ token: 'ATATT3x-new-during-outage', email: SANDBOX.email, scopes: [] });
    const deps = makeTestDeps({ env: { KENDIS_JIRA_API_TOKEN: 'ATATT3x-new-during-outage' }, http: { timeoutMs: 400 } });
    await saveSandboxProfile(deps, sandbox);
    const before = await snapshot(deps);
    sandbox.options.faults = { everythingStatus: 500 };
    const error = await runRotateToken(parseRotateOptions({}), deps).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(exitCodeOf(error)).toBe(1);
    expect(await snapshot(deps)).toEqual(before);
  });
});
