/**
 * Pure validators for everything the wizard asks. Each returns the normalised value or one
 * plain sentence saying what is wrong and what to type instead. Table-tested.
 */
import { isLoopbackHost } from '../atlassian/endpoints.js';

export type Checked<T = string> = { ok: true; value: T; notice?: string } | { ok: false; message: string };

const ok = <T>(value: T, notice?: string): Checked<T> => (notice ? { ok: true, value, notice } : { ok: true, value });
const bad = (message: string): Checked<never> => ({ ok: false, message });

const NON_ASCII = /[^\x00-\x7f]/;

export function checkSiteUrl(input: string): Checked {
  const raw = input.trim();
  if (!raw) return bad('Type your Jira site address, e.g. https://acme.atlassian.net.');
  if (/\s/.test(raw)) return bad('The site address contains a space: type it again, e.g. https://acme.atlassian.net.');
  if (NON_ASCII.test(raw))
    return bad('The site address contains non-ASCII characters (a look-alike letter?): type it by hand, e.g. https://acme.atlassian.net.');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return bad(`"${raw}" is not a web address: use e.g. https://acme.atlassian.net.`);
  }
  // A fully qualified name's final dot ("acme.atlassian.net.") names the same site: drop it.
  const dotted = url.hostname.endsWith('.') && url.hostname.length > 1;
  if (dotted) url.hostname = url.hostname.replace(/\.+$/, '');
  if (url.hostname.split('.').some((label) => label.startsWith('xn--'))) {
    return bad('The site address uses an internationalised (xn--) name, which Jira Cloud sites never do: type it by hand.');
  }
  if (url.username || url.password) return bad('The site address must not contain a user name or password.');
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'http:' && !loopback) return bad(`Jira Cloud sites use https: use https://${url.host}.`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return bad(`Use an https:// address, not ${url.protocol}.`);
  if (url.port && !loopback) return bad('Jira Cloud sites have no port number: use e.g. https://acme.atlassian.net.');
  if (!loopback && !url.hostname.includes('.')) return bad(`"${url.hostname}" is not a full host name: use e.g. https://acme.atlassian.net.`);
  const origin = url.origin;
  const notes: string[] = [];
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) notes.push('added https://');
  if (dotted) notes.push('removed the final "."');
  if ((url.pathname && url.pathname !== '/') || url.search || url.hash) notes.push('the part after the host name is not needed');
  return ok(origin, notes.length ? `Using ${origin} (${notes.join('; ')}).` : undefined);
}

export function checkEmail(input: string): Checked {
  const value = input.trim();
  if (!value) return bad('Type the e-mail of your Atlassian account (Kendis calls it "Jira Login ID").');
  if (/\s/.test(value)) return bad('The e-mail contains a space: type it again.');
  if (NON_ASCII.test(value.split('@')[1] ?? '')) return bad('The e-mail’s domain contains non-ASCII characters: type it by hand.');
  if (!/^[^@]+@[^@]+\.[^@.]+$/.test(value)) return bad(`"${value}" is not an e-mail address: use e.g. admin@acme.com.`);
  return ok(value);
}

export function checkCallbackUrl(input: string): Checked {
  const raw = input.trim();
  if (!raw) return bad('Paste the callback URL Kendis shows (ALM Account → Edit → Using Scope API).');
  if (/\s/.test(raw)) return bad('The callback URL contains a space or line break: copy it again from Kendis.');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return bad('That is not a complete URL: copy the whole callback URL from Kendis, starting with https://.');
  }
  if (url.protocol !== 'https:') return bad('Kendis’ callback URL starts with https:// — copy it again from Kendis.');
  if (url.username || url.password) return bad('The callback URL contains a user name or password (the part before "@"): copy it again from Kendis.');
  // new URL() drops a bare trailing "#": look at what was typed.
  if (url.hash || raw.includes('#')) return bad('The callback URL must not contain a # part: copy it again from Kendis.');
  if (isLoopbackHost(url.hostname)) return bad('That is a local address, not Kendis’ callback URL: copy the one Kendis shows.');
  if (NON_ASCII.test(raw) || url.hostname.includes('xn--')) return bad('The callback URL contains non-ASCII characters: copy it again from Kendis.');
  const notices: string[] = [];
  if (url.pathname.length > 1 && url.pathname.endsWith('/'))
    notices.push('it ends with "/": Atlassian compares callback URLs exactly, so make sure Kendis shows it that way');
  if (!/kendis/i.test(url.hostname)) notices.push(`the host ${url.hostname} does not look like Kendis’: check you copied Kendis’ callback URL`);
  return ok(raw, notices.length ? `Note: ${notices.join('; ')}.` : undefined);
}

export function checkClientId(input: string): Checked {
  const value = input.trim();
  if (!value) return bad("Paste the Client ID from the app's Settings tab.");
  if (/\s/.test(value)) return bad('The Client ID contains a space or line break: copy it again.');
  if (!/^[A-Za-z0-9_-]+$/.test(value)) return bad('The Client ID has characters a Client ID never has: copy it again from the Settings tab.');
  return ok(value, /^[A-Za-z0-9]{32}$/.test(value) ? undefined : 'Note: Client IDs are usually 32 letters and digits; check you copied the whole one.');
}

/** Secrets: one trailing newline (from pasting or `echo`) is forgiven; inner whitespace is not. */
export function checkSecretValue(input: string, what: 'Client Secret' | 'API token'): Checked {
  // Spaces or a line break around it (a paste, cmd.exe's `set X=value && …`) are not part of it.
  const value = input.trim();
  if (!value) return bad(`The ${what} is empty: paste it again.`);
  if (/\s/.test(value)) return bad(`The ${what} contains a space or line break: copy it again (use the Copy button).`);
  if (value.length < 8) return bad(`That ${what} is too short to be real: copy it again.`);
  if (value.length > 4096) return bad(`That ${what} is far too long: copy it again.`);
  return ok(value);
}
