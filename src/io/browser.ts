/**
 * Opening a page in the user's browser. The URL is always printed before this is called, so a
 * failure here is only a missed convenience. BROWSER is honoured (the first entry of a
 * ':'-separated list; "%s" stands for the URL, else the URL is the last argument); otherwise the
 * `open` package picks the platform's opener. It is loaded lazily. No secret is ever part of a
 * URL opened here, and the environment children inherit has no secrets (src/cli.ts).
 */
import { spawn } from 'node:child_process';

/**
 * What came of opening a page: a browser was started for a person to use ("opened"), none could
 * be ("unavailable"), or the opener went through the page itself, as an automated browser does, so
 * there is nothing for a person to look at or click ("handled").
 */
export type BrowserOutcome = 'opened' | 'unavailable' | 'handled';

export interface BrowserOpener {
  open(url: string): Promise<BrowserOutcome>;
  /** It approves the consent page by itself (the sandbox, unwatched): no address to show. */
  readonly handlesItself?: boolean;
}

/**
 * BROWSER → command and arguments for this URL (pure). A list is separated like PATH: `:` on
 * macOS and Linux, `;` on Windows (where `:` is part of `C:\…`); a word in double quotes may hold
 * spaces ("C:\Program Files\…\chrome.exe" %s).
 */
export function browserCommand(browserVar: string, url: string, platform: NodeJS.Platform = process.platform): { command: string; args: string[] } | undefined {
  const first = browserVar
    .split(platform === 'win32' ? ';' : ':')
    .map((s) => s.trim())
    .find(Boolean);
  if (!first) return undefined;
  const words = (first.match(/"[^"]*"|\S+/g) ?? []).map((w) => (w.length >= 2 && w.startsWith('"') && w.endsWith('"') ? w.slice(1, -1) : w));
  const hasPlaceholder = words.some((w) => w.includes('%s'));
  const args = words.slice(1).map((w) => w.replace(/%s/g, url));
  return { command: words[0]!, args: hasPlaceholder && !words[0]!.includes('%s') ? args : [...args, url] };
}

function started(child: ReturnType<typeof spawn>): Promise<boolean> {
  return new Promise((resolve) => {
    child.once('error', () => resolve(false));
    child.once('spawn', () => resolve(true));
  });
}

export async function openBrowser(url: string, env: Record<string, string | undefined>, platform: NodeJS.Platform): Promise<BrowserOutcome> {
  return (await startBrowser(url, env, platform)) ? 'opened' : 'unavailable';
}

async function startBrowser(url: string, env: Record<string, string | undefined>, platform: NodeJS.Platform): Promise<boolean> {
  const fromEnv = env.BROWSER ? browserCommand(env.BROWSER, url, platform) : undefined;
  if (fromEnv) {
    const child = spawn(fromEnv.command, fromEnv.args, { detached: true, stdio: 'ignore' });
    const ok = await started(child);
    child.unref();
    return ok;
  }
  // Over SSH with no display there is nothing to open; don't let xdg-open print noise.
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
  try {
    const { default: open } = await import('open');
    const child = await open(url, { wait: false });
    // `open` may return after the child has already spawned: a pid means it did.
    const ok = child.pid !== undefined ? true : await started(child);
    child.unref();
    return ok;
  } catch {
    return false;
  }
}
