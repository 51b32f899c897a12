#!/usr/bin/env node
// Regenerates two tables from Atlassian's published Jira OpenAPI specs (never committed):
// - src/atlassian/openapi-scopes.json: operation → scope sets, for every operation (the probes, the
//   tests and the sandbox stand on it);
// - src/atlassian/openapi-responses.json: for the operations this CLI calls (RESPONSE_OPERATIONS),
//   each documented status with the shape of its body (top-level type and property types), from the
//   response schema or, where the spec has none (the Jira Software spec), from its example. A 2xx
//   proves something only in that shape (checks.md, "What counts as Jira's own answer").
//
//   npm run scopes:update -- [--date YYYY-MM] <spec file or URL> [[--date YYYY-MM] <spec file or URL>]
//
// Defaults: Atlassian's two published specs (platform and software). Each operation's scope sets
// come from `x-atlassian-oauth2-scopes` (platform) or `security[].OAuth2` (software): a token may
// call the operation when it holds every scope of at least one set. The date recorded for a spec is
// --date when given, else the HTTP Last-Modified of a URL or the modification date of a file.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DEFAULTS = [
  'https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json',
  'https://developer.atlassian.com/cloud/jira/software/swagger.v3.json',
];
const OUT = fileURLToPath(new URL('../src/atlassian/openapi-scopes.json', import.meta.url));
const RESPONSES_OUT = fileURLToPath(new URL('../src/atlassian/openapi-responses.json', import.meta.url));
/** The operations this CLI sends (src/atlassian/operations.ts; a test keeps the two lists equal). */
export const RESPONSE_OPERATIONS = [
  'DELETE /rest/agile/1.0/board/{boardId}/properties/{propertyKey}',
  'DELETE /rest/api/3/universal_avatar/type/{type}/owner/{owningObjectId}/avatar/{id}',
  'GET /rest/agile/1.0/board/{boardId}/version',
  'GET /rest/agile/1.0/epic/{epicIdOrKey}',
  'GET /rest/agile/1.0/sprint/{sprintId}',
  'GET /rest/api/3/field/{fieldId}/context/issuetypemapping',
  'GET /rest/api/3/issueLinkType',
  'GET /rest/api/3/issuesecurityschemes',
  'GET /rest/api/3/issuetype',
  'GET /rest/api/3/mypermissions',
  'GET /rest/api/3/myself',
  'GET /rest/api/3/project/search',
  'GET /rest/api/3/webhook',
  'POST /rest/agile/1.0/epic/{epicIdOrKey}',
  'POST /rest/agile/1.0/sprint/{sprintId}',
  'POST /rest/api/3/issue',
];
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function usage(message) {
  process.stderr.write(`${message}\nUsage: npm run scopes:update -- [--date YYYY-MM] <spec file or URL> …\n`);
  process.exit(2);
}

async function load(source) {
  if (/^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) usage(`${source} answered ${res.status}.`);
    const modified = res.headers.get('last-modified');
    return { text: await res.text(), date: modified ? new Date(modified).toISOString().slice(0, 10) : new Date().toISOString().slice(0, 10) };
  }
  try {
    return { text: readFileSync(source, 'utf8'), date: statSync(source).mtime.toISOString().slice(0, 10) };
  } catch (error) {
    return usage(`Cannot read ${source}: ${error.message}`);
  }
}

/** Agile paths come from the Jira Software spec, the rest from the platform spec. */
function specOfKey(key) {
  return key.split(' ')[1].startsWith('/rest/agile/') ? 'software' : 'platform';
}

/** Which of the two specs a document is: the Jira Software (agile) spec has /rest/agile/ paths. */
function kindOf(spec) {
  return Object.keys(spec.paths ?? {}).some((p) => p.startsWith('/rest/agile/')) ? 'software' : 'platform';
}

export function scopeSetsOf(op) {
  const sets = [];
  for (const x of op['x-atlassian-oauth2-scopes'] ?? []) if (Array.isArray(x.scopes) && x.scopes.length) sets.push(x.scopes);
  for (const x of op.security ?? []) if (Array.isArray(x.OAuth2) && x.OAuth2.length) sets.push(x.OAuth2);
  // Canonical: each set sorted, duplicates removed, sets sorted, so a regenerated table diffs cleanly.
  return [...new Set(sets.map((s) => [...new Set(s)].sort().join(' ')))].sort().map((s) => s.split(' '));
}

/** A JSON value's type as the shape table names it. */
function typeOfValue(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'bigint' ? 'number' : typeof value;
}

function resolve(spec, schema, depth = 0) {
  if (!schema || depth > 8) return schema ?? {};
  if (schema.$ref)
    return resolve(
      spec,
      schema.$ref
        .split('/')
        .slice(1)
        .reduce((node, key) => node?.[key], spec),
      depth + 1,
    );
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) return resolve(spec, schema.allOf[0], depth + 1);
  return schema;
}

/** A schema's JSON type: object, array, string, number, boolean, or any (the spec does not say). */
function typeOfSchema(spec, schema) {
  const s = resolve(spec, schema);
  if (s.type === 'integer' || s.type === 'number') return 'number';
  if (typeof s.type === 'string') return s.type;
  if (s.properties || s.additionalProperties) return 'object';
  if (s.items) return 'array';
  return 'any';
}

