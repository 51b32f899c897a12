/**
 * The contracts themselves (src/atlassian/answers.ts): what each request documents, proven against
 * the table derived from Atlassian's OpenAPI specs (openapi-responses.json) and, when the specs are
 * beside the project (../shared/atlassian-openapi), against the specs themselves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ACCESSIBLE_RESOURCES,
  ME,
  REPORT_ACCOUNTS,
  TENANT_INFO,
  TOKEN_ENDPOINT,
  describeAnswer,
  jiraContract,
  jiraRefusalMessages,
  readAnswer,
  shapeMismatch,
  typeOf,
} from '../../src/atlassian/answers.js';
import { OPERATIONS, operationContract } from '../../src/atlassian/operations.js';
import RESPONSES from '../../src/atlassian/openapi-responses.json' with { type: 'json' };
import SCOPES from '../../src/atlassian/openapi-scopes.json' with { type: 'json' };

type Shape = { body: 'none' } | { from: string; type: string; properties?: Record<string, string> };
const documented = RESPONSES.operations as Record<string, Record<string, Shape>>;
const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers,
  text: typeof body === 'string' ? body : JSON.stringify(body),
  url: 'https://api.atlassian.com/ex/jira/c/rest/api/3/x',
});

describe('the committed response table', () => {
  it('covers exactly the operations this CLI sends, from the same spec versions as the scope table', () => {
    expect(Object.keys(documented).sort()).toEqual(OPERATIONS.map((op) => `${op.method} ${op.path}`).sort());
    expect(RESPONSES.specs).toEqual(SCOPES.specs);
  });

  it('every evidence field is documented for every 2xx of its operation, with the same type', () => {
    for (const op of OPERATIONS) {
      const rows = documented[`${op.method} ${op.path}`] ?? {};
      const successes = Object.entries(rows).filter(([code]) => code.startsWith('2'));
      expect(successes.length, op.id).toBeGreaterThan(0);
      for (const [code, shape] of successes) {
        if ('body' in shape) {
          expect(op.evidence, `${op.id} ${code} has no body`).toBeUndefined();
          continue;
        }
        if (op.evidence === 'array') {
          expect(shape.type, op.id).toBe('array');
          continue;
        }
        expect(shape.type, op.id).toBe('object');
        expect(Object.keys(op.evidence ?? {}).length, `${op.id} names its evidence`).toBeGreaterThan(0);
        for (const [field, type] of Object.entries(op.evidence ?? {})) expect(shape.properties?.[field], `${op.id}.${field}`).toBe(type);
      }
    }
  });

  it('a contract lists exactly the documented success statuses', () => {
    expect(Object.keys(operationContract('issue-create').success)).toEqual(['201']);
    expect(Object.keys(operationContract('avatar-delete').success)).toEqual(['204']);
    expect(operationContract('avatar-delete').success[204]).toEqual({ body: 'none' });
    expect(operationContract('issue-types').success[200]).toEqual({ type: 'array' });
    expect(operationContract('sprint-get').success[200]).toEqual({ type: 'object', fields: { id: 'number', state: 'string' } });
    expect(() => jiraContract('GET /nope', {})).toThrow(/scopes:update/);
  });

  const specs = { platform: '../shared/atlassian-openapi/jira-platform.v3.json', software: '../shared/atlassian-openapi/jira-software.v3.json' };
  const haveSpecs = Object.values(specs).every((p) => existsSync(p));
  // The specs are not committed: a clone without them beside it tests the committed table alone (above).
  it.skipIf(!haveSpecs)('matches Atlassian’s specs, when they are beside the project: every documented status, and the documented type of each success', () => {
    const platform = JSON.parse(readFileSync(specs.platform, 'utf8'));
    const software = JSON.parse(readFileSync(specs.software, 'utf8'));
    for (const [key, rows] of Object.entries(documented)) {
      const [method, path] = key.split(' ') as [string, string];
      const spec = path.startsWith('/rest/agile/') ? software : platform;
      const op = spec.paths[path][method.toLowerCase()];
      expect(Object.keys(rows).sort(), key).toEqual(
        Object.keys(op.responses)
          .filter((c) => /^\d{3}$/.test(c))
          .sort(),
      );
      for (const [code, shape] of Object.entries(rows)) {
        const content = op.responses[code].content;
        expect('body' in shape, `${key} ${code}`).toBe(content === undefined);
      }
    }
  });
});

describe('readAnswer: status × body → what it proves', () => {
  const sprint = operationContract('sprint-get');
  it.each([
    [200, { id: 1, state: 'active' }, 'success'],
    [200, { id: 1 }, 'unproven'],
    [201, { id: 1, state: 'active' }, 'unproven'],
    [404, { errorMessages: ['x'] }, 'refusal'],
    [404, { errorMessages: [] }, 'unproven'],
    [401, { message: 'Unauthorized; scope does not match' }, 'scope-missing'],
    [401, { message: 'Unauthorized' }, 'unauthorized'],
    [429, {}, 'rate-limited'],
    [503, {}, 'rate-limited'],
    [500, { errorMessages: ['x'] }, 'unproven'],
    [302, '', 'unproven'],
    [400, { error: 'invalid_request' }, 'unproven'],
  ] as const)('a Jira operation: %i %j ⇒ %s', (status, body, kind) => {
    expect(readAnswer(sprint, answer(status, body)).kind).toBe(kind);
  });

  it.each([
    [200, { access_token: 'a' }, 'success'],
    [200, { token: 'a' }, 'unproven'],
    [400, { error: 'invalid_request', error_description: 'authorization_code is invalid' }, 'oauth-error'],
    [401, { error: 'access_denied', error_description: 'Unauthorized' }, 'oauth-error'],
    [403, { error: 'invalid_grant' }, 'oauth-error'],
    [499, { error: 'x' }, 'oauth-error'],
    [401, { message: 'Unauthorized' }, 'unproven'],
    [400, { error: '' }, 'unproven'],
    [400, { error: 1 }, 'unproven'],
    [400, { error: 'x', error_description: 1 }, 'unproven'],
    [400, ['error'], 'unproven'],
    [400, '<html>error</html>', 'unproven'],
    [429, { error: 'invalid_grant' }, 'rate-limited'],
    [503, { error: 'invalid_grant' }, 'rate-limited'],
    [500, { error: 'invalid_grant' }, 'unproven'],
    [302, { error: 'invalid_grant' }, 'unproven'],
    [399, { error: 'invalid_grant' }, 'unproven'],
    [500, { error: 'invalid_grant' }, 'unproven'],
  ] as const)('the token endpoint: %i %j ⇒ %s', (status, body, kind) => {
    expect(readAnswer(TOKEN_ENDPOINT, answer(status, body)).kind).toBe(kind);
  });

  it('an OAuth error carries what Atlassian said', () => {
    expect(readAnswer(TOKEN_ENDPOINT, answer(400, { error: 'invalid_request', error_description: 'authorization_code is invalid' }))).toEqual({
      kind: 'oauth-error',
      status: 400,
      error: 'invalid_request',
      description: 'authorization_code is invalid',
    });
    expect(readAnswer(TOKEN_ENDPOINT, answer(400, { error: 'invalid_request' }))).toEqual({
      kind: 'oauth-error',
      status: 400,
      error: 'invalid_request',
      description: undefined,
    });
  });

  it('the documented answers of requests outside Jira’s specs', () => {
    expect(readAnswer(TENANT_INFO, answer(200, { cloudId: 'c' })).kind).toBe('success');
    expect(readAnswer(TENANT_INFO, answer(200, { id: 'c' })).kind).toBe('unproven');
    expect(readAnswer(TENANT_INFO, answer(404, { errorMessages: ['x'] })).kind).toBe('unproven');
    expect(readAnswer(ME, answer(200, { account_id: '1' })).kind).toBe('success');
    expect(readAnswer(ME, answer(200, { accountId: '1' })).kind).toBe('unproven');
    expect(readAnswer(REPORT_ACCOUNTS, answer(204, '')).kind).toBe('success');
    expect(readAnswer(REPORT_ACCOUNTS, answer(200, { accounts: [] })).kind).toBe('success');
    expect(readAnswer(REPORT_ACCOUNTS, answer(200, [])).kind).toBe('unproven');
    expect(readAnswer(ACCESSIBLE_RESOURCES, answer(200, [])).kind).toBe('success');
    expect(readAnswer(ACCESSIBLE_RESOURCES, answer(200, {})).kind).toBe('unproven');
  });

  it('a success carries the parsed body; a refusal Jira’s messages, field errors as "field: message"', () => {
    expect(readAnswer(sprint, answer(200, { id: 1, state: 'a' }))).toEqual({ kind: 'success', status: 200, body: { id: 1, state: 'a' } });
    expect(readAnswer(sprint, answer(400, { errorMessages: ['m'], errors: { f: 'e' } }))).toEqual({ kind: 'refusal', status: 400, messages: ['m', 'f: e'] });
  });
});

describe('the pieces', () => {
  it('jiraRefusalMessages keeps what Jira said, and only Jira’s shape', () => {
    expect(jiraRefusalMessages('{"errorMessages":["a",""],"errors":{"b":"c"}}')).toEqual(['a', 'b: c']);
    expect(jiraRefusalMessages('{"errorMessages":["a"]}')).toEqual(['a']);
    expect(jiraRefusalMessages('{"errors":{"b":"c"}}')).toEqual(['b: c']);
    expect(jiraRefusalMessages('{"errorMessages":[]}')).toBeUndefined();
    expect(jiraRefusalMessages('{"errors":{"b":""}}')).toBeUndefined();
    expect(jiraRefusalMessages('[]')).toBeUndefined();
    expect(jiraRefusalMessages('null')).toBeUndefined();
    expect(jiraRefusalMessages('x')).toBeUndefined();
  });
  it('shapeMismatch says what is missing', () => {
    expect(shapeMismatch({ body: 'none' }, '')).toBeUndefined();
    expect(shapeMismatch({ body: 'none' }, ' \n')).toBeUndefined();
    expect(shapeMismatch({ body: 'none' }, '{}')).toBe('a body where none is documented');
    expect(shapeMismatch({ type: 'array' }, '[]')).toBeUndefined();
    expect(shapeMismatch({ type: 'array' }, '{}')).toBe('not the documented list');
    expect(shapeMismatch({ type: 'object', fields: {} }, '[]')).toBe('not the documented object');
    expect(shapeMismatch({ type: 'object', fields: { values: 'array' } }, '{"values":{}}')).toBe('no "values" list');
    expect(shapeMismatch({ type: 'object', fields: { id: 'number' } }, '{"id":"1"}')).toBe('no "id" number');
  });
  it('typeOf names JSON types', () => {
    expect([null, [], {}, 'a', 1, true, undefined].map(typeOf)).toEqual(['null', 'array', 'object', 'string', 'number', 'boolean', 'undefined']);
  });
  it('describeAnswer: status, host, what kind of body, where a redirect goes, the request id', () => {
    expect(describeAnswer(answer(502, '<html></html>'))).toBe('502 from api.atlassian.com, an HTML page (a proxy, captive portal or outage page?)');
    expect(describeAnswer(answer(502, 'x', { 'content-type': 'text/html; charset=utf-8' }))).toContain('an HTML page');
    expect(describeAnswer(answer(404, ''))).toBe('404 from api.atlassian.com, empty');
    expect(describeAnswer(answer(404, 'nope'))).toBe('404 from api.atlassian.com, not JSON');
    expect(describeAnswer(answer(404, {}))).toBe('404 from api.atlassian.com');
    expect(describeAnswer(answer(302, '', { location: 'https://portal.example.com/login' }))).toBe(
      '302 from api.atlassian.com redirecting to portal.example.com, empty',
    );
    expect(describeAnswer(answer(500, {}, { 'atl-traceid': 'abc123' }))).toBe('500 from api.atlassian.com, request id abc123');
    expect(describeAnswer({ ...answer(500, {}), url: 'nope' })).toBe('500 from the server');
  });
});
