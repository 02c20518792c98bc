/**
 * The handle a caller holds for one requested remote action. Several callers share it when their
 * requests merged. Each step is emitted as a RemoteProgress (on the handle and through `forward`),
 * and `done` settles exactly once, never rejecting.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { RemoteAction } from '../stellantis/actions';
import type { RemoteEnd, RemoteHandle, RemotePhase, RemoteProgress } from './types';
import { endText, phaseText } from './explanations';

export interface RemoteRequestOptions {
  vehicleId: string;
  action: RemoteAction;
  requestId?: string;
  remoteActionId?: string;
  /** Receives every progress (the account re-emits it as 'remote'). */
  forward?: (p: RemoteProgress) => void;
  now?: () => number;
}

export class RemoteRequest extends EventEmitter implements RemoteHandle {
  readonly requestId: string;
  readonly vehicleId: string;
  readonly action: RemoteAction;
  readonly done: Promise<RemoteEnd>;
  readonly accepted: Promise<{ remoteActionId?: string; end?: RemoteEnd }>;
  private rid: string | undefined;
  private currentPhase: RemotePhase = 'queued';
  private lastPending: string | undefined;
  private theEnd: RemoteEnd | undefined;
  private resolveDone!: (end: RemoteEnd) => void;
  private resolveAccepted!: (v: { remoteActionId?: string; end?: RemoteEnd }) => void;
  private readonly forward: (p: RemoteProgress) => void;
  private readonly now: () => number;

  constructor(opts: RemoteRequestOptions) {
    super();
    this.requestId = opts.requestId ?? randomUUID();
    this.vehicleId = opts.vehicleId;
    this.action = opts.action;
    this.rid = opts.remoteActionId;
    this.forward = opts.forward ?? (() => undefined);
    this.now = opts.now ?? Date.now;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.accepted = new Promise((resolve) => (this.resolveAccepted = resolve));
    if (this.rid) this.resolveAccepted({ remoteActionId: this.rid });
  }

  get remoteActionId(): string | undefined {
    return this.rid;
  }

  get phase(): RemotePhase {
    return this.currentPhase;
  }

  get pendingStatus(): string | undefined {
    return this.lastPending;
  }

  get end(): RemoteEnd | undefined {
    return this.theEnd;
  }

  get ended(): boolean {
    return this.theEnd !== undefined;
  }

  /** Emits a step (queued, sending). */
  step(phase: 'queued' | 'sending'): void {
    if (this.ended) return;
    this.currentPhase = phase;
    this.emitProgress({});
  }

  /** The API accepted the POST. */
  markSent(remoteActionId: string): void {
    if (this.ended) return;
    this.rid = remoteActionId;
    this.currentPhase = 'sent';
    this.resolveAccepted({ remoteActionId });
    this.emitProgress({});
  }

  markPending(status: string): void {
    if (this.ended) return;
    this.currentPhase = 'pending';
    this.lastPending = status;
    this.emitProgress({ pendingStatus: status });
  }

  /** Ends the request; later calls are ignored. Returns false when it had already ended. */
  finish(end: Omit<RemoteEnd, 'at' | 'remoteActionId'> & { at?: number; remoteActionId?: string }): boolean {
    if (this.ended) return false;
    const full: RemoteEnd = { ...end, remoteActionId: end.remoteActionId ?? this.rid, at: end.at ?? this.now() };
    this.theEnd = full;
    this.currentPhase = 'done';
    this.resolveAccepted(full.remoteActionId ? { remoteActionId: full.remoteActionId } : { end: full });
    this.emitProgress({ end: full });
    this.resolveDone(full);
    return true;
  }

  private emitProgress(extra: { pendingStatus?: string; end?: RemoteEnd }): void {
    const p: RemoteProgress = {
      vehicleId: this.vehicleId,
      requestId: this.requestId,
      action: this.action,
      phase: this.currentPhase,
      remoteActionId: this.rid,
      text: extra.end ? endText(this.action, extra.end) : phaseText(this.currentPhase, this.action, extra.pendingStatus),
      at: this.now(),
      ...extra,
    };
    // A listener that throws must not break the remote's life.
    try {
      this.emit('progress', p);
    } catch {
      /* the listener's own problem */
    }
    try {
      this.forward(p);
    } catch {
      /* idem */
    }
  }
}