/** One documented answer: no body, or its type and (for objects) each property's type. */
export function shapeOf(spec, response) {
  const content = resolve(spec, response)?.content;
  const media = content?.['application/json'] ?? (content ? Object.values(content)[0] : undefined);
  if (!media) return { body: 'none' };
  if (media.schema) {
    const schema = resolve(spec, media.schema);
    const type = typeOfSchema(spec, schema);
    const shape = { from: 'schema', type };
    if (type === 'object' && schema.properties) {
      shape.properties = Object.fromEntries(
        Object.entries(schema.properties)
          .map(([k, v]) => [k, typeOfSchema(spec, v)])
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    if (Array.isArray(schema.required) && schema.required.length) shape.required = [...schema.required].sort();
    return shape;
  }
  if (typeof media.example === 'string') {
    let example;
    try {
      example = JSON.parse(media.example);
    } catch {
      return { from: 'example', type: 'any' };
    }
    const shape = { from: 'example', type: typeOfValue(example) };
    if (shape.type === 'object') {
      shape.properties = Object.fromEntries(
        Object.entries(example)
          .filter(([, v]) => v !== null)
          .map(([k, v]) => [k, typeOfValue(v)])
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    }
    return shape;
  }
  return { from: 'schema', type: 'any' };
}

/** Every documented status of one operation, with its shape. */
export function responsesOf(spec, op) {
  return Object.fromEntries(
    Object.entries(op.responses ?? {})
      .filter(([code]) => /^\d{3}$/.test(code))
      .map(([code, r]) => [code, shapeOf(spec, r)]),
  );
}

const args = process.argv.slice(2);
const sources = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--date') {
    const date = args[++i];
    if (!/^\d{4}-\d{2}(-\d{2})?$/.test(date ?? '')) usage('--date takes YYYY-MM or YYYY-MM-DD.');
    sources.push({ date, source: args[++i] ?? usage('--date must be followed by a spec.') });
  } else sources.push({ source: args[i] });
}
if (sources.length === 0) sources.push(...DEFAULTS.map((source) => ({ source })));

const table = { generatedBy: 'scripts/scopes-update.mjs', specs: {}, operations: {} };
const responses = { generatedBy: 'scripts/scopes-update.mjs', specs: {}, operations: {} };
let previous;
try {
  previous = JSON.parse(readFileSync(OUT, 'utf8'));
  // Keep the other spec's rows when only one spec is given.
  table.specs = previous.specs ?? {};
} catch {
  previous = undefined;
}
const fresh = new Set();
for (const { source, date } of sources) {
  const loaded = await load(source);
  let spec;
  try {
    spec = JSON.parse(loaded.text);
  } catch {
    usage(`${source} is not JSON.`);
  }
  const kind = kindOf(spec);
  fresh.add(kind);
  table.specs[kind] = {
    title: spec.info?.title ?? kind,
    version: spec.info?.version ?? '',
    date: date ?? loaded.date,
    source: /^https?:/.test(source) ? source : DEFAULTS[kind === 'platform' ? 0 : 1],
  };
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      if (!item[method]) continue;
      const sets = scopeSetsOf(item[method]);
      const key = `${method.toUpperCase()} ${path}`;
      if (sets.length) table.operations[key] = sets;
      if (RESPONSE_OPERATIONS.includes(key)) responses.operations[key] = responsesOf(spec, item[method]);
    }
  }
}
if (previous) {
  for (const [key, row] of Object.entries(previous.operations ?? {})) if (!fresh.has(specOfKey(key))) table.operations[key] ??= row;
}
table.operations = Object.fromEntries(Object.entries(table.operations).sort(([a], [b]) => a.localeCompare(b)));
let previousResponses;
try {
  previousResponses = JSON.parse(readFileSync(RESPONSES_OUT, 'utf8'));
} catch {
  previousResponses = undefined;
}
for (const [key, row] of Object.entries(previousResponses?.operations ?? {})) if (!fresh.has(specOfKey(key))) responses.operations[key] ??= row;
const missingResponses = RESPONSE_OPERATIONS.filter((k) => !responses.operations[k]);
if (missingResponses.length) usage(`These operations are not in the specs given: ${missingResponses.join(', ')}.`);
responses.specs = table.specs;
responses.operations = Object.fromEntries(RESPONSE_OPERATIONS.map((k) => [k, responses.operations[k]]));
const responseRows = Object.entries(responses.operations).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
writeFileSync(
  RESPONSES_OUT,
  `{\n "generatedBy": ${JSON.stringify(responses.generatedBy)},\n "specs": ${JSON.stringify(responses.specs)},\n "operations": {\n${responseRows.join(',\n')}\n }\n}\n`,
);
// One line per operation: small, and a change in Atlassian's rules is a one-line diff.
const rows = Object.entries(table.operations).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
writeFileSync(
  OUT,
  `{\n "generatedBy": ${JSON.stringify(table.generatedBy)},\n "specs": ${JSON.stringify(table.specs)},\n "operations": {\n${rows.join(',\n')}\n }\n}\n`,
);
const changed = previous ? Object.keys(table.operations).filter((k) => JSON.stringify(previous.operations?.[k]) !== JSON.stringify(table.operations[k])) : [];
process.stderr.write(
  `Wrote ${Object.keys(table.operations).length} operations to src/atlassian/openapi-scopes.json${previous ? ` (${changed.length} changed)` : ''} and the answers of ${RESPONSE_OPERATIONS.length} to src/atlassian/openapi-responses.json.\n`,
);
if (changed.length)
  process.stderr.write(
    `Changed: ${changed.slice(0, 20).join(', ')}${changed.length > 20 ? ', …' : ''}\nRun \`npm test\`: the probe tests show whether a probe's scope need moved.\n`,
  );
