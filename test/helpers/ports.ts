/** An ephemeral TCP port free right now on loopback: the demo's own helper, for the tests' listeners too. */
import * as net from 'node:net';

export { freePort } from '../../src/demo/ports';

/**
 * `n` distinct free loopback ports: each is held until all are chosen, so two calls in a row cannot
 * get the same just-released port (which `freePort()` twice can).
 */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}
