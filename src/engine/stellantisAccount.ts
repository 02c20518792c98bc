/**
 * One Stellantis account, as both faces use it: the webhook listener, our callback and monitors,
 * one queue of remotes per vehicle, each remote followed from its POST to its Done (or read back
 * when the webhook stays silent), and the last known state of every vehicle.
 *
 * Data path: send() -> queue -> POST -> notifications at the listener -> tracker -> 'remote' events.
 *
 * This is the façade (start, stop, the public API, the events); the work is done by
 * RemoteLifecycle (the life of each remote), NotificationIntake (what the listener takes) and
 * VehicleWatch (status reads, monitors, polling).
 */
import { EventEmitter } from 'node:events';
import { promises as fsp } from 'node:fs';
import type { Router } from 'express';
import type { RemoteAction } from '../stellantis/actions';
import type { ResolvedAccountConfig } from '../config/validate';
import type { ApiVehicle, StellantisClient } from '../stellantis/client';
import type { VehicleCapabilities } from '../stellantis/capabilities';
import type { TokenStore } from '../stellantis/tokenStore';
import type { VehicleState } from '../stellantis/vehicleState';
import type { WebhookMessage } from '../stellantis/wire';
import type { Logger } from '../util/logger';
import { emitIsolated } from '../util/isolatedEmit';
import { createWebhookRouter, startWebhookServer, DEFAULT_SECRET_HEADER, type RunningWebhookServer } from '../webhook';
import { resolveAccountTimings, type AccountContext, type AccountTimings, type ResolvedAccountTimings } from './accountContext';
import { CallbackRegistration, type CallbackSpec } from './callbackRegistration';
import { CapabilityReader } from './capabilityReader';
import { ChargeLimits, type ChargeLimitInfo } from './chargeLimit';
import { sendChargeProgramEdit } from './chargeProgramEdits';
import type { ChargeProgramEdit } from '../stellantis/chargePrograms';
import { createAccountClient } from './clients';
import { explainError, needsUser } from './errorMeaning';
import { NotificationIntake } from './notificationIntake';
import { ProblemReporter } from './problemReporter';
import { RemoteLifecycle } from './remoteLifecycle';
import { RemoteHistory } from '../remotes/remoteHistory';
import { accountKeyOf, loadOrCreateWebhookSecret, storageFile } from './storageFiles';
import type { AccountEventArgs, AccountHandle, RemoteHandle, VehicleMonitors, VehicleStateChange } from './types';
import { monitorsView } from './monitorsView';
import { SenseWatch } from './senses';
import { VehicleStates } from './vehicleStates';
import { VehicleWatch } from './vehicleWatch';
import type { WakeUpBudget } from '../remotes/wakeUpBudget';

export type { AccountTimings } from './accountContext';
export { MONITOR_DATE_SKEW_MS } from './notificationIntake';

export type WebhookMode =
  | { mode: 'listen' }
  /**
   * The host serves the webhook router (Node-RED's httpNode). `url` is where the host serves it locally:
   * used as the callback target only for the simulator when webhook.publicUrl is absent.
   */
  | { mode: 'mount'; mount: (router: Router) => void; unmount: () => void; url?: string };

export interface StellantisAccountOptions {
  config: ResolvedAccountConfig;
  /** Folder for tokens, secret, callback id, remotes in flight (Homebridge storage path, Node-RED userDir). */
  storageDir: string;
  logger: Logger;
  client?: StellantisClient;
  /** B2C tokens kept here instead of the token file in storageDir (the built-in simulator's). */
  tokenStore?: TokenStore;
  webhook: WebhookMode;
  options?: AccountTimings;
  /**
   * What the caller read of these cars moments ago (`stellantis send` reads before it sends):
   * their start read is skipped, so a command never reads a car twice. `null`: the car said nothing.
   */
  capabilitiesRead?: Readonly<Record<string, VehicleCapabilities | null>>;
}

export class StellantisAccount extends EventEmitter<AccountEventArgs> implements AccountHandle {
  readonly vehicleIds: readonly string[];
  readonly client: StellantisClient;
  private readonly config: ResolvedAccountConfig;
  private readonly logger: Logger;
  private readonly storageDir: string;
  private readonly webhookMode: WebhookMode;
  private readonly ownsClient: boolean;
  private readonly accountKey: string;
  private readonly options: ResolvedAccountTimings;

  private readonly states: VehicleStates;
  private readonly callbacks: CallbackRegistration;
  private readonly problems: ProblemReporter;
  private readonly remotes: RemoteLifecycle;
  /** The last ends per vehicle, for the settings page (never read back by the engine). */
  private readonly history: RemoteHistory;
  private readonly senses = new SenseWatch();
  private readonly intake: NotificationIntake;
  private readonly watch: VehicleWatch;
  private readonly capabilities: CapabilityReader;
  private readonly chargeLimits: ChargeLimits;
  private readonly capabilitiesRead: StellantisAccountOptions['capabilitiesRead'];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Listeners already reported for throwing (each is logged once). */
  private readonly failedListeners = new WeakSet<object>();

