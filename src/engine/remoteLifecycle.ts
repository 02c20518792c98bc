/**
 * The life of each remote: queued per vehicle, POSTed once, followed from its notifications (or
 * read back when the webhook stays silent) to its end, kept in the in-flight store so that the
 * next start follows what a stop interrupted.
 */
import type { RemoteAction } from '../stellantis/actions';
import { StellantisApiError, RemoteOutcomeUnknownError } from '../stellantis/errors';
import { buildRemoteBody } from '../stellantis/remoteBody';
import { VehicleQueue } from '../remotes/vehicleQueue';
import { RemoteRequest } from '../remotes/remoteRequest';
import { RemoteDispatcher } from '../remotes/remoteDispatcher';
import { RemoteTracker, observationFromState, type RemoteObservation } from '../remotes/remoteTracker';
import { InFlightStore, type InFlightRecord } from '../remotes/inFlightStore';
import { WakeUpGuard } from '../remotes/wakeUpGuard';
import type { WakeUpBudget } from '../remotes/wakeUpBudget';
import { checkAuxBattery } from '../remotes/auxBatteryGuard';
import { LOCAL_EXPLANATIONS, explainUnsupported, sentence } from '../remotes/explanations';
import { capabilityRefusal, type VehicleCapabilities } from '../stellantis/capabilities';
import { saysCarCannot } from './capabilityReader';
import type { AccountContext } from './accountContext';
import { explainError } from './errorMeaning';
import type { RemoteEnd, RemoteHandle, RemoteProgress } from './types';

interface QueuedRemote {
  readonly vehicleId: string;
  readonly action: RemoteAction;
  readonly request: RemoteRequest;
  /** Set for a remote resumed after a restart. */
  readonly resumed?: InFlightRecord;
}

export interface RemoteLifecycleOptions {
  /** Files of the in-flight store and of the wake-up guard. */
  inFlightPath: string;
  wakeUpsPath: string;
  /** Every step of every remote (the account emits it as 'remote'). */
  onProgress: (p: RemoteProgress) => void;
  /** A remote that changes what a status shows succeeded (the watch reads the status unless a monitor covers it). */
  afterSuccess: (vehicleId: string, action: RemoteAction) => void;
  /** Our callback was gone and is registered again: its monitors must be set up anew. */
  onCallbackReplaced: () => void;
  /** What the car says it can do (undefined: it does not say; every action is tried). */
  capabilitiesOf: (vehicleId: string) => VehicleCapabilities | undefined;
  /** A remote failed with a cause saying the car cannot do it. */
  onCarCannot: (vehicleId: string) => void;
}

/** Horn, lights and navigation change nothing a status shows: no status read after them. */
function changesState(action: RemoteAction): boolean {
  return action.kind !== 'horn' && action.kind !== 'lights' && action.kind !== 'navigate';
}

