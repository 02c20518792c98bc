/**
 * The webhook endpoint on plain Node requests: authentication, body reading (one message or a batch),
 * and the answer Stellantis expects: 200 once the messages are handed over, 500 only when they could not be.
 * Everything (JSON parsing, client address) is done here, so it works under any host app (Node-RED's
 * httpNode through the Express router in router.ts) and straight from our own server (server.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookMessage } from '../stellantis/wire';
import { AuthFailureLimiter } from './authFailureLimiter';
import { clientAddress } from './clientAddress';
import type { ListenerSettings } from './listenerOptions';
import { OnceFilter } from './onceFilter';
import { secretChecker } from './secret';
import type { WebhookDeliveryMeta } from './types';
import { findUnknownContent } from './unknownContent';
import { describeUntrusted } from './untrusted';
import { type BodyLimit, type BodyResult, readJsonBody } from './jsonBody';
import { isObject } from '../util/isObject';
import { errorText } from '../util/errorText';

/** A request as a host app may hand it over: some body parser may already have read the body. */
export type WebhookRequest = IncomingMessage & { body?: unknown };

/** A JSON answer. */
export function reply(res: ServerResponse, status: number, body: Record<string, unknown>, headers?: Record<string, string>): void {
  replyText(res, status, JSON.stringify(body), headers);
}

/** Written directly (no ETag, no content negotiation): this is the hot path of every notification. */
function replyText(res: ServerResponse, status: number, text: string, extraHeaders?: Record<string, string>): void {
  if (res.headersSent) return;
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  };
  if (extraHeaders) Object.assign(headers, extraHeaders);
  res.writeHead(status, headers);
  res.end(text);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** A body some earlier middleware of the host app already read. */
function alreadyParsed(body: unknown): BodyResult {
  if (typeof body === 'string' || Buffer.isBuffer(body)) {
    try {
      return alreadyParsed(JSON.parse(body.toString()));
    } catch {
      return { ok: false, status: 400, error: 'malformed JSON: expected a notification object or an array of them' };
    }
  }
  if (typeof body === 'object' && body !== null) return { ok: true, body };
  return { ok: false, status: 400, error: 'the body was consumed before the webhook: mount the webhook router before other body parsers' };
}

/** The body: read here, unless a body parser of the host app already read it. */
function readBody(req: WebhookRequest, limit: BodyLimit, done: (r: BodyResult) => void): void {
  // Only a body actually read counts: Express 4's parsers set `req.body = {}` on requests they skip.
  if (req.readableEnded) done(alreadyParsed(req.body));
  else readJsonBody(req, limit, done);
}

export class WebhookEndpoint {
  private readonly checkSecret: (received: unknown) => boolean;
  private readonly limiter: AuthFailureLimiter;
  private readonly reportedUnknown = new OnceFilter();
  private readonly reportedForeign = new OnceFilter();

  constructor(readonly settings: ListenerSettings) {
    this.checkSecret = secretChecker(settings.secret);
    this.limiter = new AuthFailureLimiter(settings.authFailureLimit);
  }

  /** Status only: anyone may ask, and counts or dates of notifications would tell when the car is in use. */
  health(res: ServerResponse): void {
    replyText(res, 200, '{"status":"ok"}');
  }

  /** A notification POST. Never throws: an unexpected failure is answered 500, so Stellantis retries. */
  post(req: WebhookRequest, res: ServerResponse): void {
    try {
      this.receive(req, res);
    } catch (err) {
      this.settings.logger.error(`webhook: unexpected failure: ${errorText(err)}`);
      reply(res, 500, { error: 'internal error; retry later' });
    }
  }