  private secret = '';
  private target = '';
  private server: RunningWebhookServer | undefined;
  private mounted = false;
  private started = false;
  private stopped = false;

  constructor(opts: StellantisAccountOptions) {
    super();
    this.config = opts.config;
    this.logger = opts.logger;
    this.storageDir = opts.storageDir;
    this.webhookMode = opts.webhook;
    this.capabilitiesRead = opts.capabilitiesRead;
    this.vehicleIds = (opts.config.vehicles ?? []).map((v) => v.id);
    this.accountKey = accountKeyOf(opts.config);
    const labelPrefix = opts.config.webhook?.label || 'homebridge-stellantis';
    this.options = resolveAccountTimings(opts.options, opts.config);
    this.ownsClient = !opts.client;
    this.client = opts.client ?? createAccountClient(opts.config, { storageDir: this.storageDir, store: opts.tokenStore, logger: this.logger });
    this.problems = new ProblemReporter(this.logger, (p) => this.emitSafely('problem', p));
    const file = (kind: Parameters<typeof storageFile>[1]) => storageFile(this.storageDir, kind, this.accountKey);
    this.states = new VehicleStates((c) => this.stateChanged(c), {
      path: file('vehicle-states'),
      onChangeError: (err) => this.problems.report(`internal error while announcing a state change: ${explainError(err)}`),
    });
    this.callbacks = new CallbackRegistration({ client: this.client, spec: () => this.callbackSpec(labelPrefix), path: file('callback'), logger: this.logger });
    const ctx: AccountContext = {
      config: this.config,
      client: this.client,
      logger: this.logger,
      options: this.options,
      problems: this.problems,
      states: this.states,
      callbacks: this.callbacks,
      vehicleIds: this.vehicleIds,
      labelPrefix,
      isStopped: () => this.stopped,
      later: (ms, fn) => this.later(ms, fn),
    };
    this.capabilities = new CapabilityReader(ctx, (c) => this.emitSafely('capabilities', c));
    this.history = new RemoteHistory(file('remote-history'));
    this.remotes = new RemoteLifecycle(ctx, {
      capabilitiesOf: (vehicleId) => this.capabilities.capabilitiesOf(vehicleId),
      onCarCannot: (vehicleId) => this.capabilities.afterRefusal(vehicleId),
      inFlightPath: file('remotes-in-flight'),
      wakeUpsPath: file('wake-ups'),
      onProgress: (p) => {
        this.history.record(p);
        this.emitSafely('remote', p);
      },
      afterSuccess: (vehicleId, action) => this.watch.afterSuccess(vehicleId, action),
      onCallbackReplaced: () => void this.watch.setUp({ readStatus: false }),
    });
    this.intake = new NotificationIntake(ctx, this.remotes, (m, vehicleId) => this.notify(m, vehicleId));
    this.chargeLimits = new ChargeLimits({
      path: file('charge-limits'),
      send: (vehicleId, action) => this.remotes.send(vehicleId, action),
      capabilitiesOf: (vehicleId) => this.capabilities.capabilitiesOf(vehicleId),
      emit: (e) => this.emitSafely('chargeLimit', e),
      // Only the monitors change: no status read, so setting a limit never wakes or reads the car.
      onTriggersChanged: (vehicleId) => {
        if (this.started && this.callbacks.callbackId) void this.watch.replan(vehicleId);
      },
    });
    this.watch = new VehicleWatch(ctx, this.intake, (vehicleId) => {
      const extra = this.chargeLimits.planExtraFor(vehicleId);
      return extra ? [extra] : [];
    });
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

    const inFlight = await this.remotes.load();
    const limitsProblem = await this.chargeLimits.load();
    if (limitsProblem) this.problems.report(`${limitsProblem}; the charge limits start empty`);
    // A limit the CLI writes to this storage folder applies at once.
    this.chargeLimits.watchFile((problem) => this.problems.report(problem));
    await this.history.load();
    await this.states.restore(this.vehicleIds);
    this.capabilities.announceRestored();
    // Before the listener opens: the backlog Stellantis kept while we were down arrives first.
    await this.intake.loadSavedMonitors();

    await this.openWebhook();
    try {
      await this.callbacks.ensure();
    } catch (err) {
      if (needsUser(err)) {
        await this.stop();
        throw new Error(`could not register the webhook callback with Stellantis: ${explainError(err)}`, { cause: err });
      }
      this.problems.report(`could not register the webhook callback yet (${explainError(err)}); retrying in the background`);
      this.watch.retryRegistration(this.options.registrationRetryMs);
    }
    // One vehicle read per car: what each car can do, before the first remote is sent.
    await this.capabilities.readAll(this.capabilitiesRead);
    for (const rec of inFlight) this.remotes.resume(rec);
    this.remotes.open();
    if (this.callbacks.callbackId) await this.watch.setUp();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.watch.stop();
    this.chargeLimits.unwatch();
    const remotesSaved = this.remotes.stop();
    this.intake.clear();
    await Promise.all([remotesSaved, this.states.close()]);
    await this.history.flush();
    await this.chargeLimits.flush();
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
    this.intake.forgetMonitors();
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
    return this.remotes.activeRemotes();
  }

