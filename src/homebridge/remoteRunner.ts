/**
 * Runs one remote action for a HomeKit write without making HomeKit wait: `start` returns at once,
 * the engine carries the action, and the end comes back through `onEnd` (every promise caught).
 * A failure gives exactly one log line: the function, what was asked, the cause in plain words and
 * what to do (the engine's RemoteEnd.explanation).
 */
import type { Logging } from 'homebridge';
import type { AccountHandle, RemoteEnd, RemoteEndResult } from '../engine/types';
import type { RemoteAction } from '../stellantis/actions';

export interface RemoteRequest {
  action: RemoteAction;
  /** Service name, e.g. "Car Doors". */
  label: string;
  /** What was asked, as a verb phrase: "lock", "start preconditioning". */
  verb: string;
  onEnd(end: RemoteEnd, failed: boolean): void;
}

const FAILED: ReadonlySet<RemoteEndResult> = new Set<RemoteEndResult>(['Failed', 'Timeout', 'Rejected']);

export function isFailure(end: RemoteEnd): boolean {
  return FAILED.has(end.result);
}

export class RemoteRunner {
  constructor(
    private readonly account: AccountHandle,
    private readonly vehicleId: string,
    private readonly log: Logging,
    private readonly isStopping: () => boolean = () => false,
  ) {}

  /** Starts the action in the background; never throws, never awaits the car. */
  start(request: RemoteRequest): void {
    let done: Promise<RemoteEnd>;
    try {
      done = this.account.send(this.vehicleId, request.action).done;
    } catch (err) {
      done = Promise.resolve({ result: 'Rejected', explanation: errorText(err), at: Date.now() });
    }
    done
      .then((end) => this.finish(request, end))
      .catch((err: unknown) => this.log.error(`${request.label}: internal error after "${request.verb}": ${errorText(err)}`));
  }

  private finish(request: RemoteRequest, end: RemoteEnd): void {
    const failed = isFailure(end);
    if (failed && this.isStopping()) {
      this.log.info(`${request.label}: "${request.verb}" not finished before Homebridge stopped; it is followed after the restart`);
    } else if (failed) {
      const why = end.explanation ?? end.failureCause ?? end.result;
      this.log.error(`${request.label}: could not ${request.verb}: ${why}`);
    } else if (end.result === 'Superseded') {
      this.log.debug(`${request.label}: "${request.verb}" replaced by a newer request before it was sent`);
    } else {
      this.log.info(`${request.label}: ${request.verb}: ${end.result === 'AlreadyDone' ? 'nothing to do, it already was' : 'done'}`);
    }
    try {
      request.onEnd(end, failed);
    } catch (err) {
      this.log.error(`${request.label}: could not update HomeKit after "${request.verb}": ${errorText(err)}`);
    }
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