  private receive(req: WebhookRequest, res: ServerResponse): void {
    const receivedAt = Date.now();
    const address = clientAddress(req, this.settings.trustProxy) ?? 'unknown';
    const received = req.headers[this.settings.secretHeader];
    // The secret first: the limiter only holds back wrong secrets, so whatever anyone sent before
    // (behind a proxy every request may share its address), Stellantis with the right one gets through.
    if (!this.checkSecret(received)) {
      const blockedMs = this.limiter.blockedFor(address);
      if (blockedMs > 0) {
        reply(res, 429, { error: 'too many failed authentications from this address; try again later' }, { 'Retry-After': String(Math.ceil(blockedMs / 1000)) });
        return;
      }
      this.refuse(address, received === undefined);
      reply(res, 401, { error: 'missing or wrong webhook secret' });
      return;
    }
    readBody(req, this.settings.bodyLimit, (result) => {
      try {
        if (!result.ok) {
          this.settings.logger.warn(`webhook: refused a notification from ${address} (${result.status}): ${result.error}`);
          reply(res, result.status, { error: result.error });
          return;
        }
        this.deliver(result.body, { receivedAt, remoteAddress: address }, res);
      } catch (err) {
        this.settings.logger.error(`webhook: unexpected failure while receiving a notification: ${errorText(err)}`);
        reply(res, 500, { error: 'internal error; retry later' });
      }
    });
  }

  private refuse(address: string, missing: boolean): void {
    const { logger, secretHeader, authFailureLimit } = this.settings;
    logger.debug(`webhook: refused a request from ${address}: ${missing ? 'no' : 'wrong'} ${secretHeader} header`);
    if (!this.limiter.recordFailure(address)) return;
    const seconds = Math.ceil(authFailureLimit.windowMs / 1000);
    const proxyHint = this.settings.trustsProxies
      ? ''
      : ' If every request seems to come from your reverse proxy or tunnel, set webhook.trustProxy.';
    logger.warn(
      `webhook: ${authFailureLimit.max} failed authentications from ${address}; answering it 429 for ${seconds} s. ` +
        `If this is Stellantis, the registered callback carries an old secret: register the callback again.${proxyHint}`,
    );
  }

  private deliver(body: unknown, meta: WebhookDeliveryMeta, res: ServerResponse): void {
    const elements: unknown[] = Array.isArray(body) ? body : [body];
    // Passed on as received: readers of WebhookMessage accept missing and unknown fields.
    const messages = elements.filter(isObject) as WebhookMessage[];
    if (messages.length < elements.length) {
      const dropped = elements.flatMap((e, i) => (isObject(e) ? [] : [i]));
      this.settings.logger.warn(
        `webhook: dropped ${dropped.length} batch element(s) that are not JSON objects (index ${dropped.slice(0, 10).join(', ')}${dropped.length > 10 ? ', ...' : ''})`,
      );
    }
    const ours = this.withoutForeign(messages);
    for (const message of ours) this.reportUnknown(message);
    if (ours.length > 0) {
      try {
        const result: unknown = this.settings.sink.accept(ours, meta);
        if (isThenable(result)) {
          result.then(undefined, (err: unknown) => this.settings.logger.error(`webhook: processing notifications failed: ${errorText(err)}`));
        }
      } catch (err) {
        this.settings.logger.error(`webhook: could not take ${ours.length} notification(s), answered 500 so Stellantis retries: ${errorText(err)}`);
        reply(res, 500, { error: 'could not take the notification; retry later' });
        return;
      }
    }
    replyText(res, 200, `{"status":"ok","accepted":${ours.length}}`);
  }

  private withoutForeign(messages: WebhookMessage[]): WebhookMessage[] {
    const ids = this.settings.callbackIds?.();
    if (!ids || ids.size === 0) return messages;
    return messages.filter((m) => {
      if (m.callbackId === undefined || (typeof m.callbackId === 'string' && ids.has(m.callbackId))) return true;
      const id = describeUntrusted(m.callbackId);
      if (this.reportedForeign.first(id)) {
        this.settings.logger.warn(
          `webhook: ignored a notification for callback ${id}, which is not ours (${[...ids].join(', ')}); ` +
            `answered 200 so Stellantis does not retry it. Another installation may share this webhook URL and secret, ` +
            `or an old callback is still registered (list them with 'stellantis callbacks').`,
        );
      }
      return false;
    });
  }

  private reportUnknown(message: WebhookMessage): void {
    for (const unknown of findUnknownContent(message)) {
      if (this.reportedUnknown.first(unknown.key)) {
        this.settings.logger.warn(`webhook: a notification carries an ${unknown.description}; passed on as is (this version does not know it yet)`);
      }
    }
  }
}
