/**
 * The Stellantis side as one object: vehicles, callbacks, remotes, monitors, the remote player and
 * the notifier, wired together. The HTTP routers only translate requests into calls on this.
 */
import { Clock } from './clock';
import { Faults } from './faults';
import { Fleet, type MonitoredChange } from './fleet';
import { nowIso, randomHex } from './ids';
import { bodyAttributes, Notifier } from './notifier';
import { RemotePlayer, type EventStatus } from './remotePlayer';
import type { CheckedRemote, Flavour } from './remoteCheck';
import { MAX_MONITORS_PER_VEHICLE, parseMonitor, triggerFires, type SimCallback, type SimMonitor, type SimRemote } from './store';
import { ApiError } from './errors';
import type { DeliveryRecord, SimVehicleSeed } from './types';

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
  readonly notifier: Notifier;
  wakeUpsPerMonth: number;
  private readonly player: RemotePlayer;

  constructor(private readonly opts: SimulationOptions) {
    this.clock = new Clock(opts.timeScale);
    this.wakeUpsPerMonth = opts.wakeUpsPerMonth;
    this.fleet = new Fleet(opts.seeds, this.clock, opts.autoSleepSeconds * 1000, opts.wakeUpDrain12v);
    this.notifier = new Notifier(this.clock, this.faults, this.deliveries, (id) => this.callbacks.get(id), opts.log, opts.webhookCa);
    this.player = new RemotePlayer(this.fleet, this.clock, () => this.wakeUpsPerMonth, (r, e) => this.remoteEvent(r, e));
    this.fleet.on('monitored', (c: MonitoredChange) => this.monitoredChange(c));
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
    for (const [mid, m] of this.monitors) if (m.callbackId === id) this.monitors.delete(mid);
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

  addMonitor(vehicleId: string, cb: SimCallback, body: unknown): SimMonitor {
    const parsed = parseMonitor(body);
    const count = [...this.monitors.values()].filter((m) => m.vehicleId === vehicleId).length;
    if (count >= MAX_MONITORS_PER_VEHICLE) {
      throw new ApiError(400, `This vehicle already has ${MAX_MONITORS_PER_VEHICLE} monitors, the maximum; delete one first`, 21);
    }
    const now = Date.now();
    const m: SimMonitor = { id: randomHex(16), vehicleId, callbackId: cb.id, ...parsed, status: 'Running', createdAt: now, updatedAt: now };
    this.monitors.set(m.id, m);
    return m;
  }

  monitor(vehicleId: string, callbackId: string, id: string): SimMonitor {
    const m = this.monitors.get(id);
    if (!m || m.vehicleId !== vehicleId || m.callbackId !== callbackId) throw new ApiError(404, `Monitor ${id} not found`, 5);
    return m;
  }

  stop(): void {
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

  private monitoredChange(c: MonitoredChange): void {
    for (const m of this.monitors.values()) {
      if (m.vehicleId !== c.vehicleId || m.status !== 'Running') continue;
      const fires = m.triggers.some((t) => t.data === c.data && triggerFires(t, c.value, c.previous));
      if (!fires) continue;
      const cb = this.callbacks.get(m.callbackId);
      if (!cb || !cb.types.includes('Monitor')) continue;
      const vin = this.fleet.find(c.vehicleId)?.vin ?? '';
      const message = {
        ...this.baseMessage(cb, vin, 'Monitor'),
        monitorEvent: {
          monitorId: m.id,
          values: [{ data: c.data, value: { type: 'string', body: { literalValue: c.value } }, previous: c.previous }],
          refresh: false,
        },
      };
      this.notifier.enqueue(cb.id, { message, vin });
    }
  }
}
