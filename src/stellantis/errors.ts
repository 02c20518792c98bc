/**
 * Typed errors of the Stellantis client. None of them wraps an axios error (whose config holds
 * the Authorization header), and every message goes through `scrubSecrets` where it quotes text
 * that came from outside.
 */
import type { Flavour } from './wire';

export class StellantisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Replaces every known secret, and anything that looks like an Authorization value, with `***`. */
export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
  let out = text.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***');
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}

export interface ApiErrorDetails {
  method: string;
  path: string;
  status: number;
  flavour: Flavour;
  code?: string;
  uuid?: string;
  apiMessage?: string;
  /** Seconds, from the Retry-After header of a 429. */
  retryAfterSeconds?: number;
}

/** The API answered with an error status. */
export class StellantisApiError extends StellantisError {
  readonly status: number;
  readonly code?: string;
  readonly uuid?: string;
  readonly apiMessage?: string;
  readonly method: string;
  readonly path: string;
  readonly retryAfterSeconds?: number;
  /** One plain-words sentence saying what the status means here and what to do. */
  readonly explanation: string;

  constructor(details: ApiErrorDetails) {
    const explanation = explainStatus(details);
    const parts = [`${details.method} ${details.path}: HTTP ${details.status}`];
    if (details.code) parts[0] += ` (code ${details.code})`;
    parts.push(explanation);
    if (details.apiMessage) parts.push(`API says: "${details.apiMessage}"`);
    if (details.uuid) parts.push(`uuid ${details.uuid}`);
    super(parts.join(' — '));
    this.status = details.status;
    this.code = details.code;
    this.uuid = details.uuid;
    this.apiMessage = details.apiMessage;
    this.method = details.method;
    this.path = details.path;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.explanation = explanation;
  }
}

function subjectOf(path: string): 'remote' | 'monitor' | 'callback' | 'vehicle' | 'other' {
  if (/\/remotes(\/|$)/.test(path)) return 'remote';
  if (/\/monitors(\/|$)/.test(path)) return 'monitor';
  if (/\/callbacks(\/|$)/.test(path)) return 'callback';
  if (/\/vehicles\/[^/]+/.test(path)) return 'vehicle';
  return 'other';
}

export function explainStatus(d: Pick<ApiErrorDetails, 'status' | 'path' | 'flavour' | 'retryAfterSeconds' | 'apiMessage'>): string {
  const subject = subjectOf(d.path);
  const onVehicle = /\/vehicles\/[^/]+/.test(d.path);
  switch (d.status) {
    case 400:
      return subject === 'remote'
        ? 'the API refused this remote action as invalid (an option this vehicle or account does not support?)'
        : 'the API refused the request as invalid (please report it with the uuid)';
    case 401:
      return d.flavour === 'b2b'
        ? 'the fleet credentials were refused (check username, password and clientId)'
        : 'the access token was refused even after a refresh (log in again with `stellantis login`)';
    case 403:
      if (/certificate|tls/i.test(d.apiMessage ?? '')) {
        return 'the client certificate was refused (check certificate.cert, certificate.key and certificate.ca)';
      }
      if (onVehicle) return 'this vehicle is not in this account (check vehicles[].id with `stellantis vehicles`)';
      if (d.flavour === 'b2b') return 'this fleet is not accessible with these credentials (check fleetId and the client certificate)';
      return 'access denied (check the client certificate in certificate.cert/key, the realm and the granted scopes)';
    case 404:
      if (subject === 'callback') return 'this callback does not exist (deleted elsewhere? it will be registered again)';
      if (subject === 'remote') return 'this remote action is unknown (too old, or sent with another callback)';
      if (subject === 'monitor') return 'this monitor does not exist (deleted elsewhere?)';
      if (onVehicle) return 'this vehicle is not known to the API (check vehicles[].id with `stellantis vehicles`)';
      return 'not found (check baseUrl and, for a fleet, fleetId)';
    case 409:
      return subject === 'remote'
        ? 'another remote action is still running on this vehicle (one at a time): wait for it to finish'
        : 'conflict with the current state (the same thing was already done or is in progress)';
    case 429: {
      const wait = d.retryAfterSeconds !== undefined ? `; retry after ${d.retryAfterSeconds} s` : '';
      return `rate limit reached (too many calls per second or per day for this account)${wait}`;
    }
    default:
      if (d.status >= 500) return 'Stellantis server error (usually temporary): try again in a few minutes';
      return 'unexpected answer from the API';
  }
}

/** The API could not be reached, or the connection failed before an answer came. */
export class NetworkError extends StellantisError {
  constructor(
    readonly method: string,
    readonly path: string,
    /** Node's error code, e.g. ECONNREFUSED, or a TLS code. */
    readonly code: string,
    detail: string,
  ) {
    super(`${method} ${path}: ${detail}`);
  }
}

/** No answer within the request timeout. */
export class TimeoutError extends StellantisError {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${path}: no answer within ${timeoutMs} ms (raise requestTimeoutMs if the network is slow)`);
  }
}

/**
 * A remote POST timed out or lost its connection after it was sent: the car may or may not get
 * the order. Never retried automatically, since repeating it could e.g. unlock twice.
 */
export class RemoteOutcomeUnknownError extends StellantisError {
  constructor(
    readonly vehicleId: string,
    readonly callbackId: string,
    readonly reason: 'timeout' | 'connection-lost',
  ) {
    const why = reason === 'timeout' ? 'got no answer in time' : 'lost its connection';
    super(
      `the remote action for vehicle ${vehicleId} ${why} after it was sent: the car may or may not receive it. ` +
        'It was not retried; check the car (or the remote list) before sending it again.',
    );
  }
}

/** The operation does not exist in this API flavour. */
export class UnsupportedOperationError extends StellantisError {
  constructor(
    readonly operation: string,
    readonly flavour: Flavour,
    hint: string,
  ) {
    super(`${operation} is not available with flavour "${flavour}": ${hint}`);
  }
}

/** The OAuth server refused a token request. */
export class OAuthError extends StellantisError {
  constructor(
    message: string,
    readonly status?: number,
    /** The OAuth `error` field, e.g. invalid_grant. */
    readonly oauthError?: string,
  ) {
    super(message);
  }
}

/** No tokens stored yet for this account. */
export class NotLoggedInError extends StellantisError {}

/** The refresh token was refused (revoked, expired or already used): the user must log in again. */
export class LoginExpiredError extends OAuthError {}

/** The account configuration lacks something the client needs. */
export class ClientConfigError extends StellantisError {
  constructor(
    /** The config key at fault, e.g. `fleetId`. */
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
  }
}
