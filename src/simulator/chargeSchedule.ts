/**
 * The charging programs at work, in simulated time: a plugged-in car starts charging when an
 * enabled program's window opens on one of its days (start, in the car's time, taken as UTC here)
 * and stops when it closes (its end; a window past midnight ends the next day; no end: until full).
 *
 * Each window acts once: plugged in within it, the car starts then; stopped by hand within it, it is
 * not started again. A charge the window did not start is left alone at its end. Looked at every
 * 15 simulated seconds while some car keeps an enabled program, after every change of a car, and
 * when the clock is set; the changes go through `fleet.update`, so monitors fire as for any charge.
 */
import type { Clock } from './clock';
import type { Fleet } from './fleet';
import { durationMs } from './timeWindow';
import type { SimChargeProgram, SimVehicleState } from './types';

const TICK_MS = 15_000;
const DAY_MS = 86_400_000;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

interface Window {
  /** Program position and the day it opened: one identity per window. */
  key: string;
  untilFull: boolean;
}

interface CarRun {
  window?: string;
  /** The window started the charge running now (so its end stops it). */
  started: boolean;
  /** The window has no end: the charge it started runs until the car stops it. */
  untilFull?: boolean;
}

/** The window of `p` open at `at` (epoch ms, UTC), if any. */
function openWindow(p: SimChargeProgram, index: number, at: number): Window | undefined {
  const start = durationMs(p.start);
  if (!p.enabled || start === undefined) return undefined;
  const end = p.end === undefined ? undefined : durationMs(p.end);
  const length = end === undefined ? DAY_MS : (end - start + DAY_MS) % DAY_MS || DAY_MS;
  const midnight = Math.floor(at / DAY_MS) * DAY_MS;
  // Opened today, or yesterday and running past midnight.
  for (const dayStart of [midnight, midnight - DAY_MS]) {
    const opens = dayStart + start;
    if (!p.occurence.day.includes(DAYS[new Date(dayStart).getUTCDay()])) continue;
    if (at >= opens && at < opens + length) return { key: `${index}@${opens}`, untilFull: end === undefined };
  }
  return undefined;
}

export class ChargeSchedule {
  private readonly runs = new Map<string, CarRun>();
  private cancelTick?: () => void;
  private busy = false;

  constructor(
    private readonly clock: Clock,
    private readonly fleet: Fleet,
  ) {}

  /** The clock moved (a tick or setClock): every car is looked at. */
  timePassed(): void {
    for (const v of this.fleet.vehicles) this.look(v);
    this.syncTicker();
  }

  /** A car changed (a plug, a new list of programs): it is looked at. */
  changed(vehicleId: string): void {
    const v = this.fleet.find(vehicleId);
    if (v) this.look(v);
    this.syncTicker();
  }

  stop(): void {
    this.cancelTick?.();
    this.cancelTick = undefined;
  }

  private look(v: SimVehicleState): void {
    // The updates below come back here through the fleet's 'changed' event.
    if (this.busy) return;
    const run = this.runs.get(v.id) ?? { started: false };
    this.runs.set(v.id, run);
    const at = this.clock.now();
    const open = v.chargePrograms.map((p, i) => openWindow(p, i, at)).find((w) => w !== undefined);
    this.busy = true;
    try {
      if (run.window !== undefined && run.window !== open?.key) {
        if (run.started && v.charging && !run.untilFull) this.fleet.update(v.id, { charging: false, chargingStatus: 'Stopped' });
        run.window = undefined;
        run.started = false;
      }
      if (open && run.window === undefined && v.plugged && !v.charging && v.level < 100) {
        run.window = open.key;
        run.started = true;
        run.untilFull = open.untilFull;
        this.fleet.update(v.id, { charging: true });
      }
      // A charge that ended by itself (full, or the Partial limit) is the window's end too.
      if (run.started && !v.charging && run.window !== undefined && open?.key === run.window) run.started = false;
    } finally {
      this.busy = false;
    }
  }

  private syncTicker(): void {
    const needed = this.fleet.vehicles.some((v) => v.chargePrograms.some((p) => p.enabled));
    if (needed && !this.cancelTick) {
      this.cancelTick = this.clock.after(TICK_MS, () => {
        this.cancelTick = undefined;
        this.timePassed();
      });
    }
    if (!needed && this.cancelTick) this.stop();
  }
}
