/**
 * The node status under a remote node, following the phases of the action with fixed colours:
 * yellow = working on our side or waking the car, blue = with the car, green = done, red = failed.
 * Texts stay short (the editor shows about 30 characters); the full explanation is in the message.
 */
import type { RemoteAction } from '../../../src/stellantis/actions';
import type { RemoteEnd, RemoteProgress } from '../../../src/engine/types';
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

const SHORT_FAILURES: Record<string, string> = {
  VehicleConnectionTimeout: 'car unreachable',
  NotPossibleDueToVehicleBatteryLevel: '12 V battery low',
  NotPossibleDueToVehiclePrivacyLevel: 'privacy mode on',
  NotPossibleDueToVehicleStolenState: 'car declared stolen',
  TooManyWakeUpsOverMonth: 'wake-up limit reached',
  TooManyRequestInShortTime: 'too many requests',
  SameActionInProgress: 'another action running',
  VehicleErrorOrCidInside: 'car error or key inside',
  CidInside: 'key inside',
  ExternalChargingSystemError: 'charging station error',
  VehicleChargingSystemError: 'car charging error',
  VehicleIsNotLocked: 'car not locked',
  CanceledByDriver: 'cancelled in the car',
};

const PENDING_TEXT: Record<string, string> = {
  Accepted: 'accepted',
  WakingUpVehicle: 'waking vehicle',
  CheckingVehicle: 'checking vehicle',
  SentToVehicle: 'sent to vehicle',
  VehicleBatteryChargeTooLow: '12 V battery low',
  TooManyWakeUpsOverMonth: 'wake-up limit reached',
};

/** What the car now is or did, for the green status: "locked", "preconditioning on"... */
export function doneLabel(action: RemoteAction): string {
  switch (action.kind) {
    case 'lock':
      return 'locked';
    case 'unlock':
      return 'unlocked';
    case 'horn':
      return 'horn sounded';
    case 'lights':
      return 'lights flashed';
    case 'precondition':
      return action.on ? 'preconditioning on' : 'preconditioning off';
    case 'precondition-programs':
      return 'programs saved';
    case 'charge':
      return action.on ? 'charging' : 'charging stopped';
    case 'charge-at':
      return `charging at ${action.at}`;
    case 'charge-preferences':
      return 'preferences saved';
    case 'immobilize':
      return action.on ? 'immobilized' : 'immobilizer off';
    case 'stolen':
      return action.on ? 'declared stolen' : 'stolen cleared';
    case 'refresh':
      return 'refreshed';
    case 'navigate':
      return 'destination sent';
  }
}

export function failureLabel(end: RemoteEnd): string {
  switch (end.result) {
    case 'Timeout':
      return 'no answer (timeout)';
    case 'Superseded':
      return 'replaced by a newer request';
    case 'Rejected':
      return end.failureCause ? words(String(end.failureCause)) : 'refused before sending';
    default: {
      const cause = end.failureCause ? String(end.failureCause) : '';
      return cause ? (SHORT_FAILURES[cause] ?? words(cause)) : 'no reason given';
    }
  }
}

export function endStatus(action: RemoteAction, end: RemoteEnd): NodeStatus {
  const time = clock(end.at);
  if (end.result === 'Success') return { fill: 'green', shape: 'dot', text: `${doneLabel(action)} ${time}` };
  if (end.result === 'AlreadyDone') return { fill: 'green', shape: 'ring', text: `already ${doneLabel(action)} ${time}` };
  if (end.result === 'Superseded') return { fill: 'grey', shape: 'ring', text: `${failureLabel(end)} ${time}` };
  return { fill: 'red', shape: 'ring', text: `${end.result === 'Failed' ? 'failed' : end.result.toLowerCase()}: ${failureLabel(end)}` };
}

export function progressStatus(p: RemoteProgress): NodeStatus {
  if (p.end) return endStatus(p.action, p.end);
  switch (p.phase) {
    case 'queued':
      return { fill: 'yellow', shape: 'ring', text: 'queued' };
    case 'sending':
      return { fill: 'yellow', shape: 'ring', text: 'sending' };
    case 'sent':
      return { fill: 'blue', shape: 'ring', text: 'accepted, waiting for the car' };
    case 'pending': {
      const status = p.pendingStatus ? String(p.pendingStatus) : '';
      const text = PENDING_TEXT[status] ?? (status ? words(status) : 'in progress');
      const withCar = status === 'SentToVehicle';
      return { fill: withCar ? 'blue' : 'yellow', shape: withCar ? 'dot' : 'ring', text };
    }
    case 'done':
      return { fill: 'green', shape: 'dot', text: `${doneLabel(p.action)} ${clock(p.at)}` };
  }
}
