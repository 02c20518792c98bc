/**
 * The vehicles of the simulated account (plus one foreign vehicle) and their physics: charging
 * raises the level over time, preconditioning ends by itself, a used car falls asleep again.
 * Every change goes through `update`, which reports the monitored values that changed.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from './clock';
import { autonomy } from './statusBody';
import { DOOR_OPENINGS, OPENINGS, chargingStatusOf, clampLevel, createVehicle, hasTractionBattery } from './vehicles';
import type { SimVehicleSeed, SimVehicleState } from './types';

/** Simulated time: 1 % of battery per simulated minute while charging. */
const CHARGE_TICK_MS = 60_000;
const CHARGE_PER_TICK = 1;
/**
 * Where a `Partial` charge stops. The spec only says Partial "will stop before end of charge"; 80 %
 * is the simulator's choice, not a known value (docs/charging.md).
 */
export const SIM_PARTIAL_STOP_LEVEL = 80;
const PRECONDITIONING_MS = 20 * 60_000;
/** Simulated time: the 12 V battery regains 1 % per simulated minute while driving or charging. */
const RECOVER_12V_TICK_MS = 60_000;
const RECOVER_12V_PER_TICK = 1;
const MAX_12V = 99;

export interface MonitoredChange {
  vehicleId: string;
  data: string;
  value: string;
  previous: string;
}

/** One `update` of one car: the monitored values that changed (maybe none: a move, say). */
export interface VehicleChanges {
  vehicleId: string;
  changes: MonitoredChange[];
}

const electricOnly = (read: (v: SimVehicleState) => string) => (v: SimVehicleState) => (hasTractionBattery(v) ? read(v) : undefined);

/** The monitorable data paths this simulator produces, and how each is read from the state. */
export const MONITORED_DATA: Record<string, (v: SimVehicleState) => string | undefined> = {
  'vehicle.doorsState.lockedState': (v) => (v.locked ? 'Locked' : 'Unlocked'),
  // What is open, as a list (`Driver,Trunk`), or `Closed`: opening any door, the boot or a window changes it.
  'vehicle.doorsState.opening': (v) => OPENINGS.filter((o) => v.openings[o]).join(',') || 'Closed',
  'vehicle.energy.electric.level': electricOnly((v) => String(Math.floor(v.level))),
  'vehicle.energy.electric.autonomy': electricOnly((v) => String(autonomy(v, 'electric'))),
  'vehicle.energy.fuel.level': (v) => (v.kind === 'thermal' ? String(Math.floor(v.level)) : v.kind === 'hybrid' ? String(Math.floor(v.fuelLevel)) : undefined),
  'vehicle.energy.fuel.autonomy': (v) => (v.kind === 'electric' ? undefined : String(autonomy(v, 'fuel'))),
  'vehicle.autonomy': (v) => String((v.kind !== 'electric' ? autonomy(v, 'fuel') : 0) + (hasTractionBattery(v) ? autonomy(v, 'electric') : 0)),
  'vehicle.energy.charging.status': electricOnly((v) => v.chargingStatus),
  'vehicle.energy.charging.plugged': electricOnly((v) => String(v.plugged)),
  'vehicle.energy.charging.type': electricOnly((v) => v.chargingType),
  'vehicle.preconditioning.airConditioning': (v) => v.preconditioningStatus,
  'vehicle.kinetic.moving': (v) => String(v.moving),
  'vehicle.kinetic.speed': (v) => String(Math.round(v.speedKmh)),
  'vehicle.powertrain.status': (v) => (v.moving ? 'Running' : 'Stopped'),
  'vehicle.odometer': (v) => String(Math.floor(v.mileage)),
  'vehicle.trip.start': (v) => v.trip?.id,
  'vehicle.trip.stop': (v) => v.lastStoppedTripId,
  'vehicle.alarm.status.activation': (v) => (v.alarmActive ? 'Active' : 'Deactive'),
  'vehicle.alarm.trigger.type': (v) => v.alarmTrigger?.type,
  'environment.air.temp': (v) => String(v.outsideTemp),
  'privacy.state': (v) => v.privacy,
};

/** The monitored values of a car now. */
export function monitoredValues(v: SimVehicleState): Record<string, string | undefined> {
  return snapshot(v);
}

