import type { Logger } from '../util/logger';
import type { WebhookMessage } from '../stellantis/wire';
import type { TrustProxy } from './clientAddress';

export interface WebhookDeliveryMeta {
  /** Epoch ms at which the request was received. */
  receivedAt: number;
  /** Client address (honours `trustProxy`). */
  remoteAddress?: string;
}

/** Whoever takes the notifications. Throwing means "could not take them": the listener answers 500 and Stellantis retries. */
export interface WebhookSink {
  accept(messages: WebhookMessage[], meta: WebhookDeliveryMeta): void;
}

export interface AuthFailureLimit {
  max: number;
  windowMs: number;
}

export interface WebhookListenerOptions {
  /** Path of the webhook, e.g. '/stellantis/webhook'; the health check answers at `${path}/health`. */
  path: string;
  /** Expected value of the secret header. */
  secret: string;
  /** Header carrying the secret (default 'x-stellantis-webhook-secret'). */
  secretHeader?: string;
  /**
   * Our callback id(s). A message naming another callback id is kept out of the sink (answered 200 and logged once).
   * While the set is empty (callback not registered yet) no message is filtered.
   */
  callbackIds?: () => ReadonlySet<string>;
  /** Largest accepted body (default '1mb'). */
  bodyLimit?: string | number;
  /**
   * Which X-Forwarded-For hops to believe, as Express's 'trust proxy': a hop count, 'loopback', the proxy's
   * addresses/CIDRs (text, comma-separated, or a list), or a boolean. Prefer the narrow forms: `true` believes
   * whatever the client writes, so the address the failure limiter counts is the sender's choice.
   */
  trustProxy?: TrustProxy;
  /** Failed authentications allowed per address and window before answering 429 (default 10 per 60 s). */
  authFailureLimit?: AuthFailureLimit;
  logger?: Logger;
  sink: WebhookSink;
}

export interface WebhookServerOptions extends WebhookListenerOptions {
  /**
   * Interface to listen on. Default: loopback (127.0.0.1) in plain HTTP, where the secret travels in clear and
   * only a proxy on this machine should reach it; every interface with `https`.
   */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** Serve HTTPS; `cert`/`key` are PEM text or paths to PEM files. */
  https?: { cert: string; key: string };
}

export interface RunningWebhookServer {
  /** Local URL of the webhook path. */
  url: string;
  port: number;
  close(): Promise<void>;
}
