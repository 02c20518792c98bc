/**
 * A loopback proxy in front of the simulator for the two transport cases its knobs cannot make:
 * the POST of a remote is executed but its answer comes late (notifications overtake it), or is
 * lost (the connection is cut after the simulator executed it). Every other request passes as is.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type AnswerFault = { kind: 'delay'; ms: number } | { kind: 'cut' };

export interface AnswerProxy {
  /** Base URL to use instead of the simulator's (same path). */
  url: string;
  /** The next `count` remote POSTs get `fault`. */
  next(count: number, fault: AnswerFault): void;
  close(): Promise<void>;
}

export async function startAnswerProxy(target: string): Promise<AnswerProxy> {
  const upstream = new URL(target);
  let pending = 0;
  let fault: AnswerFault | undefined;
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const isRemotePost = req.method === 'POST' && /\/remotes(\?|$)/.test(req.url ?? '');
    const applied = isRemotePost && pending > 0 ? fault : undefined;
    if (applied) pending--;
    const out = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const reply = (): void => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(Buffer.concat(chunks));
          };
          if (applied?.kind === 'cut') {
            req.socket.destroy();
          } else if (applied?.kind === 'delay') {
            const t = setTimeout(() => {
              timers.delete(t);
              reply();
            }, applied.ms);
            timers.add(t);
          } else {
            reply();
          }
        });
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    next(count, f) {
      pending = count;
      fault = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
