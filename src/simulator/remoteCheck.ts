/**
 * The simulator's own check of a remote body, mirroring the spec's `Remote` schema (B2C v4 and
 * B2B v3): exactly one known action object with valid enums and ranges. Errors become 400.
 */
import { ApiError } from './errors';
import type { RemoteType } from '../stellantis/wire';
import { isObject } from '../util/isObject';

export type Flavour = 'b2c' | 'b2b';

const ACTIONS: Record<string, RemoteType> = {
  preconditioning: 'ThermalPreconditioning',
  charging: 'ElectricBatteryChargingRequest',
  horn: 'Horn',
  door: 'Doors',
  lights: 'Lights',
  wakeUp: 'WakeUp',
  navigation: 'Navigation',
  immobilization: 'Immobilization',
  stolen: 'Stolen',
};
const B2B_ONLY = new Set(['immobilization', 'stolen']);
const NON_ACTION_KEYS = new Set(['label', 'attributes', 'callbackAttributes']);
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const ISO_DURATION = /^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/;

export interface CheckedRemote {
  type: RemoteType;
  /** The action key: door, charging, ... */
  action: string;
  body: Record<string, unknown>;
}

function bad(message: string, detail = 0): never {
  throw new ApiError(400, message, detail);
}

function obj(v: unknown, path: string): Record<string, unknown> {
  if (!isObject(v)) bad(`${path} must be an object`);
  return v;
}

function bool(v: unknown, path: string, required = false): void {
  if (v === undefined && !required) return;
  if (typeof v !== 'boolean') bad(`${path} must be a boolean`);
}

function oneOf(v: unknown, allowed: readonly string[], path: string, required = false): void {
  if (v === undefined && !required) return;
  if (typeof v !== 'string' || !allowed.includes(v)) bad(`${path} must be one of ${allowed.join(', ')}`);
}

function str(v: unknown, path: string, required = false): void {
  if (v === undefined && !required) return;
  if (typeof v !== 'string' || v.length === 0) bad(`${path} must be a non-empty string`);
}

function checkAttributes(v: unknown, path: string): void {
  if (v === undefined) return;
  if (!Array.isArray(v)) bad(`${path} must be an array`);
  v.forEach((a, i) => {
    const at = obj(a, `${path}[${i}]`);
    oneOf(at.type, ['Header', 'Body', 'Query'], `${path}[${i}].type`, true);
    str(at.key, `${path}[${i}].key`, true);
    if (typeof at.value !== 'string') bad(`${path}[${i}].value must be a string`);
  });
}

function checkDays(v: unknown, path: string): void {
  const occ = obj(v, path);
  if (!Array.isArray(occ.day)) bad(`${path}.day must be an array of days`);
  occ.day.forEach((d, i) => oneOf(d, DAYS, `${path}.day[${i}]`, true));
}

function checkPreconditioning(p: Record<string, unknown>): void {
  const ac = obj(p.airConditioning, 'preconditioning.airConditioning');
  bool(ac.immediate, 'preconditioning.airConditioning.immediate');
  if (ac.programs === undefined) {
    if (ac.immediate === undefined) bad('preconditioning.airConditioning needs immediate or programs');
    return;
  }
  if (!Array.isArray(ac.programs) || ac.programs.length === 0) bad('preconditioning.airConditioning.programs must be a non-empty array');
  if (ac.programs.length > 4) bad('preconditioning.airConditioning.programs has at most 4 programs');
  ac.programs.forEach((raw, i) => {
    const path = `preconditioning.airConditioning.programs[${i}]`;
    const prog = obj(raw, path);
    if (!Number.isInteger(prog.slot) || (prog.slot as number) < 1 || (prog.slot as number) > 4) bad(`${path}.slot must be an integer from 1 to 4`);
    oneOf(prog.actionsType, ['Set', 'Delete'], `${path}.actionsType`);
    bool(prog.enabled, `${path}.enabled`);
    oneOf(prog.recurrence, ['None', 'Daily'], `${path}.recurrence`);
    if (prog.actionsType === 'Delete') return;
    if (typeof prog.start !== 'string' || !ISO_DURATION.test(prog.start) || prog.start === 'P') bad(`${path}.start must be an ISO 8601 duration such as PT7H30M`);
    if (prog.occurence !== undefined) checkDays(prog.occurence, `${path}.occurence`);
  });
}

/** A `ChargeScheduleProgram` of a remote: start (required) and end durations, enabled, days. */
function checkChargeProgram(raw: unknown, path: string): void {
  const prog = obj(raw, path);
  const duration = (v: unknown) => typeof v === 'string' && ISO_DURATION.test(v) && v !== 'P';
  if (!duration(prog.start)) bad(`${path}.start must be an ISO 8601 duration such as PT22H30M`);
  if (prog.end !== undefined && !duration(prog.end)) bad(`${path}.end must be an ISO 8601 duration such as PT6H30M`);
  bool(prog.enabled, `${path}.enabled`);
  if (prog.occurence !== undefined) checkDays(prog.occurence, `${path}.occurence`);
}

