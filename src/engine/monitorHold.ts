/**
 * Monitor values for a monitor the engine does not know yet. At start the backlog Stellantis kept
 * while we were down can arrive before the monitors are listed: those values are held (bounded in
 * size and age, as RemoteDispatcher holds orphan notifications) until the monitors are known, then
 * applied or dropped.
 */

export interface HeldMonitorValues {
  monitorId: string;
  /** The value's date (already clamped), epoch ms. */
  at: number;
  values: ReadonlyArray<{ data: string; literalValue: string }>;
}

export interface MonitorHoldOptions {
  /** Held values older than this are dropped. Default 10 minutes. */
  ttlMs?: number;
  /** At most this many characters (data names and values) are held. Default 1 000 000. */
  maxChars?: number;
  now?: () => number;
}

interface Entry {
  held: HeldMonitorValues;
  heldAt: number;
  chars: number;
}

/** Fixed cost of one held message, so that empty values still count. */
const ENTRY_CHARS = 64;

export class MonitorHold {
  private entries: Entry[] = [];
  private chars = 0;
  /** Messages dropped since the last take(), by age or for room. */
  private lost = 0;
  private readonly ttl: number;
  private readonly maxChars: number;
  private readonly now: () => number;

  constructor(opts: MonitorHoldOptions = {}) {
    this.ttl = opts.ttlMs ?? 10 * 60_000;
    this.maxChars = opts.maxChars ?? 1_000_000;
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.length;
  }

  hold(held: HeldMonitorValues): void {
    this.prune();
    const chars = held.values.reduce((n, v) => n + v.data.length + v.literalValue.length, ENTRY_CHARS + held.monitorId.length);
    if (chars > this.maxChars) {
      this.lost++;
      return;
    }
    while (this.chars + chars > this.maxChars) this.dropOldest();
    this.entries.push({ held, heldAt: this.now(), chars });
    this.chars += chars;
  }

  /** Everything still held (oldest first), and how many were dropped meanwhile; the hold is empty after. */
  take(): { held: HeldMonitorValues[]; lost: number } {
    this.prune();
    const out = { held: this.entries.map((e) => e.held), lost: this.lost };
    this.clear();
    return out;
  }

  clear(): void {
    this.entries = [];
    this.chars = 0;
    this.lost = 0;
  }

  private dropOldest(): void {
    const first = this.entries.shift();
    if (!first) return;
    this.chars -= first.chars;
    this.lost++;
  }

  private prune(): void {
    const limit = this.now() - this.ttl;
    // Oldest first: stop at the first young one.
    while (this.entries.length > 0 && this.entries[0].heldAt < limit) this.dropOldest();
  }
}
