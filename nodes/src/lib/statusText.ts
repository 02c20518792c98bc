/**
 * The node status under a remote node, following the phases of the action with fixed colours:
 * yellow = working on our side or waking the car, blue = with the car, green = done, red = failed.
 * Texts stay short (the editor shows about 30 characters); the full explanation is in the message.
 */
import type { RemoteAction } from '../../../src/stellantis/actions';
import type { RemoteEnd, RemoteProgress } from '../../../src/engine/types';
import type { FailureCause, PendingStatus } from '../../../src/stellantis/wire';
import { doneLabel } from '../../../src/vocabulary/actionPhrases';
import { awaiting, failed, idle, ready, succeeded, withCar, working } from './nodeStatus';
import type { NodeStatus } from './red';

/** "07:05": the local time of day, as shown after a result. */
export function clock(at: number | Date): string {
  const d = new Date(at);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** "DoorsOpen" -> "doors open". */
export function words(identifier: string): string {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

/** Short failure causes for the status line (the full explanation is in the message). */
const SHORT_FAILURES: Record<FailureCause, string> = {
  GeneralError: 'general error',
  VehicleError: 'vehicle error',
  WrongCommand: 'wrong command',
  VehicleConnectionTimeout: 'car unreachable',
  MissingRights: 'missing rights',
  NotPossibleDueToVehicleBatteryLevel: '12 V battery low',
  NotPossibleDueToVehiclePrivacyLevel: 'privacy mode on',
  TooManyWakeUpsOverMonth: 'wake-up limit reached',
  TooManyRequestInShortTime: 'too many requests',
  SameActionInProgress: 'another action running',
  NotPossibleDueToVehicleStolenState: 'car declared stolen',
  VehicleInUse: 'vehicle in use',
  TooManyRequestSent: 'too many request sent',
  DoorsOpen: 'doors open',
  VehicleErrorOrCidInside: 'car error or key inside',
  CidInside: 'key inside',
  ExternalChargingSystemError: 'charging station error',
  VehicleChargingSystemError: 'car charging error',
  VehicleIsNotLocked: 'car not locked',
  CanceledByDriver: 'cancelled in the car',
};

const PENDING_TEXT: Record<PendingStatus, string> = {
  Accepted: 'accepted',
  WakingUpVehicle: 'waking vehicle',
  CheckingVehicle: 'checking vehicle',
  SentToVehicle: 'sent to vehicle',
  VehicleBatteryChargeTooLow: '12 V battery low',
  TooManyWakeUpsOverMonth: 'wake-up limit reached',
};

const isKey = <T extends string>(record: Record<T, string>, key: string): key is T => Object.prototype.hasOwnProperty.call(record, key);

export function failureLabel(end: RemoteEnd): string {
  switch (end.result) {
    case 'Timeout':
      return 'no answer (timeout)';
    case 'Superseded':
      return 'replaced by a newer request';
    case 'Rejected':
      if (end.failureCause) return words(String(end.failureCause));
      // The car's own capabilities ruled it out (explainUnsupported): say so rather than a bare refusal.
      return /onboard capability/.test(end.explanation ?? '') ? 'not supported by this car' : 'refused before sending';
    default: {
      const cause = end.failureCause ? String(end.failureCause) : '';
      return cause ? (isKey(SHORT_FAILURES, cause) ? SHORT_FAILURES[cause] : words(cause)) : 'no reason given';
    }
  }
}

export function endStatus(action: RemoteAction, end: RemoteEnd): NodeStatus {
  const time = clock(end.at);
  if (end.result === 'Success') return succeeded(`${doneLabel(action)} ${time}`);
  if (end.result === 'AlreadyDone') return ready(`already ${doneLabel(action)} ${time}`);
  if (end.result === 'Superseded') return idle(`${failureLabel(end)} ${time}`);
  return failed(`${end.result === 'Failed' ? 'failed' : end.result.toLowerCase()}: ${failureLabel(end)}`);
}

export function progressStatus(p: RemoteProgress): NodeStatus {
  if (p.end) return endStatus(p.action, p.end);
  switch (p.phase) {
    case 'queued':
      return working('queued');
    case 'sending':
      return working('sending');
    case 'sent':
      return awaiting('accepted, waiting for the car');
    case 'pending': {
      const status = p.pendingStatus ? String(p.pendingStatus) : '';
      const text = isKey(PENDING_TEXT, status) ? PENDING_TEXT[status] : status ? words(status) : 'in progress';
      return status === 'SentToVehicle' ? withCar(text) : working(text);
    }
    case 'done':
      return succeeded(`${doneLabel(p.action)} ${clock(p.at)}`);
  }
}
