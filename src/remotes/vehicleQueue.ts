/**
 * One remote at a time per vehicle (the API refuses a second one with SameActionInProgress).
 * - A request identical to one waiting or running merges into it: pressing lock three times is
 *   one API call, and the three callers share one handle.
 * - A request contradicting a waiting one (unlock while lock waits) replaces it; the replaced one
 *   is handed back to the caller to end as 'Superseded'.
 */
import type { RemoteAction } from '../stellantis/actions';
import { actionIdentity, subjectOf } from './actionKeys';

export interface QueueItem {
  readonly vehicleId: string;
  readonly action: RemoteAction;
}

export interface EnqueueOutcome<T> {
  item: T;
  /** True when the request joined an existing item (no new API call). */
  merged: boolean;
  /** Waiting items the new request replaced; the caller ends them. */
  superseded: T[];
}

interface Lane<T> {
  running?: T;
  waiting: T[];
}

export class VehicleQueue<T extends QueueItem> {
  private readonly lanes = new Map<string, Lane<T>>();
  private closed = false;

  /**
   * `run` performs one item and settles when the vehicle is free again; it must not reject.
   * `canJoin` says whether a request may still merge into an item (false once its end is known).
   */
  constructor(
    private readonly run: (item: T) => Promise<void>,
    private readonly onRunError: (item: T, err: unknown) => void = () => undefined,
    private readonly canJoin: (item: T) => boolean = () => true,
  ) {}

  enqueue(vehicleId: string, action: RemoteAction, create: () => T): EnqueueOutcome<T> {
    const lane = this.laneOf(vehicleId);
    const identity = actionIdentity(action);
    const subject = subjectOf(action);
    const superseded: T[] = [];

    const sameWaiting = lane.waiting.find((w) => actionIdentity(w.action) === identity);
    if (sameWaiting) return { item: sameWaiting, merged: true, superseded };

    if (subject !== undefined) {
      for (const w of [...lane.waiting]) {
        if (subjectOf(w.action) === subject) {
          lane.waiting.splice(lane.waiting.indexOf(w), 1);
          superseded.push(w);
        }
      }
    }
    // Joining the running item is right only if nothing queued after it would undo it.
    if (lane.running && this.canJoin(lane.running) && actionIdentity(lane.running.action) === identity) {
      const undoneLater = subject !== undefined && lane.waiting.some((w) => subjectOf(w.action) === subject);
      if (!undoneLater) return { item: lane.running, merged: true, superseded };
    }

    const item = create();
    lane.waiting.push(item);
    this.pump(vehicleId, lane);
    return { item, merged: false, superseded };
  }

  /** Runs `item` before anything else waiting on its vehicle (remotes resumed after a restart). */
  enqueueFirst(item: T): void {
    const lane = this.laneOf(item.vehicleId);
    lane.waiting.unshift(item);
    this.pump(item.vehicleId, lane);
  }

  running(vehicleId: string): T | undefined {
    return this.lanes.get(vehicleId)?.running;
  }

  waiting(vehicleId: string): readonly T[] {
    return this.lanes.get(vehicleId)?.waiting ?? [];
  }

  /** Number of vehicles with work (running or waiting). */
  get activeLanes(): number {
    return this.lanes.size;
  }

  /** Stops starting new items and returns every waiting one (running ones finish on their own). */
  close(): T[] {
    this.closed = true;
    const out: T[] = [];
    for (const lane of this.lanes.values()) out.push(...lane.waiting.splice(0));
    return out;
  }

  private laneOf(vehicleId: string): Lane<T> {
    let lane = this.lanes.get(vehicleId);
    if (!lane) {
      lane = { waiting: [] };
      this.lanes.set(vehicleId, lane);
    }
    return lane;
  }

  private pump(vehicleId: string, lane: Lane<T>): void {
    if (lane.running || this.closed) return;
    const next = lane.waiting.shift();
    if (!next) {
      this.lanes.delete(vehicleId);
      return;
    }
    lane.running = next;
    let settled: Promise<void>;
    try {
      settled = this.run(next);
    } catch (err) {
      settled = Promise.reject(err);
    }
    settled
      .catch((err: unknown) => this.onRunError(next, err))
      .finally(() => {
        lane.running = undefined;
        if (this.closed) {
          if (lane.waiting.length === 0) this.lanes.delete(vehicleId);
          return;
        }
        this.pump(vehicleId, lane);
      });
  }
}
