/**
 * Evaluates every running monitor on each car it watches: after each change of the car (data
 * and zone triggers), and every 15 simulated seconds while a monitor has a time trigger. An event
 * fires when `boolExp` turns true (`refresh: false`); while it stays true, a reminder follows every
 * `refreshEvent` seconds (`refresh: true`).
 *
 * Triggers: a data trigger with `onChange` is true only in the evaluation its data changed in;
 * `equalsTo`, `includedIn`, `greaterThan`, `lowerThan` hold while the value satisfies them (and,
 * with `previous`, only if the value before matched it); a zone trigger holds while the car is in
 * (`In`) or out of (`Out`) the circle, and never while its privacy setting hides its position; a
 * time trigger holds within one of its windows. A new, updated or resumed monitor takes the car's
 * state as it is: it fires on the next change, never for the state found.
 */
import { evaluate } from './boolExp';
import type { Clock } from './clock';
import { monitoredValues, type Fleet, type MonitoredChange, type VehicleChanges } from './fleet';
import type { MonitorTrigger } from './monitorParam';
import type { SimMonitor } from './store';
import { withinTimes } from './timeWindow';
import type { SimVehicleState } from './types';
import { distanceKm } from '../util/geo';

export { distanceKm };

const TIME_TICK_MS = 15_000;

export interface FiredValue {
  data: string;
  value: string;
  previous?: string;
}

export type FireMonitor = (m: SimMonitor, v: SimVehicleState, values: FiredValue[], refresh: boolean) => void;

interface Run {
  /** The expression's value at the last evaluation, changes aside. */
  satisfied: boolean;
  /** Triggers with a `previous` condition that held at the last evaluation. */
  held: Set<string>;
  cancelReminder?: () => void;
}

function levelHolds(t: Extract<MonitorTrigger, { kind: 'data' }>, value: string | undefined): boolean {
  if (value === undefined) return false;
  switch (t.op) {
    case 'equalsTo':
    case 'includedIn':
      return t.value.includes(value);
    case 'greaterThan':
      return Number(value) > Number(t.value[0]);
    case 'lowerThan':
      return Number(value) < Number(t.value[0]);
    default:
      return false;
  }
}

export class MonitorWatch {
  /** monitor id → vehicle id → run. */
  private readonly runs = new Map<string, Map<string, Run>>();
  private cancelTick?: () => void;

  constructor(
    private readonly clock: Clock,
    private readonly fleet: Fleet,
    private readonly monitors: () => Iterable<SimMonitor>,
    private readonly fire: FireMonitor,
  ) {}

  /** A monitor was created, updated or resumed: it starts from the cars' states as they are. */
  start(m: SimMonitor): void {
    this.stop(m.id);
    if (m.status !== 'Running') return;
    const runs = new Map<string, Run>();
    for (const v of this.carsOf(m)) {
      const run: Run = { satisfied: false, held: new Set() };
      runs.set(v.id, run);
      this.evaluate(m, v, run, [], false);
    }
    this.runs.set(m.id, runs);
    this.syncTicker();
  }

  /** A monitor was paused, deleted or is about to be replaced. */
  stop(monitorId: string): void {
    const runs = this.runs.get(monitorId);
    if (!runs) return;
    for (const run of runs.values()) run.cancelReminder?.();
    this.runs.delete(monitorId);
    this.syncTicker();
  }

  changed(batch: VehicleChanges): void {
    const v = this.fleet.find(batch.vehicleId);
    if (!v) return;
    for (const m of this.monitors()) {
      const run = this.runs.get(m.id)?.get(v.id);
      if (run) this.evaluate(m, v, run, batch.changes, true);
    }
  }

  /** The wall clock moved (a tick, or `setClock`): time triggers are looked at again. */
  timePassed(): void {
    for (const m of this.monitors()) {
      if (!m.triggers.some((t) => t.kind === 'time')) continue;
      const runs = this.runs.get(m.id);
      if (!runs) continue;
      for (const [vid, run] of runs) {
        const v = this.fleet.find(vid);
        if (v) this.evaluate(m, v, run, [], true);
      }
    }
  }

  stopAll(): void {
    for (const id of [...this.runs.keys()]) this.stop(id);
    this.cancelTick?.();
    this.cancelTick = undefined;
  }

  private carsOf(m: SimMonitor): SimVehicleState[] {
    if (m.vehicleId === undefined) return this.fleet.vehicles;
    const v = this.fleet.find(m.vehicleId);
    return v ? [v] : [];
  }