function checkCharging(c: Record<string, unknown>): void {
  bool(c.immediate, 'charging.immediate');
  str(c.nextDelayedTime, 'charging.nextDelayedTime');
  if (c.schedule !== undefined) {
    const s = obj(c.schedule, 'charging.schedule');
    str(s.nextDelayedTime, 'charging.schedule.nextDelayedTime');
    if (s.programs !== undefined && !Array.isArray(s.programs)) bad('charging.schedule.programs must be an array');
    if (s.nextDelayedTime === undefined && s.programs === undefined) bad('charging.schedule needs nextDelayedTime or programs');
    if (s.nextDelayedTime !== undefined && s.programs !== undefined) bad('charging.schedule takes only one of the two modes, nextDelayedTime or programs');
    if (Array.isArray(s.programs)) s.programs.forEach((raw, i) => checkChargeProgram(raw, `charging.schedule.programs[${i}]`));
  }
  if (c.preferences !== undefined) {
    const p = obj(c.preferences, 'charging.preferences');
    oneOf(p.level, ['Level1', 'Level2', 'Level3', 'Level4', 'Level5'], 'charging.preferences.level');
    oneOf(p.type, ['Partial', 'Full'], 'charging.preferences.type');
  }
  if (c.immediate === undefined && c.schedule === undefined && c.preferences === undefined && c.nextDelayedTime === undefined) {
    bad('charging needs immediate, schedule or preferences');
  }
}

function checkNavigation(n: Record<string, unknown>): void {
  bool(n.driverApproval, 'navigation.driverApproval');
  if (!Array.isArray(n.positions)) bad('navigation.positions must be an array of 1 to 10 GeoJSON points');
  if (n.positions.length < 1 || n.positions.length > 10) bad(`navigation.positions has ${n.positions.length} points; 1 to 10 are allowed`);
  n.positions.forEach((raw, i) => {
    const path = `navigation.positions[${i}]`;
    const p = obj(raw, path);
    if (p.type !== 'Point') bad(`${path}.type must be "Point"`);
    const c = p.coordinates;
    if (!Array.isArray(c) || c.length < 2 || !c.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      bad(`${path}.coordinates must be [longitude, latitude]`);
    }
    const [lon, lat] = c as number[];
    if (lon < -180 || lon > 180 || lat < -90 || lat > 90) bad(`${path}.coordinates [${lon}, ${lat}] are out of range (longitude first)`);
  });
}

/** Validates a remote body for a flavour; throws ApiError(400) naming the field. */
export function checkRemoteBody(raw: unknown, flavour: Flavour): CheckedRemote {
  const body = obj(raw, 'body');
  if (body.label !== undefined && typeof body.label !== 'string') bad('label must be a string');
  checkAttributes(body.attributes, 'attributes');
  if (body.callbackAttributes !== undefined) {
    const ca = obj(body.callbackAttributes, 'callbackAttributes');
    checkAttributes(ca.webhook, 'callbackAttributes.webhook');
  }
  const actionKeys = Object.keys(body).filter((k) => !NON_ACTION_KEYS.has(k));
  for (const k of actionKeys) {
    if (!(k in ACTIONS) || (flavour === 'b2c' && B2B_ONLY.has(k))) {
      bad(`unknown remote action "${k}"${flavour === 'b2c' && B2B_ONLY.has(k) ? ' (fleet API only)' : ''}`, 1);
    }
  }
  if (actionKeys.length === 0) bad('the body holds no remote action', 2);
  if (actionKeys.length > 1) bad(`the body holds ${actionKeys.length} actions (${actionKeys.join(', ')}); send exactly one`, 3);
  const action = actionKeys[0];
  const a = obj(body[action], action);
  switch (action) {
    case 'door':
      oneOf(a.state, ['Unlocked', 'Locked'], 'door.state', true);
      bool(a.forced, 'door.forced');
      break;
    case 'horn':
      oneOf(a.state, ['Activated', 'Unactivated'], 'horn.state', true);
      break;
    case 'lights':
      bool(a.on, 'lights.on', true);
      break;
    case 'wakeUp':
      if (a.action !== undefined && a.action !== 'WakeUp') bad('wakeUp.action must be "WakeUp"');
      break;
    case 'preconditioning':
      checkPreconditioning(a);
      break;
    case 'charging':
      checkCharging(a);
      break;
    case 'navigation':
      checkNavigation(a);
      break;
    case 'immobilization':
      bool(a.activate, 'immobilization.activate', true);
      break;
    case 'stolen':
      bool(a.stolen, 'stolen.stolen', true);
      if (a.immobilization !== undefined) bool(obj(a.immobilization, 'stolen.immobilization').activate, 'stolen.immobilization.activate', true);
      break;
  }
  return { type: ACTIONS[action], action, body };
}
