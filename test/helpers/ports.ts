import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (and, best effort, on ::1). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const v6free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT'));
      s.listen({ port, host: '::1', ipv6Only: true }, () => s.close(() => resolve(true)));
    });
    if (v6free) return port;
  }
}

export async function hasIpv6Loopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen({ port: 0, host: '::1' }, () => s.close(() => resolve(true)));
  });
}
