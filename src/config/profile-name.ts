export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The `--profile` words to add to a suggested command ("" for the default profile). */
export function profileFlagFor(profile: string): string {
  return profile === 'default' ? '' : ` --profile ${profile}`;
}
