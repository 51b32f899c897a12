/**
 * Running a command against the built-in sandbox: start the emulator in this process, point the
 * endpoints and site at it, and stand in for the browser when none can be opened (the sandbox
 * approves the consent page on the user's behalf, then the real redirect reaches the listener).
 */
import type { Endpoints } from '../config/schema.js';
import type { BrowserOpener } from '../io/browser.js';
import type { Terminal } from '../io/terminal.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from './server.js';

export interface SandboxSession {
  sandbox: RunningSandbox;
  endpoints: Endpoints;
  site: string;
  browser: BrowserOpener;
  close(): Promise<void>;
}

export async function startSandboxSession(
  realBrowser: BrowserOpener,
  io: Terminal,
  options: SandboxOptions = {},
  useRealBrowser = true,
): Promise<SandboxSession> {
  const sandbox = await startSandbox(options);
  const browser: BrowserOpener = {
    handlesItself: !useRealBrowser,
    async open(url) {
      // Only the sandbox's own pages: Atlassian's real console pages are useless without an account.
      if (!url.startsWith(`${sandbox.authUrl}/`) && !url.startsWith(`${sandbox.url}/`)) return 'unavailable';
      if (useRealBrowser && (await realBrowser.open(url)) === 'opened') return 'opened';
      if (!url.startsWith(`${sandbox.authUrl}/authorize`)) return 'unavailable';
      // Said once, by the caller, when it handles itself; otherwise (no browser could be opened) here.
      if (useRealBrowser) io.hint('No browser here: the sandbox clicks Accept for you.');
      const approve = new URL(url);
      approve.searchParams.set('kj_sandbox_approve', '1');
      const answer = await fetch(approve, { redirect: 'manual' });
      const location = answer.headers.get('location');
      if (location)
        await fetch(location)
          .then((r) => r.arrayBuffer())
          .catch(() => undefined);
      return 'handled';
    },
  };
  return {
    sandbox,
    endpoints: { auth: sandbox.authUrl, api: sandbox.apiUrl },
    site: sandbox.url,
    browser,
    close: () => sandbox.close(),
  };
}
