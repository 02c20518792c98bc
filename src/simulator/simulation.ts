/**
 * The Stellantis side as one object: vehicles, callbacks, remotes, monitors, the remote player and
 * the notifier, wired together. The HTTP routers only translate requests into calls on this.
 */
import { ChargeSchedule } from './chargeSchedule';
import { Clock } from './clock';
import { Faults } from './faults';
import { Driver } from './driving';
import { eventExtensions, type StatusLinks } from './eventExtensions';
import { Fleet, type VehicleChanges } from './fleet';
import { nowIso, randomHex } from './ids';
import { parseMonitorParameter } from './monitorParam';
import { MonitorWatch, type FiredValue } from './monitorWatch';
import { bodyAttributes, Notifier } from './notifier';
import { RemotePlayer, type EventStatus } from './remotePlayer';
import type { CheckedRemote, Flavour } from './remoteCheck';
import { MAX_MONITORS_PER_VEHICLE, parseSubscribe, type SimCallback, type SimMonitor, type SimRemote } from './store';
import { ApiError } from './errors';
import type { DeliveryRecord, SimVehicleSeed, SimVehicleState } from './types';
import { isObject } from '../util/isObject';

export interface SimulationOptions {
  seeds: SimVehicleSeed[];
  timeScale: number;
  wakeUpsPerMonth: number;
  autoSleepSeconds: number;
  wakeUpDrain12v?: number;
  webhookCa?: string;
  log: (line: string) => void;
}

export class Simulation {
  readonly clock: Clock;
  readonly faults = new Faults();
  readonly fleet: Fleet;
  readonly deliveries: DeliveryRecord[] = [];
  readonly callbacks = new Map<string, SimCallback>();
  readonly remotes = new Map<string, SimRemote>();
  readonly monitors = new Map<string, SimMonitor>();
  /** The webhook each B2B fleet monitor brings in its `subscribeParam`, by its own callback id. */
  readonly monitorCallbacks = new Map<string, SimCallback>();
  readonly notifier: Notifier;
  readonly watch: MonitorWatch;
  readonly driver: Driver;
  readonly chargeSchedule: ChargeSchedule;
  /** API bases and fleet id, for the links inside attached statuses (set once the server listens). */
  links = { b2c: '', b2b: '', fleetId: '' };
  wakeUpsPerMonth: number;
  private readonly player: RemotePlayer;

  constructor(private readonly opts: SimulationOptions) {
    this.clock = new Clock(opts.timeScale);
    this.wakeUpsPerMonth = opts.wakeUpsPerMonth;
    this.fleet = new Fleet(opts.seeds, this.clock, opts.autoSleepSeconds * 1000, opts.wakeUpDrain12v);
    this.notifier = new Notifier(this.clock, this.faults, this.deliveries, (id) => this.callbacks.get(id) ?? this.monitorCallbacks.get(id), opts.log, opts.webhookCa);
    this.player = new RemotePlayer(this.fleet, this.clock, () => this.wakeUpsPerMonth, (r, e) => this.remoteEvent(r, e));
    this.watch = new MonitorWatch(this.clock, this.fleet, () => this.monitors.values(), (m, v, values, refresh) => this.monitorEvent(m, v, values, refresh));
    this.driver = new Driver(this.fleet, this.clock);
    this.chargeSchedule = new ChargeSchedule(this.clock, this.fleet);
    this.fleet.on('changed', (batch: VehicleChanges) => {
      this.watch.changed(batch);
      this.chargeSchedule.changed(batch.vehicleId);
    });
    this.chargeSchedule.timePassed();
  }

  addCallback(cb: Omit<SimCallback, 'id' | 'status'>): SimCallback {
    const created: SimCallback = { ...cb, id: randomHex(16), status: 'Running' };
    this.callbacks.set(created.id, created);
    return created;
  }

  callback(id: string, flavour: Flavour): SimCallback {
    const cb = this.callbacks.get(id);
    if (!cb || cb.flavour !== flavour) throw new ApiError(404, `Callback ${id} not found`, 4);
    return cb;
  }

  replaceCallback(id: string, flavour: Flavour, next: Omit<SimCallback, 'id' | 'status'>): SimCallback {
    const cb = this.callback(id, flavour);
    Object.assign(cb, next);
    this.notifier.kick(id);
    return cb;
  }

  setCallbackStatus(id: string, flavour: Flavour, status: unknown): SimCallback {
    const cb = this.callback(id, flavour);
    if (status !== 'Running' && status !== 'Paused') throw new ApiError(400, 'status must be "Running" or "Paused"', 12);
    cb.status = status;
    if (status === 'Running') this.notifier.kick(id);
    return cb;
  }

