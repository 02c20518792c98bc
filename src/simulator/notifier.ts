/**
 * Delivery of notifications to each callback's webhook: a queue per callback, one attempt in
 * flight at a time, a single waiting message sent as an object and several as an array (up to
 * the batch size), retries every 10 s (simulated) for up to 72 h, then dropped.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Clock } from './clock';
import type { Faults } from './faults';
import type { SimAttribute, SimCallback } from './store';
import type { DeliveryRecord } from './types';

const RETRY_MS = 10_000;
const KEEP_MS = 72 * 3600_000;
/** Real ms a webhook gets to answer: 10 s scaled, never below 2 s (a loaded CI machine must not cause retries). */
const ATTEMPT_TIMEOUT_MS = 10_000;
const MIN_ATTEMPT_TIMEOUT_MS = 2_000;

export interface OutgoingMessage {
  /** The message as posted (attributes already substituted). */
  message: Record<string, unknown>;
  /** Vehicle the message is about (for `$vin` in header/query attributes). */
  vin: string;
}

interface Queued extends OutgoingMessage {
  enqueuedAt: number;
  duplicate: boolean;
  failures: number;
}

interface Lane {
  queue: Queued[];
  inFlight: boolean;
  cancelRetry?: () => void;
}

export function substitute(value: string, vars: { vin: string; callbackId: string; callbackLabel: string }): string {
  if (value === '$vin') return vars.vin;
  if (value === '$callbackId') return vars.callbackId;
  if (value === '$callbackLabel') return vars.callbackLabel;
  return value;
}

export function bodyAttributes(attrs: SimAttribute[], vars: { vin: string; callbackId: string; callbackLabel: string }) {
  return attrs.filter((a) => a.type === 'Body').map((a) => ({ key: a.key, value: substitute(a.value, vars) }));
}

