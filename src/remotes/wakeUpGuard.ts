/**
 * Wake-ups cost: the car wakes its modem (12 V battery) and Stellantis caps them per month. The
 * refresh action is therefore limited locally (default 6 per 20 minutes per vehicle), and after
 * TooManyWakeUpsOverMonth no refresh is sent until the next calendar month (host local time).
 * The guard also counts the wake-ups of the calendar month (every refresh sent, and every other
 * remote the car reported `WakingUpVehicle` for), for the budget the faces show. All of it is
 * persisted, so a restart does not reset it.
 */
import { CONFIG_DEFAULTS } from '../config/resolved';
import { JsonFile } from '../util/jsonFile';
import { monthKeyOf, type WakeUpBudget } from './wakeUpBudget';

export interface WakeUpGuardOptions {
  max: number;
  windowMs: number;
  /** The assumed monthly cap (config wakeUpsPerMonth): shown, never enforced. Default 20. */
  perMonth?: number;
  /** Where to persist; no persistence when absent. */
  path?: string;
  now?: () => number;
}

export type WakeUpVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'local-limit' | 'monthly-cap'; until: number; explanation: string };

/** The wake-ups counted in one calendar month. */
interface MonthCount {
  /** 'YYYY-MM', host local time. */
  month: string;
  count: number;
  /** The last remotes counted as having woken the car: a notification seen again (or read back after a restart) counts once. */
  remotes: string[];
}

interface VehicleWakeUps {
  /** Times of the recent wake-ups, oldest first. */
  recent: number[];
  /** No wake-up before this instant (the month cap was reached). */
  blockedUntil?: number;
  /** Absent in files written before the count existed. */
  month?: MonthCount;
}

export const DEFAULT_WAKE_UP_GUARD = { max: 6, windowMs: 20 * 60_000 } as const;

const REMEMBERED_REMOTES = 20;

function readMonth(raw: unknown): MonthCount | undefined {
  const m = raw as { month?: unknown; count?: unknown; remotes?: unknown } | null;
  if (m === null || typeof m !== 'object' || typeof m.month !== 'string' || typeof m.count !== 'number' || !(m.count >= 0)) return undefined;
  const remotes = Array.isArray(m.remotes) ? m.remotes.filter((r): r is string => typeof r === 'string').slice(-REMEMBERED_REMOTES) : [];
  return { month: m.month, count: Math.floor(m.count), remotes };
}

export class WakeUpGuard {
  private readonly vehicles = new Map<string, VehicleWakeUps>();
  private readonly file: JsonFile | undefined;
  private readonly now: () => number;
  private readonly perMonth: number;

  constructor(private readonly opts: WakeUpGuardOptions) {
    if (!(opts.max >= 1) || !(opts.windowMs > 0)) throw new Error('wakeUpGuard: max must be >= 1 and windowMs > 0');
    this.file = opts.path ? new JsonFile(opts.path) : undefined;
    this.now = opts.now ?? Date.now;
    this.perMonth = opts.perMonth ?? CONFIG_DEFAULTS.wakeUpsPerMonth;
  }

  /** Reads the persisted state; returns a problem line if the file could not be read. */
  async load(): Promise<string | undefined> {
    this.vehicles.clear();
    if (!this.file) return undefined;
    const read = await this.file.read();
    if (read.kind === 'missing') return undefined;
    if (read.kind === 'corrupt') return `wake-up guard: ${read.message}`;
    const v = (read.value as { vehicles?: unknown } | null)?.vehicles;
    if (v === null || typeof v !== 'object') return undefined;
    for (const [id, raw] of Object.entries(v as Record<string, unknown>)) {
      const r = raw as { recent?: unknown; blockedUntil?: unknown; month?: unknown } | null;
      if (r === null || typeof r !== 'object') continue;
      const recent = Array.isArray(r.recent) ? r.recent.filter((t): t is number => typeof t === 'number') : [];
      const blockedUntil = typeof r.blockedUntil === 'number' ? r.blockedUntil : undefined;
      this.vehicles.set(id, { recent, blockedUntil, month: readMonth(r.month) ?? this.monthFromRecent(recent) });
    }
    return undefined;
  }

