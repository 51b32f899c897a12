/**
 * Text that came from the network or a file never steers the terminal. A site could answer with
 * ESC]52 (write the clipboard), ESC[2J (clear the screen) or a line break followed by a fake "✔".
 *
 * - `singleLine`: for one value from outside (a cloud id, a display name, an error description):
 *   every control character, line breaks included, becomes a space.
 * - `safeForTerminal`: the last line of defence on every write: escape sequences other than this
 *   tool's own colours (SGR, `ESC[…m`), every other control character but \n and \t, and invisible
 *   or direction-changing characters (bidi overrides) are removed.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// Invisible and direction-changing characters: a site could reorder how the rest of a line reads.
const INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// OSC up to its terminator (or the end), CSI (this tool's own SGR colours included: safeForTerminal
// keeps those), two-byte ESC sequences, and the 8-bit CSI.
const ESCAPES = /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-Z\\-_]|\u009b[0-?]*[ -/]*[@-~]/g;
// Every other control character — and an ESC that does not start one of this tool's own colours.
const OTHER_CONTROLS = /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]|\u001b(?!\[[0-9;]*m)/g;

export function singleLine(text: string): string {
  return text.replace(CONTROL, ' ').replace(INVISIBLE, '');
}

export function safeForTerminal(text: string): string {
  return text
    .replace(ESCAPES, (sequence) => (/^\u001b\[[0-9;]*m$/.test(sequence) ? sequence : ''))
    .replace(OTHER_CONTROLS, '')
    .replace(INVISIBLE, '');
}

/**
 * Text that came from a server (an error description, a body) with this run's own secrets taken
 * out: a server echoing "client_secret <value> is malformed" must not put the value on screen.
 */
export function withoutSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= SHORTEST_SECRET) out = withoutSecret(out, secret);
  return out;
}

/** Shorter secrets are not looked for: they would garble ordinary words. */
const SHORTEST_SECRET = 6;
/** The fewest leading characters of a secret taken out on their own, when a quote was cut short. */
const SECRET_START = 12;

/**
 * Takes out the whole secret, and any start of it at least SECRET_START characters long: a quote
 * cut to 120 characters may end halfway through the secret, and that half is still the secret's.
 */
function withoutSecret(text: string, secret: string): string {
  const head = secret.slice(0, Math.min(SECRET_START, secret.length));
  let out = '';
  let from = 0;
  for (let at = text.indexOf(head); at !== -1; at = text.indexOf(head, from)) {
    // How much of the secret is here: its head, then as many of its following characters as match.
    let n = head.length;
    while (n < secret.length && text.startsWith(secret.slice(0, n + 1), at)) n += 1;
    out += `${text.slice(from, at)}[redacted]`;
    from = at + n;
  }
  // (A secret shorter than SECRET_START is its own head: only ever taken out whole.)
  return out + text.slice(from);
}
