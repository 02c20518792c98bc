/**
 * What the API gateway does before a route runs: record the call, fault injection, rate limits
 * (headers on every response), mutual TLS, client_id, and the flavour's authentication.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { TLSSocket } from 'node:tls';
import type { Clock } from './clock';
import { ApiError, errorBody, sendApiError } from './errors';
import type { Faults } from './faults';
import type { RateLimiter } from './rateLimit';
import type { TokenStore } from './tokens';
import type { RecordedCall, SimAccount } from './types';
import type { Flavour } from './remoteCheck';

export interface GatewayDeps {
  account: SimAccount;
  calls: RecordedCall[];
  faults: Faults;
  rateLimiter: RateLimiter;
  tokens: TokenStore;
  clock: Clock;
  requireClientCert: boolean;
  log: (line: string) => void;
}

function flatQuery(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.map(String).join(',');
  }
  return out;
}

function basic(req: Request): { user: string; pass: string } | undefined {
  const h = req.headers.authorization;
  if (!h || !/^basic /i.test(h)) return undefined;
  const decoded = Buffer.from(h.slice(6).trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? undefined : { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  return h && /^bearer /i.test(h) ? h.slice(7).trim() : undefined;
}

/** The gateway as a router; the flavour's routes are mounted on the returned router after it. */
export function gateway(flavour: Flavour, deps: GatewayDeps): Router {
  const r = express.Router();

  r.use((req: Request, res: Response, next: NextFunction) => {
    const realm = req.header('x-introspect-realm');
    const call: RecordedCall = {
      method: req.method,
      path: req.originalUrl.split('?')[0],
      query: flatQuery(req),
      body: undefined,
      status: 0,
      at: Date.now(),
      hasBearer: bearer(req) !== undefined,
      hasBasic: basic(req) !== undefined,
      ...(realm !== undefined ? { realm } : {}),
      ...(typeof req.query.client_id === 'string' ? { clientId: req.query.client_id } : {}),
    };
    deps.calls.push(call);
    res.locals.call = call;
    res.on('finish', () => {
      call.status = res.statusCode;
      deps.log(`${flavour.toUpperCase()} ${call.method} ${call.path} -> ${res.statusCode}`);
    });
    next();
  });

  r.use(express.json({ limit: '1mb', type: () => true }));
  r.use((req: Request, res: Response, next: NextFunction) => {
    (res.locals.call as RecordedCall).body = req.body;
    next();
  });

  r.use((_req: Request, res: Response, next: NextFunction) => {
    const fault = deps.faults.takeApiFault();
    if (!fault) return next();
    if (fault.hang) return; // never answered; the socket is destroyed by stop()
    const go = () => {
      if (fault.fail !== undefined) sendApiError(res, fault.fail, 'Service temporarily unavailable (injected fault)', 1);
      else next();
    };
    if (fault.delayMs !== undefined) deps.clock.afterReal(fault.delayMs, go);
    else go();
  });

  r.use((_req: Request, res: Response, next: NextFunction) => {
    const d = deps.rateLimiter.take();
    res.set(d.headers);
    if (d.allowed) return next();
    res.set('Retry-After', String(d.retryAfter));
    sendApiError(res, 429, `Rate limit exceeded (${d.window === 'day' ? 'per day' : 'per second'}); retry after ${d.retryAfter} s`, d.window === 'day' ? 2 : 1);
  });

  r.use((req: Request, res: Response, next: NextFunction) => {
    if (deps.requireClientCert) {
      const sock = req.socket as TLSSocket;
      if (!sock.authorized) {
        sendApiError(res, 403, 'A client certificate signed by the Stellantis CA is required (mutual TLS)', 3);
        return;
      }
    }
    const clientId = req.query.client_id;
    if (typeof clientId !== 'string' || clientId === '') {
      sendApiError(res, 401, 'The client_id query parameter is missing', 4);
      return;
    }
    if (clientId !== deps.account.clientId) {
      sendApiError(res, 401, 'Invalid client_id', 5);
      return;
    }
    if (flavour === 'b2b') {
      const creds = basic(req);
      if (!creds) {
        res.set('WWW-Authenticate', 'Basic realm="connectedcar"');
        sendApiError(res, 401, 'Basic authentication is required', 6);
        return;
      }
      if (creds.user !== deps.account.username || creds.pass !== deps.account.password) {
        res.set('WWW-Authenticate', 'Basic realm="connectedcar"');
        sendApiError(res, 401, 'Invalid username or password', 7);
        return;
      }
      return next();
    }
    const check = deps.tokens.checkAccess(bearer(req));
    if (check !== 'ok') {
      const msg = { missing: 'A bearer access token is required', unknown: 'Invalid access token', expired: 'The access token has expired' }[check];
      sendApiError(res, 401, msg, check === 'expired' ? 9 : 8);
      return;
    }
    const realm = req.header('x-introspect-realm');
    if (realm !== deps.account.realm) {
      sendApiError(res, 401, realm ? 'The x-introspect-realm header does not match the token' : 'The x-introspect-realm header is missing', 10);
      return;
    }
    next();
  });

  return r;
}

/** Last handlers of an API router: unknown path (404) and errors (ApiError, bad JSON, anything else). */
export function apiTail(r: Router): void {
  r.use((req: Request, res: Response) => {
    sendApiError(res, 404, `No resource at ${req.method} ${req.originalUrl.split('?')[0]}`, 0);
  });
  r.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    if (err instanceof ApiError) {
      res.status(err.status).json(errorBody(err.status, err.message, err.detail));
      return;
    }
    const e = err as { type?: string; status?: number; message?: string };
    if (e && e.type === 'entity.parse.failed') {
      res.status(400).json(errorBody(400, 'The body is not valid JSON', 15));
      return;
    }
    if (e && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json(errorBody(e.status, e.message ?? 'Bad request', 16));
      return;
    }
    res.status(500).json(errorBody(500, 'Internal error of the simulator', 0));
  });
}

/** Sends a HAL JSON answer. */
export function hal(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/hal+json').send(JSON.stringify(body));
}
