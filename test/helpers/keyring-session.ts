/**
 * Starts a private D-Bus session bus and an unlocked gnome-keyring (Secret Service) for the test
 * run, with a fresh XDG_DATA_HOME (an empty password would mean no keyring, a reused folder a
 * locked one). Used by the global setup; nothing here touches the developer's own keyring.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyringSession {
  env: Record<string, string>;
  stop(): void;
}

export function have(binary: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}

function waitForLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('dbus-daemon did not print its address')), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(buffer.slice(0, newline).trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}`)));
  });
}

export async function startKeyringSession(): Promise<KeyringSession> {
  const root = mkdtempSync(join(tmpdir(), 'kj-keyring-'));
  const runtime = join(root, 'run');
  const data = join(root, 'data');
  spawnSync('mkdir', ['-p', runtime, data]);
  chmodSync(runtime, 0o700);
  const baseEnv = { ...process.env, XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: data } as Record<string, string>;
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { env: baseEnv, stdio: ['ignore', 'pipe', 'ignore'] });
  let keyring: ChildProcess | undefined;
  // Whatever fails below, nothing is left running, and the failure is one line.
  const cleanUp = () => {
    keyring?.kill();
    bus.kill();
  };
  let env: Record<string, string>;
  let address: string;
  try {
    address = await waitForLine(bus, 10_000);
    env = { ...baseEnv, DBUS_SESSION_BUS_ADDRESS: address };
    keyring = spawn('gnome-keyring-daemon', ['--unlock', '--components=secrets'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    // A daemon that exits at once closes its stdin: that is reported below, not as an EPIPE stack.
    keyring.stdin?.on('error', () => undefined);
    keyring.stdin?.end('kendis-jira-test-password');
    // Without --foreground the command returns once the daemon owns the bus name. Probing earlier
    // would let D-Bus auto-start a second, password-less daemon that has no "login" collection.
    const started = keyring;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('gnome-keyring-daemon did not start within 15 s')), 15_000);
      started.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // Wait until the Secret Service answers on the bus.
    const since = Date.now();
    for (;;) {
      const probe = spawnSync('secret-tool', ['search', '--all', 'service', 'kendis-jira-probe'], { env, stdio: 'ignore', timeout: 5000 });
      if (probe.status === 0 || probe.status === 1) {
        const store = spawnSync('sh', ['-c', 'printf x | secret-tool store --label=probe service kendis-jira-probe account p'], {
          env,
          stdio: 'ignore',
          timeout: 5000,
        });
        if (store.status === 0) {
          spawnSync('secret-tool', ['clear', 'service', 'kendis-jira-probe', 'account', 'p'], { env, stdio: 'ignore', timeout: 5000 });
          break;
        }
      }
      if (Date.now() - since > 15_000) throw new Error('gnome-keyring did not start a Secret Service within 15 s');
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (error) {
    cleanUp();
    throw new Error(`The test keyring could not be started: ${(error as Error).message}.`);
  }
  return {
    env: { XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: data, DBUS_SESSION_BUS_ADDRESS: address },
    stop: cleanUp,
  };
}
