/**
 * The transport under StellantisClient: one axios instance over a keep-alive (m)TLS agent, one
 * retry policy, rate-limit tracking and call counting. It knows nothing of the API's paths.
 *
 * Retry policy (at most one extra try for 401 and 429, a few for 5xx, none for a POST that may
 * have reached the server):
 * - 401 with a renewable credential: renew once, retry once (the request was not executed).
 * - 429: wait Retry-After once, when it is no longer than `maxRetryAfterMs`; any method (refused = not executed).
 * - 5xx / connection failures: idempotent requests only, `attempts` tries with exponential backoff and jitter.
 * - timeouts: never retried (the timeout is the caller's budget); a remote POST that timed out or
 *   lost its connection after sending throws RemoteOutcomeUnknownError.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import {
  NetworkError,
  RemoteOutcomeUnknownError,
  StellantisApiError,
  TimeoutError,
  scrubSecrets,
} from './errors';
import type { ClientTls } from './tls';
import type { Flavour } from './wire';
import type { Logger } from '../util/logger';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * - `idempotent`: GET/PUT/DELETE, retried after 5xx and connection failures.
 * - `create`: a POST that creates something; never retried after 5xx or connection failures.
 * - `remote`: a remote action POST; like `create`, and an unknown outcome is reported as such.
 */
export type RequestKind = 'idempotent' | 'create' | 'remote';

export interface ApiRequest {
  method: HttpMethod;
  /** Path under the base URL, e.g. `/user/vehicles`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  kind?: RequestKind;
  /** For RemoteOutcomeUnknownError. */
  remote?: { vehicleId: string; callbackId: string };
  /** Values this request carries that must stay out of messages (the webhook secret it registers). */
  secrets?: string[];
}

export interface ApiResponse {
  status: number;
  data: unknown;
}

/** What one attempt carries to prove who we are. */
export interface Credentials {
  headers: Record<string, string>;
  /** Values to keep out of messages (the token, the password). */
  secrets: string[];
  /** The bearer token sent, handed back to `renew` after a 401. */
  token?: string;
}

export interface AuthStrategy {
  current(): Promise<Credentials>;
  /** Called after a 401; when absent, a 401 is final. */
  renew?(rejected: Credentials): Promise<void>;
}

export interface RetryOptions {
  /** Tries for an idempotent request after 5xx / connection failures. Default 3. */
  attempts?: number;
  /** Backoff base. Default 250 ms (then 500, 1000...), plus up to the same again as jitter. */
  baseDelayMs?: number;
  /** Longest Retry-After we wait for before giving up on a 429. Default 60 000 ms. */
  maxRetryAfterMs?: number;
  /** Wait after a 429 without Retry-After. Default 1000 ms. */
  defaultRetryAfterMs?: number;
}

export interface CallInfo {
  method: string;
  path: string;
  /** 0 when no answer came (timeout, connection failure). */
  status: number;
}

export interface RateLimits {
  limit1?: number;
  remaining1?: number;
  limit2?: number;
  remaining2?: number;
  /** Epoch ms of the response they were read from. */
  seenAt?: number;
}

export interface TransportOptions {
  baseUrl: string;
  flavour: Flavour;
  timeoutMs: number;
  auth: AuthStrategy;
  tls?: ClientTls;
  /** Sent with every request (client_id). */
  defaultQuery?: Record<string, string>;
  /** Sent with every request (x-introspect-realm). */
  defaultHeaders?: Record<string, string>;
  retry?: RetryOptions;
  logger?: Logger;
  onCall?: (info: CallInfo) => void;
  /** Further values to keep out of messages (client secret...). */
  secrets?: string[];
}

type Attempt =
  | { type: 'response'; status: number; data: unknown; headers: Record<string, unknown> }
  | { type: 'timeout' }
  | { type: 'network'; code: string; mayHaveBeenSent: boolean };

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);
const SERVER_CERT_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function isCertificateFailure(code: string): boolean {
  return SERVER_CERT_CODES.has(code) || /ALERT|CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA/i.test(code);
}

