/**
 * The contract of src/atlassian/domains.ts, as tables: which addresses are Atlassian's (and may be
 * sent the e-mail and token), which are this machine (a test server), and which are anything else —
 * a typo, a look-alike or someone else's server — with the sentence, the site probably meant, and
 * the warning printed when the endpoints are not Atlassian's.
 */
import { describe, expect, it } from 'vitest';
import { foreignHostsWarning, foreignSiteProblem, isAtlassianSite, isLoopbackUrl, mayReceiveCredentials, suggestedSite } from '../../src/atlassian/domains.js';

/** Sites in Atlassian's domains: commercial (*.atlassian.net, *.jira.com) and Government Cloud. */
const ATLASSIAN_SITES = [
  'https://acme.atlassian.net',
  'https://acme.atlassian.net/',
  'https://acme.atlassian.net/jira/software/projects',
  'https://ACME.Atlassian.NET',
  'https://acme-dev.atlassian.net',
  'https://a.atlassian.net',
  'https://acme.eu.atlassian.net',
  'https://acme.jira.com',
  'https://acme.atlassian-us-gov-mod.net',
];

/** This machine: a test server the user runs (the sandbox). */
const LOOPBACK = ['http://localhost:8080', 'http://LOCALHOST:1', 'http://127.0.0.1:39001', 'http://[::1]:3000', 'https://localhost'];

/** Everything else: typos, look-alikes, other servers, things that are no URL. */
const FOREIGN = [
  ['the bare domain, no site', 'https://atlassian.net'],
  ['an empty first label', 'https://.atlassian.net'],
  ['Atlassian’s domain as a prefix of another', 'https://acme.atlassian.net.evil.example'],
  ['*.jira.com as a prefix of another', 'https://acme.jira.com.evil.example'],
  ['a hyphen instead of the dot', 'https://acme-atlassian.net'],
  ['the domain glued to another name', 'https://evilatlassian.net'],
  ['the glued name with a subdomain', 'https://acme.evilatlassian.net'],
  ['another top-level domain', 'https://acme.atlassian.com'],
  ['a misspelling', 'https://acme.atlasian.net'],
  ['Government Cloud’s name in the commercial TLD', 'https://acme.atlassian-us-gov-mod.com'],
  ['a shortened Government Cloud domain', 'https://acme.atlassian-us-gov.net'],
  ['a fully qualified name with its final dot', 'https://acme.atlassian.net.'],
  ['a user name that looks like the site', 'https://acme.atlassian.net@evil.example'],
  ['the site in the path', 'https://evil.example/acme.atlassian.net'],
  ['the domain in the query', 'https://evil.example/?h=.atlassian.net'],
  ['a self-hosted Jira', 'https://jira.example.com'],
  ['a name that starts with localhost', 'https://localhost.evil.example'],
  ['a name that starts with 127.0.0.1', 'https://127.0.0.1.nip.io'],
  ['another private address', 'http://10.0.0.1:8080'],
  ['no scheme (not a URL)', 'acme.atlassian.net'],
  ['nothing', ''],
] as const;

describe('isAtlassianSite: a Jira Cloud site in Atlassian’s domains', () => {
  it.each(ATLASSIAN_SITES)('%s is Atlassian’s', (site) => {
    expect(isAtlassianSite(site)).toBe(true);
  });
  it.each(LOOPBACK)('%s (this machine) is not', (site) => {
    expect(isAtlassianSite(site)).toBe(false);
  });
  it.each(FOREIGN)('%s: %s is not', (_name, site) => {
    expect(isAtlassianSite(site)).toBe(false);
  });
});

describe('isLoopbackUrl: this machine', () => {
  it.each(LOOPBACK)('%s is this machine', (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });
  it.each([...ATLASSIAN_SITES.map((s) => ['an Atlassian site', s] as const), ...FOREIGN])('%s: %s is not', (_name, url) => {
    expect(isLoopbackUrl(url)).toBe(false);
  });
});

describe('mayReceiveCredentials: only Atlassian’s sites and this machine are sent the e-mail and token', () => {
  it.each([...ATLASSIAN_SITES, ...LOOPBACK])('%s may', (site) => {
    expect(mayReceiveCredentials(site)).toBe(true);
  });
  it.each(FOREIGN)('%s: %s may not', (_name, site) => {
    expect(mayReceiveCredentials(site)).toBe(false);
  });
  it.each(['http://acme.atlassian.net', 'HTTP://acme.atlassian.net', 'http://acme.jira.com'])('%s (plain http to a real host) may not', (site) => {
    expect(isAtlassianSite(site)).toBe(true);
    expect(mayReceiveCredentials(site)).toBe(false);
  });
  it('an https site in capitals may', () => expect(mayReceiveCredentials('HTTPS://ACME.atlassian.net')).toBe(true));
});

