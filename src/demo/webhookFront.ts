/**
 * The demo's public HTTPS entry for notifications, standing where a real installation has its
 * reverse proxy or tunnel: it terminates TLS and forwards each POST, unchanged, to the local
 * listener of the face whose path it is (Homebridge's own listener, Node-RED's httpNode). It also
 * shows each message passing by, so the terminal tells the story of every remote action.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface FrontRoute {
  /** Path prefix, e.g. /stellantis/homebridge. */
  prefix: string;
  /** Who gets it, e.g. homebridge. */
  name: string;
  /** Local listener origin, e.g. http://127.0.0.1:40123. */
  target: string;
}

export interface RunningFront {
  url: string;
  close(): Promise<void>;
}

export interface FrontOptions {
  port: number;
  cert: string;
  key: string;
  routes: FrontRoute[];
  /** Every JSON body forwarded, with the route it went to and the listener's answer. */
  onMessage?: (route: FrontRoute, body: unknown, status: number) => void;
}

const MAX_BODY = 4 * 1024 * 1024;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'host']);

function routeFor(routes: readonly FrontRoute[], url: string): FrontRoute | undefined {
  const pathname = url.split('?')[0];
  return routes.find((r) => pathname === r.prefix || pathname.startsWith(`${r.prefix}/`));
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export async function startWebhookFront(opts: FrontOptions): Promise<RunningFront> {
  const agent = new http.Agent({ keepAlive: true });
  const server = https.createServer({ cert: opts.cert, key: opts.key }, (req, res) => {
    const route = routeFor(opts.routes, req.url ?? '/');
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('no webhook here\n');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
      headers['content-length'] = body.length;
      const target = new URL(req.url ?? '/', route.target);
      const upstream = http.request(target, { method: req.method, headers, agent, timeout: 15_000 }, (answer) => {
        const status = answer.statusCode ?? 502;
        opts.onMessage?.(route, parse(body), status);
        res.writeHead(status, answer.headers);
        answer.pipe(res);
      });
      upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
      upstream.on('error', (err) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`${route.name} is not answering (${err.message})\n`);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
