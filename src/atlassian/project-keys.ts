/**
 * Jira project keys (the letters before an issue number: KEN in KEN-12), for checking the Jira
 * permissions in a Kendis board's projects exactly (atlassian.md, "mypermissions without a project").
 * Jira keys start with a letter and hold letters, digits and underscores; Jira shows them in capitals.
 */
export const MAX_PROJECTS = 10;

/** One key as typed → the key, in capitals; or undefined when it cannot be a Jira project key. */
export function normalizeProjectKey(raw: string): string | undefined {
  const key = raw.trim().toUpperCase();
  return /^[A-Z][A-Z0-9_]{0,254}$/.test(key) ? key : undefined;
}

/** A list typed at a prompt ("KEN, ABC" or "KEN ABC") → the keys, or the first one that is not a key. */
export function parseProjectKeys(raw: string): { keys: string[] } | { invalid: string } {
  const keys: string[] = [];
  for (const part of raw.split(/[\s,;]+/).filter(Boolean)) {
    const key = normalizeProjectKey(part);
    if (key === undefined) return { invalid: part };
    if (!keys.includes(key)) keys.push(key);
  }
  return { keys };
}
