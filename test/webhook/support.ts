/** Shared pieces of the webhook tests: a recording sink and logger, and a raw HTTP(S) client. */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Logger } from '../../src/util/logger';
import type { WebhookMessage } from '../../src/stellantis/wire';
import type { WebhookDeliveryMeta, WebhookSink } from '../../src/webhook';

export class RecordingSink implements WebhookSink {
  readonly deliveries: Array<{ messages: WebhookMessage[]; meta: WebhookDeliveryMeta }> = [];
  /** When set, accept() throws it (the sink "could not take" the messages). */
  failWith: Error | undefined;

  accept(messages: WebhookMessage[], meta: WebhookDeliveryMeta): void {
    if (this.failWith) throw this.failWith;
    this.deliveries.push({ messages, meta });
  }

  get messages(): WebhookMessage[] {
    return this.deliveries.flatMap((d) => d.messages);
  }
}

export type Level = 'debug' | 'info' | 'warn' | 'error';

export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: Level; msg: string }> = [];
  debug(msg: string): void {
    this.lines.push({ level: 'debug', msg });
  }
  info(msg: string): void {
    this.lines.push({ level: 'info', msg });
  }
  warn(msg: string): void {
    this.lines.push({ level: 'warn', msg });
  }
  error(msg: string): void {
    this.lines.push({ level: 'error', msg });
  }
  at(level: Level): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.msg);
  }
  /** Lines (any level) containing `text`. */
  mentioning(text: string): string[] {
    return this.lines.filter((l) => l.msg.includes(text)).map((l) => l.msg);
  }
}

export interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as is; objects are JSON-encoded. */
  body?: string | Buffer | object;
  ca?: string;
}

/** One request on a fresh connection (no keep-alive agent left behind). */
export function send(url: string, opts: SendOptions = {}): Promise<HttpReply> {
  const target = new URL(url);
  const body =
    opts.body === undefined ? undefined : typeof opts.body === 'string' || Buffer.isBuffer(opts.body) ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { ...opts.headers };
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      { method: opts.method ?? (body === undefined ? 'GET' : 'POST'), headers, agent: false, ca: opts.ca },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const SECRET = 'test-secret-5f3c2a9e7b1d4c6a8e0f2b4d6a8c0e1f';
export const SECRET_HEADER = 'x-stellantis-webhook-secret';

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}, ca?: string): Promise<HttpReply> {
  return send(url, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET, ...headers },
    ca,
  });
}

export function remoteMessage(overrides: Partial<WebhookMessage> = {}, status = 'Success'): WebhookMessage {
  return {
    callbackId: 'cb-1',
    type: 'Remote',
    date: '2025-01-02T03:04:05Z',
    remoteEvent: {
      remoteActionId: 'ra-1',
      remoteType: 'Doors',
      eventStatus: { type: status === 'Success' || status === 'Failed' || status === 'AlreadyDone' ? 'Done' : 'Pending', status },
    },
    ...overrides,
  };
}
