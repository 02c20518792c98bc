/** The webhook on its own HTTP(S) server, for hosts that have none to mount the router on (Homebridge). */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { silentLogger } from '../util/logger';
import { compileTrust } from './clientAddress';
import { WebhookEndpoint } from './endpoint';
import { checkListenerOptions } from './listenerOptions';
import { webhookRouterOf } from './router';
import type { RunningWebhookServer, WebhookServerOptions } from './types';
import { errorText } from '../util/errorText';

/** How long close() lets requests in progress finish before cutting their connections. */
const CLOSE_GRACE_MS = 2_000;

function pem(value: string, what: 'cert' | 'key'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`webhook https.${what} is empty: give PEM text or the path of a PEM file`);
  }
  if (value.includes('-----BEGIN')) return value;
  try {
    return fs.readFileSync(value, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new Error(`webhook https.${what}: cannot read the file '${value}' (${code}); give PEM text or a readable PEM file path`, { cause: err });
  }
}

/** Plain HTTP carries the secret in clear: loopback only unless told otherwise. HTTPS may face the network. */
export function defaultListenHost(secure: boolean): string | undefined {
  return secure ? undefined : '127.0.0.1';
}

function urlHost(host: string | undefined): string {
  if (host === undefined || host === '' || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function listenError(err: NodeJS.ErrnoException, host: string | undefined, port: number): Error {
  const where = `${host ?? '*'}:${port}`;
  if (err.code === 'EADDRINUSE') return new Error(`webhook listener: ${where} is already in use; choose another webhook.port`);
  if (err.code === 'EACCES') return new Error(`webhook listener: no permission to listen on ${where}; use a port above 1023`);
  if (err.code === 'EADDRNOTAVAIL') return new Error(`webhook listener: ${host ?? ''} is not an address of this machine; fix webhook.host`);
  return new Error(`webhook listener: cannot listen on ${where}: ${err.message}`);
}

/** A POST to exactly the webhook path (with or without a trailing slash or a query). */
function notificationMatcher(path: string): (req: http.IncomingMessage) => boolean {
  const withSlash = `${path}/`;
  return (req) => {
    if (req.method !== 'POST' || req.url === undefined) return false;
    const query = req.url.indexOf('?');
    const urlPath = query < 0 ? req.url : req.url.slice(0, query);
    return urlPath === path || urlPath === withSlash;
  };
}

export async function startWebhookServer(opts: WebhookServerOptions): Promise<RunningWebhookServer> {
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new Error(`webhook port ${JSON.stringify(opts.port)} is not a port number (0-65535; 0 picks a free one)`);
  }
  const logger = opts.logger ?? silentLogger;
  const endpoint = new WebhookEndpoint(checkListenerOptions(opts));
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', compileTrust(opts.trustProxy));
  app.use(webhookRouterOf(endpoint));
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ error: 'not found' });
  });
  // Errors never reach Express's default handler, which would print a stack trace.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    logger.error(`webhook: unexpected failure: ${errorText(err)}`);
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });

  const tls = opts.https;
  const secure = tls !== undefined;
  const host = opts.host ?? defaultListenHost(secure);
  // Notifications go straight to the endpoint, the same one the app's router serves: Express's
  // per-request work (prototype swaps, route matching) would cost a third of the throughput
  // (bench/ingestion.ts). Everything else (health, 404, 405, odd spellings of the path) is Express's.
  const isNotification = notificationMatcher(endpoint.settings.path);
  const handle: http.RequestListener = (req, res) => {
    if (isNotification(req)) endpoint.post(req, res);
    else app(req, res);
  };
  const server = secure ? https.createServer({ cert: pem(tls.cert, 'cert'), key: pem(tls.key, 'key') }, handle) : http.createServer(handle);
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => reject(listenError(err, host, opts.port));
    server.once('error', onError);
    server.listen(opts.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => logger.error(`webhook listener: ${err.message}`));

  const port = (server.address() as AddressInfo).port;
  const url = `${secure ? 'https' : 'http'}://${urlHost(host)}:${port}${opts.path.trim().replace(/\/+$/, '')}`;
  logger.info(`webhook: listening on ${url}`);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
  return { url, port, close };
}
