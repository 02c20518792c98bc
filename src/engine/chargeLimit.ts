/**
 * The charge limit ("stop at 80 %"), one per car, kept where it costs nothing:
 *
 * - by the car, through its charging preferences, where its capabilities say `preferences.type` is
 *   supported (`Partial` below 100 %, `Full` at 100 %; see docs/charging.md for what is not verified);
 * - otherwise by a monitor threshold (level greater than the limit), whose pushed value makes us send
 *   exactly one charge stop for that charging session. No polling, no status read, no wake-up.
 *
 * The limits and "already stopped this session" are kept in the storage folder, so a restart neither
 * forgets the limit nor sends a second stop for the session it already stopped. While an account
 * runs, a change of that file by another process (the CLI) is applied at once (chargeLimitFile.ts).
 */
import type { RemoteAction } from '../stellantis/actions';
import type { VehicleCapabilities } from '../stellantis/capabilities';
import type { VehicleState } from '../stellantis/vehicleState';
import { InvalidActionError } from '../stellantis/remoteBody';
import { JsonFile } from '../util/jsonFile';
import { ChargeLimitFileWatch, readFileText } from './chargeLimitFile';
import type { RemoteEnd, RemoteHandle } from '../remotes/types';

export type ChargeLimitMethod = 'preferences' | 'monitor';

export const MIN_CHARGE_LIMIT = 20;
export const MAX_CHARGE_LIMIT = 100;

/** A data trigger a feature asks the monitor plan for (one monitor each). */
export interface ExtraTrigger {
  key: 'chargeLimit';
  data: 'vehicle.energy.electric.level';
  op: 'greaterThan';
  value: [string];
}

/** Structurally the monitor plan's `PlanExtra` (kept here so this module does not depend on the plan). */
export interface ChargeLimitPlanExtra {
  key: 'chargeLimit';
  triggers: Array<{ name: string; data: { data: string; op: 'greaterThan' | 'equalsTo'; value: string[] } }>;
  boolExp: string;
  covers: Array<'battery'>;
}

export interface ChargeLimitEvent {
  vehicleId: string;
  /** set/cleared: the user changed it; stopped: the limit stopped a charge; not-stopped: it should have and could not. */
  kind: 'set' | 'cleared' | 'stopped' | 'not-stopped';
  percent?: number;
  method?: ChargeLimitMethod;
  /** The level that made us act (stopped / not-stopped). */
  level?: number;
  /** One line in plain words: what happened, and why not when it did not act. */
  text: string;
  end?: RemoteEnd;
  at: number;
}

/** How the limit of one car stands, for `status` and the faces. */
export interface ChargeLimitInfo {
  percent: number;
  method: ChargeLimitMethod;
  /** The charge stop for the current session was already sent. */
  stoppedThisSession: boolean;
  /** How it is enforced, in plain words. */
  text: string;
}

interface Saved {
  percent: number;
  stopped?: boolean;
  /** How it was kept when set (used while the car's capabilities are not known, e.g. in the CLI). */
  method?: ChargeLimitMethod;
}

export interface ChargeLimitDeps {
  path: string;
  send: (vehicleId: string, action: RemoteAction) => RemoteHandle;
  capabilitiesOf: (vehicleId: string) => VehicleCapabilities | undefined;
  emit: (e: ChargeLimitEvent) => void;
  /** The limit changed so that the monitor plan must change (a threshold added, moved or removed). */
  onTriggersChanged: (vehicleId: string) => void;
  now?: () => number;
}

/** Checks a percentage as a face received it (number or numeric text); throws naming what to send. */
export function checkChargeLimit(percent: unknown): number {
  const n = typeof percent === 'string' && percent.trim() !== '' ? Number(percent.trim().replace(/%$/, '')) : percent;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_CHARGE_LIMIT || n > MAX_CHARGE_LIMIT) {
    throw new InvalidActionError('percent', `${JSON.stringify(percent)} is not a charge limit; send a whole number from ${MIN_CHARGE_LIMIT} to ${MAX_CHARGE_LIMIT}`);
  }
  return n;
}

