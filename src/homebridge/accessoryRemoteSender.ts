/**
 * Sends the remote action a service of the accessory asks for (a HomeKit write) and logs how it
 * ended, without making HomeKit wait: `start` returns at once, the account carries the action, and
 * the end comes back through `onEnd` (every promise caught).
 * A failure gives exactly one log line: the function, what was asked, the cause in plain words and
 * what to do (the engine's RemoteEnd.explanation).
 */
import type { Logging } from 'homebridge';
import type { AccountHandle, RemoteEnd, RemoteEndResult } from '../engine/types';
import type { RemoteAction } from '../stellantis/actions';
import { errorText } from '../util/errorText';
import { inHomebridgeTerms } from './homebridgeTerms';

/** What one service asks for: the action, and how to name it in the log and in HomeKit. */
export interface ServiceAction {
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

export class AccessoryRemoteSender {
  constructor(
    private readonly account: AccountHandle,
    private readonly vehicleId: string,
    private readonly log: Logging,
    private readonly isStopping: () => boolean = () => false,
  ) {}

  /** Starts the action in the background; never throws, never awaits the car. */
  start(request: ServiceAction): void {
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

  private finish(request: ServiceAction, end: RemoteEnd): void {
    const failed = isFailure(end);
    if (failed && this.isStopping()) {
      this.log.info(`${request.label}: "${request.verb}" not finished before Homebridge stopped; it is followed after the restart`);
    } else if (failed) {
      const why = end.explanation ?? end.failureCause ?? end.result;
      this.log.error(`${request.label}: could not ${request.verb}: ${inHomebridgeTerms(why)}`);
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