  // --- remotes and states ---

  send(vehicleId: string, action: RemoteAction): RemoteHandle {
    return this.remotes.send(vehicleId, action);
  }

  /** Every vehicle of the account, as the API lists them (one call per page). */
  listVehicles(): Promise<ApiVehicle[]> {
    return this.client.listVehicles();
  }

  stateOf(vehicleId: string): VehicleState {
    return this.states.get(vehicleId);
  }

  monitorsOf(vehicleId: string): VehicleMonitors {
    return monitorsView(this.watch.planOf(vehicleId), this.intake.monitorsOf(vehicleId));
  }

  capabilitiesOf(vehicleId: string): VehicleCapabilities | undefined {
    return this.capabilities.capabilitiesOf(vehicleId);
  }

  setChargeLimit(vehicleId: string, percent: number | null): RemoteHandle | undefined {
    if (!this.vehicleIds.includes(vehicleId)) throw new Error(`unknown vehicle ${vehicleId}; one of: ${this.vehicleIds.join(', ')}`);
    return this.chargeLimits.set(vehicleId, percent);
  }

  chargeLimitOf(vehicleId: string): ChargeLimitInfo | undefined {
    return this.chargeLimits.info(vehicleId);
  }

  /** This month's wake-ups against the assumed cap, as far as we can tell (other apps' wake-ups are not seen). */
  wakeUpBudgetOf(vehicleId: string): WakeUpBudget {
    return this.remotes.wakeUpBudgetOf(vehicleId);
  }

  editChargeProgram(vehicleId: string, edit: ChargeProgramEdit): Promise<RemoteHandle> {
    if (!this.vehicleIds.includes(vehicleId)) throw new Error(`unknown vehicle ${vehicleId}; one of: ${this.vehicleIds.join(', ')}`);
    return sendChargeProgramEdit(
      { activeRemotes: () => this.activeRemotes(), stateOf: (id) => this.stateOf(id), readStatus: (id) => this.readStatus(id), send: (id, a) => this.send(id, a) },
      vehicleId,
      edit,
    );
  }

  readStatus(vehicleId: string, opts: { raw?: boolean } = {}): Promise<{ state: VehicleState; raw?: unknown }> {
    return this.watch.readStatus(vehicleId, opts);
  }

  // --- webhook ---

  private callbackSpec(label: string): CallbackSpec {
    const attributes = [{ type: 'Header' as const, key: DEFAULT_SECRET_HEADER, value: this.secret }];
    return {
      label,
      target: this.target,
      attributes,
      types: this.config.flavour === 'b2c' ? ['Remote', 'Monitor'] : undefined,
    };
  }

  private async openWebhook(): Promise<void> {
    const hook = this.config.webhook;
    const path = hook?.path ?? '/stellantis/webhook';
    const options = {
      path,
      secret: this.secret,
      callbackIds: () => this.intake.ourCallbackIds(),
      trustProxy: hook?.trustProxy,
      logger: this.logger,
      sink: this.intake.sink,
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
    if (this.listenerCount('notification') > 0) this.emitSafely('notification', m, vehicleId ? { vehicleId } : {});
  }

  /** A listener that throws is the listener's problem: logged once, and never changes what the engine does or answers. */
  private stateChanged(c: VehicleStateChange): void {
    this.chargeLimits.onState(c.vehicleId, c.state, c.source);
    this.emitSafely('state', c);
    for (const sense of this.senses.observe(c)) this.emitSafely('sense', sense);
  }

  private emitSafely<E extends keyof AccountEventArgs>(event: E, ...args: AccountEventArgs[E]): void {
    emitIsolated(this, event, args, (err, listener) => {
      if (this.failedListeners.has(listener)) return;
      this.failedListeners.add(listener);
      this.logger.error(`a listener of the '${event}' event threw (${explainError(err)}); ignored, the engine carries on (logged once per listener)`);
    });
  }
}
