/**
 * The notifications the listener takes: a remote's to its tracker, a monitor's values folded into
 * the vehicle states (one change per vehicle and batch). Knows which monitors are ours (saved
 * beside the callback id, so known before the listener opens) and holds the values of a monitor
 * not known yet until the monitors are listed.
 */
import type { WebhookMessage } from '../stellantis/wire';
import type { WebhookSink } from '../webhook';
import { observationFromMessage, type RemoteObservation } from '../remotes/remoteTracker';
import type { AccountContext } from './accountContext';
import { explainError } from './errorMeaning';
import { definitionOfKey, type MonitorDefinition } from './monitors';
import { MonitorHold } from './monitorHold';
import type { MonitorValue } from './vehicleStates';

/**
 * How far in the future a monitor value's date may lie (clock skew between Stellantis and us).
 * Newest wins per data: a later date would freeze that part of the state until the clock caught up.
 */
export const MONITOR_DATE_SKEW_MS = 2 * 60_000;

/** Where remote notifications go (the remotes' life). */
export interface RemoteIntake {
  vehicleOf(remoteActionId: string): string | undefined;
  dispatch(remoteActionId: string, observation: RemoteObservation): void;
}

interface MonitorOwner {
  vehicleId: string;
  def: MonitorDefinition;
}

export class NotificationIntake {
  private readonly monitorOwners = new Map<string, MonitorOwner>();
  /** Values for monitors not known yet, until the monitors are listed. */
  private readonly monitorHold = new MonitorHold();
  private monitorsListed = false;
  private listingMonitors = 0;
  /** What the callback file holds about the monitors (to write it only when they change). */
  private savedMonitorsKey = '';
  private savedMonitorsCallbackId: string | undefined;
  private callbackIdSet: { id: string | undefined; set: ReadonlySet<string> } = { id: undefined, set: new Set() };

  constructor(
    private readonly ctx: AccountContext,
    private readonly remotes: RemoteIntake,
    /** Every notification received, with its vehicle when known (the account emits it as 'notification'). */
    private readonly notify: (m: WebhookMessage, vehicleId: string | undefined) => void,
  ) {}

  readonly sink: WebhookSink = {
    accept: (messages, meta) => {
      // Thrown, so the listener answers 500 and Stellantis delivers them again to the next start.
      if (this.ctx.isStopped()) throw new Error('this account is stopped; Stellantis will deliver them again');
      const monitorValues: MonitorValue[] = [];
      for (const m of messages) {
        try {
          this.onMessage(m, meta.receivedAt, monitorValues);
        } catch (err) {
          this.ctx.problems.report(`could not process a notification: ${explainError(err)}`);
        }
      }
      // A batch's monitor values are folded at once: one state change per vehicle.
      this.applyMonitorValues(monitorValues);
    },
  };

  /** Asked for every notification: the same set until the callback id changes. */
  ourCallbackIds(): ReadonlySet<string> {
    const id = this.ctx.callbacks.callbackId;
    if (this.callbackIdSet.id !== id) this.callbackIdSet = { id, set: new Set(id ? [id] : []) };
    return this.callbackIdSet.set;
  }

  /** The monitors of the last run, to be known before the listener opens. */
  async loadSavedMonitors(): Promise<void> {
    const saved = await this.ctx.callbacks.savedMonitors();
    for (const m of saved.monitors) {
      const def = definitionOfKey(m.key);
      if (def && this.ctx.vehicleIds.includes(m.vehicleId)) this.monitorOwners.set(m.monitorId, { vehicleId: m.vehicleId, def });
    }
    this.savedMonitorsKey = monitorsKey(this.monitorOwners);
    this.savedMonitorsCallbackId = saved.callbackId;
  }

  /** A listing of the vehicles' monitors begins: a monitor we do not know may be one of ours. */
  listingStarted(): void {
    this.listingMonitors++;
  }

  listingEnded(): void {
    this.listingMonitors--;
  }

  /** The monitors listed for a vehicle: the truth for it (saved ids stay only for vehicles whose listing failed). */
  setMonitors(vehicleId: string, monitors: ReadonlyMap<string, MonitorDefinition>): void {
    for (const [id, owner] of this.monitorOwners) if (owner.vehicleId === vehicleId && !monitors.has(id)) this.monitorOwners.delete(id);
    for (const [id, def] of monitors) this.monitorOwners.set(id, { vehicleId, def });
  }

  /** Every vehicle was set up: the held values are applied or dropped, the monitor ids saved. */
  async monitorsKnown(): Promise<void> {
    this.monitorsListed = true;
    this.releaseHeldMonitorValues();
    await this.saveMonitors();
  }

  /** Our callback was deleted, and its monitors with it. */
  forgetMonitors(): void {
    this.monitorOwners.clear();
    this.monitorHold.clear();
  }

