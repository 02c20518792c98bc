/**
 * Plain words for every step and every end of a remote action: what happened and what the user
 * can do. The records are typed over the wire enums so that a new enum value fails to compile
 * until it has its sentence.
 */
import type { RemoteAction } from '../stellantis/actions';
import type { CapabilityRefusal } from '../stellantis/capabilities';
import type { FailureCause, PendingStatus } from '../stellantis/wire';
import type { RemoteEnd, RemotePhase } from './types';
import { describeAction } from '../vocabulary/actionPhrases';
import type { Explanation, ExplanationTable } from './explanations/table';

export type { Explanation } from './explanations/table';

const FAILURE_EXPLANATIONS: Record<FailureCause, Explanation> = {
  GeneralError: {
    text: 'Stellantis reported a general error',
    whatToDo: 'try again in a few minutes; if it keeps failing, check the Stellantis service status',
  },
  VehicleError: {
    text: 'the car reported an error while executing the action',
    whatToDo: 'try again later; if it keeps failing, check the car (a warning on the dashboard, a dealer visit)',
  },
  WrongCommand: {
    text: 'the car does not support this action',
    whatToDo: 'turn this feature off for the vehicle in the configuration (vehicles[].features)',
  },
  VehicleConnectionTimeout: {
    text: 'the car could not be reached: it is out of mobile coverage, or in deep sleep after 7 days without a drive',
    whatToDo: 'drive the car (or move it into coverage) and try again',
  },
  MissingRights: {
    text: 'this account is not allowed to send this action to the car',
    whatToDo: 'log in again granting every remote permission (`stellantis login`), and check the car is activated for remote services in the brand app',
  },
  NotPossibleDueToVehicleBatteryLevel: {
    text: "the car's 12 V battery is too low to execute the action",
    whatToDo: 'drive the car or charge its battery, then try again',
  },
  NotPossibleDueToVehiclePrivacyLevel: {
    text: "the car's privacy setting forbids remote actions",
    whatToDo: 'change the privacy mode on the car (infotainment screen: connectivity / privacy) and try again',
  },
  TooManyWakeUpsOverMonth: {
    text: 'the car has been woken up too many times this month',
    whatToDo: 'wait until next month or drive the car; avoid frequent refresh actions',
  },
  TooManyRequestInShortTime: {
    text: 'too many actions were sent to the car in a short time',
    whatToDo: 'wait a few minutes before sending another action',
  },
  SameActionInProgress: {
    text: 'another action is still running on the car (maybe sent from the brand app)',
    whatToDo: 'wait for it to finish, then try again',
  },
  NotPossibleDueToVehicleStolenState: {
    text: 'the car is declared stolen, so remote actions are blocked',
    whatToDo: 'clear the stolen state with your fleet manager or the brand assistance',
  },
  VehicleInUse: {
    text: 'the car is in use (ignition on or being driven)',
    whatToDo: 'try again once the car is parked and switched off',
  },
  TooManyRequestSent: {
    text: 'too many actions were sent to this car',
    whatToDo: 'wait a while before sending another action',
  },
  DoorsOpen: {
    text: 'a door (or the boot) is open',
    whatToDo: 'close the doors and the boot, then try again',
  },
  VehicleErrorOrCidInside: {
    text: 'the car refused: it reported an error, or a key is inside the car',
    whatToDo: 'check that no key is left inside the car, then try again',
  },
  CidInside: {
    text: 'a key is inside the car',
    whatToDo: 'take the key out of the car, then try again',
  },
  ExternalChargingSystemError: {
    text: 'the charging station or cable reported an error (or the car is not plugged in)',
    whatToDo: 'check the cable is plugged in and the charging station works, then try again',
  },
  VehicleChargingSystemError: {
    text: "the car's charging system reported an error",
    whatToDo: 'unplug and plug the cable again; if it keeps failing, have the car checked',
  },
  VehicleIsNotLocked: {
    text: 'the car must be locked for this action',
    whatToDo: 'lock the car, then try again',
  },
  CanceledByDriver: {
    text: 'the action was cancelled from inside the car',
    whatToDo: 'nothing to do; send it again if it was not intended',
  },
};

const PENDING_EXPLANATIONS: Record<PendingStatus, Explanation> = {
  Accepted: { text: 'accepted by Stellantis', whatToDo: '' },
  WakingUpVehicle: {
    text: 'waking the car up (this can take a minute or two)',
    whatToDo: '',
  },
  CheckingVehicle: { text: 'checking that the car can execute the action', whatToDo: '' },
  SentToVehicle: { text: 'sent to the car, waiting for its answer', whatToDo: '' },
  VehicleBatteryChargeTooLow: {
    text: "the car's 12 V battery is low; the action may fail",
    whatToDo: 'drive the car or charge its battery soon',
  },
  TooManyWakeUpsOverMonth: {
    text: 'the car has reached its wake-up limit for this month',
    whatToDo: 'the action will probably fail; wait until next month or drive the car',
  },
};

