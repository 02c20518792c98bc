/**
 * What one monitor event brings beside its values: the latest full status, position and alarm the
 * monitor asked for (`monitorEvent.extensions[]`, `extendedEventParam`), read into a partial
 * `VehicleState`; and the home part when the event is one of the home zone's.
 */
import type { HomeZone } from '../config/account';
import { readVehicleStatus, type VehicleState } from '../stellantis/vehicleState';
import { isObject } from '../util/isObject';
import { homeOf } from './homeZone';

type Json = Record<string, unknown>;

/** The first body item's object under `name` of the extension of `type`. */
function extensionBody(extensions: unknown, type: string, name: string): Json | undefined {
  if (!Array.isArray(extensions)) return undefined;
  for (const e of extensions as unknown[]) {
    if (!isObject(e) || e.type !== type || !Array.isArray(e.body)) continue;
    for (const item of e.body as unknown[]) if (isObject(item) && isObject(item[name])) return item[name] as Json;
  }
  return undefined;
}

/** The state the extensions carry (empty when none); never throws. */
export function attachedState(extensions: unknown, now: Date): VehicleState {
  const status = extensionBody(extensions, 'vehicle.status', 'status');
  const state: VehicleState = status ? readVehicleStatus(status, now) : {};
  const position = extensionBody(extensions, 'vehicle.position', 'position');
  if (position) {
    const read = readVehicleStatus({ lastPosition: position }, now).position;
    if (read && (!state.position?.at || (read.at ?? '') >= state.position.at)) state.position = read;
  }
  const alarm = extensionBody(extensions, 'vehicle.alarm', 'alarm');
  if (alarm) {
    const read = readVehicleStatus({ alarm }, now).alarm;
    if (read) state.alarm = read;
  }
  return state;
}

/** `attached` with its home part: a zone monitor's event says which side the car is on. */
export function withEventHome(attached: VehicleState, monitorKey: string, zone: HomeZone | undefined, at: Date): VehicleState {
  const inside = monitorKey === 'arrive' ? true : monitorKey === 'leave' ? false : undefined;
  const home = homeOf(zone, attached.position, inside, inside === undefined ? undefined : at.toISOString());
  return home ? { ...attached, home } : attached;
}

/**
 * Folds an attached state ("the latest known before the event date") into `state`: each part it
 * carries replaces the held one unless the held one is newer than the event itself, so an event
 * delivered late never rolls a part back, and a remote's expected effect is confirmed or corrected.
 */
export function mergeAttached(state: VehicleState, attached: VehicleState, eventAt: number): VehicleState {
  let next: VehicleState | undefined;
  for (const key of Object.keys(attached) as Array<keyof VehicleState>) {
    const incoming = attached[key];
    if (incoming === undefined) continue;
    const held = state[key];
    const heldAt = isObject(held) && typeof held.at === 'string' ? held.at : undefined;
    if (heldAt && Date.parse(heldAt) > eventAt) continue;
    next ??= { ...state };
    (next as Record<string, unknown>)[key] = incoming;
  }
  return next ?? state;
}