  check(vehicleId: string): WakeUpVerdict {
    const now = this.now();
    const v = this.vehicles.get(vehicleId);
    if (!v) return { allowed: true };
    if (v.blockedUntil !== undefined && now < v.blockedUntil) {
      return {
        allowed: false,
        reason: 'monthly-cap',
        until: v.blockedUntil,
        explanation:
          `the car reached its monthly wake-up limit; no refresh is sent before ${new Date(v.blockedUntil).toLocaleDateString()}` +
          '; the state still updates when the car is driven',
      };
    }
    const recent = v.recent.filter((t) => t > now - this.opts.windowMs);
    if (recent.length >= this.opts.max) {
      const until = recent[recent.length - this.opts.max] + this.opts.windowMs;
      const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
      return {
        allowed: false,
        reason: 'local-limit',
        until,
        explanation:
          `refresh limited to ${this.opts.max} per ${Math.round(this.opts.windowMs / 60_000)} minutes to spare the car's battery ` +
          `and its monthly wake-ups; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      };
    }
    return { allowed: true };
  }

  /** A wake-up (refresh) was sent: it counts in the window and in the month. */
  record(vehicleId: string): void {
    const now = this.now();
    const v = this.vehicles.get(vehicleId) ?? { recent: [] };
    v.recent = [...v.recent.filter((t) => t > now - this.opts.windowMs), now];
    v.month = this.counted(v.month, now);
    this.vehicles.set(vehicleId, v);
    void this.save();
  }

  /**
   * Another remote reported `WakingUpVehicle`: the car was asleep and spent a wake-up on it. Counts
   * in the month only (the local limit is the refresh's), once per remote.
   */
  recordWokenBy(vehicleId: string, remoteActionId: string): void {
    const now = this.now();
    const v = this.vehicles.get(vehicleId) ?? { recent: [] };
    const current = this.current(v.month, now);
    if (current?.remotes.includes(remoteActionId)) return;
    v.month = this.counted(v.month, now, remoteActionId);
    this.vehicles.set(vehicleId, v);
    void this.save();
  }

  /** Stellantis said TooManyWakeUpsOverMonth: block until the first day of next month. */
  blockUntilNextMonth(vehicleId: string): void {
    const d = new Date(this.now());
    const until = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
    const v = this.vehicles.get(vehicleId) ?? { recent: [] };
    v.blockedUntil = until;
    this.vehicles.set(vehicleId, v);
    void this.save();
  }

  /** The wake-ups counted this calendar month against the assumed cap (0 left once the car said the cap is reached). */
  budgetOf(vehicleId: string): WakeUpBudget {
    const now = this.now();
    const v = this.vehicles.get(vehicleId);
    const used = this.current(v?.month, now)?.count ?? 0;
    const blockedUntil = v?.blockedUntil !== undefined && now < v.blockedUntil ? v.blockedUntil : undefined;
    return {
      month: monthKeyOf(now),
      used,
      assumedCap: this.perMonth,
      left: blockedUntil !== undefined ? 0 : Math.max(0, this.perMonth - used),
      ...(blockedUntil !== undefined ? { blockedUntil } : {}),
    };
  }

  flush(): Promise<void> {
    return this.file ? this.file.flush() : Promise.resolve();
  }

  /** The month's count if it is the current month's (a new month starts from zero). */
  private current(m: MonthCount | undefined, now: number): MonthCount | undefined {
    return m && m.month === monthKeyOf(now) ? m : undefined;
  }

  private counted(m: MonthCount | undefined, now: number, remoteActionId?: string): MonthCount {
    const base = this.current(m, now) ?? { month: monthKeyOf(now), count: 0, remotes: [] };
    const remotes = remoteActionId ? [...base.remotes, remoteActionId].slice(-REMEMBERED_REMOTES) : base.remotes;
    return { month: base.month, count: base.count + 1, remotes };
  }

  /** A file from before the monthly count: its recent refreshes of this month are the best count we have. */
  private monthFromRecent(recent: number[]): MonthCount | undefined {
    const month = monthKeyOf(this.now());
    const count = recent.filter((t) => monthKeyOf(t) === month).length;
    return count > 0 ? { month, count, remotes: [] } : undefined;
  }

  private save(): Promise<void> {
    if (!this.file) return Promise.resolve();
    const vehicles: Record<string, VehicleWakeUps> = {};
    for (const [id, v] of this.vehicles) vehicles[id] = v;
    return this.file.save({ vehicles }).catch(() => undefined);
  }
}
