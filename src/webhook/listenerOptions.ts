/** Validation of the listener options, with errors that name the option and say what to do. */
import { silentLogger, type Logger } from '../util/logger';
import { checkAuthFailureLimit } from './authFailureLimiter';
import { compileTrust, trustsAnyProxy, type TrustFunction } from './clientAddress';
import { bodyLimit as toBodyLimit, type BodyLimit } from './jsonBody';
import type { AuthFailureLimit, WebhookListenerOptions, WebhookSink } from './types';

export const DEFAULT_SECRET_HEADER = 'x-stellantis-webhook-secret';
export const DEFAULT_BODY_LIMIT = '1mb';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Literal URL path segments only: Express would read ':', '*', '(' ... as route patterns. */
const LITERAL_PATH = /^(\/[A-Za-z0-9._~-]+)+$/;
const SIZE = /^\s*\d+(\.\d+)?\s*(b|kb|mb|gb)?\s*$/i;
/**
 * What a webhook secret may hold: visible ASCII (0x21-0x7E). HTTP trims spaces around a header value
 * and carries other characters as raw bytes, so a secret with them could never match what arrives.
 */
export const SECRET_CHARACTERS = /^[\x21-\x7e]+$/;

export interface ListenerSettings {
  path: string;
  secret: string;
  secretHeader: string;
  callbackIds?: () => ReadonlySet<string>;
  bodyLimit: BodyLimit;
  trustProxy: TrustFunction;
  trustsProxies: boolean;
  authFailureLimit: AuthFailureLimit;
  logger: Logger;
  sink: WebhookSink;
}

export function checkListenerOptions(opts: WebhookListenerOptions): ListenerSettings {
  const path = typeof opts.path === 'string' ? opts.path.trim().replace(/\/+$/, '') : '';
  if (!LITERAL_PATH.test(path)) {
    throw new Error(
      `webhook path ${JSON.stringify(opts.path)} is not usable: give a path such as '/stellantis/webhook' ` +
        `(starting with '/', letters, digits and . _ ~ - only)`,
    );
  }
  if (typeof opts.secret !== 'string' || opts.secret.length === 0) {
    throw new Error('the webhook secret is empty: set webhook.secret in the configuration, or remove it to have one generated');
  }
  if (!SECRET_CHARACTERS.test(opts.secret)) {
    throw new Error(
      'the webhook secret holds spaces or characters other than visible ASCII, which can never match the header Stellantis sends: ' +
        'use letters, digits and punctuation only, or remove webhook.secret to have one generated',
    );
  }
  const secretHeader = (opts.secretHeader ?? DEFAULT_SECRET_HEADER).trim().toLowerCase();
  if (!HEADER_NAME.test(secretHeader)) {
    throw new Error(`webhook secretHeader ${JSON.stringify(opts.secretHeader)} is not a valid HTTP header name`);
  }
  const bodyLimit = opts.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const limitOk = typeof bodyLimit === 'number' ? Number.isInteger(bodyLimit) && bodyLimit > 0 : SIZE.test(bodyLimit);
  if (!limitOk) {
    throw new Error(`webhook bodyLimit ${JSON.stringify(bodyLimit)} is not a size: use bytes (e.g. 1048576) or text such as '1mb' or '512kb'`);
  }
  if (opts.callbackIds !== undefined && typeof opts.callbackIds !== 'function') {
    throw new Error('webhook callbackIds must be a function returning the set of our callback ids');
  }
  if (typeof opts.sink?.accept !== 'function') {
    throw new Error('webhook sink must be an object with an accept(messages, meta) method');
  }
  return {
    path,
    secret: opts.secret,
    secretHeader,
    callbackIds: opts.callbackIds,
    bodyLimit: toBodyLimit(bodyLimit),
    trustProxy: compileTrust(opts.trustProxy),
    trustsProxies: trustsAnyProxy(opts.trustProxy),
    authFailureLimit: checkAuthFailureLimit(opts.authFailureLimit),
    logger: opts.logger ?? silentLogger,
    sink: opts.sink,
  };
}