/** The car keeps it where its capabilities say charging preferences (type) are supported. */
export function limitMethodFor(caps: VehicleCapabilities | undefined): ChargeLimitMethod {
  return caps?.charging.supported !== false && caps?.charging.preferenceType === true ? 'preferences' : 'monitor';
}

/**
 * The saved limit of one car and how it is kept, read from the file the engine keeps (for the CLI,
 * which runs no account): never an API call.
 */
export async function readSavedChargeLimit(
  path: string,
  vehicleId: string,
  capabilities: VehicleCapabilities | undefined,
): Promise<ChargeLimitInfo | undefined> {
  const limits = new ChargeLimits({ path, send: noSend, capabilitiesOf: () => capabilities, emit: () => undefined, onTriggersChanged: () => undefined });
  await limits.load();
  return limits.info(vehicleId);
}

function noSend(): never {
  throw new Error('reading the saved limits sends nothing');
}

/**
 * The limits of a file's content. Lenient at start (entries that are not a limit are skipped);
 * strict for a change made while running (a line saying what is wrong, so the current limits stay).
 */
function parseSaved(value: unknown, strict: boolean): Map<string, Saved> | string {
  const out = new Map<string, Saved>();
  const vehicles = (value as { vehicles?: unknown } | null)?.vehicles;
  if (typeof vehicles !== 'object' || vehicles === null || Array.isArray(vehicles)) return strict ? 'it has no "vehicles" object' : out;
  for (const [id, raw] of Object.entries(vehicles as Record<string, unknown>)) {
    const r = raw as Partial<Saved> | null;
    if (typeof r?.percent === 'number' && r.percent >= MIN_CHARGE_LIMIT && r.percent <= MAX_CHARGE_LIMIT) {
      const method = r.method === 'preferences' || r.method === 'monitor' ? r.method : undefined;
      out.set(id, { percent: r.percent, stopped: r.stopped === true, method });
    } else if (strict) {
      return `vehicle ${id}: ${JSON.stringify(raw)} is not a charge limit (a percent from ${MIN_CHARGE_LIMIT} to ${MAX_CHARGE_LIMIT})`;
    }
  }
  return out;
}

export class ChargeLimits {
  private readonly limits = new Map<string, Saved>();
  private readonly file: JsonFile;
  private readonly now: () => number;
  private watcher: ChargeLimitFileWatch | undefined;
  /** The file's content as we last wrote or read it, and a count of our saves (to tell our writes from others'). */
  private ownText: string | undefined;
  private saveGen = 0;
  private pendingSaves = 0;

  constructor(private readonly deps: ChargeLimitDeps) {
    this.file = new JsonFile(deps.path);
    this.now = deps.now ?? Date.now;
  }

  /** Reads the saved limits; returns a problem line when the file is unreadable (the limits then start empty). */
  async load(): Promise<string | undefined> {
    this.limits.clear();
    const read = await this.file.read();
    if (read.kind === 'missing') return undefined;
    if (read.kind === 'corrupt') return `charge limits: ${read.message}`;
    this.ownText = JSON.stringify(read.value);
    for (const [id, saved] of parseSaved(read.value, false) as Map<string, Saved>) this.limits.set(id, saved);
    return undefined;
  }

  /**
   * Applies, while the account runs, what another process (the CLI) writes to the file: limits
   * created, moved or removed as `set` would (events, monitor plan), without sending anything (the
   * CLI posted the preferences itself). A file that is not valid is reported; the limits stay.
   */
  watchFile(report: (problem: string) => void, debounceMs?: number): void {
    if (this.watcher) return;
    this.watcher = new ChargeLimitFileWatch(this.deps.path, () => this.fileChanged(report), report, debounceMs);
    this.watcher.start();
  }

  /** Stops watching: nothing read from the file is applied after this. */
  unwatch(): void {
    this.watcher?.close();
  }

