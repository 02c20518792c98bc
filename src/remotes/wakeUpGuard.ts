/**
 * Wake-ups cost: the car wakes its modem (12 V battery) and Stellantis caps them per month. The
 * refresh action is therefore limited locally (default 6 per 20 minutes per vehicle), and after
 * TooManyWakeUpsOverMonth no refresh is sent until the next calendar month (host local time).
 * Both are persisted, so a restart does not reset them.
 */
import { JsonFile } from '../util/jsonFile';

export interface WakeUpGuardOptions {
  max: number;
  windowMs: number;
  /** Where to persist; no persistence when absent. */
  path?: string;
  now?: () => number;
}

export type WakeUpVerdict =
  | { allowed: true }
  | { allowed: false; reason: 'local-limit' | 'monthly-cap'; until: number; explanation: string };

interface VehicleWakeUps {
  /** Times of the recent wake-ups, oldest first. */
  recent: number[];
  /** No wake-up before this instant (the month cap was reached). */
  blockedUntil?: number;
}

export const DEFAULT_WAKE_UP_GUARD = { max: 6, windowMs: 20 * 60_000 } as const;

export class WakeUpGuard {
  private readonly vehicles = new Map<string, VehicleWakeUps>();
  private readonly file: JsonFile | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: WakeUpGuardOptions) {
    if (!(opts.max >= 1) || !(opts.windowMs > 0)) throw new Error('wakeUpGuard: max must be >= 1 and windowMs > 0');
    this.file = opts.path ? new JsonFile(opts.path) : undefined;
    this.now = opts.now ?? Date.now;
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
      const r = raw as { recent?: unknown; blockedUntil?: unknown } | null;
      if (r === null || typeof r !== 'object') continue;
      const recent = Array.isArray(r.recent) ? r.recent.filter((t): t is number => typeof t === 'number') : [];
      const blockedUntil = typeof r.blockedUntil === 'number' ? r.blockedUntil : undefined;
      this.vehicles.set(id, { recent, blockedUntil });
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

  /** A wake-up (refresh) was sent. */
  record(vehicleId: string): void {
    const now = this.now();
    const v = this.vehicles.get(vehicleId) ?? { recent: [] };
    v.recent = [...v.recent.filter((t) => t > now - this.opts.windowMs), now];
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

  flush(): Promise<void> {
    return this.file ? this.file.flush() : Promise.resolve();
  }

  private save(): Promise<void> {
    if (!this.file) return Promise.resolve();
    const vehicles: Record<string, VehicleWakeUps> = {};
    for (const [id, v] of this.vehicles) vehicles[id] = v;
    return this.file.save({ vehicles }).catch(() => undefined);
  }
}