  private syncTicker(): void {
    const needed = [...this.monitors()].some((m) => this.runs.has(m.id) && m.triggers.some((t) => t.kind === 'time'));
    if (needed && !this.cancelTick) this.scheduleTick();
    if (!needed && this.cancelTick) {
      this.cancelTick();
      this.cancelTick = undefined;
    }
  }

  private scheduleTick(): void {
    this.cancelTick = this.clock.after(TIME_TICK_MS, () => {
      this.cancelTick = undefined;
      this.timePassed();
      this.syncTicker();
    });
  }

  /**
   * Which triggers are true: with `changes`, onChange triggers of the data that changed too.
   * Returns the truth per trigger name, and the triggers with `previous` that hold.
   */
  private truths(m: SimMonitor, v: SimVehicleState, run: Run, changes: ReadonlyMap<string, MonitoredChange>, withChanges: boolean) {
    const values = monitoredValues(v);
    const truth = new Map<string, boolean>();
    const held = new Set<string>();
    const now = m.triggers.some((t) => t.kind === 'time') ? this.clock.now() : 0;
    for (const t of m.triggers) {
      let holds: boolean;
      if (t.kind === 'data') {
        const change = changes.get(t.data);
        if (t.op === 'onChange') holds = withChanges && change !== undefined;
        else holds = levelHolds(t, values[t.data]);
        if (holds && t.previous) {
          const before = change ? change.previous : values[t.data];
          holds = run.held.has(t.name) || (before !== undefined && t.previous.value.includes(before));
          if (holds && t.op !== 'onChange') held.add(t.name);
        }
      } else if (t.kind === 'zone') {
        const inside = distanceKm(v.position, t.center) <= t.radiusKm;
        holds = v.privacy === 'None' && (t.transition === 'In' ? inside : !inside);
      } else {
        holds = withinTimes(t.times, t.timeZone, now);
      }
      truth.set(t.name, holds);
    }
    return { truth, held, values };
  }

  private evaluate(m: SimMonitor, v: SimVehicleState, run: Run, changeList: readonly MonitoredChange[], mayFire: boolean): void {
    const changes = new Map(changeList.map((c) => [c.data, c]));
    const now = this.truths(m, v, run, changes, true);
    const fires = evaluate(m.boolExp, (n) => now.truth.get(n) === true);
    const level = changeList.length === 0 ? now : this.truths(m, v, run, changes, false);
    const satisfied = evaluate(m.boolExp, (n) => level.truth.get(n) === true);
    if (mayFire && fires && !run.satisfied) this.fire(m, v, this.firedValues(m, now.truth, now.values, changes), false);
    run.satisfied = satisfied;
    run.held = level.held;
    if (satisfied && m.refreshSeconds && !run.cancelReminder) this.scheduleReminder(m, v.id, run);
    if (!satisfied && run.cancelReminder) {
      run.cancelReminder();
      run.cancelReminder = undefined;
    }
  }

  private scheduleReminder(m: SimMonitor, vehicleId: string, run: Run): void {
    run.cancelReminder = this.clock.after((m.refreshSeconds ?? 0) * 1000, () => {
      run.cancelReminder = undefined;
      const v = this.fleet.find(vehicleId);
      if (!v || this.runs.get(m.id)?.get(vehicleId) !== run) return;
      const level = this.truths(m, v, run, new Map(), false);
      run.satisfied = evaluate(m.boolExp, (n) => level.truth.get(n) === true);
      if (!run.satisfied) return;
      this.fire(m, v, this.firedValues(m, level.truth, level.values, new Map()), true);
      this.scheduleReminder(m, vehicleId, run);
    });
  }

  /** The values of the true data triggers (one per data), with the value before when it just changed. */
  private firedValues(m: SimMonitor, truth: ReadonlyMap<string, boolean>, values: Record<string, string | undefined>, changes: ReadonlyMap<string, MonitoredChange>): FiredValue[] {
    const out: FiredValue[] = [];
    const seen = new Set<string>();
    for (const t of m.triggers) {
      if (t.kind !== 'data' || !truth.get(t.name) || seen.has(t.data)) continue;
      const value = values[t.data];
      if (value === undefined) continue;
      seen.add(t.data);
      const change = changes.get(t.data);
      out.push({ data: t.data, value, ...(change ? { previous: change.previous } : {}) });
    }
    return out;
  }
}
