/**
 * One Stellantis account, as both faces use it: the webhook listener, our callback and monitors,
 * one queue of remotes per vehicle, each remote followed from its POST to its Done (or read back
 * when the webhook stays silent), and the last known state of every vehicle.
 *
 * Data path: send() -> queue -> POST -> notifications at the listener -> tracker -> 'remote' events.
 */
import { EventEmitter } from 'node:events';
import { promises as fsp } from 'node:fs';
import type { Router } from 'express';
import type { RemoteAction } from '../stellantis/actions';
import type { ResolvedAccountConfig } from '../config/validate';
import type { ApiVehicle, StellantisClient } from '../stellantis/client';
import type { TokenStore } from '../stellantis/tokenStore';
import { StellantisApiError, RemoteOutcomeUnknownError } from '../stellantis/errors';
import { buildRemoteBody } from '../stellantis/remoteBody';
import { readVehicleStatus, type VehicleState } from '../stellantis/vehicleState';
import type { WebhookMessage } from '../stellantis/wire';
import type { Logger } from '../util/logger';
import { createWebhookRouter, startWebhookServer, DEFAULT_SECRET_HEADER, type RunningWebhookServer, type WebhookSink } from '../webhook';
import { VehicleQueue } from '../remotes/vehicleQueue';
import { RemoteRequest } from '../remotes/remoteRequest';
import { RemoteRouter } from '../remotes/remoteRouter';
import { RemoteTracker, observationFromMessage, observationFromState } from '../remotes/remoteTracker';
import { InFlightStore, type InFlightRecord } from '../remotes/inFlightStore';
import { WakeUpGuard, DEFAULT_WAKE_UP_GUARD } from '../remotes/wakeUpGuard';
import { LOCAL_EXPLANATIONS, sentence } from '../remotes/explanations';
import { CallbackRegistration, type CallbackSpec } from './callbackRegistration';
import { createAccountClient } from './clients';
import { ensureMonitors, wantedMonitors, type MonitorDefinition } from './monitors';
import { VehicleStates, type MonitorValue } from './vehicleStates';
import { ProblemReporter } from './problemReporter';
import { accountKeyOf, loadOrCreateWebhookSecret, storageFile } from './storageFiles';
import type { AccountHandle, RemoteEnd, RemoteHandle, RemoteProgress, VehicleStateChange } from './types';

export type WebhookMode =
  | { mode: 'listen' }
  /**
   * The host serves the router (Node-RED's httpNode). `url` is where the host serves it locally:
   * used as the callback target only for the simulator when webhook.publicUrl is absent.
   */
  | { mode: 'mount'; mount: (router: Router) => void; unmount: () => void; url?: string };

export interface EngineOptions {
  /** Silence after which a remote is read back. Default 180 000 ms. */
  noNotificationTimeoutMs?: number;
  /** Delays between the read-backs that follow the silence. Default [5000, 10000, 20000, 40000]. */
  readBackBackoffMs?: readonly number[];
  /** Status read interval when monitors are unavailable. Default config.statusIntervalMinutes (30 min). */
  statusIntervalMs?: number;
  /** Refresh limit per vehicle. Default 6 per 20 minutes. */
  wakeUpGuard?: { max: number; windowMs: number };
  /** Delay of the status read that follows a successful remote. Default 3000 ms. */
  statusAfterSuccessDelayMs?: number;
  /** First delay before retrying a callback registration that failed for a passing reason. Default 60 000 ms. */
  registrationRetryMs?: number;
}

export interface StellantisAccountOptions {
  config: ResolvedAccountConfig;
  /** Folder for tokens, secret, callback id, remotes in flight (Homebridge storage path, Node-RED userDir). */
  storageDir: string;
  logger: Logger;
  client?: StellantisClient;
  /** B2C tokens kept here instead of the token file in storageDir (the built-in simulator's). */
  tokenStore?: TokenStore;
  webhook: WebhookMode;
  options?: EngineOptions;
}

interface QueuedRemote {
  readonly vehicleId: string;
  readonly action: RemoteAction;
  readonly request: RemoteRequest;
  /** Set for a remote resumed after a restart. */
  readonly resumed?: InFlightRecord;
}

