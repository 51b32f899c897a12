#!/usr/bin/env node
// Regenerates src/atlassian/openapi-scopes.json — the operation → scope-sets table the probes, the
// tests and the sandbox stand on — from Atlassian's published Jira OpenAPI specs (never committed).
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
  table.specs[kind] = { title: spec.info?.title ?? kind, version: spec.info?.version ?? '', date: date ?? loaded.date, source: /^https?:/.test(source) ? source : DEFAULTS[kind === 'platform' ? 0 : 1] };
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      if (!item[method]) continue;
      const sets = scopeSetsOf(item[method]);
      if (sets.length) table.operations[`${method.toUpperCase()} ${path}`] = sets;
    }
  }
}
if (previous) {
  for (const [key, row] of Object.entries(previous.operations ?? {})) if (!fresh.has(specOfKey(key))) table.operations[key] ??= row;
}
table.operations = Object.fromEntries(Object.entries(table.operations).sort(([a], [b]) => a.localeCompare(b)));
// One line per operation: small, and a change in Atlassian's rules is a one-line diff.
const rows = Object.entries(table.operations).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
writeFileSync(OUT, `{\n "generatedBy": ${JSON.stringify(table.generatedBy)},\n "specs": ${JSON.stringify(table.specs)},\n "operations": {\n${rows.join(',\n')}\n }\n}\n`);
const changed = previous ? Object.keys(table.operations).filter((k) => JSON.stringify(previous.operations?.[k]) !== JSON.stringify(table.operations[k])) : [];
process.stderr.write(`Wrote ${Object.keys(table.operations).length} operations to src/atlassian/openapi-scopes.json${previous ? ` (${changed.length} changed)` : ''}.\n`);
if (changed.length) process.stderr.write(`Changed: ${changed.slice(0, 20).join(', ')}${changed.length > 20 ? ', …' : ''}\nRun \`npm test\`: the probe tests show whether a probe's scope need moved.\n`);
