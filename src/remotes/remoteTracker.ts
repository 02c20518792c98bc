/**
 * The state machine of one remote action once the API accepted it: Pending steps, then one Done.
 * - Duplicates (the same step seen twice) and Pending after Done are ignored; Done without any
 *   Pending is fine.
 * - Silence: when no notification came for `noNotificationTimeoutMs`, the remote is read back
 *   (GET .../remotes/{rid}) once at once and then after each delay of `readBackBackoffMs`; if none of
 *   those reads shows a Done, it ends 'Timeout'. A notification during that phase restarts the wait.
 */
import { DONE_STATUSES } from '../stellantis/wire';
import type { RemoteActionState, WebhookMessage } from '../stellantis/wire';
import type { RemoteEnd } from './types';
import { LOCAL_EXPLANATIONS, explainFailure, sentence } from './explanations';

export interface RemoteObservation {
  type: 'Pending' | 'Done';
  status: string;
  failureCause?: string;
  feedbackDetail?: string;
}

const DONE = new Set<string>(DONE_STATUSES);

/** The remote step carried by a webhook message, or undefined when it is not a remote event. */
export function observationFromMessage(m: WebhookMessage): { remoteActionId: string; observation: RemoteObservation } | undefined {
  const ev = m.remoteEvent;
  const rid = ev?.remoteActionId;
  const st = ev?.eventStatus;
  if (typeof rid !== 'string' || !rid || !st || typeof st.status !== 'string') return undefined;
  const type = st.type === 'Done' || (st.type !== 'Pending' && DONE.has(st.status)) ? 'Done' : 'Pending';
  return {
    remoteActionId: rid,
    observation: {
      type,
      status: st.status,
      failureCause: typeof st.failureCause === 'string' ? st.failureCause : undefined,
      feedbackDetail: typeof st.feedbackDetail === 'string' ? st.feedbackDetail : undefined,
    },
  };
}

/** The step shown by a read-back (GET .../remotes/{rid} or an element of the list). */
export function observationFromState(s: Partial<RemoteActionState> | undefined): RemoteObservation | undefined {
  if (!s || typeof s.status !== 'string') return undefined;
  return {
    type: DONE.has(s.status) ? 'Done' : 'Pending',
    status: s.status,
    failureCause: typeof s.failureCause === 'string' ? s.failureCause : undefined,
    feedbackDetail: typeof s.feedbackDetail === 'string' ? s.feedbackDetail : undefined,
  };
}

/** The end a Done step means. */
export function endOfDone(o: RemoteObservation): Omit<RemoteEnd, 'at'> {
  if (o.status === 'Success') return { result: 'Success' };
  if (o.status === 'AlreadyDone') return { result: 'AlreadyDone' };
  return {
    result: 'Failed',
    failureCause: o.failureCause,
    explanation: sentence(explainFailure(o.failureCause)),
  };
}

export interface RemoteTrackerOptions {
  remoteActionId: string;
  noNotificationTimeoutMs: number;
  readBackBackoffMs: readonly number[];
  /** GET .../remotes/{rid}. */
  readBack: () => Promise<Partial<RemoteActionState> | undefined>;
  onPending: (status: string, o: RemoteObservation) => void;
  onEnd: (end: Omit<RemoteEnd, 'at'>, o?: RemoteObservation) => void;
  /** A read-back failed (logged by the owner; the tracker carries on). */
  onReadBackError?: (err: unknown) => void;
}

export class RemoteTracker {
  readonly remoteActionId: string;
  private readonly seen = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readBacks = 0;
  private finished = false;
  private stopped = false;
  private readBackInFlight = false;

  constructor(private readonly opts: RemoteTrackerOptions) {
    this.remoteActionId = opts.remoteActionId;
  }

  get ended(): boolean {
    return this.finished;
  }

  /** Starts waiting for notifications (the silence timer). */
  watch(): void {
    if (this.finished || this.stopped) return;
    this.readBacks = 0;
    this.arm(this.opts.noNotificationTimeoutMs);
  }

  /** A notification for this remote. */
  notify(o: RemoteObservation): void {
    if (this.apply(o) && !this.finished) this.watch();
  }

  /** Reads the remote back at once (after a restart), then keeps watching. */
  async checkNow(): Promise<void> {
    await this.readOnce();
    if (!this.finished && !this.stopped) this.watch();
  }

  /** Clears the timers without ending (the account is stopping). */
  stop(): void {
    this.stopped = true;
    this.clear();
  }

  /** Returns true when the observation was new. */
  private apply(o: RemoteObservation): boolean {
    if (this.finished || this.stopped) return false;
    const key = `${o.type}:${o.status}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    if (o.type === 'Done') {
      this.finished = true;
      this.clear();
      this.opts.onEnd(endOfDone(o), o);
    } else {
      this.opts.onPending(o.status, o);
    }
    return true;
  }

  private arm(ms: number): void {
    this.clear();
    this.timer = setTimeout(() => void this.onSilence(), ms);
    this.timer.unref();
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async onSilence(): Promise<void> {
    this.timer = undefined;
    await this.readOnce();
    if (this.finished || this.stopped || this.timer) return;
    const delay = this.opts.readBackBackoffMs[this.readBacks - 1];
    if (delay === undefined) {
      this.finished = true;
      this.opts.onEnd({ result: 'Timeout', explanation: sentence(LOCAL_EXPLANATIONS.noAnswer) });
      return;
    }
    this.timer = setTimeout(() => void this.onSilence(), delay);
    this.timer.unref();
  }

  private async readOnce(): Promise<void> {
    if (this.finished || this.stopped || this.readBackInFlight) return;
    this.readBacks++;
    this.readBackInFlight = true;
    try {
      const o = observationFromState(await this.opts.readBack());
      if (o) this.apply(o);
    } catch (err) {
      this.opts.onReadBackError?.(err);
    } finally {
      this.readBackInFlight = false;
    }
  }
}