interface VehicleRuntime {
  electric: boolean;
  pollTimer?: NodeJS.Timeout;
}

const DEFAULT_BACKOFF = [5000, 10000, 20000, 40000] as const;

/** Errors that need the user (login, configuration): retrying on a timer would not help. */
function needsUser(err: unknown): boolean {
  if (err instanceof StellantisApiError) return err.status !== 429 && err.status < 500;
  const name = err instanceof Error ? err.name : '';
  return ['NotLoggedInError', 'LoginExpiredError', 'ClientConfigError', 'TlsConfigError', 'UnsupportedOperationError', 'OAuthError'].includes(name);
}

/** Horn, lights and navigation change nothing a status shows: no status read after them. */
function changesState(action: RemoteAction): boolean {
  return action.kind !== 'horn' && action.kind !== 'lights' && action.kind !== 'navigate';
}

function messageOf(err: unknown): string {
  if (err instanceof StellantisApiError) return err.explanation;
  return err instanceof Error ? err.message : String(err);
}

export class StellantisAccount extends EventEmitter implements AccountHandle {
  readonly vehicleIds: readonly string[];
  readonly client: StellantisClient;
  private readonly config: ResolvedAccountConfig;
  private readonly logger: Logger;
  private readonly storageDir: string;
  private readonly webhookMode: WebhookMode;
  private readonly ownsClient: boolean;
  private readonly accountKey: string;
  private readonly opt: Required<Omit<EngineOptions, 'readBackBackoffMs'>> & { readBackBackoffMs: readonly number[] };
  private readonly labelPrefix: string;

  private readonly queue: VehicleQueue<QueuedRemote>;
  private readonly router = new RemoteRouter();
  private readonly store: InFlightStore;
  private readonly guard: WakeUpGuard;
  private readonly states: VehicleStates;
  private readonly callbacks: CallbackRegistration;
  private readonly problems: ProblemReporter;
  private readonly active = new Set<RemoteRequest>();
  private readonly trackers = new Map<RemoteRequest, RemoteTracker>();
  /** remoteActionId -> vehicle, for the remotes being followed. */
  private readonly remoteVehicles = new Map<string, string>();
  private readonly monitorOwners = new Map<string, { vehicleId: string; def: MonitorDefinition }>();
  private readonly vehicles = new Map<string, VehicleRuntime>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private secret = '';
  private target = '';
  private server: RunningWebhookServer | undefined;
  private mounted = false;
  private started = false;
  private stopped = false;
  private ready: Promise<void>;
  private markReady!: () => void;

