/**
 * The last known state of each vehicle, answered at once (never an API call). Status reads replace
 * it, monitor values fold into it, and a successful remote applies its expected effect at once
 * (doors locked, charging on...) until a monitor or a status read confirms or corrects it.
 * Persisted so that a restart answers with the last state before the first read. What each car
 * can do (its onboard capabilities) is kept beside its state, in the same file.
 */
import type { RemoteAction } from '../stellantis/actions';
import { restoreCapabilities, type VehicleCapabilities } from '../stellantis/capabilities';
import { applyMonitorValue, type VehicleState } from '../stellantis/vehicleState';
import type { VehicleStateChange } from './types';
import { JsonFile } from '../util/jsonFile';
import { mergeAttached } from './monitorEvent';
import { chargeProgramStates } from '../stellantis/chargePrograms';

const SAVE_DELAY_MS = 1000;

export interface MonitorValue {
  vehicleId: string;
  data: string;
  literalValue: string;
  /** When the value was observed (the message date), epoch ms. */
  at: number;
}

/** The state a monitor event carried (its extensions), for one vehicle, at the event's date. */
export interface AttachedState {
  vehicleId: string;
  state: VehicleState;
  at: number;
}

export class VehicleStates {
  private readonly states = new Map<string, VehicleState>();
  private readonly capabilities = new Map<string, VehicleCapabilities>();
  private readonly file: JsonFile | undefined;

  constructor(
    private readonly onChange: (c: VehicleStateChange) => void,
    opts: { path?: string; now?: () => number; onChangeError?: (err: unknown) => void } = {},
  ) {
    this.file = opts.path ? new JsonFile(opts.path) : undefined;
    this.now = opts.now ?? Date.now;
    this.onChangeError = opts.onChangeError ?? (() => undefined);
  }

  private readonly now: () => number;
  private readonly onChangeError: (err: unknown) => void;
  private saveTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The last monitor value applied per vehicle and data (bounded by vehicles x monitored data). */
  private readonly lastMonitorValue = new Map<string, MonitorValue>();

  get(vehicleId: string): VehicleState {
    return this.states.get(vehicleId) ?? {};
  }

  /** What the car said it can do, when it said (never an API call). */
  capabilitiesOf(vehicleId: string): VehicleCapabilities | undefined {
    return this.capabilities.get(vehicleId);
  }

  /** Keeps what the car says it can do (undefined: it says nothing); true when it changed. */
  setCapabilities(vehicleId: string, caps: VehicleCapabilities | undefined): boolean {
    if (this.closed) return false;
    const before = this.capabilities.get(vehicleId);
    if (JSON.stringify(before) === JSON.stringify(caps)) return false;
    if (caps) this.capabilities.set(vehicleId, caps);
    else this.capabilities.delete(vehicleId);
    this.scheduleSave();
    return true;
  }

  /** Reads the saved states and announces them (source 'restore'), and the saved capabilities. */
  async restore(vehicleIds: readonly string[]): Promise<void> {
    if (!this.file) return;
    const read = await this.file.read();
    if (read.kind !== 'ok') return;
    const savedCaps = (read.value as { capabilities?: unknown } | null)?.capabilities;
    if (savedCaps !== null && typeof savedCaps === 'object') {
      for (const id of vehicleIds) {
        const caps = restoreCapabilities((savedCaps as Record<string, unknown>)[id]);
        if (caps && !this.capabilities.has(id)) this.capabilities.set(id, caps);
      }
    }
    const saved = (read.value as { vehicles?: unknown } | null)?.vehicles;
    if (saved === null || typeof saved !== 'object') return;
    for (const id of vehicleIds) {
      const state = (saved as Record<string, unknown>)[id];
      if (state !== null && typeof state === 'object' && !this.states.has(id)) this.set(id, state as VehicleState, 'restore', false);
    }
  }

  fromStatus(vehicleId: string, state: VehicleState): void {
    this.set(vehicleId, state, 'status');
  }

