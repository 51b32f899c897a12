/**
 * What to do when the OS keychain cannot be used, per platform and per what went wrong: commands
 * that work as typed, in the session the user is in (a desktop, SSH, a container).
 */
/** Why the keychain cannot be used: none reachable, present but locked, no credentials for this logon (Windows), or something else. */
export type KeychainState = 'absent' | 'locked' | 'no-session' | 'other';

export interface KeychainSituation {
  platform: NodeJS.Platform;
  state?: KeychainState;
  /** setup may offer --insecure-storage; no other command has it. */
  offerFile?: boolean;
  /** Over SSH (SSH_CONNECTION / SSH_TTY): no desktop to click in. */
  remote?: boolean;
}

export function keychainFix(s: KeychainSituation): string {
  const state = s.state ?? 'other';
  const fallback = s.offerFile ? 'or rerun with --insecure-storage to keep secrets in a private, unencrypted file' : 'then run the command again';
  switch (s.platform) {
    case 'darwin':
      if (s.remote)
        return `Over SSH the login keychain stays locked: run \`security unlock-keychain ~/Library/Keychains/login.keychain-db\` (it asks for your Mac password), ${fallback}.`;
      return `Unlock the login keychain (Keychain Access → File → Unlock), and if macOS asks whether node may use a kendis-jira item, click Always Allow; ${fallback}.`;
    case 'win32':
      if (state === 'no-session') {
        return `Windows keeps no credentials for this kind of sign-in (an SSH session with a key, runas /netonly): run it in your desktop session, or sign in over SSH with your password; ${fallback}.`;
      }
      return `Make sure Windows Credential Manager is available to this user (Control Panel → Credential Manager), ${fallback}.`;
    default:
      if (state === 'locked') {
        return `Unlock it: log in to the desktop session, or run \`printf %s 'your keyring password' | gnome-keyring-daemon --replace --unlock --components=secrets\`; ${fallback}.`;
      }
      return `Start one in this terminal: \`dbus-run-session -- bash\`, then \`printf %s 'choose-a-password' | gnome-keyring-daemon --unlock --components=secrets\` (package gnome-keyring), and run the command again in that shell${s.offerFile ? `; ${fallback}` : ''}.`;
  }
}

/** The keychain library's error text → what it means, in words, and the state (its raw text stays in the cause, for --debug). */
export function describeKeychainError(text: string): { reason: string; state: KeychainState } {
  const t = text.replace(/\s+/g, ' ').trim();
  if (/DBUS_SESSION_BUS_ADDRESS|autolaunch|Failed to connect to socket|dbus/i.test(t) && !/secrets|ServiceUnknown/i.test(t)) {
    return { reason: 'no D-Bus session is reachable, so there is no Secret Service (common over SSH and in containers)', state: 'absent' };
  }
  if (/ServiceUnknown|org\.freedesktop\.secrets|not provided by any \.service/i.test(t))
    return { reason: 'no Secret Service is running in this session', state: 'absent' };
  // Windows: ERROR_NO_SUCH_LOGON_SESSION (1312), e.g. over SSH with a key or under runas /netonly.
  if (/logon session does not exist|\b1312\b/i.test(t)) return { reason: 'Windows has no credential store for this logon session', state: 'no-session' };
  // macOS: errSecInteractionNotAllowed (-25308), the keychain is locked and nobody can be asked (SSH).
  if (/User interaction is not allowed|-25308/i.test(t))
    return { reason: 'the login keychain is locked and cannot ask for your password here', state: 'locked' };
  // A running keyring that is locked answers "no result found" to a write (it cannot open a collection).
  if (/locked|prompt|dismissed|no result found/i.test(t)) return { reason: 'the Secret Service is running but its keyring is locked', state: 'locked' };
  return { reason: t.replace(/\.$/, ''), state: 'other' };
}

/** A session over SSH: nobody can click in a desktop dialog. */
export function isRemoteSession(env: Record<string, string | undefined>): boolean {
  return Boolean(env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT);
}
