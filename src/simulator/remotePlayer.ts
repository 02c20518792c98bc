/**
 * Plays one remote action on the simulated car, as the Stellantis side lives it: Pending Accepted
 * -> WakingUpVehicle (if asleep) -> CheckingVehicle -> SentToVehicle -> one Done. Delays are
 * simulated time.
 *
 * Choices where the docs leave room: a second remote on a busy car gets only `Done Failed
 * SameActionInProgress`; charging a thermal car fails with WrongCommand after CheckingVehicle (the
 * service knows the car); charging an unplugged EV fails with ExternalChargingSystemError after
 * SentToVehicle (the car finds no charger); `stolen` on B2C never gets here (400: not in the B2C body
 * schema); navigation is delivered to a sleeping car without waking it (no wake-up counted).
 */
import type { Clock } from './clock';
import type { Fleet } from './fleet';
import type { SimRemote } from './store';
import type { SimChargeProgram, SimPreconditioningProgram, SimVehicleState } from './types';
import type { FailureCause, RemoteActionStatus } from '../stellantis/wire';

export const TIMING = {
  accept: 500,
  check: 2_000,
  send: 3_000,
  answer: 3_000,
  wakeMin: 20_000,
  wakeMax: 40_000,
  connectionTimeout: 120_000,
  rejectSame: 1_000,
};

export interface EventStatus {
  type: 'Pending' | 'Done';
  status: RemoteActionStatus;
  failureCause?: FailureCause;
}

interface Outcome {
  status: 'Success' | 'AlreadyDone' | 'Failed';
  failureCause?: FailureCause;
  patch?: Partial<SimVehicleState>;
}

export class RemotePlayer {
  private readonly busy = new Set<string>();

  constructor(
    private readonly fleet: Fleet,
    private readonly clock: Clock,
    private readonly wakeUpsPerMonth: () => number,
    private readonly emit: (remote: SimRemote, event: EventStatus) => void,
  ) {}

  start(remote: SimRemote): void {
    void this.run(remote);
  }

  private set(remote: SimRemote, type: 'Pending' | 'Done', status: RemoteActionStatus, failureCause?: FailureCause): void {
    if (this.clock.isStopped) return;
    remote.status = status;
    remote.failureCause = failureCause;
    remote.done = type === 'Done';
    this.emit(remote, { type, status, ...(failureCause ? { failureCause } : {}) });
  }

  private reachable(v: SimVehicleState): boolean {
    return v.online && !v.deepSleep;
  }

  private async run(remote: SimRemote): Promise<void> {
    const id = remote.vehicleId;
    if (this.busy.has(id)) {
      await this.clock.sleep(TIMING.rejectSame);
      this.set(remote, 'Done', 'Failed', 'SameActionInProgress');
      return;
    }
    this.busy.add(id);
    try {
      await this.sequence(remote);
    } finally {
      this.busy.delete(id);
    }
  }

  private async sequence(remote: SimRemote): Promise<void> {
    const v = this.fleet.get(remote.vehicleId);
    const navigation = remote.type === 'Navigation';
    const started = Date.now();
    let woke = false;
    await this.clock.sleep(TIMING.accept);
    if (!navigation) {
      this.set(remote, 'Pending', 'Accepted');
      if (v.asleep) {
        if (v.wakeUpsUsed >= this.wakeUpsPerMonth()) {
          await this.clock.sleep(TIMING.check);
          this.set(remote, 'Pending', 'TooManyWakeUpsOverMonth');
          await this.clock.sleep(TIMING.answer);
          this.set(remote, 'Done', 'Failed', 'TooManyWakeUpsOverMonth');
          return;
        }
        await this.clock.sleep(TIMING.check);
        this.set(remote, 'Pending', 'WakingUpVehicle');
        if (!this.reachable(v)) return this.timeout(remote, started);
        this.fleet.update(v.id, { wakeUpsUsed: v.wakeUpsUsed + 1 });
        this.fleet.drain12v(v.id);
        woke = true;
        await this.clock.sleep(TIMING.wakeMin + Math.random() * (TIMING.wakeMax - TIMING.wakeMin));
        if (!this.reachable(v)) return this.timeout(remote, started);
        this.fleet.touch(v.id);
      }
    }
    this.set(remote, 'Pending', 'CheckingVehicle');
    await this.clock.sleep(TIMING.check);
    if (!this.reachable(v)) return this.timeout(remote, started);
    const refused = this.refusal(remote, v);
    if (refused) {
      this.set(remote, 'Done', 'Failed', refused);
      return;
    }
    this.set(remote, 'Pending', 'SentToVehicle');
    await this.clock.sleep(TIMING.send);
    if (!this.reachable(v)) return this.timeout(remote, started);
    const outcome = decide(remote, v);
    if (outcome.patch) this.fleet.update(v.id, outcome.patch);
    // A state refresh wakes the car's modules even when it was awake.
    if (remote.type === 'WakeUp' && !woke) this.fleet.drain12v(v.id);
    if (!navigation || !v.asleep) this.fleet.touch(v.id);
    await this.clock.sleep(TIMING.answer);
    this.set(remote, 'Done', outcome.status, outcome.failureCause);
  }

  /** Offline or in deep sleep: the service gives up ~120 s after the request. */
  private async timeout(remote: SimRemote, started: number): Promise<void> {
    const waited = (Date.now() - started) / Math.max(this.clock.timeScale, 1e-9);
    await this.clock.sleep(Math.max(0, TIMING.connectionTimeout - waited));
    this.set(remote, 'Done', 'Failed', 'VehicleConnectionTimeout');
  }

