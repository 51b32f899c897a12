/**
 * Opening a page in the user's browser. The URL is always printed before this is called, so a
 * failure here is only a missed convenience. `open` honours BROWSER on Linux; it is loaded
 * lazily. No secret is ever part of a URL opened here.
 */
export interface BrowserOpener {
  /**
   * Resolves true when a browser was started, false when none could be, and "simulated" when
   * the sandbox stood in for one (it approved the consent page itself).
   */
  open(url: string): Promise<boolean | 'simulated'>;
}

export async function openBrowser(url: string, env: Record<string, string | undefined>, platform: NodeJS.Platform): Promise<boolean> {
  // Over SSH with no display there is nothing to open; don't let xdg-open print noise.
  if (platform === 'linux' && !env.BROWSER && !env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
  try {
    const { default: open } = await import('open');
    const browser = env.BROWSER;
    const child = browser
      ? await open(url, { app: { name: browser }, wait: false })
      : await open(url, { wait: false });
    return await new Promise<boolean>((resolve) => {
      let settled = false;
      const done = (ok: boolean) => {
        if (!settled) {
          settled = true;
          resolve(ok);
        }
      };
      child.once('error', () => done(false));
      // `open` may return after the child has already spawned: a pid means it did.
      if (child.pid !== undefined) done(true);
      else child.once('spawn', () => done(true));
      setTimeout(() => done(child.pid !== undefined), 1000);
      child.unref();
    });
  } catch {
    return false;
  }
}