export class RemoteLifecycle {
  private readonly queue: VehicleQueue<QueuedRemote>;
  private readonly dispatcher = new RemoteDispatcher();
  private readonly store: InFlightStore;
  private readonly guard: WakeUpGuard;
  private readonly active = new Set<RemoteRequest>();
  private readonly trackers = new Map<RemoteRequest, RemoteTracker>();
  /** remoteActionId -> vehicle, for the remotes being followed. */
  private readonly remoteVehicles = new Map<string, string>();
  private readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(
    private readonly ctx: AccountContext,
    private readonly opts: RemoteLifecycleOptions,
  ) {
    this.queue = new VehicleQueue<QueuedRemote>(
      (item) => this.run(item),
      (item, err) => ctx.problems.report(`internal error while sending ${item.action.kind}: ${explainError(err)}`, item.vehicleId),
      (item) => !item.request.ended,
    );
    this.store = new InFlightStore(opts.inFlightPath);
    this.guard = new WakeUpGuard({ ...ctx.options.wakeUpGuard, perMonth: ctx.config.wakeUpsPerMonth, path: opts.wakeUpsPath });
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /** Reads the wake-up guard and the remotes in flight (reporting a damaged file); returns the remotes to resume. */
  async load(): Promise<InFlightRecord[]> {
    const guardProblem = await this.guard.load();
    if (guardProblem) this.ctx.problems.report(guardProblem);
    const inFlight = await this.store.load();
    if (inFlight.problem) this.ctx.problems.report(inFlight.problem);
    return inFlight.records;
  }

  /** The callback is registered (or the account stops): the queue may post. */
  open(): void {
    this.markReady();
  }

  send(vehicleId: string, action: RemoteAction): RemoteHandle {
    const { ctx } = this;
    if (!ctx.vehicleIds.includes(vehicleId)) return this.rejected(vehicleId, action, sentence(LOCAL_EXPLANATIONS.unknownVehicle));
    try {
      buildRemoteBody(action, { flavour: ctx.config.flavour });
    } catch (err) {
      return this.rejected(vehicleId, action, explainError(err));
    }
    const refusal = capabilityRefusal(action, this.opts.capabilitiesOf(vehicleId));
    if (refusal) return this.rejected(vehicleId, action, sentence(explainUnsupported(refusal)));
    if (ctx.isStopped()) return this.rejected(vehicleId, action, sentence(LOCAL_EXPLANATIONS.stoppedQueued));
    const { item, merged, superseded } = this.queue.enqueue(vehicleId, action, () => ({
      vehicleId,
      action,
      request: this.newRequest(vehicleId, action),
    }));
    for (const old of superseded) old.request.finish({ result: 'Superseded', explanation: sentence(LOCAL_EXPLANATIONS.superseded) });
    if (!merged && item.request.phase === 'queued' && this.queue.running(vehicleId) !== item) item.request.step('queued');
    return item.request;
  }

  /** Remotes queued, being sent or waiting for the car. */
  activeRemotes(): RemoteHandle[] {
    const out = new Set<RemoteRequest>(this.active);
    for (const id of this.ctx.vehicleIds) for (const item of this.queue.waiting(id)) out.add(item.request);
    return [...out];
  }

  /** A remote sent before the restart, followed first. */
  resume(rec: InFlightRecord): void {
    if (!this.ctx.vehicleIds.includes(rec.vehicleId)) {
      void this.store.remove(rec.requestId);
      return;
    }
    const request = this.newRequest(rec.vehicleId, rec.action, rec);
    this.ctx.logger.info(`${rec.vehicleId}: following ${rec.action.kind} sent before the restart`);
    this.queue.enqueueFirst({ vehicleId: rec.vehicleId, action: rec.action, request, resumed: rec });
  }

  /** The wake-ups counted this month against the assumed cap (no call). */
  wakeUpBudgetOf(vehicleId: string): WakeUpBudget {
    return this.guard.budgetOf(vehicleId);
  }

  /** The vehicle of a remote being followed. */
  vehicleOf(remoteActionId: string): string | undefined {
    return this.remoteVehicles.get(remoteActionId);
  }

  /** A notification about a remote: to its tracker, or kept until the POST's answer names it. */
  dispatch(remoteActionId: string, observation: RemoteObservation): void {
    this.dispatcher.dispatch(remoteActionId, observation);
  }

  /**
   * Ends the queued remotes (Rejected, never sent) and the ones in flight (Timeout; kept in the
   * store, the next start follows them); resolves once the files are written.
   */
  stop(): Promise<void> {
    this.markReady();
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
    this.dispatcher.clear();
    this.remoteVehicles.clear();
    return Promise.all([this.store.flush().catch(() => undefined), this.guard.flush().catch(() => undefined)]).then(() => undefined);
  }

  private newRequest(vehicleId: string, action: RemoteAction, rec?: InFlightRecord): RemoteRequest {
    return new RemoteRequest({
      vehicleId,
      action,
      requestId: rec?.requestId,
      forward: (p) => this.opts.onProgress(p),
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
    if (this.ctx.isStopped()) {
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
    const { ctx } = this;
    const { vehicleId, action } = req;
    if (action.kind === 'refresh') {
      const aux = checkAuxBattery(ctx.states.get(vehicleId), ctx.config.lowAuxBatteryPercent);
      const verdict = aux.allowed ? this.guard.check(vehicleId) : aux;
      if (!verdict.allowed) {
        req.finish({ result: 'Rejected', explanation: verdict.explanation });
        return;
      }
    }
    req.step('sending');
    const label = `${ctx.labelPrefix}/${req.requestId}`;
    let callbackId: string;
    try {
      callbackId = await ctx.callbacks.ensure();
    } catch (err) {
      req.finish({ result: 'Rejected', explanation: `${sentence(LOCAL_EXPLANATIONS.notRegistered)} (${explainError(err)})` });
      return;
    }
    const rec: InFlightRecord = { requestId: req.requestId, vehicleId, action, label, callbackId, sentAt: Date.now() };
    await this.store.put(rec).catch((err: unknown) => ctx.problems.report(`could not save the remote in flight: ${explainError(err)}`));
    if (action.kind === 'refresh') this.guard.record(vehicleId);

    let rid: string | undefined;
    try {
      const body = buildRemoteBody(action, { flavour: ctx.config.flavour, label });
      let answer;
      try {
        answer = await ctx.client.sendRemote(vehicleId, callbackId, body);
      } catch (err) {
        if (!(err instanceof StellantisApiError && err.status === 404 && /\/callbacks\//.test(err.path)) || ctx.isStopped()) throw err;
        const gone = callbackId;
        callbackId = await ctx.callbacks.reRegister(gone);
        // Our callback is still listed: the 404 is about the vehicle, not the callback.
        if (callbackId === gone) throw err;
        ctx.problems.report(`our webhook callback ${gone} was gone at Stellantis; registered again as ${callbackId}`);
        void this.store.update(req.requestId, { callbackId });
        this.opts.onCallbackReplaced();
        answer = await ctx.client.sendRemote(vehicleId, callbackId, body);
      }
      rid = typeof answer?.remoteActionId === 'string' && answer.remoteActionId ? answer.remoteActionId : undefined;
      if (!rid) throw new Error('Stellantis accepted the action without giving its remoteActionId');
    } catch (err) {
      if (ctx.isStopped()) return;
      if (err instanceof RemoteOutcomeUnknownError) {
        await this.followByLabel(req, rec, callbackId, LOCAL_EXPLANATIONS.outcomeUnknown);
        return;
      }
      void this.store.remove(req.requestId);
      if (saysCarCannot(err)) this.opts.onCarCannot(vehicleId);
      req.finish({ result: 'Rejected', explanation: explainError(err) });
      return;
    }
    if (ctx.isStopped()) return;
    void this.store.update(req.requestId, { remoteActionId: rid, callbackId });
    req.markSent(rid);
    this.track(req, rid, callbackId);
  }

  /** A remote from the in-flight store (after a restart). */
  private async follow(req: RemoteRequest, rec: InFlightRecord): Promise<void> {
    const callbackId = rec.callbackId ?? this.ctx.callbacks.callbackId;
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
      list = await this.ctx.client.listRemotes(req.vehicleId, callbackId);
    } catch (err) {
      if (this.ctx.isStopped()) return;
      void this.store.remove(req.requestId);
      req.finish({ result: 'Timeout', explanation: `${sentence(unknown)} (reading the remote list back failed: ${explainError(err)})` });
      return;
    }
    if (this.ctx.isStopped()) return;
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
    const { options, client, logger } = this.ctx;
    const tracker = new RemoteTracker({
      remoteActionId: rid,
      noNotificationTimeoutMs: options.noNotificationTimeoutMs,
      readBackBackoffMs: options.readBackBackoffMs,
      readBack: () => client.getRemote(vehicleId, callbackId, rid),
      onPending: (status) => {
        if (status === 'TooManyWakeUpsOverMonth') this.guard.blockUntilNextMonth(vehicleId);
        // The car was asleep and this remote woke it: a wake-up spent (a refresh was counted when sent).
        if (status === 'WakingUpVehicle' && req.action.kind !== 'refresh') this.guard.recordWokenBy(vehicleId, rid);
        req.markPending(status);
      },
      onEnd: (end) => this.ended(req, rid, end),
      onReadBackError: (err) => logger.debug(`${vehicleId}: reading remote ${rid} back failed: ${explainError(err)}`),
    });
    this.trackers.set(req, tracker);
    this.remoteVehicles.set(rid, vehicleId);
    this.dispatcher.register(tracker);
    if (watch && !tracker.ended) tracker.watch();
    return tracker;
  }

  private ended(req: RemoteRequest, rid: string, end: Omit<RemoteEnd, 'at'>): void {
    this.dispatcher.unregister(rid);
    this.remoteVehicles.delete(rid);
    void this.store.remove(req.requestId);
    if (end.failureCause === 'TooManyWakeUpsOverMonth') this.guard.blockUntilNextMonth(req.vehicleId);
    if (saysCarCannot(end)) this.opts.onCarCannot(req.vehicleId);
    if (end.result === 'Success' || end.result === 'AlreadyDone') this.ctx.states.afterSuccess(req.vehicleId, req.action);
    req.finish(end);
    if (end.result === 'Success' && changesState(req.action)) {
      this.opts.afterSuccess(req.vehicleId, req.action);
    }
  }
}
