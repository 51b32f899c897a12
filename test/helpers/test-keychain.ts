/**
 * The tests' own keychain service. Every CLI the tests start uses it (KENDIS_JIRA_KEYCHAIN_SERVICE),
 * so on a Mac or a Windows machine `npm test` never reads, changes or deletes a contributor's real
 * `kendis-jira` items; on Linux the tests also run in a private keyring of their own.
 */
export const TEST_KEYCHAIN_SERVICE = 'kendis-jira-test';
export const TEST_KEYCHAIN_ENV = { KENDIS_JIRA_KEYCHAIN_SERVICE: TEST_KEYCHAIN_SERVICE } as const;
