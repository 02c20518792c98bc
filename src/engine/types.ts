/**
 * The engine both faces share: one `StellantisAccount` per configured account. Homebridge and
 * Node-RED only call what is declared here; they never talk to the API client directly.
 *
 * Data path: face -> account.send(vehicleId, action) -> queue -> API POST -> notifications at the
 * webhook -> the remote's state machine -> one RemoteProgress event -> face.
 */
import type { EventEmitter } from 'node:events';
import type { RemoteAction } from '../stellantis/actions';
import type { FailureCause, PendingStatus, WebhookMessage } from '../stellantis/wire';
import type { VehicleState } from '../stellantis/vehicleState';

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

export interface VehicleStateChange {
  vehicleId: string;
  state: VehicleState;
  /** What caused the change. */
  source: 'status' | 'monitor' | 'remote' | 'restore';
  at: number;
}

export interface AccountEvents {
  remote: (p: RemoteProgress) => void;
  state: (c: VehicleStateChange) => void;
  /**
   * Every notification received (remote and monitor), as received (unknown fields kept), with the
   * vehicle it is about when the engine knows it (one of its remotes or monitors).
   */
  notification: (m: WebhookMessage, meta: { vehicleId?: string }) => void;
  /** Problems worth one log line (already de-duplicated and explained). */
  problem: (p: { message: string; vehicleId?: string }) => void;
}

/** AccountEvents as the argument lists of a typed node:events EventEmitter. */
export type AccountEventArgs = { [E in keyof AccountEvents]: Parameters<AccountEvents[E]> };

export interface AccountHandle extends EventEmitter<AccountEventArgs> {
  /** Configured vehicles (id, display name, features). */
  readonly vehicleIds: readonly string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  send(vehicleId: string, action: RemoteAction): RemoteHandle;
  /** Last known state, at once, never an API call. */
  stateOf(vehicleId: string): VehicleState;
  /** One status read (never wakes the car). */
  readStatus(vehicleId: string, opts?: { raw?: boolean }): Promise<{ state: VehicleState; raw?: unknown }>;
}