function snapshot(v: SimVehicleState): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [data, read] of Object.entries(MONITORED_DATA)) out[data] = read(v);
  return out;
}

export class Fleet extends EventEmitter {
  readonly vehicles: SimVehicleState[];
  readonly foreign: SimVehicleState;
  private readonly byId = new Map<string, SimVehicleState>();
  private tripCount = 0;
  private readonly cancelCharge = new Map<string, () => void>();
  private readonly cancelPrecond = new Map<string, () => void>();
  private readonly cancelSleep = new Map<string, () => void>();
  private readonly cancel12v = new Map<string, () => void>();

  constructor(
    seeds: SimVehicleSeed[],
    private readonly clock: Clock,
    private readonly autoSleepMs: number,
    /** Points of 12 V charge one wake-up costs. */
    private readonly wakeUpDrain12v = 2,
  ) {
    super();
    this.vehicles = seeds.map((s, i) => createVehicle(s, i));
    this.foreign = createVehicle({ kind: 'electric', model: 'e-2008' }, 0, 'FRN');
    for (const v of this.vehicles) {
      if (this.byId.has(v.id)) throw new Error(`simulator: two vehicles share the id "${v.id}"; give each seed its own id`);
      this.byId.set(v.id, v);
    }
    for (const v of this.vehicles) this.syncPhysics(v);
  }

  find(id: string): SimVehicleState | undefined {
    return this.byId.get(id);
  }

  get(id: string): SimVehicleState {
    const v = this.find(id);
    if (!v) throw new Error(`simulator: no vehicle with id "${id}" (known: ${this.vehicles.map((x) => x.id).join(', ')})`);
    return v;
  }

  isForeign(id: string): boolean {
    return id === this.foreign.id;
  }

  /** Applies a patch, keeps derived fields consistent, and emits 'changed' with the monitored values that changed. */
  update(id: string, patch: Partial<SimVehicleState>): SimVehicleState {
    const v = this.get(id);
    const before = snapshot(v);
    const { id: _ignoredId, ...rest } = patch;
    // openings may be given in part: the others keep their state.
    if (rest.openings) rest.openings = { ...v.openings, ...rest.openings };
    const wasMoving = v.moving;
    Object.assign(v, rest);
    this.normalize(v, patch);
    if (v.moving !== wasMoving) this.startOrStopTrip(v);
    v.updatedAt = Date.now();
    const after = snapshot(v);
    const changes: MonitoredChange[] = [];
    for (const data of Object.keys(after)) {
      const value = after[data];
      const previous = before[data];
      if (value !== undefined && value !== previous) changes.push({ vehicleId: v.id, data, value, previous: previous ?? '' });
    }
    this.syncPhysics(v);
    const batch: VehicleChanges = { vehicleId: v.id, changes };
    this.emit('changed', batch);
    return v;
  }

  /** The car's modules woke (a state refresh, or a remote that woke a sleeping car): the 12 V battery pays for it. */
  drain12v(id: string): void {
    const v = this.get(id);
    this.update(id, { battery12v: Math.round((v.battery12v - this.wakeUpDrain12v) * 10) / 10 });
  }

  /** A remote reached the car: it is awake now and falls asleep after a while without activity. */
  touch(id: string): void {
    const v = this.get(id);
    if (v.asleep) this.update(id, { asleep: false });
    this.cancelSleep.get(id)?.();
    if (this.autoSleepMs > 0) {
      this.cancelSleep.set(
        id,
        this.clock.after(this.autoSleepMs, () => {
          this.cancelSleep.delete(id);
          if (this.find(id)) this.update(id, { asleep: true });
        }),
      );
    }
  }

  /** Moving opens a trip (`vehicle.trip.start`), parking closes it (`vehicle.trip.stop`). */
  private startOrStopTrip(v: SimVehicleState): void {
    const now = Date.now();
    if (v.moving) {
      this.tripCount++;
      v.trip = { id: `TRIP-${v.vin.slice(-6)}-${now.toString(36)}-${this.tripCount}`, startedAt: now, startPosition: { ...v.position }, startMileage: v.mileage, distanceKm: 0 };
    } else {
      v.speedKmh = 0;
      if (v.trip && v.trip.stoppedAt === undefined) {
        v.trip.stoppedAt = now;
        v.trip.stopPosition = { ...v.position };
        v.trip.distanceKm = Math.round((v.mileage - v.trip.startMileage) * 10) / 10;
        v.lastStoppedTripId = v.trip.id;
      }
    }
  }

