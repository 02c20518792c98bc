/**
 * The last ends of remote actions per vehicle, with the steps each went through, persisted so the
 * settings page can show them without asking Stellantis. Bounded: the newest REMOTE_HISTORY_PER_VEHICLE
 * ends per vehicle and MAX_STEPS steps each. Holds only what the progress events carry (action,
 * phases, plain-language texts, failure cause): no token, secret or request body.
 */
import type { RemoteAction } from '../stellantis/actions';
import { JsonFile } from '../util/jsonFile';
import type { RemoteEnd, RemotePhase, RemoteProgress } from './types';

export const REMOTE_HISTORY_PER_VEHICLE = 10;
const MAX_STEPS = 12;
const FILE_VERSION = 1;

export interface RemoteHistoryStep {
  phase: RemotePhase;
  pendingStatus?: string;
  text: string;
  at: number;
}

export interface RemoteHistoryEntry {
  requestId: string;
  vehicleId: string;
  action: RemoteAction;
  steps: RemoteHistoryStep[];
  end: RemoteEnd;
}

export class RemoteHistory {
  private readonly file: JsonFile | undefined;
  private readonly byVehicle = new Map<string, RemoteHistoryEntry[]>();
  /** Steps of the remotes not ended yet (dropped at their end). */
  private readonly running = new Map<string, RemoteHistoryStep[]>();

  constructor(path?: string) {
    this.file = path ? new JsonFile(path) : undefined;
  }

  /** Reads the saved ends (an unreadable file starts an empty history). */
  async load(): Promise<void> {
    if (!this.file) return;
    const read = await this.file.read();
    if (read.kind !== 'ok') return;
    const vehicles = (read.value as { vehicles?: unknown } | null)?.vehicles;
    if (vehicles === null || typeof vehicles !== 'object') return;
    for (const [id, list] of Object.entries(vehicles as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      const entries = list.filter(isEntry).slice(0, REMOTE_HISTORY_PER_VEHICLE);
      if (!this.byVehicle.has(id)) this.byVehicle.set(id, entries);
    }
  }

  /** Newest first. */
  list(vehicleId: string): RemoteHistoryEntry[] {
    return [...(this.byVehicle.get(vehicleId) ?? [])];
  }

  /** Follows one progress event; at the end the remote joins the vehicle's history and is saved. */
  record(p: RemoteProgress): void {
    const steps = this.running.get(p.requestId) ?? [];
    const last = steps[steps.length - 1];
    if (p.phase !== 'done' && !(last && last.phase === p.phase && last.pendingStatus === p.pendingStatus)) {
      const step: RemoteHistoryStep = { phase: p.phase, text: p.text, at: p.at };
      if (p.pendingStatus !== undefined) step.pendingStatus = p.pendingStatus;
      steps.push(step);
      if (steps.length > MAX_STEPS) steps.splice(1, 1);
    }
    if (!p.end) {
      this.running.set(p.requestId, steps);
      return;
    }
    this.running.delete(p.requestId);
    const entry: RemoteHistoryEntry = { requestId: p.requestId, vehicleId: p.vehicleId, action: p.action, steps, end: { ...p.end } };
    const list = [entry, ...(this.byVehicle.get(p.vehicleId) ?? []).filter((e) => e.requestId !== p.requestId)];
    this.byVehicle.set(p.vehicleId, list.slice(0, REMOTE_HISTORY_PER_VEHICLE));
    void this.save();
  }

  /** Waits for the pending write (errors ignored: the history is a convenience). */
  flush(): Promise<void> {
    return this.file ? this.file.flush().catch(() => undefined) : Promise.resolve();
  }

  private save(): Promise<void> {
    if (!this.file) return Promise.resolve();
    const vehicles: Record<string, RemoteHistoryEntry[]> = {};
    for (const [id, list] of this.byVehicle) vehicles[id] = list;
    return this.file.save({ version: FILE_VERSION, vehicles });
  }
}

function isEntry(raw: unknown): raw is RemoteHistoryEntry {
  if (raw === null || typeof raw !== 'object') return false;
  const e = raw as Record<string, unknown>;
  const end = e.end as { result?: unknown } | null | undefined;
  const action = e.action as { kind?: unknown } | null | undefined;
  return (
    typeof e.requestId === 'string' &&
    typeof e.vehicleId === 'string' &&
    Array.isArray(e.steps) &&
    typeof action === 'object' && action !== null && typeof action.kind === 'string' &&
    typeof end === 'object' && end !== null && typeof end.result === 'string'
  );
}
