export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The `--profile` words to add to a suggested command ("" for the default profile). */
export function profileFlagFor(profile: string): string {
  return profile === 'default' ? '' : ` --profile ${profile}`;
}

/**
 * Another profile whose name differs from `name` only in case. Windows Credential Manager ignores
 * case in its target names, so "ACME" and "acme" would share secrets there (logout of one deleted
 * the other's): profile names are unique regardless of case, on every OS.
 */
export function caseTwin(name: string, existing: Iterable<string>): string | undefined {
  for (const other of existing) if (other !== name && other.toLowerCase() === name.toLowerCase()) return other;
  return undefined;
}
