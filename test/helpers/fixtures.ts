import type { Profile } from '../../src/config/schema.js';

export function sampleProfile(overrides: Partial<Profile> = {}): Profile {
  return {
    site: 'https://acme.atlassian.net',
    cloudId: '11111111-2222-3333-4444-555555555555',
    email: 'admin@acme.example',
    endpoints: { auth: 'https://auth.atlassian.com', api: 'https://api.atlassian.com' },
    clientId: 'abcdefghijklmnopqrstuvwxyz012345',
    callbackUrl: 'https://app.kendis.io/jira/callback',
    redirectUri: 'http://localhost:8976/callback',
    token: { expiresOn: '2027-11-20' },
    storage: 'keychain',
    createdAt: '2026-11-29T00:00:00.000Z',
    updatedAt: '2026-11-29T00:00:00.000Z',
    ...overrides,
  };
}
