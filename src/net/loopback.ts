/**
 * This machine's own names, in one place: the loopback site and endpoint exception, NO_PROXY,
 * the OAuth listener's bind addresses and the Host values it accepts.
 */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]', '::1'];

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.includes(hostname.toLowerCase());
}

/** The addresses to bind for a loopback host name: both families for "localhost". */
export function bindAddresses(hostname: string): string[] | undefined {
  switch (hostname.toLowerCase()) {
    case 'localhost':
      return ['127.0.0.1', '::1'];
    case '127.0.0.1':
      return ['127.0.0.1'];
    case '[::1]':
    case '::1':
      return ['::1'];
    default:
      return undefined;
  }
}

/** The Host header values a browser on this machine sends for `port` (without the port when it is http's default, 80). */
export function loopbackHostHeaders(port: number): Set<string> {
  const hosts = LOOPBACK_HOSTS.filter((h) => h !== '::1');
  return new Set([...hosts.map((h) => `${h}:${port}`), ...(port === 80 ? hosts : [])]);
}

/**
 * A port free on this machine's loopback addresses (both families, as "localhost" binds both):
 * the sandbox accepts any callback port, so it never needs 8976 to be free.
 */
export async function freeLoopbackPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const tryPort = (port: number, host: string) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once('error', (error: NodeJS.ErrnoException) =>
        resolve(host === '::1' && (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT') ? port : undefined),
      );
      server.listen({ port, host, ipv6Only: host === '::1' }, () => {
        const chosen = (server.address() as { port: number }).port;
        server.close(() => resolve(chosen));
      });
    });
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await tryPort(0, '127.0.0.1');
    if (port !== undefined && (await tryPort(port, '::1')) !== undefined) return port;
  }
  throw new Error('no free loopback port');
}
