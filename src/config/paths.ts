import { homedir } from 'node:os';
import { join } from 'node:path';

/** The config directory: KENDIS_JIRA_CONFIG_DIR, else the platform's usual place. */
export function configDir(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.KENDIS_JIRA_CONFIG_DIR) return env.KENDIS_JIRA_CONFIG_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'kendis-jira');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'kendis-jira');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'kendis-jira');
}
