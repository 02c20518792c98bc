/**
 * Dispatches remote notifications to their tracker by remoteActionId. A notification can arrive
 * before the POST's answer told us that id: it is buffered (bounded in count and age) and
 * handed over when the tracker registers.
 */
import type { RemoteObservation, RemoteTracker } from './remoteTracker';

export interface RemoteDispatcherOptions {
  /** Buffered notifications older than this are dropped. Default 10 minutes. */
  orphanTtlMs?: number;
  /** At most this many unknown remote ids are buffered. Default 1000. */
  maxOrphans?: number;
  now?: () => number;
}

interface Orphan {
  firstAt: number;
  observations: RemoteObservation[];
}

export class RemoteDispatcher {
  private readonly trackers = new Map<string, RemoteTracker>();
  private readonly orphans = new Map<string, Orphan>();
  private readonly ttl: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(opts: RemoteDispatcherOptions = {}) {
    this.ttl = opts.orphanTtlMs ?? 10 * 60_000;
    this.max = opts.maxOrphans ?? 1000;
    this.now = opts.now ?? Date.now;
  }

  register(tracker: RemoteTracker): void {
    this.trackers.set(tracker.remoteActionId, tracker);
    const orphan = this.orphans.get(tracker.remoteActionId);
    if (orphan) {
      this.orphans.delete(tracker.remoteActionId);
      for (const o of orphan.observations) tracker.notify(o);
    }
  }

  unregister(remoteActionId: string): void {
    this.trackers.delete(remoteActionId);
  }

  has(remoteActionId: string): boolean {
    return this.trackers.has(remoteActionId);
  }

  /** Returns 'delivered' or 'buffered'. */
  dispatch(remoteActionId: string, o: RemoteObservation): 'delivered' | 'buffered' {
    const tracker = this.trackers.get(remoteActionId);
    if (tracker) {
      tracker.notify(o);
      return 'delivered';
    }
    this.prune();
    let orphan = this.orphans.get(remoteActionId);
    if (!orphan) {
      if (this.orphans.size >= this.max) {
        const oldest = this.orphans.keys().next().value;
        if (oldest !== undefined) this.orphans.delete(oldest);
      }
      orphan = { firstAt: this.now(), observations: [] };
      this.orphans.set(remoteActionId, orphan);
    }
    if (orphan.observations.length < 20) orphan.observations.push(o);
    return 'buffered';
  }

  get trackerCount(): number {
    return this.trackers.size;
  }

  get orphanCount(): number {
    return this.orphans.size;
  }

  clear(): void {
    this.trackers.clear();
    this.orphans.clear();
  }

  private prune(): void {
    const limit = this.now() - this.ttl;
    for (const [rid, orphan] of this.orphans) {
      // Insertion order is age order: stop at the first young one.
      if (orphan.firstAt >= limit) break;
      this.orphans.delete(rid);
    }
  }
}
