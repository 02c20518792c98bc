/**
 * A keep-alive HTTP/1.1 load generator on raw sockets: N connections, each sending the next
 * prebuilt POST as soon as the previous answer is complete, for a fixed duration. Raw sockets
 * rather than http.request: Node's HTTP client costs more per request than the servers under
 * test, and a load tool slower than the server would measure itself (every ratio near 1).
 */
import * as http from 'node:http';
import * as net from 'node:net';

export interface LoadOptions {
  url: string;
  /** Request bodies, sent in turn. */
  bodies: string[];
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  /** Answers within this first part of the run are not counted (connections opening, JIT). Default 0. */
  warmupMs?: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  non200: number;
  seconds: number;
  perSecond: number;
}

function prebuiltRequests(url: URL, bodies: string[], headers: Record<string, string>): Buffer[] {
  const extra = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  return bodies.map((body) =>
    Buffer.from(
      `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`,
    ),
  );
}

/** Length of the first complete response in `data` (Content-Length or chunked framing), or 0 when incomplete. */
function responseLength(data: string): number {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return 0;
  const head = data.slice(0, headEnd);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (length) {
    const total = headEnd + 4 + Number(length[1]);
    return data.length >= total ? total : 0;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const last = data.indexOf('\r\n0\r\n\r\n', headEnd + 2);
    return last < 0 ? 0 : last + 7;
  }
  return headEnd + 4;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(opts.url);
  const requestsToSend = prebuiltRequests(url, opts.bodies, opts.headers ?? {});
  let next = 0;
  let requests = 0;
  let errors = 0;
  let non200 = 0;
  const warmupMs = opts.warmupMs ?? 0;
  const deadline = Date.now() + warmupMs + opts.durationMs;
  let counting = warmupMs === 0;
  let start = process.hrtime.bigint();
  if (!counting) {
    setTimeout(() => {
      counting = true;
      start = process.hrtime.bigint();
    }, warmupMs);
  }

  const connection = (): Promise<void> =>
    new Promise((resolve) => {
      const socket = net.connect(Number(url.port), url.hostname);
      socket.setNoDelay(true);
      let received = '';
      const sendNext = (): void => {
        if (Date.now() >= deadline) {
          socket.end();
          return;
        }
        socket.write(requestsToSend[next++ % requestsToSend.length]);
      };
      socket.on('connect', sendNext);
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        for (let length = responseLength(received); length > 0; length = responseLength(received)) {
          if (counting) requests++;
          if (!received.startsWith('HTTP/1.1 200 ')) non200++;
          received = received.slice(length);
          sendNext();
        }
      });
      socket.on('error', () => errors++);
      socket.on('close', () => resolve());
    });

  await Promise.all(Array.from({ length: opts.connections }, connection));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { requests, errors, non200, seconds, perSecond: requests / seconds };
}

/** A bare node:http server that reads the body, parses the JSON and answers 200: the baseline. */
export function startBareServer(onParsed?: (body: unknown) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        onParsed?.(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      } catch {
        res.writeHead(400);
        res.end();
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${addr.port}/`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
