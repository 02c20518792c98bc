/**
 * The node status under a remote node, following the phases of the action with fixed colours:
 * yellow = working on our side or waking the car, blue = with the car, green = done, red = failed.
 * Texts stay short (the editor shows about 30 characters), in the runtime language; the full
 * explanation is in the message.
 */
import type { RemoteAction } from '../../../src/stellantis/actions';
import type { RemoteEnd, RemoteProgress } from '../../../src/engine/types';
import { FAILURE_CAUSES, PENDING_STATUSES } from '../../../src/stellantis/wire';
import { t } from './i18n';
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

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/** Short failure cause for the status line (stellantis.failure.<cause>); an unknown one in words. */
function shortFailure(cause: string): string {
  return isOneOf(FAILURE_CAUSES, cause) ? t(`failure.${cause}`) : words(cause);
}

/** What the action now is, e.g. "locked" (stellantis.done.*). */
export function doneLabel(action: RemoteAction): string {
  switch (action.kind) {
    case 'precondition':
      return t(action.on ? 'done.preconditionOn' : 'done.preconditionOff');
    case 'charge':
      return t(action.on ? 'done.chargeOn' : 'done.chargeOff');
    case 'immobilize':
      return t(action.on ? 'done.immobilizeOn' : 'done.immobilizeOff');
    case 'stolen':
      return t(action.on ? 'done.stolenOn' : 'done.stolenOff');
    case 'charge-at':
      return t('done.chargeAt', { at: action.at });
    case 'precondition-programs':
      return t('done.preconditionPrograms');
    case 'charge-preferences':
      return t('done.chargePreferences');
    case 'charge-programs':
      return t('done.chargePrograms');
    default:
      return t(`done.${action.kind}`);
  }
}

export function failureLabel(end: RemoteEnd): string {
  switch (end.result) {
    case 'Timeout':
      return t('end.noAnswer');
    case 'Superseded':
      return t('end.replaced');
    case 'Rejected':
      if (end.failureCause) return shortFailure(String(end.failureCause));
      // The car's own capabilities ruled it out (explainUnsupported): say so rather than a bare refusal.
      return /onboard capability/.test(end.explanation ?? '') ? t('end.notSupported') : t('end.refusedBeforeSending');
    default:
      return end.failureCause ? shortFailure(String(end.failureCause)) : t('end.noReason');
  }
}

export function endStatus(action: RemoteAction, end: RemoteEnd): NodeStatus {
  const time = clock(end.at);
  if (end.result === 'Success') return succeeded(t('end.success', { done: doneLabel(action), time }));
  if (end.result === 'AlreadyDone') return ready(t('end.alreadyDone', { done: doneLabel(action), time }));
  if (end.result === 'Superseded') return idle(t('end.superseded', { reason: failureLabel(end), time }));
  return failed(t(`end.${end.result}`, { reason: failureLabel(end) }));
}

export function progressStatus(p: RemoteProgress): NodeStatus {
  if (p.end) return endStatus(p.action, p.end);
  switch (p.phase) {
    case 'queued':
      return working(t('status.queued'));
    case 'sending':
      return working(t('status.sending'));
    case 'sent':
      return awaiting(t('status.acceptedWaiting'));
    case 'pending': {
      const status = p.pendingStatus ? String(p.pendingStatus) : '';
      const text = isOneOf(PENDING_STATUSES, status) ? t(`pending.${status}`) : status ? words(status) : t('status.inProgress');
      return status === 'SentToVehicle' ? withCar(text) : working(text);
    }
    case 'done':
      return succeeded(t('end.success', { done: doneLabel(p.action), time: clock(p.at) }));
  }
}