describe('suggestedSite: the site probably meant (up to three edits from one of Atlassian’s domains)', () => {
  it.each([
    ['a missing letter', 'https://acme.atlasian.net', 'https://acme.atlassian.net'],
    ['a missing dot', 'https://acme.atlassiannet', 'https://acme.atlassian.net'],
    ['.com for .net (three edits)', 'https://acme.atlassian.com', 'https://acme.atlassian.net'],
    ['three letters wrong', 'https://acme.atlassian.cox', 'https://acme.atlassian.net'],
    ['a letter too many', 'https://acme.atlasssian.net', 'https://acme.atlassian.net'],
    ['the final dot of a fully qualified name', 'https://acme.atlassian.net.', 'https://acme.atlassian.net'],
    ['in capitals', 'https://ACME.ATLASIAN.NET', 'https://acme.atlassian.net'],
    ['*.jira.com mistyped', 'https://acme.jira.co', 'https://acme.jira.com'],
    ['*.jira.com, letters swapped', 'https://acme.jria.com', 'https://acme.jira.com'],
    ['Government Cloud with .com', 'https://acme.atlassian-us-gov-mod.com', 'https://acme.atlassian-us-gov-mod.net'],
    ['a path is dropped', 'https://acme.atlasian.net/jira/boards', 'https://acme.atlassian.net'],
  ])('%s: %s → %s', (_name, site, meant) => {
    expect(suggestedSite(site)).toBe(meant);
  });

  it.each([
    ['already right', 'https://acme.atlassian.net'],
    ['already right (*.jira.com)', 'https://acme.jira.com'],
    ['already right (Government Cloud)', 'https://acme.atlassian-us-gov-mod.net'],
    ['four edits away', 'https://acme.atlassian.coxx'],
    ['a look-alike with Atlassian’s domain as a prefix', 'https://acme.atlassian.net.evil.example'],
    ['an unrelated site', 'https://jira.example.com'],
    ['a host name without a dot', 'https://atlassiannet'],
    ['a host name starting with a dot', 'https://.atlasian.net'],
    ['this machine', 'http://localhost:8080'],
    ['not a URL', 'acme.atlasian.net'],
  ])('%s: %s → none', (_name, site) => {
    expect(suggestedSite(site)).toBeUndefined();
  });
});

describe('foreignSiteProblem: the sentence for a site outside Atlassian’s domains', () => {
  const message = (site: string) =>
    `${site} is not in Atlassian's domains (*.atlassian.net, *.jira.com, *.atlassian-us-gov-mod.net): a mistyped or look-alike address would receive your e-mail and API token.`;

  it.each([...ATLASSIAN_SITES, ...LOOPBACK])('%s: none', (site) => {
    expect(foreignSiteProblem(site)).toBeUndefined();
  });

  it('a typo: says so and offers the site meant', () => {
    expect(foreignSiteProblem('https://acme.atlasian.net')).toEqual({
      message: message('https://acme.atlasian.net'),
      hint: 'Did you mean https://acme.atlassian.net? If https://acme.atlasian.net really is your Jira Cloud site, add --allow-non-atlassian-site.',
    });
  });

  it.each(['https://jira.example.com', 'https://acme.atlassian.net.evil.example', 'https://10.0.0.1'])('%s: says so, and how to go on anyway', (site) => {
    expect(foreignSiteProblem(site)).toEqual({
      message: message(site),
      hint: 'Check the address you open Jira with; if this really is your Jira Cloud site, add --allow-non-atlassian-site.',
    });
  });
});

describe('foreignHostsWarning: said on every run whose hosts are not Atlassian’s', () => {
  const tail =
    '. Your credentials go there (set by KENDIS_JIRA_AUTH_URL / KENDIS_JIRA_API_URL / --site, and saved in the profile); use this only for a test server you run.';
  const commercial = { auth: 'https://auth.atlassian.com', api: 'https://api.atlassian.com' };
  const government = { auth: 'https://auth.atlassian-us-gov-mod.com', api: 'https://api.atlassian-us-gov-mod.com' };

  it.each([
    ['commercial endpoints, no site', commercial, undefined],
    ['commercial endpoints and site', commercial, 'https://acme.atlassian.net'],
    ['commercial endpoints with a path', { auth: 'https://auth.atlassian.com/', api: 'https://api.atlassian.com/ex/jira' }, 'https://acme.jira.com'],
    ['Government Cloud endpoints and site', government, 'https://acme.atlassian-us-gov-mod.net'],
  ] as const)('none for %s', (_name, endpoints, site) => {
    expect(foreignHostsWarning(endpoints, site)).toBeUndefined();
  });

  it.each([
    ['a test server’s auth', { ...commercial, auth: 'http://127.0.0.1:9001/auth' }, undefined, 'auth http://127.0.0.1:9001/auth'],
    ['a test server’s API', { ...commercial, api: 'http://127.0.0.1:9001/api' }, 'https://acme.atlassian.net', 'API http://127.0.0.1:9001/api'],
    ['a look-alike API host', { ...commercial, api: 'https://api.atlassian.com.evil.example' }, undefined, 'API https://api.atlassian.com.evil.example'],
    [
      'a one-letter look-alike API host (auth on another Atlassian host is fine)',
      { auth: 'https://api.atlassian.com', api: 'https://apl.atlassian.com' },
      undefined,
      'API https://apl.atlassian.com',
    ],
    ['a site outside the domains', commercial, 'https://jira.example.com', 'site https://jira.example.com'],
    ['a sandbox site on this machine (also said)', commercial, 'http://127.0.0.1:9001', 'site http://127.0.0.1:9001'],
    [
      'all three, in this order',
      { auth: 'http://127.0.0.1:1/a', api: 'http://127.0.0.1:1/b' },
      'http://127.0.0.1:1',
      'auth http://127.0.0.1:1/a, API http://127.0.0.1:1/b, site http://127.0.0.1:1',
    ],
    ['an endpoint that is no URL', { ...commercial, auth: 'auth.atlassian.com' }, undefined, 'auth auth.atlassian.com'],
  ] as const)('%s', (_name, endpoints, site, hosts) => {
    expect(foreignHostsWarning(endpoints, site)).toBe(`Not Atlassian's hosts: ${hosts}${tail}`);
  });
});