  /** Refusals the service knows before reaching the car. */
  private refusal(remote: SimRemote, v: SimVehicleState): FailureCause | undefined {
    if (remote.type === 'ElectricBatteryChargingRequest' && v.kind === 'thermal') return 'WrongCommand';
    if (v.stolen && remote.type !== 'Stolen' && remote.type !== 'Immobilization') return 'NotPossibleDueToVehicleStolenState';
    return undefined;
  }
}

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** What the car does with the command, given its state. */
export function decide(remote: SimRemote, v: SimVehicleState): Outcome {
  const a = obj(remote.body[remote.action]);
  switch (remote.action) {
    case 'door': {
      const lock = a.state === 'Locked';
      if (lock && v.doorsOpen) return { status: 'Failed', failureCause: 'DoorsOpen' };
      if (lock === v.locked) return { status: 'AlreadyDone' };
      return { status: 'Success', patch: { locked: lock } };
    }
    case 'charging':
      return decideCharging(a, v);
    case 'preconditioning':
      return decidePreconditioning(a, v);
    case 'immobilization': {
      const on = a.activate === true;
      return on === v.immobilized ? { status: 'AlreadyDone' } : { status: 'Success', patch: { immobilized: on } };
    }
    case 'stolen': {
      const on = a.stolen === true;
      const patch: Partial<SimVehicleState> = { stolen: on };
      const imm = obj(a.immobilization);
      if (typeof imm.activate === 'boolean') patch.immobilized = imm.activate;
      return on === v.stolen && patch.immobilized === undefined ? { status: 'AlreadyDone' } : { status: 'Success', patch };
    }
    case 'navigation': {
      const positions = Array.isArray(a.positions) ? a.positions : [];
      const points = positions.map((p) => obj(p).coordinates as [number, number]);
      return { status: 'Success', patch: { lastDestination: points } };
    }
    case 'wakeUp':
      return { status: 'Success', patch: {} };
    default:
      return { status: 'Success' };
  }
}

function decideCharging(a: Record<string, unknown>, v: SimVehicleState): Outcome {
  const patch: Partial<SimVehicleState> = {};
  const prefs = obj(a.preferences);
  if (prefs.type === 'Partial' || prefs.type === 'Full') patch.chargingType = prefs.type;
  if (typeof prefs.level === 'string') patch.chargingLevelPreference = prefs.level;
  const schedule = obj(a.schedule);
  const delayed = typeof schedule.nextDelayedTime === 'string' ? schedule.nextDelayedTime : typeof a.nextDelayedTime === 'string' ? a.nextDelayedTime : undefined;
  if (delayed !== undefined) patch.nextDelayedTime = delayed;
  // The list replaces the car's; the check (remoteCheck.ts) vouched for each program's shape.
  if (Array.isArray(schedule.programs)) patch.chargePrograms = schedule.programs.map(chargeProgramOf);
  if (a.immediate === true) {
    // Not plugged: the car cannot reach any charging station.
    if (!v.plugged) return { status: 'Failed', failureCause: 'ExternalChargingSystemError' };
    if (v.charging) return Object.keys(patch).length ? { status: 'Success', patch } : { status: 'AlreadyDone' };
    if (v.level >= 100) return { status: 'AlreadyDone', patch };
    return { status: 'Success', patch: { ...patch, charging: true, nextDelayedTime: undefined } };
  }
  if (a.immediate === false) {
    if (!v.charging && delayed === undefined) return Object.keys(patch).length ? { status: 'Success', patch } : { status: 'AlreadyDone' };
    return { status: 'Success', patch: { ...patch, charging: false } };
  }
  if (delayed !== undefined && v.charging) patch.charging = false;
  return { status: 'Success', patch };
}

function chargeProgramOf(raw: unknown): SimChargeProgram {
  const p = obj(raw);
  const day = obj(p.occurence).day;
  return {
    start: String(p.start),
    ...(typeof p.end === 'string' ? { end: p.end } : {}),
    enabled: p.enabled !== false,
    occurence: { day: Array.isArray(day) ? day.map(String) : [] },
  };
}

function decidePreconditioning(a: Record<string, unknown>, v: SimVehicleState): Outcome {
  const ac = obj(a.airConditioning);
  const patch: Partial<SimVehicleState> = {};
  if (Array.isArray(ac.programs)) {
    const programs = new Map<number, SimPreconditioningProgram>(v.preconditioningPrograms.map((p) => [p.slot, p]));
    for (const raw of ac.programs) {
      const p = obj(raw);
      const slot = p.slot as number;
      if (p.actionsType === 'Delete') programs.delete(slot);
      else {
        const occ = obj(p.occurence);
        programs.set(slot, {
          slot,
          enabled: p.enabled !== false,
          recurrence: 'Daily',
          start: String(p.start),
          occurence: { day: Array.isArray(occ.day) ? occ.day.map(String) : [] },
        });
      }
    }
    patch.preconditioningPrograms = [...programs.values()].sort((x, y) => x.slot - y.slot);
  }
  if (typeof ac.immediate === 'boolean') {
    if (ac.immediate === v.preconditioning && patch.preconditioningPrograms === undefined) return { status: 'AlreadyDone' };
    if (ac.immediate && v.kind === 'electric' && v.level < 10 && !v.plugged) {
      return { status: 'Failed', failureCause: 'NotPossibleDueToVehicleBatteryLevel' };
    }
    patch.preconditioning = ac.immediate;
  }
  return { status: 'Success', patch };
}