  constructor(opts: StellantisAccountOptions) {
    super();
    this.config = opts.config;
    this.logger = opts.logger;
    this.storageDir = opts.storageDir;
    this.webhookMode = opts.webhook;
    this.vehicleIds = (opts.config.vehicles ?? []).map((v) => v.id);
    this.accountKey = accountKeyOf(opts.config);
    this.labelPrefix = opts.config.webhook?.label || 'homebridge-stellantis';
    const o = opts.options ?? {};
    this.opt = {
      noNotificationTimeoutMs: o.noNotificationTimeoutMs ?? 180_000,
      readBackBackoffMs: o.readBackBackoffMs ?? DEFAULT_BACKOFF,
      statusIntervalMs: o.statusIntervalMs ?? (opts.config.statusIntervalMinutes ?? 30) * 60_000,
      wakeUpGuard: o.wakeUpGuard ?? DEFAULT_WAKE_UP_GUARD,
      statusAfterSuccessDelayMs: o.statusAfterSuccessDelayMs ?? 3000,
      registrationRetryMs: o.registrationRetryMs ?? 60_000,
    };
    this.ownsClient = !opts.client;
    this.client = opts.client ?? createAccountClient(opts.config, { storageDir: this.storageDir, store: opts.tokenStore, logger: this.logger });
    this.problems = new ProblemReporter(this.logger, (p) => this.emit('problem', p));
    this.queue = new VehicleQueue<QueuedRemote>(
      (item) => this.run(item),
      (item, err) => this.problems.report(`internal error while sending ${item.action.kind}: ${messageOf(err)}`, item.vehicleId),
      (item) => !item.request.ended,
    );
    this.store = new InFlightStore(storageFile(this.storageDir, 'remotes-in-flight', this.accountKey));
    this.guard = new WakeUpGuard({ ...this.opt.wakeUpGuard, path: storageFile(this.storageDir, 'wake-ups', this.accountKey) });
    this.states = new VehicleStates((c) => this.emitState(c), { path: storageFile(this.storageDir, 'vehicle-states', this.accountKey) });
    this.callbacks = new CallbackRegistration({
      client: this.client,
      spec: () => this.callbackSpec(),
      path: storageFile(this.storageDir, 'callback', this.accountKey),
      logger: this.logger,
    });
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  // --- lifecycle ---

  async start(): Promise<void> {
    if (this.started) return;
    if (this.stopped) throw new Error('this account was stopped; create a new StellantisAccount to start again');
    this.started = true;
    await fsp.mkdir(this.storageDir, { recursive: true, mode: 0o700 });
    const secretFile = storageFile(this.storageDir, 'webhook-secret', this.accountKey);
    const { secret, generated } = await loadOrCreateWebhookSecret(secretFile, this.config.webhook?.secret);
    this.secret = secret;
    if (generated) this.logger.info(`webhook secret generated and stored in ${secretFile}`);

    const guardProblem = await this.guard.load();
    if (guardProblem) this.problems.report(guardProblem);
    await this.states.restore(this.vehicleIds);
    const inFlight = await this.store.load();
    if (inFlight.problem) this.problems.report(inFlight.problem);

    await this.openWebhook();
    try {
      await this.callbacks.ensure();
    } catch (err) {
      if (needsUser(err)) {
        await this.stop();
        throw new Error(`could not register the webhook callback with Stellantis: ${messageOf(err)}`, { cause: err });
      }
      this.problems.report(`could not register the webhook callback yet (${messageOf(err)}); retrying in the background`);
      this.retryRegistration(this.opt.registrationRetryMs);
    }
    for (const rec of inFlight.records) this.resume(rec);
    this.markReady();
    if (this.callbacks.callbackId) await this.setUpVehicles();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.markReady();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const v of this.vehicles.values()) if (v.pollTimer) clearInterval(v.pollTimer);
    for (const item of this.queue.close()) {
      item.request.finish({ result: 'Rejected', explanation: sentence(LOCAL_EXPLANATIONS.stoppedQueued) });
    }
    for (const req of [...this.active]) {
      this.trackers.get(req)?.stop();
      // Kept in the in-flight store: the next start follows it to its end.
      req.finish({ result: 'Timeout', explanation: sentence(LOCAL_EXPLANATIONS.stoppedInFlight) });
    }
    this.active.clear();
    this.trackers.clear();
    this.router.clear();
    this.remoteVehicles.clear();
    await Promise.all([this.store.flush().catch(() => undefined), this.guard.flush().catch(() => undefined), this.states.close()]);
    if (this.server) {
      await this.server.close();
      this.server = undefined;
    }
    if (this.mounted && this.webhookMode.mode === 'mount') {
      this.webhookMode.unmount();
      this.mounted = false;
    }
    if (this.ownsClient) this.client.close();
  }

  /** Deletes our callback at Stellantis (and with it its monitors). */
  async removeCallback(): Promise<boolean> {
    const removed = await this.callbacks.remove();
    this.monitorOwners.clear();
    return removed;
  }

  /** The callback id in use, once registered. */
  get callbackId(): string | undefined {
    return this.callbacks.callbackId;
  }

  /** Where Stellantis is told to POST (for diagnostics). */
  get webhookTarget(): string {
    return this.target;
  }

  /** Remotes queued, being sent or waiting for the car. */
  activeRemotes(): RemoteHandle[] {
    const out = new Set<RemoteRequest>(this.active);
    for (const id of this.vehicleIds) for (const item of this.queue.waiting(id)) out.add(item.request);
    return [...out];
  }

  // --- remotes ---