  private normalize(v: SimVehicleState, patch: Partial<SimVehicleState>): void {
    v.level = clampLevel(v.level);
    v.fuelLevel = clampLevel(v.fuelLevel);
    v.battery12v = clampLevel(v.battery12v);
    if (patch.doorsOpen !== undefined && patch.openings === undefined) {
      // The old knob: open means the driver's door, closed closes every door and the boot.
      if (patch.doorsOpen && !DOOR_OPENINGS.some((o) => v.openings[o])) v.openings = { ...v.openings, Driver: true };
      if (!patch.doorsOpen) v.openings = { ...v.openings, ...Object.fromEntries(DOOR_OPENINGS.map((o) => [o, false])) };
    }
    v.doorsOpen = DOOR_OPENINGS.some((o) => v.openings[o]);
    if (patch.lockedStates !== undefined) {
      v.locked = patch.lockedStates.includes('Locked') || patch.lockedStates.includes('SuperLocked');
    } else if (patch.locked !== undefined) {
      v.lockedStates = undefined;
    }
    if (patch.deepSleep === true) v.asleep = true;
    if (patch.asleep === false) v.deepSleep = false;
    if (!hasTractionBattery(v)) {
      v.plugged = false;
      v.charging = false;
    }
    if (!v.plugged) v.charging = false;
    if (patch.chargingStatus !== undefined) {
      if (!v.plugged) v.chargingStatus = 'Disconnected';
    } else if (patch.charging !== undefined || patch.plugged !== undefined) {
      v.chargingStatus = chargingStatusOf(hasTractionBattery(v), v.plugged, v.charging);
    }
    if (patch.preconditioning !== undefined && patch.preconditioningStatus === undefined) {
      v.preconditioningStatus = v.preconditioning ? 'Enabled' : 'Disabled';
    }
  }

  private syncPhysics(v: SimVehicleState): void {
    const recovering = (v.charging || v.moving) && v.battery12v < MAX_12V;
    if (recovering && !this.cancel12v.has(v.id)) this.schedule12vTick(v.id);
    if (!recovering) {
      this.cancel12v.get(v.id)?.();
      this.cancel12v.delete(v.id);
    }
    if (v.charging && !this.cancelCharge.has(v.id)) this.scheduleChargeTick(v.id);
    if (!v.charging) {
      this.cancelCharge.get(v.id)?.();
      this.cancelCharge.delete(v.id);
    }
    if (v.preconditioning && !this.cancelPrecond.has(v.id)) {
      this.cancelPrecond.set(
        v.id,
        this.clock.after(PRECONDITIONING_MS, () => {
          this.cancelPrecond.delete(v.id);
          if (this.find(v.id)?.preconditioning) {
            this.update(v.id, { preconditioning: false, preconditioningStatus: 'Finished' });
          }
        }),
      );
    }
    if (!v.preconditioning) {
      this.cancelPrecond.get(v.id)?.();
      this.cancelPrecond.delete(v.id);
    }
  }

  private schedule12vTick(id: string): void {
    this.cancel12v.set(
      id,
      this.clock.after(RECOVER_12V_TICK_MS, () => {
        this.cancel12v.delete(id);
        const v = this.find(id);
        if (!v || !(v.charging || v.moving)) return;
        this.update(id, { battery12v: Math.min(MAX_12V, v.battery12v + RECOVER_12V_PER_TICK) });
      }),
    );
  }

  private scheduleChargeTick(id: string): void {
    this.cancelCharge.set(
      id,
      this.clock.after(CHARGE_TICK_MS, () => {
        this.cancelCharge.delete(id);
        const v = this.find(id);
        if (!v || !v.charging) return;
        const level = clampLevel(v.level + CHARGE_PER_TICK);
        if (level >= 100) this.update(id, { level: 100, charging: false, chargingStatus: 'Finished' });
        else if (v.chargingType === 'Partial' && level >= SIM_PARTIAL_STOP_LEVEL) this.update(id, { level, charging: false, chargingStatus: 'Finished' });
        else this.update(id, { level });
      }),
    );
  }
}
