/** Every option default, declared once: the help text and the parsers read them from here. */
import { DEFAULT_REDIRECT_URI } from '../auth/redirect.js';

export const DEFAULTS = {
  redirectUri: DEFAULT_REDIRECT_URI,
  /** Seconds to wait for the browser to come back from Atlassian's consent page. */
  oauthTimeoutSeconds: 300,
  /** rotate-token --check: days before expiry that count as "due". */
  withinDays: 14,
} as const;
