/** Shared test scaffolding: a simulator, a real webhook receiver, and a small API client. */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator } from '../../src/simulator';
import type { RunningSimulator, SimulatorOptions } from '../../src/simulator';
import { sleep } from '../helpers/simulator';

export interface Received {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  body: unknown;
  at: number;
  /** Status answered (0: never answered). */
  answered: number;
}

/** A tiny express app on 127.0.0.1:0 that records every POST; `answer` decides the status (or hangs with 0). */
export class Receiver {
  readonly requests: Received[] = [];
  answer = 200;
  url = '';
  private server?: Server;

  async start(): Promise<this> {
    const app = express();
    app.use(express.json({ limit: '5mb' }));
    app.post('/hook', (req, res) => {
      this.requests.push({ headers: req.headers, query: { ...(req.query as Record<string, unknown>) }, body: req.body, at: Date.now(), answered: this.answer });
      if (this.answer === 0) return; // never answer
      res.status(this.answer).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    return this;
  }

  /** Messages received while answering 2xx, flattened out of batches, in arrival order. */
  acknowledged(): Array<Record<string, unknown>> {
    return this.requests
      .filter((r) => r.answered >= 200 && r.answered < 300)
      .flatMap((r) => (Array.isArray(r.body) ? r.body : [r.body])) as Array<Record<string, unknown>>;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
}

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export class Client {
  constructor(
    readonly sim: RunningSimulator,
    public token = sim.issueTokens().access_token,
  ) {}

  async b2c<T = Record<string, unknown>>(method: string, path: string, body?: unknown, extra: { headers?: Record<string, string>; query?: string } = {}): Promise<ApiAnswer<T>> {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${this.sim.b2cBaseUrl}${path}${sep}${extra.query ?? `client_id=${this.sim.account.clientId}`}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      'x-introspect-realm': this.sim.account.realm,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...extra.headers,
    };
    return answer<T>(await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  }

  async b2b<T = Record<string, unknown>>(method: string, path: string, body?: unknown, auth?: string): Promise<ApiAnswer<T>> {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${this.sim.b2bBaseUrl}${path}${sep}client_id=${this.sim.account.clientId}`;
    const basic = auth ?? Buffer.from(`${this.sim.account.username}:${this.sim.account.password}`).toString('base64');
    const headers: Record<string, string> = { authorization: `Basic ${basic}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
    return answer<T>(await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  }

  async createCallback(target: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await this.b2c<{ callbackId: string }>('POST', '/user/callbacks', {
      label: 'test',
      type: ['Remote', 'Monitor'],
      callback: { webhook: { name: 'hook', target, attributes: [{ type: 'Header', key: 'X-Secret', value: 'top-secret' }] } },
      ...extra,
    });
    if (res.status !== 200) throw new Error(`callback creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.callbackId;
  }

  async remote(vehicleId: string, callbackId: string, body: unknown): Promise<ApiAnswer<{ remoteActionId: string; type: string }>> {
    return this.b2c('POST', `/user/vehicles/${vehicleId}/callbacks/${callbackId}/remotes`, body);
  }
}

async function answer<T>(res: Response): Promise<ApiAnswer<T>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep the text */
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export async function waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export { sleep };

type RemoteMessage = { remoteEvent?: { remoteActionId?: string; eventStatus?: { type: string; status: string; failureCause?: string } } };

/** The "type status[ cause]" steps a remote went through, as acknowledged by the receiver. */
export function steps(receiver: Receiver, remoteActionId: string): string[] {
  return (receiver.acknowledged() as RemoteMessage[])
    .filter((m) => m.remoteEvent?.remoteActionId === remoteActionId)
    .map((m) => {
      const e = m.remoteEvent?.eventStatus;
      return `${e?.type} ${e?.status}${e?.failureCause ? ` ${e.failureCause}` : ''}`;
    });
}

/** Waits until the remote's Done notification arrived and returns its steps. */
export async function finished(receiver: Receiver, remoteActionId: string, timeoutMs = 5000): Promise<string[]> {
  return waitFor(() => {
    const s = steps(receiver, remoteActionId);
    return s.some((x) => x.startsWith('Done')) ? s : undefined;
  }, `Done for ${remoteActionId}`, timeoutMs);
}

export interface Rig {
  sim: RunningSimulator;
  receiver: Receiver;
  client: Client;
  callbackId: string;
  ev: string;
  thermal: string;
  stop(): Promise<void>;
}

/** A simulator 1000x faster than real time, a receiver and a registered callback. */
export async function rig(opts: SimulatorOptions = {}): Promise<Rig> {
  const sim = await startSimulator({ timeScale: 0.001, ...opts });
  const receiver = await new Receiver().start();
  const client = new Client(sim);
  const callbackId = await client.createCallback(receiver.url);
  return {
    sim,
    receiver,
    client,
    callbackId,
    ev: sim.vehicles[0].id,
    thermal: sim.vehicles[1].id,
    async stop() {
      await sim.stop();
      await receiver.stop();
    },
  };
}
