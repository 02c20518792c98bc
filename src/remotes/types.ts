/**
 * The life of one remote as the faces see it: its phases, its end, the progress events and the
 * handle `send` returns. The engine re-exports these (engine/types.ts).
 */
import type { RemoteAction } from '../stellantis/actions';
import type { FailureCause, PendingStatus } from '../stellantis/wire';

export type RemoteEndResult =
  | 'Success'
  | 'AlreadyDone'
  | 'Failed'
  /** No Done came and the read-back could not tell within the bounded time. */
  | 'Timeout'
  /** Never reached the car: refused locally (wake-up guard, invalid action) or by the API (4xx) before acceptance. */
  | 'Rejected'
  /** Replaced in the queue by a contradicting request before it was sent. */
  | 'Superseded';

export interface RemoteEnd {
  result: RemoteEndResult;
  failureCause?: FailureCause | string;
  /** One line in plain words: what happened and what the user can do. */
  explanation?: string;
  remoteActionId?: string;
  at: number;
}

export type RemotePhase = 'queued' | 'sending' | 'sent' | 'pending' | 'done';

/** Emitted for every step of a remote's life, on the handle and on the account ('remote'). */
export interface RemoteProgress {
  vehicleId: string;
  /** Local id of the request (stable across merges; several callers can share one handle). */
  requestId: string;
  action: RemoteAction;
  phase: RemotePhase;
  remoteActionId?: string;
  /** For phase 'pending': the Pending status (Accepted, WakingUpVehicle, ...). */
  pendingStatus?: PendingStatus | string;
  /** Plain-language text of the current step, e.g. "waking the vehicle". */
  text: string;
  end?: RemoteEnd;
  at: number;
}

export interface RemoteHandle {
  readonly requestId: string;
  readonly vehicleId: string;
  readonly action: RemoteAction;
  readonly remoteActionId?: string;
  readonly phase: RemotePhase;
  /** Settles with the end (never rejects: failures are ends too). */
  readonly done: Promise<RemoteEnd>;
  /** Resolves once the API accepted the POST (with its remoteActionId), or with the end if it never got that far. */
  readonly accepted: Promise<{ remoteActionId?: string; end?: RemoteEnd }>;
  on(event: 'progress', listener: (p: RemoteProgress) => void): this;
  off(event: 'progress', listener: (p: RemoteProgress) => void): this;
}