  /** Deleting a callback drops its waiting notifications and deletes its monitors. */
  deleteCallback(id: string, flavour: Flavour): void {
    this.callback(id, flavour);
    if (flavour === 'b2b' && [...this.remotes.values()].some((r) => r.callbackId === id && !r.done)) {
      throw new ApiError(400, `Callback ${id} still has a remote in progress; delete it once the remote is done`, 13);
    }
    this.callbacks.delete(id);
    this.notifier.forget(id);
    for (const [mid, m] of this.monitors) {
      if (m.callbackId !== id) continue;
      this.watch.stop(mid);
      this.monitors.delete(mid);
    }
  }

  sendRemote(flavour: Flavour, vehicleId: string, cb: SimCallback, checked: CheckedRemote): SimRemote {
    if (flavour === 'b2c' && !cb.types.includes('Remote')) {
      throw new ApiError(400, `Callback ${cb.id} was not subscribed with type "Remote"`, 14);
    }
    if (flavour === 'b2b' && cb.remoteTypes && !cb.remoteTypes.includes(checked.type)) {
      throw new ApiError(400, `Callback ${cb.id} does not accept ${checked.type} remotes (remoteTypes: ${cb.remoteTypes.join(', ')})`, 14);
    }
    const remote: SimRemote = {
      id: randomHex(16),
      flavour,
      vehicleId,
      callbackId: cb.id,
      type: checked.type,
      action: checked.action,
      body: checked.body,
      status: 'Accepted',
      done: false,
      createdAt: Date.now(),
    };
    this.remotes.set(remote.id, remote);
    this.opts.log(`remote ${remote.type} on ${vehicleId.slice(0, 8)}… started`);
    this.player.start(remote);
    return remote;
  }

  remotesOf(vehicleId: string, callbackId: string): SimRemote[] {
    return [...this.remotes.values()].filter((r) => r.vehicleId === vehicleId && r.callbackId === callbackId);
  }

  /** A B2C monitor of one car on one of the user's callbacks; at most 5 per car. */
  addMonitor(vehicleId: string, cb: SimCallback, body: unknown): SimMonitor {
    const spec = parseMonitorParameter(body, 'b2c');
    const count = [...this.monitors.values()].filter((m) => m.vehicleId === vehicleId).length;
    if (count >= MAX_MONITORS_PER_VEHICLE) {
      throw new ApiError(400, `This vehicle already has ${MAX_MONITORS_PER_VEHICLE} monitors, the maximum; delete one first`, 21);
    }
    const now = Date.now();
    const m: SimMonitor = { ...spec, id: randomHex(16), flavour: 'b2c', vehicleId, callbackId: cb.id, status: 'Running', createdAt: now, updatedAt: now };
    this.monitors.set(m.id, m);
    this.watch.start(m);
    return m;
  }

  /**
   * A B2B monitor of every car of the fleet, delivered to the webhook of its `subscribeParam`.
   * Since each applies to every car, a fleet has at most 5 (the per-car limit).
   */
  addFleetMonitor(body: unknown): SimMonitor {
    const { spec, callback } = this.parseFleetMonitor(body);
    const count = [...this.monitors.values()].filter((m) => m.flavour === 'b2b').length;
    if (count >= MAX_MONITORS_PER_VEHICLE) {
      throw new ApiError(400, `This fleet already has ${MAX_MONITORS_PER_VEHICLE} monitors, the maximum for each of its vehicles; delete one first`, 21);
    }
    const cb: SimCallback = { ...callback, id: randomHex(16), status: 'Running' };
    this.monitorCallbacks.set(cb.id, cb);
    const now = Date.now();
    const m: SimMonitor = { ...spec, id: randomHex(16), flavour: 'b2b', callbackId: cb.id, status: 'Running', createdAt: now, updatedAt: now };
    this.monitors.set(m.id, m);
    this.watch.start(m);
    return m;
  }

  /** PUT: the whole parameter is replaced; the monitor starts again from the cars' states. */
  updateMonitor(m: SimMonitor, body: unknown): SimMonitor {
    if (m.flavour === 'b2b') {
      const { spec, callback } = this.parseFleetMonitor(body);
      const cb = this.monitorCallbacks.get(m.callbackId);
      if (cb) Object.assign(cb, callback);
      Object.assign(m, spec);
      this.notifier.kick(m.callbackId);
    } else {
      Object.assign(m, parseMonitorParameter(body, 'b2c'));
    }
    m.updatedAt = Date.now();
    this.watch.start(m);
    return m;
  }

  setMonitorStatus(m: SimMonitor, status: unknown): SimMonitor {
    if (status !== 'Running' && status !== 'Paused') throw new ApiError(400, 'status must be "Running" or "Paused"', 12);
    const resumed = status === 'Running' && m.status !== 'Running';
    m.status = status;
    m.updatedAt = Date.now();
    if (status === 'Paused') this.watch.stop(m.id);
    if (resumed) this.watch.start(m);
    return m;
  }

