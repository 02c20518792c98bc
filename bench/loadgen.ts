/**
 * A small keep-alive HTTP load generator: N connections, each sending POSTs back to back for a
 * fixed duration. Used by the benchmarks against the engine's listener and a bare baseline.
 */
import * as http from 'node:http';

export interface LoadOptions {
  url: string;
  body: string | (() => string);
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  /** Called with each request's round-trip time in ms. */
  onLatency?: (ms: number) => void;
}

export interface LoadResult {
  requests: number;
  errors: number;
  non200: number;
  seconds: number;
  perSecond: number;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const bodyOf = typeof opts.body === 'function' ? opts.body : () => opts.body as string;
  let requests = 0;
  let errors = 0;
  let non200 = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + opts.durationMs;

  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const body = bodyOf();
      const t0 = process.hrtime.bigint();
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...opts.headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            requests++;
            if (res.statusCode !== 200) non200++;
            opts.onLatency?.(Number(process.hrtime.bigint() - t0) / 1e6);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });

  const worker = async (): Promise<void> => {
    while (Date.now() < deadline) await one();
  };
  await Promise.all(Array.from({ length: opts.connections }, worker));
  agent.destroy();
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