  private async fileChanged(report: (problem: string) => void): Promise<void> {
    const watcher = this.watcher;
    let read: Awaited<ReturnType<typeof readFileText>> | undefined;
    // Our own saves first: once they are written, the file holds our last write unless someone else wrote it.
    for (let tries = 0; tries < 5 && !read; tries++) {
      await this.file.flush().catch(() => undefined);
      const gen = this.saveGen;
      const now = await readFileText(this.deps.path);
      if (this.saveGen === gen && this.pendingSaves === 0) read = now;
    }
    // Still saving after five tries: our next save makes the watcher look again.
    if (!read || !watcher || watcher.isClosed) return;
    // Deleted: the limits are kept in memory and written again at the next change.
    if (read.kind === 'missing' || (read.kind === 'text' && read.text === this.ownText)) return;
    const kept = 'the current limits are kept (set a limit again to rewrite the file)';
    if (read.kind === 'unreadable') return report(`charge limits: ${this.deps.path} changed but is not readable (${read.message}); ${kept}`);
    let value: unknown;
    try {
      value = JSON.parse(read.text);
    } catch {
      return report(`charge limits: ${this.deps.path} changed but is not valid JSON; ${kept}`);
    }
    const next = parseSaved(value, true);
    if (typeof next === 'string') return report(`charge limits: ${this.deps.path} changed but ${next}; ${kept}`);
    this.ownText = read.text;
    this.adopt(next);
  }

  /** The limits as the file now has them; "stopped this session" stays ours (we sent that stop). */
  private adopt(next: Map<string, Saved>): void {
    const at = this.now();
    const outside = ' (set outside this plugin, e.g. from the command line)';
    for (const id of new Set([...this.limits.keys(), ...next.keys()])) {
      const was = this.limits.get(id);
      const now = next.get(id);
      if (!now) {
        if (!was) continue;
        const keptByCar = this.methodOf(id) === 'preferences';
        this.limits.delete(id);
        this.deps.emit({ vehicleId: id, kind: 'cleared', text: this.clearedText(keptByCar) + outside, at });
        if (!keptByCar) this.deps.onTriggersChanged(id);
        continue;
      }
      if (was?.percent === now.percent) continue;
      this.limits.set(id, { percent: now.percent, method: now.method ?? was?.method, stopped: was?.stopped });
      const method = this.methodOf(id);
      this.deps.emit({ vehicleId: id, kind: 'set', percent: now.percent, method, text: this.setText(id, now.percent) + outside, at });
      if (method === 'monitor' || was?.method === 'monitor') this.deps.onTriggersChanged(id);
    }
  }

  private setText(vehicleId: string, percent: number): string {
    return `charge limit ${percent} %: ${this.info(vehicleId)?.text ?? ''}`;
  }

