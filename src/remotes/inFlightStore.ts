/**
 * Remotes sent (or being sent) whose end is not known yet, persisted so that after a restart they
 * are followed to their end instead of being forgotten. Only in-flight remotes are kept: an ended
 * remote is removed at once, so the file stays small.
 */
import type { RemoteAction } from '../stellantis/actions';
import { JsonFile } from '../util/jsonFile';

export interface InFlightRecord {
  requestId: string;
  vehicleId: string;
  action: RemoteAction;
  /** The label sent in the body: finds the remote in the list when its id was never received. */
  label: string;
  /** Absent while the POST has not been answered. */
  remoteActionId?: string;
  /** The callback it was sent on. */
  callbackId?: string;
  sentAt: number;
}

const FILE_VERSION = 1;

export class InFlightStore {
  private readonly records = new Map<string, InFlightRecord>();
  private readonly file: JsonFile;

  constructor(path: string) {
    this.file = new JsonFile(path);
  }

  get path(): string {
    return this.file.path;
  }

  /** Reads the file; returns the records found and a problem line when some could not be read. */
  async load(): Promise<{ records: InFlightRecord[]; problem?: string }> {
    this.records.clear();
    const read = await this.file.read();
    if (read.kind === 'missing') return { records: [] };
    if (read.kind === 'corrupt') return { records: [], problem: `remotes in flight: ${read.message}` };
    const list = (read.value as { remotes?: unknown } | null)?.remotes;
    if (!Array.isArray(list)) return { records: [], problem: `remotes in flight: ${this.file.path} has no "remotes" list; ignored` };
    let dropped = 0;
    for (const raw of list) {
      const rec = parseRecord(raw);
      if (rec) this.records.set(rec.requestId, rec);
      else dropped++;
    }
    return {
      records: [...this.records.values()],
      problem: dropped ? `remotes in flight: ${dropped} unreadable entr${dropped === 1 ? 'y' : 'ies'} in ${this.file.path} ignored` : undefined,
    };
  }

  list(): InFlightRecord[] {
    return [...this.records.values()];
  }

  get size(): number {
    return this.records.size;
  }

  put(rec: InFlightRecord): Promise<void> {
    this.records.set(rec.requestId, { ...rec });
    return this.save();
  }

  update(requestId: string, patch: Partial<Omit<InFlightRecord, 'requestId'>>): Promise<void> {
    const rec = this.records.get(requestId);
    if (!rec) return Promise.resolve();
    this.records.set(requestId, { ...rec, ...patch });
    return this.save();
  }

  remove(requestId: string): Promise<void> {
    if (!this.records.delete(requestId)) return Promise.resolve();
    return this.save();
  }

  /** Waits for pending writes (rejects with the last write error). */
  flush(): Promise<void> {
    return this.file.flush();
  }

  private save(): Promise<void> {
    return this.file.save({ version: FILE_VERSION, remotes: [...this.records.values()] });
  }
}

function parseRecord(raw: unknown): InFlightRecord | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  const action = r.action as { kind?: unknown } | null | undefined;
  if (typeof r.requestId !== 'string' || !r.requestId) return undefined;
  if (typeof r.vehicleId !== 'string' || !r.vehicleId) return undefined;
  if (typeof r.label !== 'string') return undefined;
  if (action === null || typeof action !== 'object' || typeof action.kind !== 'string') return undefined;
  if (r.remoteActionId !== undefined && typeof r.remoteActionId !== 'string') return undefined;
  if (r.callbackId !== undefined && typeof r.callbackId !== 'string') return undefined;
  return {
    requestId: r.requestId,
    vehicleId: r.vehicleId,
    action: action as RemoteAction,
    label: r.label,
    remoteActionId: r.remoteActionId as string | undefined,
    callbackId: r.callbackId as string | undefined,
    sentAt: typeof r.sentAt === 'number' ? r.sentAt : 0,
  };
}