  deleteMonitor(m: SimMonitor): void {
    this.watch.stop(m.id);
    this.monitors.delete(m.id);
    if (m.flavour === 'b2b') {
      this.monitorCallbacks.delete(m.callbackId);
      this.notifier.forget(m.callbackId);
    }
  }

  monitor(vehicleId: string, callbackId: string, id: string): SimMonitor {
    const m = this.monitors.get(id);
    if (!m || m.flavour !== 'b2c' || m.vehicleId !== vehicleId || m.callbackId !== callbackId) throw new ApiError(404, `Monitor ${id} not found`, 5);
    return m;
  }

  fleetMonitor(id: string): SimMonitor {
    const m = this.monitors.get(id);
    if (!m || m.flavour !== 'b2b') throw new ApiError(404, `Monitor ${id} not found in the fleet`, 5);
    return m;
  }

  /** Sets the wall clock time triggers read, and looks at them again at once. */
  setClock(at: number): void {
    this.clock.setNow(at);
    this.watch.timePassed();
    this.chargeSchedule.timePassed();
  }

  private parseFleetMonitor(body: unknown) {
    const spec = parseMonitorParameter(body, 'b2b');
    const sub = isObject(body) ? body.subscribeParam : undefined;
    if (!isObject(sub)) throw new ApiError(400, 'subscribeParam is required for a fleet monitor: {"callback": {"webhook": {"name", "target"}}, "refreshEvent"?}', 20);
    return { spec, callback: { ...parseSubscribe(sub, 'b2b', true), label: spec.label } };
  }

  stop(): void {
    this.watch.stopAll();
    this.chargeSchedule.stop();
    this.clock.stop();
    this.notifier.stop();
    this.fleet.removeAllListeners();
  }

  private baseMessage(cb: SimCallback, vin: string, type: 'Remote' | 'Monitor', extra: Array<{ key: string; value: string }> = []) {
    const vars = { vin, callbackId: cb.id, callbackLabel: cb.label ?? '' };
    const attributes = [...bodyAttributes(cb.attributes, vars), ...extra];
    return { callbackId: cb.id, type, date: nowIso(), ...(attributes.length ? { attributes } : {}) };
  }

  private remoteEvent(remote: SimRemote, event: EventStatus): void {
    const cb = this.callbacks.get(remote.callbackId);
    this.opts.log(`remote ${remote.type} ${event.type} ${event.status}${event.failureCause ? ` (${event.failureCause})` : ''}`);
    if (!cb) return;
    const v = this.fleet.find(remote.vehicleId);
    const vin = v?.vin ?? '';
    const remoteAttrs = Array.isArray(remote.body.attributes) ? (remote.body.attributes as Array<{ type: string; key: string; value: string }>) : [];
    const extra = remoteAttrs
      .filter((a) => a.type === 'Body')
      .map((a) => ({
        key: a.key,
        value: a.value === 'RemoteType' ? remote.type : a.value === 'RemoteStatus' ? event.status : a.value === 'RemoteLabel' ? String(remote.body.label ?? '') : a.value,
      }));
    const message = {
      ...this.baseMessage(cb, vin, 'Remote', extra),
      remoteEvent: { remoteActionId: remote.id, remoteType: remote.type, eventStatus: event },
    };
    this.notifier.enqueue(cb.id, { message, vin });
  }

  private statusLinks(m: SimMonitor, v: SimVehicleState): StatusLinks {
    if (m.flavour === 'b2c') {
      const vehicleHref = `${this.links.b2c}/user/vehicles/${v.id}`;
      return { vehicleHref, statusHref: `${vehicleHref}/status` };
    }
    const fleetHref = `${this.links.b2b}/fleets/${this.links.fleetId}`;
    const vehicleHref = `${fleetHref}/vehicles/${v.id}`;
    return { vehicleHref, statusHref: `${vehicleHref}/status`, extra: { fleet: { href: fleetHref } } };
  }

  private monitorEvent(m: SimMonitor, v: SimVehicleState, values: FiredValue[], refresh: boolean): void {
    const cb = m.flavour === 'b2b' ? this.monitorCallbacks.get(m.callbackId) : this.callbacks.get(m.callbackId);
    if (!cb || !cb.types.includes('Monitor')) return;
    const extensions = m.extensions.length ? eventExtensions(m.extensions, v, this.statusLinks(m, v)) : [];
    const message = {
      ...this.baseMessage(cb, v.vin, 'Monitor'),
      monitorEvent: {
        monitorId: m.id,
        values: values.map((x) => ({ data: x.data, value: { type: 'string', body: { literalValue: x.value } }, ...(x.previous !== undefined ? { previous: x.previous } : {}) })),
        ...(extensions.length ? { extensions } : {}),
        refresh,
      },
    };
    this.notifier.enqueue(cb.id, { message, vin: v.vin });
  }
}