  /**
   * Folds monitor values (one batch) into the states: per vehicle and data only the newest value
   * counts, and a value older than one already applied (messages delivered out of order) is
   * ignored. The states the events carried (`attached`, oldest first) are folded in before the
   * values. One state change per vehicle that changed.
   */
  fromMonitorValues(values: readonly MonitorValue[], attached: readonly AttachedState[] = []): void {
    // Newest per vehicle and data first: a batch of 100 door messages is one state change, not 100.
    const newest = new Map<string, MonitorValue>();
    for (const v of values) {
      const key = `${v.vehicleId}\u0000${v.data}`;
      const seen = newest.get(key) ?? this.lastMonitorValue.get(key);
      if (seen && seen.at > v.at) continue;
      newest.set(key, v);
    }
    const next = new Map<string, VehicleState>();
    for (const a of [...attached].sort((x, y) => x.at - y.at)) {
      next.set(a.vehicleId, mergeAttached(next.get(a.vehicleId) ?? this.get(a.vehicleId), a.state, a.at));
    }
    for (const [key, v] of newest) {
      this.lastMonitorValue.set(key, v);
      const state = next.get(v.vehicleId) ?? this.get(v.vehicleId);
      next.set(v.vehicleId, applyMonitorValue(state, v.data, v.literalValue, new Date(v.at)));
    }
    for (const [vehicleId, state] of next) {
      if (state !== this.get(vehicleId)) this.set(vehicleId, state, 'monitor');
    }
  }

  /** The effect a successful remote is known to have, applied at once. */
  afterSuccess(vehicleId: string, action: RemoteAction): void {
    const next = expectedState(this.get(vehicleId), action, new Date(this.now()));
    if (next) this.set(vehicleId, next, 'remote');
  }

  /**
   * Writes a pending change and takes no more (on stop): a status read or a notification that
   * lands after it neither writes the file nor announces a change.
   */
  close(): Promise<void> {
    this.closed = true;
    return this.flush();
  }

  /** Writes a pending change now and waits for it. */
  flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.saveNow();
    }
    return this.file ? this.file.flush().catch(() => undefined) : Promise.resolve();
  }

  private set(vehicleId: string, state: VehicleState, source: VehicleStateChange['source'], save = true): void {
    if (this.closed) return;
    this.states.set(vehicleId, state);
    if (save) this.scheduleSave();
    // The state is applied whatever the listener does: its failure must not stop the batch.
    try {
      this.onChange({ vehicleId, state, source, at: this.now() });
    } catch (err) {
      this.onChangeError(err);
    }
  }

  /** States change often (monitors): they are written at most once per SAVE_DELAY_MS. */
  private scheduleSave(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saveNow();
    }, SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  private saveNow(): void {
    if (!this.file) return;
    const vehicles: Record<string, VehicleState> = {};
    for (const [id, s] of this.states) vehicles[id] = s;
    const capabilities: Record<string, VehicleCapabilities> = {};
    for (const [id, c] of this.capabilities) capabilities[id] = c;
    void this.file.save({ vehicles, capabilities });
  }
}

/** The state after `action` succeeded, or undefined when the action has no known effect on it. */
export function expectedState(state: VehicleState, action: RemoteAction, at: Date): VehicleState | undefined {
  const time = { at: at.toISOString(), ageMs: 0 };
  switch (action.kind) {
    case 'lock':
    case 'unlock': {
      const locked = action.kind === 'lock';
      return {
        ...state,
        doors: {
          ...time,
          lock: locked ? 'locked' : 'unlocked',
          superLocked: false,
          lockedStates: [locked ? 'Locked' : 'Unlocked'],
          ...(state.doors?.open !== undefined ? { open: state.doors.open } : {}),
          openDoors: state.doors?.openDoors ?? [],
        },
      };
    }
    case 'charge':
      return { ...state, charging: { ...state.charging, ...time, status: action.on ? 'InProgress' : 'Stopped' } };
    case 'charge-programs':
      return { ...state, charging: { ...state.charging, ...time, programs: chargeProgramStates(action.programs) } };
    case 'precondition':
      return {
        ...state,
        preconditioning: { ...state.preconditioning, ...time, on: action.on, status: action.on ? 'Enabled' : 'Disabled' },
      };
    default:
      return undefined;
  }
}

/**
 * What the account last knew of one car (its state and capabilities), read from the storage folder
 * without any API call: for a command-line tool that runs beside Homebridge or Node-RED.
 */
export async function readSavedVehicle(path: string, vehicleId: string): Promise<{ state: VehicleState; capabilities?: VehicleCapabilities }> {
  const saved = new VehicleStates(() => undefined, { path });
  await saved.restore([vehicleId]);
  const capabilities = saved.capabilitiesOf(vehicleId);
  return capabilities ? { state: saved.get(vehicleId), capabilities } : { state: saved.get(vehicleId) };
}