  private clearedText(keptByCar: boolean): string {
    return keptByCar ? 'charge limit removed: the car charges to 100 % again' : 'charge limit removed';
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  info(vehicleId: string): ChargeLimitInfo | undefined {
    const saved = this.limits.get(vehicleId);
    if (!saved) return undefined;
    const method = this.methodOf(vehicleId);
    const text =
      method === 'preferences'
        ? `kept by the car (charging preferences: ${saved.percent < 100 ? 'Partial' : 'Full'})`
        : `kept by a monitor: one charge stop when the level passes ${saved.percent} %` + (saved.stopped ? ' (already stopped this charge)' : '');
    return { percent: saved.percent, method, stoppedThisSession: saved.stopped === true, text };
  }

  /** The threshold the monitor plan should carry for this car, if its limit is kept by a monitor. */
  triggerFor(vehicleId: string): ExtraTrigger | undefined {
    const saved = this.limits.get(vehicleId);
    if (!saved || saved.percent >= 100 || this.methodOf(vehicleId) !== 'monitor') return undefined;
    return { key: 'chargeLimit', data: 'vehicle.energy.electric.level', op: 'greaterThan', value: [String(saved.percent)] };
  }

  /**
   * The same threshold in the shape of the monitor plan's `PlanExtra` (branch h14-engine,
   * `planFor(input, extras)`): level above the limit AND charging, with the status attached.
   */
  planExtraFor(vehicleId: string): ChargeLimitPlanExtra | undefined {
    const t = this.triggerFor(vehicleId);
    if (!t) return undefined;
    return {
      key: 'chargeLimit',
      triggers: [
        { name: 'level', data: { data: t.data, op: t.op, value: t.value } },
        { name: 'charging', data: { data: 'vehicle.energy.charging.status', op: 'equalsTo', value: ['InProgress'] } },
      ],
      boolExp: 'level & charging',
      covers: ['battery'],
    };
  }

  /**
   * Sets (or with null clears) the limit. On a car that keeps it itself, the preferences are sent and
   * their handle returned; otherwise the monitor plan is asked to change and nothing is sent.
   */
  set(vehicleId: string, percent: number | null): RemoteHandle | undefined {
    const at = this.now();
    if (percent === null) {
      const had = this.limits.has(vehicleId);
      const keptByCar = had && this.methodOf(vehicleId) === 'preferences';
      this.limits.delete(vehicleId);
      this.save();
      this.deps.emit({ vehicleId, kind: 'cleared', text: this.clearedText(keptByCar), at });
      // The car kept it itself: it charges to the end again.
      if (keptByCar) return this.deps.send(vehicleId, { kind: 'charge-preferences', type: 'Full' });
      if (had) this.deps.onTriggersChanged(vehicleId);
      return undefined;
    }
    const checked = checkChargeLimit(percent);
    const method = limitMethodFor(this.deps.capabilitiesOf(vehicleId));
    this.limits.set(vehicleId, { percent: checked, stopped: this.limits.get(vehicleId)?.stopped, method });
    this.save();
    this.deps.emit({ vehicleId, kind: 'set', percent: checked, method, text: this.setText(vehicleId, checked), at });
    if (method === 'preferences') return this.deps.send(vehicleId, { kind: 'charge-preferences', type: checked < 100 ? 'Partial' : 'Full' });
    this.deps.onTriggersChanged(vehicleId);
    return undefined;
  }

  /**
   * A state change (pushed by a monitor, a remote, a status read): the level above the limit while
   * charging sends one stop for the session; a charge that ended opens the next session.
   */
  onState(vehicleId: string, state: VehicleState, source: string): void {
    const saved = this.limits.get(vehicleId);
    if (!saved || source === 'restore') return;
    const status = state.charging?.status;
    if (status !== undefined && status !== 'InProgress') {
      if (saved.stopped) {
        saved.stopped = false;
        this.save();
      }
      return;
    }
    if (saved.stopped || this.methodOf(vehicleId) !== 'monitor') return;
    const level = state.battery?.level;
    if (level === undefined || level <= saved.percent || status !== 'InProgress') return;
    saved.stopped = true;
    this.save();
    void this.stop(vehicleId, saved.percent, level);
  }

  private async stop(vehicleId: string, percent: number, level: number): Promise<void> {
    const end = await this.deps.send(vehicleId, { kind: 'charge', on: false }).done;
    const base = { vehicleId, percent, method: 'monitor' as const, level, end, at: this.now() };
    if (end.result === 'Success' || end.result === 'AlreadyDone') {
      this.deps.emit({ ...base, kind: 'stopped', text: `charge stopped at ${level} % (limit ${percent} %)` });
      return;
    }
    const why = end.result === 'Timeout' ? 'the car did not answer (not reachable)' : `the stop failed (${end.failureCause ?? end.result})`;
    this.deps.emit({
      ...base,
      kind: 'not-stopped',
      text: `level ${level} % passed the limit of ${percent} % but ${why}${end.explanation ? `: ${end.explanation}` : ''}; not retried for this charge`,
    });
  }

  /** Waits for the last save (the CLI exits right after setting a limit). */
  async saved(): Promise<void> {
    await this.file.flush();
  }

  /** From the capabilities when known, else as saved when set. */
  private methodOf(vehicleId: string): ChargeLimitMethod {
    const caps = this.deps.capabilitiesOf(vehicleId);
    return caps ? limitMethodFor(caps) : (this.limits.get(vehicleId)?.method ?? 'monitor');
  }

  private save(): void {
    const vehicles: Record<string, Saved> = {};
    for (const [id, s] of this.limits) vehicles[id] = { percent: s.percent, ...(s.method ? { method: s.method } : {}), ...(s.stopped ? { stopped: true } : {}) };
    // What JsonFile writes: the file watch knows its own write by it.
    this.ownText = JSON.stringify({ vehicles });
    this.saveGen++;
    this.pendingSaves++;
    void this.file
      .save({ vehicles })
      .catch(() => undefined)
      .finally(() => this.pendingSaves--);
  }
}