function describeNetworkFailure(code: string, host: string): string {
  if (code === 'ECONNREFUSED') return `cannot connect to ${host} (connection refused): check baseUrl`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve ${host} (${code}): check baseUrl and the network`;
  if (SERVER_CERT_CODES.has(code)) return `the server certificate of ${host} is not trusted (${code}): check certificate.ca`;
  if (/ALERT|CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA/i.test(code)) {
    return `${host} refused our client certificate (${code}): check certificate.cert and certificate.key`;
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') return `the connection to ${host} was lost (${code})`;
  return `network error talking to ${host} (${code})`;
}

function headerNumber(headers: Record<string, unknown>, name: string): number | undefined {
  const raw = headers[name.toLowerCase()];
  const n = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Retry-After in ms: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function errorBody(data: unknown): { code?: string; uuid?: string; message?: string } {
  if (typeof data !== 'object' || data === null) return {};
  const o = data as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  return { code: str(o.code), uuid: str(o.uuid), message: str(o.message) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class HttpTransport {
  private readonly axios: AxiosInstance;
  private readonly agent: http.Agent;
  private readonly host: string;
  private readonly retry: Required<RetryOptions>;
  /** HTTP requests sent (every attempt counts). */
  callCount = 0;
  readonly rateLimits: RateLimits = {};

  constructor(private readonly options: TransportOptions) {
    const base = new URL(options.baseUrl);
    this.host = base.host;
    this.agent =
      base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, cert: options.tls?.cert, key: options.tls?.key, passphrase: options.tls?.passphrase, ca: options.tls?.ca })
        : new http.Agent({ keepAlive: true });
    this.axios = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      httpAgent: this.agent,
      httpsAgent: this.agent,
      proxy: false,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: (d: unknown) => d,
      validateStatus: () => true,
    });
    this.retry = {
      attempts: Math.max(1, options.retry?.attempts ?? 3),
      baseDelayMs: options.retry?.baseDelayMs ?? 250,
      maxRetryAfterMs: options.retry?.maxRetryAfterMs ?? 60_000,
      defaultRetryAfterMs: options.retry?.defaultRetryAfterMs ?? 1000,
    };
  }

  /** Closes the keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  async request(req: ApiRequest): Promise<ApiResponse> {
    const kind: RequestKind = req.kind ?? (req.method === 'POST' ? 'create' : 'idempotent');
    let renewed = false;
    let waitedForRateLimit = false;
    let failures = 0;
    for (;;) {
      const credentials = await this.options.auth.current();
      const secrets = [...credentials.secrets, ...(this.options.secrets ?? []), ...(req.secrets ?? [])];
      const attempt = await this.attempt(req, credentials);

      if (attempt.type === 'response') {
        const { status } = attempt;
        if (status >= 200 && status < 300) return { status, data: attempt.data };
        if (status === 401 && this.options.auth.renew && !renewed) {
          renewed = true;
          this.options.logger?.debug(`${req.method} ${req.path} -> 401, renewing the access token and retrying once`);
          await this.options.auth.renew(credentials);
          continue;
        }
        const retryAfterMs = status === 429 ? (parseRetryAfter(attempt.headers['retry-after']) ?? this.retry.defaultRetryAfterMs) : undefined;
        if (retryAfterMs !== undefined && !waitedForRateLimit && retryAfterMs <= this.retry.maxRetryAfterMs) {
          waitedForRateLimit = true;
          this.options.logger?.warn(`${req.method} ${req.path} -> 429 (rate limit), retrying once in ${Math.ceil(retryAfterMs / 1000)} s`);
          await sleep(retryAfterMs);
          continue;
        }
        if (status >= 500 && kind === 'idempotent' && ++failures < this.retry.attempts) {
          await this.backoff(req, String(status), failures);
          continue;
        }
        throw this.apiError(req, attempt, secrets, retryAfterMs);
      }

      if (attempt.type === 'timeout') {
        if (kind === 'remote' && req.remote) throw new RemoteOutcomeUnknownError(req.remote.vehicleId, req.remote.callbackId, 'timeout');
        throw new TimeoutError(req.method, req.path, this.options.timeoutMs);
      }

      // A certificate problem does not go away by retrying.
      if (kind === 'idempotent' && !isCertificateFailure(attempt.code) && ++failures < this.retry.attempts) {
        await this.backoff(req, attempt.code, failures);
        continue;
      }
      if (kind === 'remote' && req.remote && attempt.mayHaveBeenSent) {
        throw new RemoteOutcomeUnknownError(req.remote.vehicleId, req.remote.callbackId, 'connection-lost');
      }
      throw new NetworkError(req.method, req.path, attempt.code, describeNetworkFailure(attempt.code, this.host));
    }
  }

  private async backoff(req: ApiRequest, why: string, failures: number): Promise<void> {
    const base = this.retry.baseDelayMs * 2 ** (failures - 1);
    const delay = Math.round(base + Math.random() * base);
    this.options.logger?.warn(`${req.method} ${req.path} -> ${why}, retry ${failures}/${this.retry.attempts - 1} in ${delay} ms`);
    await sleep(delay);
  }

  private apiError(req: ApiRequest, attempt: Extract<Attempt, { type: 'response' }>, secrets: string[], retryAfterMs?: number): StellantisApiError {
    const body = errorBody(attempt.data);
    return new StellantisApiError({
      method: req.method,
      path: req.path,
      status: attempt.status,
      flavour: this.options.flavour,
      code: body.code !== undefined ? scrubSecrets(body.code, secrets).slice(0, 100) : undefined,
      uuid: body.uuid !== undefined ? scrubSecrets(body.uuid, secrets).slice(0, 100) : undefined,
      apiMessage: body.message !== undefined ? scrubSecrets(body.message, secrets).slice(0, 300) : undefined,
      retryAfterSeconds: retryAfterMs !== undefined ? Math.ceil(retryAfterMs / 1000) : undefined,
    });
  }

  private trackRateLimits(headers: Record<string, unknown>): void {
    const read = (n: string): number | undefined => headerNumber(headers, n);
    const fields: Array<[keyof RateLimits, string]> = [
      ['limit1', 'x-ratelimit-limit-1'],
      ['remaining1', 'x-ratelimit-remaining-1'],
      ['limit2', 'x-ratelimit-limit-2'],
      ['remaining2', 'x-ratelimit-remaining-2'],
    ];
    let seen = false;
    for (const [key, header] of fields) {
      const value = read(header);
      if (value !== undefined) {
        this.rateLimits[key] = value;
        seen = true;
      }
    }
    if (seen) this.rateLimits.seenAt = Date.now();
  }

  private async attempt(req: ApiRequest, credentials: Credentials): Promise<Attempt> {
    const params: Record<string, string> = { ...this.options.defaultQuery };
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params[k] = String(v);
    const headers: Record<string, string> = {
      Accept: 'application/hal+json, application/json',
      ...this.options.defaultHeaders,
      ...credentials.headers,
    };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    const started = Date.now();
    this.callCount++;
    let result: Attempt;
    try {
      const res = await this.axios.request<string>({
        method: req.method,
        url: req.path,
        params,
        headers,
        data: req.body !== undefined ? JSON.stringify(req.body) : undefined,
        signal: controller.signal,
      });
      const responseHeaders = { ...res.headers } as Record<string, unknown>;
      let data: unknown = undefined;
      if (typeof res.data === 'string' && res.data !== '') {
        try {
          data = JSON.parse(res.data) as unknown;
        } catch {
          data = res.data;
        }
      }
      result = { type: 'response', status: res.status, data, headers: responseHeaders };
      this.trackRateLimits(responseHeaders);
    } catch (err) {
      // Never keep axios' error: its config holds the credentials.
      if (timedOut) {
        result = { type: 'timeout' };
      } else {
        const code = String((err as { code?: unknown }).code ?? 'ERR_NETWORK');
        result = { type: 'network', code, mayHaveBeenSent: !NOT_SENT_CODES.has(code) && !SERVER_CERT_CODES.has(code) };
      }
    } finally {
      clearTimeout(timer);
    }
    const status = result.type === 'response' ? result.status : 0;
    const outcome = result.type === 'response' ? String(status) : result.type === 'timeout' ? 'timeout' : result.code;
    this.options.logger?.debug(`${req.method} ${req.path} -> ${outcome} in ${Date.now() - started} ms`);
    this.options.onCall?.({ method: req.method, path: req.path, status });
    return result;
  }
}
