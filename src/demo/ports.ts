/** Checks, before anything starts, that every port the demo needs is free. */
import * as net from 'node:net';
import { PORT_OPTIONS, type DemoOptions } from './options';

/** Resolves with the error code when `port` cannot be listened on at `host`, else undefined. */
export function probePort(port: number, host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** An ephemeral port free right now on loopback (for listeners only the demo talks to). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One message per busy port, naming the option (and its environment variable) that changes it. */
export async function busyPorts(opts: DemoOptions, withSimulator: boolean): Promise<string[]> {
  const wanted = PORT_OPTIONS.filter((p) => withSimulator || (p.key !== 'simulatorPort' && p.key !== 'webhookPort'));
  const problems: string[] = [];
  for (const p of wanted) {
    const port = opts[p.key];
    // HomeKit listens on every interface; the others on loopback.
    const code = (await probePort(port, '127.0.0.1')) ?? (p.key === 'homekitPort' ? await probePort(port, '0.0.0.0') : undefined);
    if (code === 'EADDRINUSE') problems.push(`port ${port} is already in use: choose another with ${p.flag} N (or ${p.env}=N)`);
    else if (code) problems.push(`port ${port} cannot be used (${code}): choose another with ${p.flag} N (or ${p.env}=N)`);
  }
  return problems;
}