  send(vehicleId: string, action: RemoteAction): RemoteHandle {
    if (!this.vehicleIds.includes(vehicleId)) return this.rejected(vehicleId, action, sentence(LOCAL_EXPLANATIONS.unknownVehicle));
    try {
      buildRemoteBody(action, { flavour: this.config.flavour });
    } catch (err) {
      return this.rejected(vehicleId, action, messageOf(err));
    }
    if (this.stopped) return this.rejected(vehicleId, action, sentence(LOCAL_EXPLANATIONS.stoppedQueued));
    const { item, merged, superseded } = this.queue.enqueue(vehicleId, action, () => ({
      vehicleId,
      action,
      request: this.newRequest(vehicleId, action),
    }));
    for (const old of superseded) old.request.finish({ result: 'Superseded', explanation: sentence(LOCAL_EXPLANATIONS.superseded) });
    if (!merged && item.request.phase === 'queued' && this.queue.running(vehicleId) !== item) item.request.step('queued');
    return item.request;
  }

  /** Every vehicle of the account, as the API lists them (one call per page). */
  listVehicles(): Promise<ApiVehicle[]> {
    return this.client.listVehicles();
  }

  stateOf(vehicleId: string): VehicleState {
    return this.states.get(vehicleId);
  }

  async readStatus(vehicleId: string, opts: { raw?: boolean } = {}): Promise<{ state: VehicleState; raw?: unknown }> {
    const raw = await this.client.getVehicleStatus(vehicleId);
    const state = readVehicleStatus(raw);
    this.states.fromStatus(vehicleId, state);
    return opts.raw ? { state, raw } : { state };
  }

  private newRequest(vehicleId: string, action: RemoteAction, rec?: InFlightRecord): RemoteRequest {
    return new RemoteRequest({
      vehicleId,
      action,
      requestId: rec?.requestId,
      forward: (p) => this.emitRemote(p),
    });
  }

  private rejected(vehicleId: string, action: RemoteAction, explanation: string): RemoteHandle {
    const req = this.newRequest(vehicleId, action);
    // Let the caller attach listeners before the end is emitted.
    queueMicrotask(() => req.finish({ result: 'Rejected', explanation }));
    return req;
  }

  private async run(item: QueuedRemote): Promise<void> {
    const req = item.request;
    await this.ready;
    if (req.ended) return;
    if (this.stopped) {
      req.finish({ result: 'Rejected', explanation: sentence(LOCAL_EXPLANATIONS.stoppedQueued) });
      return;
    }
    this.active.add(req);
    try {
      if (item.resumed) await this.follow(req, item.resumed);
      else await this.post(req);
      await req.done;
    } finally {
      this.active.delete(req);
      this.trackers.delete(req);
    }
  }

