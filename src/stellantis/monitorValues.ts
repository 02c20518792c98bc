/** Monitor values pushed on the webhook, folded into a `VehicleState`. */
import { lockStateOf } from './doorsReading';
import { alarmArmed } from './alarmReading';
import { preconditioningOn } from './preconditioningReading';
import { bool, num, withoutUndefined } from './statusJson';
import type { DoorsState, VehicleState } from './vehicleStateTypes';

const LIST_SEPARATOR = /[\s,;]/;

/** 'Locked' or 'CargoDoorsLocked, TrunkLocked' → the list (one value, the usual case, without a split). */
function listOf(text: string): string[] {
  if (text === '') return [];
  if (!LIST_SEPARATOR.test(text)) return [text];
  return text.split(/[\s,;]+/).filter((s) => s !== '');
}

/**
 * Folds one monitor value (`monitorEvent.values[].data` + `value.body.literalValue`) into `state`,
 * returning a new state (the input is not changed). Unknown data names and unreadable values
 * leave the state as it is. `at` is when the value was observed (the message date; default now).
 */
export function applyMonitorValue(state: VehicleState, data: string, literalValue: string, at: Date = new Date()): VehicleState {
  // Properties written out rather than spread from a shared `time` object: V8 builds such
  // spread-then-extend literals about five times slower, and this runs for every monitor message.
  const observedAt = at.toISOString();
  const text = typeof literalValue === 'string' ? literalValue.trim() : '';
  const value = num(text);
  switch (data) {
    case 'vehicle.doorsState.lockedState': {
      const lockedStates = listOf(text);
      if (lockedStates.length === 0) return state;
      const previous = state.doors;
      const doors: DoorsState = {
        at: observedAt,
        ageMs: 0,
        lock: lockStateOf(lockedStates),
        superLocked: lockedStates.includes('SuperLocked'),
        lockedStates,
        openDoors: previous?.openDoors ?? [],
      };
      if (previous?.open !== undefined) doors.open = previous.open;
      return { ...state, doors };
    }
    case 'vehicle.energy.electric.level':
      return value === undefined ? state : { ...state, battery: { ...state.battery, at: observedAt, ageMs: 0, level: value } };
    case 'vehicle.energy.electric.autonomy':
      return value === undefined ? state : { ...state, battery: { ...state.battery, at: observedAt, ageMs: 0, rangeKm: value } };
    case 'vehicle.energy.fuel.level':
      return value === undefined ? state : { ...state, fuel: { ...state.fuel, at: observedAt, ageMs: 0, level: value } };
    case 'vehicle.energy.charging.status':
      return text === '' ? state : { ...state, charging: { ...state.charging, at: observedAt, ageMs: 0, status: text } };
    case 'vehicle.energy.charging.plugged': {
      const plugged = bool(text.toLowerCase());
      return plugged === undefined ? state : { ...state, charging: { ...state.charging, at: observedAt, ageMs: 0, plugged } };
    }
    case 'vehicle.preconditioning.airConditioning':
      return text === '' ? state : { ...state, preconditioning: withoutUndefined({ ...state.preconditioning, at: observedAt, ageMs: 0, status: text, on: preconditioningOn(text) }) };
    case 'environment.air.temp':
      return value === undefined ? state : { ...state, outsideTemperature: { at: observedAt, ageMs: 0, celsius: value } };
    case 'vehicle.alarm.status.activation':
      return text === '' ? state : { ...state, alarm: withoutUndefined({ at: observedAt, ageMs: 0, activation: text, armed: alarmArmed(text) }) };
    case 'vehicle.alarm.trigger.type':
      return text === '' || !state.alarm ? state : { ...state, alarm: { ...state.alarm, trigger: { type: text, at: observedAt } } };
    case 'vehicle.kinetic.moving': {
      const moving = bool(text.toLowerCase());
      return moving === undefined ? state : { ...state, motion: { ...state.motion, at: observedAt, ageMs: 0, moving } };
    }
    default:
      return state;
  }
}