  /** On stop: what is held is dropped. */
  clear(): void {
    this.monitorHold.clear();
  }

  private onMessage(m: WebhookMessage, receivedAt: number, monitorValues: MonitorValue[]): void {
    const remote = observationFromMessage(m);
    if (remote) {
      this.notify(m, this.remotes.vehicleOf(remote.remoteActionId));
      this.remotes.dispatch(remote.remoteActionId, remote.observation);
      return;
    }
    const ev = m.monitorEvent;
    const monitorId = ev && typeof ev.monitorId === 'string' ? ev.monitorId : undefined;
    const owner = monitorId !== undefined ? this.monitorOwners.get(monitorId) : undefined;
    this.notify(m, owner?.vehicleId);
    if (!ev) return;
    const values = literalValues(ev.values);
    const at = monitorDate(m.date, receivedAt);
    if (owner) {
      for (const v of values) monitorValues.push({ vehicleId: owner.vehicleId, ...v, at });
    } else if (monitorId !== undefined && values.length > 0 && this.monitorsUnsettled()) {
      this.monitorHold.hold({ monitorId, at, values });
    } else {
      this.ctx.logger.debug(`monitor message for an unknown monitor ${String(ev.monitorId)} ignored`);
    }
  }

  /** Received is answered 200: a failure here would fail again on every redelivery, so it is reported instead. */
  private applyMonitorValues(values: readonly MonitorValue[]): void {
    if (values.length === 0) return;
    try {
      this.ctx.states.fromMonitorValues(values);
    } catch (err) {
      this.ctx.problems.report(`could not apply monitor values: ${explainError(err)}`);
    }
  }

  /** Until every vehicle's monitors are listed, a monitor we do not know may be one of ours. */
  private monitorsUnsettled(): boolean {
    return !this.monitorsListed || this.listingMonitors > 0;
  }

  /** The monitors are listed: the values held meanwhile are applied, or dropped when no monitor of ours sent them. */
  private releaseHeldMonitorValues(): void {
    if (this.monitorsUnsettled()) return;
    const { held, lost } = this.monitorHold.take();
    const values: MonitorValue[] = [];
    let unknown = 0;
    for (const h of held) {
      const owner = this.monitorOwners.get(h.monitorId);
      if (!owner) unknown++;
      else for (const v of h.values) values.push({ vehicleId: owner.vehicleId, ...v, at: h.at });
    }
    const { logger, problems } = this.ctx;
    if (held.length > unknown) logger.info(`${held.length - unknown} monitor message(s) received before the monitors were listed: applied`);
    if (unknown > 0) logger.info(`${unknown} monitor message(s) received before the monitors were listed: dropped, not from a monitor of ours`);
    if (lost > 0) problems.report(`${lost} monitor message(s) received before the monitors were listed were dropped (held too long, or too many)`);
    this.applyMonitorValues(values);
  }

  /** Written when the monitors changed (a new monitor, a new callback), not at every start. */
  private async saveMonitors(): Promise<void> {
    const { callbacks } = this.ctx;
    const key = monitorsKey(this.monitorOwners);
    if (key === this.savedMonitorsKey && callbacks.callbackId === this.savedMonitorsCallbackId) return;
    this.savedMonitorsKey = key;
    this.savedMonitorsCallbackId = callbacks.callbackId;
    const saved = [...this.monitorOwners].map(([monitorId, o]) => ({ monitorId, vehicleId: o.vehicleId, key: o.def.key }));
    await callbacks.saveMonitors(saved).catch((err: unknown) => this.ctx.problems.report(`could not save the monitor ids: ${explainError(err)}`));
  }
}

/** The values of a monitor event that carry a literal value. */
function literalValues(values: unknown): Array<{ data: string; literalValue: string }> {
  if (!Array.isArray(values)) return [];
  const out: Array<{ data: string; literalValue: string }> = [];
  for (const v of values as Array<{ data?: unknown; value?: { body?: { literalValue?: unknown } } } | null>) {
    const literal = v?.value?.body?.literalValue;
    if (typeof v?.data === 'string' && typeof literal === 'string') out.push({ data: v.data, literalValue: literal });
  }
  return out;
}

/** The message's date, never later than the reception plus the allowed skew; the reception when absent. */
function monitorDate(date: unknown, receivedAt: number): number {
  const parsed = typeof date === 'string' ? Date.parse(date) : NaN;
  return Number.isNaN(parsed) ? receivedAt : Math.min(parsed, receivedAt + MONITOR_DATE_SKEW_MS);
}

function monitorsKey(owners: ReadonlyMap<string, MonitorOwner>): string {
  return [...owners].map(([id, o]) => `${id}\u0000${o.vehicleId}\u0000${o.def.key}`).sort().join('\u0001');
}