  private async post(req: RemoteRequest): Promise<void> {
    const { vehicleId, action } = req;
    if (action.kind === 'refresh') {
      const verdict = this.guard.check(vehicleId);
      if (!verdict.allowed) {
        req.finish({ result: 'Rejected', explanation: verdict.explanation });
        return;
      }
    }
    req.step('sending');
    const label = `${this.labelPrefix}/${req.requestId}`;
    let callbackId: string;
    try {
      callbackId = await this.callbacks.ensure();
    } catch (err) {
      req.finish({ result: 'Rejected', explanation: `${sentence(LOCAL_EXPLANATIONS.notRegistered)} (${messageOf(err)})` });
      return;
    }
    const rec: InFlightRecord = { requestId: req.requestId, vehicleId, action, label, callbackId, sentAt: Date.now() };
    await this.store.put(rec).catch((err: unknown) => this.problems.report(`could not save the remote in flight: ${messageOf(err)}`));
    if (action.kind === 'refresh') this.guard.record(vehicleId);

    let rid: string | undefined;
    try {
      const body = buildRemoteBody(action, { flavour: this.config.flavour, label });
      let answer;
      try {
        answer = await this.client.sendRemote(vehicleId, callbackId, body);
      } catch (err) {
        if (!(err instanceof StellantisApiError && err.status === 404 && /\/callbacks\//.test(err.path)) || this.stopped) throw err;
        const gone = callbackId;
        callbackId = await this.callbacks.reRegister(gone);
        // Our callback is still listed: the 404 is about the vehicle, not the callback.
        if (callbackId === gone) throw err;
        this.problems.report(`our webhook callback ${gone} was gone at Stellantis; registered again as ${callbackId}`);
        void this.store.update(req.requestId, { callbackId });
        void this.setUpVehicles({ readStatus: false });
        answer = await this.client.sendRemote(vehicleId, callbackId, body);
      }
      rid = typeof answer?.remoteActionId === 'string' && answer.remoteActionId ? answer.remoteActionId : undefined;
      if (!rid) throw new Error('Stellantis accepted the action without giving its remoteActionId');
    } catch (err) {
      if (this.stopped) return;
      if (err instanceof RemoteOutcomeUnknownError) {
        await this.followByLabel(req, rec, callbackId, LOCAL_EXPLANATIONS.outcomeUnknown);
        return;
      }
      void this.store.remove(req.requestId);
      req.finish({ result: 'Rejected', explanation: messageOf(err) });
      return;
    }
    if (this.stopped) return;
    void this.store.update(req.requestId, { remoteActionId: rid, callbackId });
    req.markSent(rid);
    this.track(req, rid, callbackId);
  }

  /** A remote from the in-flight store (after a restart). */
  private async follow(req: RemoteRequest, rec: InFlightRecord): Promise<void> {
    const callbackId = rec.callbackId ?? this.callbacks.callbackId;
    if (!callbackId) {
      req.finish({ result: 'Timeout', explanation: sentence(LOCAL_EXPLANATIONS.outcomeUnknown) });
      void this.store.remove(req.requestId);
      return;
    }
    if (!rec.remoteActionId) {
      await this.followByLabel(req, rec, callbackId, LOCAL_EXPLANATIONS.outcomeUnknown);
      return;
    }
    req.markSent(rec.remoteActionId);
    const tracker = this.track(req, rec.remoteActionId, callbackId, false);
    await tracker.checkNow();
  }

  /** The POST's answer was lost: look for the remote by its label in the list. */
  private async followByLabel(req: RemoteRequest, rec: InFlightRecord, callbackId: string, unknown: { text: string; whatToDo: string }): Promise<void> {
    let list;
    try {
      list = await this.client.listRemotes(req.vehicleId, callbackId);
    } catch (err) {
      if (this.stopped) return;
      void this.store.remove(req.requestId);
      req.finish({ result: 'Timeout', explanation: `${sentence(unknown)} (reading the remote list back failed: ${messageOf(err)})` });
      return;
    }
    if (this.stopped) return;
    const found = list.find((r) => r.remote?.label === rec.label && typeof r.remoteActionId === 'string');
    if (!found) {
      void this.store.remove(req.requestId);
      req.finish({ result: 'Timeout', explanation: sentence(LOCAL_EXPLANATIONS.notListed) });
      return;
    }
    void this.store.update(req.requestId, { remoteActionId: found.remoteActionId, callbackId });
    req.markSent(found.remoteActionId);
    const tracker = this.track(req, found.remoteActionId, callbackId);
    const o = observationFromState(found);
    if (o) tracker.notify(o);
  }

  private track(req: RemoteRequest, rid: string, callbackId: string, watch = true): RemoteTracker {
    const { vehicleId } = req;
    const tracker = new RemoteTracker({
      remoteActionId: rid,
      noNotificationTimeoutMs: this.opt.noNotificationTimeoutMs,
      readBackBackoffMs: this.opt.readBackBackoffMs,
      readBack: () => this.client.getRemote(vehicleId, callbackId, rid),
      onPending: (status) => {
        if (status === 'TooManyWakeUpsOverMonth') this.guard.blockUntilNextMonth(vehicleId);
        req.markPending(status);
      },
      onEnd: (end) => this.ended(req, rid, end),
      onReadBackError: (err) => this.logger.debug(`${vehicleId}: reading remote ${rid} back failed: ${messageOf(err)}`),
    });
    this.trackers.set(req, tracker);
    this.remoteVehicles.set(rid, vehicleId);
    this.router.register(tracker);
    if (watch && !tracker.ended) tracker.watch();
    return tracker;
  }

  private ended(req: RemoteRequest, rid: string, end: Omit<RemoteEnd, 'at'>): void {
    this.router.unregister(rid);
    this.remoteVehicles.delete(rid);
    void this.store.remove(req.requestId);
    if (end.failureCause === 'TooManyWakeUpsOverMonth') this.guard.blockUntilNextMonth(req.vehicleId);
    if (end.result === 'Success' || end.result === 'AlreadyDone') this.states.afterSuccess(req.vehicleId, req.action);
    req.finish(end);
    if (end.result === 'Success' && changesState(req.action)) {
      this.later(this.opt.statusAfterSuccessDelayMs, () => this.backgroundStatus(req.vehicleId));
    }
  }

  private resume(rec: InFlightRecord): void {
    if (!this.vehicleIds.includes(rec.vehicleId)) {
      void this.store.remove(rec.requestId);
      return;
    }
    const request = this.newRequest(rec.vehicleId, rec.action, rec);
    this.logger.info(`${rec.vehicleId}: following ${rec.action.kind} sent before the restart`);
    this.queue.enqueueFirst({ vehicleId: rec.vehicleId, action: rec.action, request, resumed: rec });
  }

  // --- webhook ---

  private callbackSpec(): CallbackSpec {
    const attributes = [{ type: 'Header' as const, key: DEFAULT_SECRET_HEADER, value: this.secret }];
    return {
      label: this.labelPrefix,
      target: this.target,
      attributes,
      types: this.config.flavour === 'b2c' ? ['Remote', 'Monitor'] : undefined,
    };
  }

  private callbackIdSet: { id: string | undefined; set: ReadonlySet<string> } = { id: undefined, set: new Set() };

  /** Asked for every notification: the same set until the callback id changes. */
  private ourCallbackIds(): ReadonlySet<string> {
    const id = this.callbacks.callbackId;
    if (this.callbackIdSet.id !== id) this.callbackIdSet = { id, set: new Set(id ? [id] : []) };
    return this.callbackIdSet.set;
  }

  private async openWebhook(): Promise<void> {
    const hook = this.config.webhook;
    const path = hook?.path ?? '/stellantis/webhook';
    const options = {
      path,
      secret: this.secret,
      callbackIds: () => this.ourCallbackIds(),
      trustProxy: hook?.trustProxy,
      logger: this.logger,
      sink: this.sink,
    };
    let localUrl: string | undefined;
    if (this.webhookMode.mode === 'listen') {
      this.server = await startWebhookServer({ ...options, host: hook?.host, port: hook?.port ?? 8765, https: hook?.https });
      localUrl = this.server.url;
    } else {
      this.webhookMode.mount(createWebhookRouter(options));
      this.mounted = true;
      localUrl = this.webhookMode.url;
    }
    if (hook?.publicUrl) this.target = hook.publicUrl;
    else if (this.config.simulator && localUrl) this.target = localUrl;
    else {
      await this.stop();
      throw new Error(
        'webhook.publicUrl: missing; set the public https:// URL (reverse proxy or tunnel) that forwards to the local listener' +
          (localUrl ? ` at ${localUrl}` : ''),
      );
    }
  }

  private readonly sink: WebhookSink = {
    accept: (messages, meta) => {
      // Thrown, so the listener answers 500 and Stellantis delivers them again to the next start.
      if (this.stopped) throw new Error('this account is stopped; Stellantis will deliver them again');
      const monitorValues: MonitorValue[] = [];
      for (const m of messages) {
        try {
          this.onMessage(m, meta.receivedAt, monitorValues);
        } catch (err) {
          this.problems.report(`could not process a notification: ${messageOf(err)}`);
        }
      }
      // A batch's monitor values are folded at once: one state change per vehicle.
      if (monitorValues.length > 0) this.states.fromMonitorValues(monitorValues);
    },
  };

  private onMessage(m: WebhookMessage, receivedAt: number, monitorValues: MonitorValue[]): void {
    const remote = observationFromMessage(m);
    if (remote) {
      this.notify(m, this.remoteVehicles.get(remote.remoteActionId));
      this.router.route(remote.remoteActionId, remote.observation);
      return;
    }
    const ev = m.monitorEvent;
    const owner = ev && typeof ev.monitorId === 'string' ? this.monitorOwners.get(ev.monitorId) : undefined;
    this.notify(m, owner?.vehicleId);
    if (!ev || !owner) {
      if (ev) this.logger.debug(`monitor message for an unknown monitor ${String(ev.monitorId)} ignored`);
      return;
    }
    const parsed = typeof m.date === 'string' ? Date.parse(m.date) : NaN;
    const at = Number.isNaN(parsed) ? receivedAt : parsed;
    for (const v of ev.values ?? []) {
      const literal = v?.value?.body?.literalValue;
      if (typeof v?.data === 'string' && typeof literal === 'string') {
        monitorValues.push({ vehicleId: owner.vehicleId, data: v.data, literalValue: literal, at });
      }
    }
  }

  // --- vehicles: first status, monitors, polling fallback ---

  private async setUpVehicles(opts: { readStatus: boolean } = { readStatus: true }): Promise<void> {
    await Promise.all(this.vehicleIds.map((id) => this.setUpVehicle(id, opts.readStatus)));
  }

  private async setUpVehicle(vehicleId: string, readStatus: boolean): Promise<void> {
    const runtime: VehicleRuntime = this.vehicles.get(vehicleId) ?? { electric: false };
    this.vehicles.set(vehicleId, runtime);
    if (readStatus) {
      try {
        const { state } = await this.readStatus(vehicleId);
        runtime.electric = state.battery !== undefined || state.charging !== undefined;
      } catch (err) {
        this.problems.report(`could not read the status: ${messageOf(err)}`, vehicleId);
      }
    }
    if (this.stopped) return;
    const callbackId = this.callbacks.callbackId;
    const useMonitors = this.config.webhook?.monitors !== false && this.config.flavour === 'b2c' && callbackId;
    let complete = false;
    if (useMonitors) {
      const features = this.config.vehicles?.find((v) => v.id === vehicleId)?.features;
      try {
        const result = await ensureMonitors(this.client, vehicleId, callbackId, this.labelPrefix, wantedMonitors({ electric: runtime.electric, features }));
        for (const [id, def] of result.monitors) this.monitorOwners.set(id, { vehicleId, def });
        if (result.created > 0) this.logger.info(`${vehicleId}: ${result.created} monitor(s) created`);
        for (const r of result.refused) this.problems.report(`monitor '${r.key}' refused by Stellantis (${r.reason}); reading the status every ${Math.round(this.opt.statusIntervalMs / 60_000)} min instead`, vehicleId);
        complete = result.refused.length === 0;
      } catch (err) {
        this.problems.report(`monitors unavailable (${messageOf(err)}); reading the status every ${Math.round(this.opt.statusIntervalMs / 60_000)} min instead`, vehicleId);
      }
    }
    if (!complete && !this.stopped && !runtime.pollTimer) {
      runtime.pollTimer = setInterval(() => this.backgroundStatus(vehicleId), this.opt.statusIntervalMs);
      runtime.pollTimer.unref();
    }
  }

  /** A status read nobody waits for (never wakes the car). */
  private backgroundStatus(vehicleId: string): void {
    if (this.stopped) return;
    this.readStatus(vehicleId).catch((err: unknown) => this.problems.report(`could not read the status: ${messageOf(err)}`, vehicleId));
  }

  private retryRegistration(delayMs: number): void {
    this.later(delayMs, () => {
      this.callbacks
        .ensure()
        .then(() => this.setUpVehicles())
        .catch((err: unknown) => {
          this.problems.report(`could not register the webhook callback yet (${messageOf(err)}); retrying in the background`);
          this.retryRegistration(Math.min(delayMs * 2, 30 * 60_000));
        });
    });
  }

  // --- helpers ---

  private later(ms: number, fn: () => void): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private notify(m: WebhookMessage, vehicleId: string | undefined): void {
    if (this.listenerCount('notification') > 0) this.emit('notification', m, vehicleId ? { vehicleId } : {});
  }

  private emitRemote(p: RemoteProgress): void {
    this.emit('remote', p);
  }

  private emitState(c: VehicleStateChange): void {
    this.emit('state', c);
  }
}