/** English, the source of the other languages (explanations/<lang>.ts) and the language of the logs. */
export const ENGLISH: ExplanationTable = {
  failure: FAILURE_EXPLANATIONS,
  pending: PENDING_EXPLANATIONS,
  unknownCause: (cause) => `the car refused the action (${cause})`,
  noReason: 'the action failed without a reason given',
  tryLater: 'try again later',
  inProgress: (status) => `in progress (${status})`,
};

const isKey = <T extends string>(record: Record<T, Explanation>, key: string): key is T =>
  Object.prototype.hasOwnProperty.call(record, key);

export function explainFailure(cause: string | undefined): Explanation {
  if (cause !== undefined && isKey(FAILURE_EXPLANATIONS, cause)) return FAILURE_EXPLANATIONS[cause];
  return { text: cause ? ENGLISH.unknownCause(cause) : ENGLISH.noReason, whatToDo: ENGLISH.tryLater };
}

export function explainPending(status: string): Explanation {
  if (isKey(PENDING_EXPLANATIONS, status)) return PENDING_EXPLANATIONS[status];
  return { text: ENGLISH.inProgress(status), whatToDo: '' };
}

/** One line: "text; whatToDo" (or just the text when nothing is needed). */
export function sentence(e: Explanation): string {
  return e.whatToDo ? `${e.text}; ${e.whatToDo}` : e.text;
}

/** The local (not Stellantis) reasons an action can end, with their plain words. */
export const LOCAL_EXPLANATIONS = {
  stoppedInFlight: {
    text: 'stopped before the car answered',
    whatToDo: 'it will be followed after restart',
  },
  stoppedQueued: {
    text: 'stopped before it was sent',
    whatToDo: 'send it again once the plugin runs',
  },
  noAnswer: {
    text: 'no answer from the car or from Stellantis within the expected time; the action may or may not have been executed',
    whatToDo: "check the car's state before sending it again",
  },
  outcomeUnknown: {
    text: 'the connection to Stellantis broke while sending: it is unknown whether the action reached the car',
    whatToDo: "check the car's state before sending it again",
  },
  notListed: {
    text: 'the connection to Stellantis broke while sending, and Stellantis does not list the action: it most likely did not reach the car',
    whatToDo: 'send it again if needed',
  },
  superseded: {
    text: 'replaced by a newer, contradicting request before it was sent',
    whatToDo: '',
  },
  unknownVehicle: {
    text: 'this vehicle is not configured',
    whatToDo: 'add it to vehicles[] (copy its id from `stellantis vehicles`)',
  },
  auxBatteryLow: {
    text: "not sent: a refresh wakes the car, and its 12 V battery was last seen under the level set in lowAuxBatteryPercent, where wake-ups drain it further",
    whatToDo: 'drive the car (or charge it) to recharge the 12 V battery; the state still updates when the car is driven; lower lowAuxBatteryPercent (0 turns this check off) to send it anyway',
  },
  notRegistered: {
    text: 'the webhook callback could not be registered with Stellantis, so the action was not sent',
    whatToDo: 'check the log for the cause (login, network, webhook.publicUrl)',
  },
} satisfies Record<string, Explanation>;

/** An action the car's own capabilities rule out: nothing was sent. */
export function explainUnsupported(refusal: CapabilityRefusal): Explanation {
  return {
    text: `this car does not support ${refusal.what} (its onboard capability ${refusal.capability} says so), so nothing was sent`,
    whatToDo: 'use the brand app for it, or turn the control off (vehicles[].features)',
  };
}

/** Text of a progress step. */
export function phaseText(phase: RemotePhase, action: RemoteAction, pendingStatus?: string): string {
  const what = describeAction(action);
  switch (phase) {
    case 'queued':
      return `${what}: waiting for the previous action on this car to finish`;
    case 'sending':
      return `${what}: sending to Stellantis`;
    case 'sent':
      return `${what}: accepted by Stellantis, waiting for the car`;
    case 'pending':
      return `${what}: ${explainPending(pendingStatus ?? '').text}`;
    case 'done':
      return `${what}: finished`;
  }
}

/** Text of an end, e.g. "lock: failed: a door (or the boot) is open; close the doors...". */
export function endText(action: RemoteAction, end: RemoteEnd): string {
  const what = describeAction(action);
  switch (end.result) {
    case 'Success':
      return `${what}: done`;
    case 'AlreadyDone':
      return `${what}: the car was already in the requested state`;
    default:
      return `${what}: ${end.result.toLowerCase()}${end.explanation ? `: ${end.explanation}` : ''}`;
  }
}