export class Notifier {
  private readonly lanes = new Map<string, Lane>();
  private readonly inFlight = new Set<ClientRequest>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly faults: Faults,
    private readonly deliveries: DeliveryRecord[],
    private readonly callbackOf: (id: string) => SimCallback | undefined,
    private readonly log: (line: string) => void,
    /** PEM CA to trust for https webhook targets (tests with self-signed certificates). */
    private readonly webhookCa?: string,
  ) {}

  enqueue(callbackId: string, out: OutgoingMessage): void {
    if (this.stopped) return;
    const fault = this.faults.takeNotificationFault();
    const m = out.message;
    const what = `${String(m.type)} ${describe(m)}`;
    if (fault === 'drop') {
      this.log(`notification lost (fault injection): ${what}`);
      return;
    }
    const lane = this.lane(callbackId);
    lane.queue.push({ ...out, enqueuedAt: Date.now(), duplicate: fault === 'duplicate', failures: 0 });
    this.pump(callbackId);
  }

  /** The callback was deleted: its waiting notifications are dropped. */
  forget(callbackId: string): void {
    const lane = this.lanes.get(callbackId);
    if (!lane) return;
    lane.cancelRetry?.();
    this.lanes.delete(callbackId);
  }

  /** Something changed (callback Running again, delivery resumed): try every lane. */
  kickAll(): void {
    for (const id of this.lanes.keys()) this.pump(id);
  }

  kick(callbackId: string): void {
    this.pump(callbackId);
  }

  get waiting(): number {
    let n = 0;
    for (const lane of this.lanes.values()) n += lane.queue.length;
    return n;
  }

  stop(): void {
    this.stopped = true;
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
    for (const lane of this.lanes.values()) lane.cancelRetry?.();
    this.lanes.clear();
  }

  private lane(id: string): Lane {
    let lane = this.lanes.get(id);
    if (!lane) {
      lane = { queue: [] as Queued[], inFlight: false };
      this.lanes.set(id, lane);
    }
    return lane;
  }

  private pump(callbackId: string): void {
    const lane = this.lanes.get(callbackId);
    const cb = this.callbackOf(callbackId);
    if (this.stopped || !lane || lane.inFlight || lane.cancelRetry || this.faults.deliveryPaused) return;
    if (!cb) {
      this.forget(callbackId);
      return;
    }
    if (cb.status !== 'Running') return;
    const oldest = Date.now() - this.clock.real(KEEP_MS);
    const expired = lane.queue.filter((q) => q.enqueuedAt < oldest);
    if (expired.length > 0) {
      lane.queue = lane.queue.filter((q) => q.enqueuedAt >= oldest);
      this.log(`notification(s) dropped after 72 h without delivery: ${expired.length} for callback ${callbackId}`);
    }
    if (lane.queue.length === 0) return;
    const ordered = this.faults.reorder ? [...lane.queue].reverse() : lane.queue;
    const batch = ordered.slice(0, cb.batchSize);
    lane.inFlight = true;
    void this.attempt(cb, batch).then((ok) => {
      lane.inFlight = false;
      if (this.stopped || this.lanes.get(callbackId) !== lane) return;
      if (ok) {
        lane.queue = lane.queue.filter((q) => !batch.includes(q));
        for (const q of batch) {
          if (q.duplicate) lane.queue.push({ ...q, duplicate: false });
        }
        this.pump(callbackId);
        return;
      }
      this.afterFailure(cb, lane, batch);
    });
  }

  private afterFailure(cb: SimCallback, lane: Lane, batch: Queued[]): void {
    if (cb.retry.policy === 'None') {
      lane.queue = lane.queue.filter((q) => !batch.includes(q));
      this.log(`notification(s) dropped (retryPolicy None): ${batch.length} for callback ${cb.id}`);
    } else if (cb.retry.policy === 'Bounded') {
      for (const q of batch) q.failures++;
      const spent = batch.filter((q) => q.failures > cb.retry.retryNumber);
      if (spent.length > 0) {
        lane.queue = lane.queue.filter((q) => !spent.includes(q));
        this.log(`notification(s) dropped after ${cb.retry.retryNumber} retries: ${spent.length} for callback ${cb.id}`);
      }
    }
    const delay = cb.retry.policy === 'Always' ? RETRY_MS : cb.retry.retryDelay * 1000;
    lane.cancelRetry = this.clock.after(delay, () => {
      lane.cancelRetry = undefined;
      this.pump(cb.id);
    });
  }

  /** One POST on a fresh connection (no pooled sockets survive stop()). */
  private post(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<{ status?: number; error?: string }> {
    return new Promise((resolve) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      let settled = false;
      const finish = (r: { status?: number; error?: string }) => {
        if (settled) return;
        settled = true;
        cancelTimer();
        this.inFlight.delete(req);
        resolve(r);
      };
      const req = send(
        url,
        {
          method: 'POST',
          agent: false,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' },
          ...(url.protocol === 'https:' && this.webhookCa ? { ca: this.webhookCa } : {}),
        },
        (res) => {
          res.resume();
          res.on('end', () => finish({ status: res.statusCode }));
          res.on('error', (err) => finish({ error: err.message }));
        },
      );
      this.inFlight.add(req);
      const cancelTimer = this.clock.afterReal(timeoutMs, () => {
        finish({ error: 'timeout' });
        req.destroy();
      });
      req.on('error', (err) => finish({ error: this.stopped ? 'simulator stopped' : err.message }));
      req.end(body);
    });
  }

  private async attempt(cb: SimCallback, batch: Queued[]): Promise<boolean> {
    const vars = { vin: batch[0].vin, callbackId: cb.id, callbackLabel: cb.label ?? '' };
    const url = new URL(cb.target);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'stellantis-simulator' };
    for (const a of cb.attributes) {
      if (a.type === 'Header') headers[a.key.toLowerCase()] = substitute(a.value, vars);
      if (a.type === 'Query') url.searchParams.append(a.key, substitute(a.value, vars));
    }
    const messages = batch.map((q) => q.message);
    const payload = messages.length === 1 ? messages[0] : messages;
    const record: DeliveryRecord = { target: cb.target, messages, at: Date.now() };
    const timeoutMs = Math.max(MIN_ATTEMPT_TIMEOUT_MS, this.clock.real(ATTEMPT_TIMEOUT_MS));
    const result = await this.post(url, headers, JSON.stringify(payload), timeoutMs);
    if (result.status !== undefined) record.status = result.status;
    else record.error = result.error;
    if (this.stopped) return false;
    this.deliveries.push(record);
    const ok = record.status !== undefined && record.status >= 200 && record.status < 300;
    const summary = messages.map((m) => describe(m)).join('; ');
    this.log(
      `notify ${url.origin}${url.pathname} ${messages.length === 1 ? 'message' : `batch of ${messages.length}`} -> ${record.status ?? record.error}: ${summary}`,
    );
    return ok;
  }
}

function describe(m: Record<string, unknown>): string {
  const re = m.remoteEvent as { remoteType?: string; eventStatus?: { type?: string; status?: string; failureCause?: string } } | undefined;
  if (re) return `${re.remoteType ?? '?'} ${re.eventStatus?.type ?? '?'} ${re.eventStatus?.status ?? '?'}${re.eventStatus?.failureCause ? ` (${re.eventStatus.failureCause})` : ''}`;
  const me = m.monitorEvent as { values?: Array<{ data?: string; value?: { body?: { literalValue?: string } } }> } | undefined;
  if (me?.values) return me.values.map((v) => `${v.data}=${v.value?.body?.literalValue}`).join(', ');
  return '';
}
