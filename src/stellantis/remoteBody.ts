/**
 * Turns a user's `RemoteAction` into the exact body of POST .../callbacks/{cbid}/remotes, as the
 * official spec (schema `Remote`) describes it. One small builder per action kind; each validates its
 * input first and throws `InvalidActionError` naming the field and what to send, before any call.
 */
import type { GeoPoint, PreconditioningProgram, RemoteAction, RemoteActionKind, Weekday } from './actions';
import type { Flavour, RemoteBody, RemoteType } from './wire';

export class InvalidActionError extends Error {
  constructor(
    /** The offending field, e.g. `points[2].lat`, `set[0].days`, `action`. */
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'InvalidActionError';
  }
}

export interface BuildOptions {
  flavour: Flavour;
  label?: string;
  /** Reference time for "HH:MM" charge times (default: now). */
  now?: Date;
  /** IANA time zone in which "HH:MM" is meant (default: the host's). */
  timeZone?: string;
}

export const REMOTE_ACTION_KINDS: readonly RemoteActionKind[] = [
  'lock',
  'unlock',
  'horn',
  'lights',
  'precondition',
  'precondition-programs',
  'charge',
  'charge-at',
  'charge-preferences',
  'immobilize',
  'stolen',
  'refresh',
  'navigate',
];

/** Actions only the fleet (B2B) API offers. */
export const FLEET_ONLY_KINDS: readonly RemoteActionKind[] = ['immobilize', 'stolen'];

export const WEEKDAYS: readonly Weekday[] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export const MAX_NAVIGATION_POINTS = 10;

const REMOTE_TYPE_OF: Record<RemoteActionKind, RemoteType> = {
  lock: 'Doors',
  unlock: 'Doors',
  horn: 'Horn',
  lights: 'Lights',
  precondition: 'ThermalPreconditioning',
  'precondition-programs': 'ThermalPreconditioning',
  charge: 'ElectricBatteryChargingRequest',
  'charge-at': 'ElectricBatteryChargingRequest',
  'charge-preferences': 'ElectricBatteryChargingRequest',
  immobilize: 'Immobilization',
  stolen: 'Stolen',
  refresh: 'WakeUp',
  navigate: 'Navigation',
};

/** The `RemoteType` the API reports for this action (in the POST answer and in notifications). */
export function remoteTypeOf(action: RemoteAction): RemoteType {
  return REMOTE_TYPE_OF[action.kind];
}

interface BuildContext {
  now: Date;
  timeZone: string;
}

type ActionBody = Omit<RemoteBody, 'label'>;

function requireBoolean(value: unknown, field: string, hint: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidActionError(field, `must be true or false (${hint})`);
  return value;
}

// ---- small time helpers ------------------------------------------------------------------------

const HH_MM = /^(\d{1,2}):(\d{2})$/;
const ISO_DAY_DURATION = /^PT(?:(\d{1,2})H)?(?:(\d{1,2})M)?(?:(\d{1,2})S)?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parseHhMm(text: string): { h: number; m: number } | undefined {
  const m = HH_MM.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 23 && min <= 59 ? { h, m: min } : undefined;
}

/** "07:30" or "PT7H30M" (minutes since midnight, below 24 h) -> "PT7H30M". */
export function normalizeProgramStart(start: unknown, field: string): string {
  const hint = 'send "HH:MM" such as "07:30", or an ISO 8601 duration from midnight such as "PT7H30M"';
  if (typeof start !== 'string') throw new InvalidActionError(field, `missing; ${hint}`);
  const text = start.trim();
  const clock = parseHhMm(text);
  if (clock) return `PT${clock.h}H${clock.m}M`;
  const d = ISO_DAY_DURATION.exec(text.toUpperCase());
  if (d && text.length > 2 && (d[1] ?? d[2] ?? d[3]) !== undefined) {
    const seconds = Number(d[1] ?? 0) * 3600 + Number(d[2] ?? 0) * 60 + Number(d[3] ?? 0);
    if (seconds < 24 * 3600 && seconds % 60 === 0) {
      const minutes = seconds / 60;
      return `PT${Math.floor(minutes / 60)}H${minutes % 60}M`;
    }
    throw new InvalidActionError(field, `'${start}' must be whole minutes between 00:00 and 23:59; ${hint}`);
  }
  throw new InvalidActionError(field, `'${start}' is not a time; ${hint}`);
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (positive east of Greenwich). */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The UTC instant of wall-clock y-m-d h:m in `timeZone` (DST gaps move forward, like clocks do). */
function wallClockToUtc(y: number, mo: number, d: number, h: number, m: number, timeZone: string): number {
  const guess = Date.UTC(y, mo, d, h, m);
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

function toRfc3339Utc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Next occurrence (strictly after `now`) of "HH:MM" in `timeZone`, as an RFC 3339 UTC instant. */
export function nextOccurrence(hhmm: { h: number; m: number }, now: Date, timeZone: string): string {
  const offset = zoneOffsetMs(now.getTime(), timeZone);
  const local = new Date(now.getTime() + offset);
  for (let addDays = 0; addDays <= 2; addDays++) {
    const at = wallClockToUtc(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + addDays, hhmm.h, hhmm.m, timeZone);
    if (at > now.getTime()) return toRfc3339Utc(at);
  }
  throw new Error('unreachable: no next occurrence within two days');
}

function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    throw new InvalidActionError('timeZone', `'${timeZone}' is not a known time zone; send an IANA name such as "Europe/Paris"`);
  }
}

// ---- one builder per action kind --------------------------------------------------------------

function buildPreconditionPrograms(action: { set?: PreconditioningProgram[]; delete?: number[] }): ActionBody {
  const set = action.set ?? [];
  const del = action.delete ?? [];
  if (!Array.isArray(set)) throw new InvalidActionError('set', 'must be a list of programs');
  if (!Array.isArray(del)) throw new InvalidActionError('delete', 'must be a list of slot numbers (1 to 4)');
  if (set.length + del.length === 0) {
    throw new InvalidActionError('set', 'no program given; send at least one program to set (slot, days, start) or one slot to delete');
  }
  const used = new Set<number>();
  const checkSlot = (slot: unknown, field: string): number => {
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 1 || slot > 4) {
      throw new InvalidActionError(field, `${JSON.stringify(slot)} is not a program slot; send a whole number from 1 to 4`);
    }
    if (used.has(slot)) throw new InvalidActionError(field, `slot ${slot} is used twice; each slot may appear once per request`);
    used.add(slot);
    return slot;
  };
  const programs: NonNullable<NonNullable<RemoteBody['preconditioning']>['airConditioning']['programs']> = [];
  set.forEach((p, i) => {
    const at = `set[${i}]`;
    if (typeof p !== 'object' || p === null) throw new InvalidActionError(at, 'must be a program {slot, enabled, days, start}');
    const slot = checkSlot(p.slot, `${at}.slot`);
    const enabled = requireBoolean(p.enabled, `${at}.enabled`, 'true to enable the program, false to keep it but disable it');
    if (!Array.isArray(p.days) || p.days.length === 0) {
      throw new InvalidActionError(`${at}.days`, `missing; send at least one day among ${WEEKDAYS.join(', ')}`);
    }
    const days: Weekday[] = [];
    p.days.forEach((day: unknown, j: number) => {
      if (typeof day !== 'string' || !(WEEKDAYS as readonly string[]).includes(day)) {
        throw new InvalidActionError(`${at}.days[${j}]`, `${JSON.stringify(day)} is not a day; send one of ${WEEKDAYS.join(', ')}`);
      }
      if (!days.includes(day as Weekday)) days.push(day as Weekday);
    });
    days.sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
    const start = normalizeProgramStart(p.start, `${at}.start`);
    programs.push({ slot, enabled, recurrence: 'Daily', start, occurence: { day: days }, actionsType: 'Set' });
  });
  del.forEach((slot, i) => {
    programs.push({ slot: checkSlot(slot, `delete[${i}]`), actionsType: 'Delete' });
  });
  return { preconditioning: { airConditioning: { programs } } };
}

function buildChargeAt(at: unknown, ctx: BuildContext): ActionBody {
  const hint = 'send "HH:MM" (next occurrence, local time) or an RFC 3339 instant such as "2025-01-31T23:30:00Z"';
  if (typeof at !== 'string' || at.trim() === '') throw new InvalidActionError('at', `missing; ${hint}`);
  const text = at.trim();
  const clock = parseHhMm(text);
  if (clock) return { charging: { schedule: { nextDelayedTime: nextOccurrence(clock, ctx.now, ctx.timeZone) } } };
  const m = RFC3339.exec(text);
  const ms = m ? Date.parse(text.replace(/^(.{10})[t ]/, '$1T')) : NaN;
  const real = m !== null && !Number.isNaN(ms) && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) <= new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate()
    && Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 59;
  if (!real) throw new InvalidActionError('at', `'${at}' is not a time; ${hint}`);
  if (ms <= ctx.now.getTime()) throw new InvalidActionError('at', `'${at}' is in the past; send a future time`);
  return { charging: { schedule: { nextDelayedTime: toRfc3339Utc(ms) } } };
}

function buildChargePreferences(action: { level?: unknown; type?: unknown }): ActionBody {
  if (action.level === undefined && action.type === undefined) {
    throw new InvalidActionError('level', 'nothing to set; send level (1 to 5) and/or type ("Partial" or "Full")');
  }
  const preferences: { level?: string; type?: 'Partial' | 'Full' } = {};
  if (action.level !== undefined) {
    const level = action.level;
    if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > 5) {
      throw new InvalidActionError('level', `${JSON.stringify(level)} is not a charging level; send a whole number from 1 to 5`);
    }
    preferences.level = `Level${level}`;
  }
  if (action.type !== undefined) {
    if (action.type !== 'Partial' && action.type !== 'Full') {
      throw new InvalidActionError('type', `${JSON.stringify(action.type)} is not a charging type; send "Partial" or "Full"`);
    }
    preferences.type = action.type;
  }
  return { charging: { preferences } };
}

function checkPoint(point: unknown, field: string): GeoPoint {
  if (typeof point !== 'object' || point === null) throw new InvalidActionError(field, 'must be a point {lat, lon}');
  const { lat, lon } = point as { lat?: unknown; lon?: unknown };
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new InvalidActionError(`${field}.lat`, `${JSON.stringify(lat)} is not a latitude; send a number from -90 to 90`);
  }
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new InvalidActionError(`${field}.lon`, `${JSON.stringify(lon)} is not a longitude; send a number from -180 to 180`);
  }
  return { lat, lon };
}

/** Validates navigation points (1..10, ranges); shared with config validation. */
export function checkNavigationPoints(points: unknown, field = 'points'): GeoPoint[] {
  if (!Array.isArray(points) || points.length === 0) {
    throw new InvalidActionError(field, `missing; send 1 to ${MAX_NAVIGATION_POINTS} points {lat, lon}, the last one the destination`);
  }
  if (points.length > MAX_NAVIGATION_POINTS) {
    throw new InvalidActionError(field, `${points.length} points; the car takes at most ${MAX_NAVIGATION_POINTS} (9 stops and the destination)`);
  }
  return points.map((p: unknown, i: number) => checkPoint(p, `${field}[${i}]`));
}

function buildNavigate(points: unknown): ActionBody {
  const checked = checkNavigationPoints(points);
  return { navigation: { positions: checked.map((p) => ({ type: 'Point' as const, coordinates: [p.lon, p.lat] as [number, number] })) } };
}

function buildActionBody(action: RemoteAction, ctx: BuildContext): ActionBody {
  switch (action.kind) {
    case 'lock':
      return { door: { state: 'Locked' } };
    case 'unlock':
      return { door: { state: 'Unlocked' } };
    case 'horn':
      return { horn: { state: 'Activated' } };
    case 'lights':
      return { lights: { on: true } };
    case 'refresh':
      return { wakeUp: { action: 'WakeUp' } };
    case 'precondition':
      return { preconditioning: { airConditioning: { immediate: requireBoolean(action.on, 'on', 'true to start, false to stop') } } };
    case 'precondition-programs':
      return buildPreconditionPrograms(action);
    case 'charge':
      return { charging: { immediate: requireBoolean(action.on, 'on', 'true to start charging now, false to stop') } };
    case 'charge-at':
      return buildChargeAt(action.at, ctx);
    case 'charge-preferences':
      return buildChargePreferences(action);
    case 'immobilize':
      return { immobilization: { activate: requireBoolean(action.on, 'on', 'true to immobilize, false to release') } };
    case 'stolen':
      return { stolen: { stolen: requireBoolean(action.on, 'on', 'true to declare stolen, false to clear it') } };
    case 'navigate':
      return buildNavigate(action.points);
    default: {
      const kind: unknown = (action as { kind?: unknown }).kind;
      throw new InvalidActionError('action', `unknown action '${String(kind)}'; one of: ${REMOTE_ACTION_KINDS.join(', ')}`);
    }
  }
}

/**
 * The body of POST .../remotes for `action`. "HH:MM" charge times become the next occurrence after
 * `now` in `timeZone`, sent as an RFC 3339 UTC instant ("...Z"), which the API accepts like any offset.
 */
export function buildRemoteBody(action: RemoteAction, opts: BuildOptions): RemoteBody {
  if (typeof action !== 'object' || action === null) throw new InvalidActionError('action', 'missing; send an action such as {kind: "lock"}');
  if (opts.flavour !== 'b2c' && opts.flavour !== 'b2b') {
    throw new InvalidActionError('flavour', `${JSON.stringify(opts.flavour)} is not an API flavour; set flavour: b2c or b2b`);
  }
  if (FLEET_ONLY_KINDS.includes(action.kind) && opts.flavour !== 'b2b') {
    throw new InvalidActionError('action', `${action.kind} is only available with the fleet (b2b) API; set flavour: b2b`);
  }
  const ctx: BuildContext = {
    now: opts.now ?? new Date(),
    timeZone: checkTimeZone(opts.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone),
  };
  const body = buildActionBody(action, ctx);
  if (opts.label === undefined) return body;
  if (typeof opts.label !== 'string' || opts.label.trim() === '') throw new InvalidActionError('label', 'must be a non-empty text');
  return { label: opts.label, ...body };
}

// ---- loosely typed input (Node-RED msg.payload, CLI) ------------------------------------------

type Loose = Record<string, unknown>;

function looseBoolean(input: Loose, field: string, hint: string): boolean {
  const value = input[field];
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', 'on', '1', 'yes'].includes(v)) return true;
    if (['false', 'off', '0', 'no'].includes(v)) return false;
  }
  if (value === 1 || value === 0) return value === 1;
  const shown = value === undefined ? 'missing' : `${JSON.stringify(value)} is not on/off`;
  throw new InvalidActionError(field, `${shown}; send ${field}: true ${hint}`);
}

function looseNumber(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

const FULL_DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** "Mon,Tue" or ["monday", "Tue"] -> ["Mon", "Tue"]; anything else is left for the builder to refuse. */
function looseDays(value: unknown): unknown {
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter((s) => s !== '') : value;
  if (!Array.isArray(list)) return list;
  return list.map((d: unknown) => {
    if (typeof d !== 'string') return d;
    const lower = d.trim().toLowerCase();
    const i = FULL_DAY_NAMES.findIndex((full) => full === lower || full.slice(0, 3) === lower);
    return i >= 0 ? WEEKDAYS[i] : d;
  });
}

function loosePrograms(value: unknown): PreconditioningProgram[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new InvalidActionError('set', 'must be a list of programs {slot, days, start, enabled}');
  return value.map((p: unknown, i: number) => {
    if (typeof p !== 'object' || p === null) throw new InvalidActionError(`set[${i}]`, 'must be a program {slot, days, start, enabled}');
    const o = p as Loose;
    const enabled = o.enabled === undefined ? true : looseBoolean(o, 'enabled', 'to enable it, false to disable it');
    return { slot: looseNumber(o.slot), enabled, days: looseDays(o.days), start: o.start } as PreconditioningProgram;
  });
}

function looseLevel(value: unknown): unknown {
  if (typeof value === 'string') {
    const m = /^(?:level)?\s*(\d)$/i.exec(value.trim());
    if (m) return Number(m[1]);
  }
  return value;
}

function looseChargeType(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  return v === 'partial' ? 'Partial' : v === 'full' ? 'Full' : value;
}

/**
 * Validates a loosely typed action such as `{action: 'navigate', points: [{lat, lon}]}` or
 * `{action: 'lock'}` (`kind` is accepted for `action`), coercing the obvious (numeric strings,
 * "on"/"off", "Mon,Tue", "Level3"), and checks its values. Unknown extra keys are ignored.
 */
export function parseRemoteAction(input: unknown): RemoteAction {
  if (typeof input === 'string') input = { action: input };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidActionError('action', `missing; send an object such as {action: "lock"}; actions: ${REMOTE_ACTION_KINDS.join(', ')}`);
  }
  const o = input as Loose;
  const name = o.action ?? o.kind;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InvalidActionError('action', `missing; one of: ${REMOTE_ACTION_KINDS.join(', ')}`);
  }
  const kind = name.trim().toLowerCase() as RemoteActionKind;
  let action: RemoteAction;
  switch (kind) {
    case 'lock':
    case 'unlock':
    case 'horn':
    case 'lights':
    case 'refresh':
      action = { kind };
      break;
    case 'precondition':
      action = { kind, on: looseBoolean(o, 'on', 'to start, on: false to stop') };
      break;
    case 'charge':
      action = { kind, on: looseBoolean(o, 'on', 'to start charging now, on: false to stop') };
      break;
    case 'immobilize':
      action = { kind, on: looseBoolean(o, 'on', 'to immobilize, on: false to release') };
      break;
    case 'stolen':
      action = { kind, on: looseBoolean(o, 'on', 'to declare the car stolen, on: false to clear it') };
      break;
    case 'precondition-programs': {
      const del = o.delete === undefined ? undefined : Array.isArray(o.delete) ? o.delete.map(looseNumber) : [looseNumber(o.delete)];
      const set = loosePrograms(o.set);
      action = { kind, ...(set ? { set } : {}), ...(del ? { delete: del as number[] } : {}) };
      break;
    }
    case 'charge-at':
      action = { kind, at: o.at as string };
      break;
    case 'charge-preferences': {
      // Types are checked by the builder below; the casts only carry the loose values there.
      const level = looseLevel(o.level) as 1 | undefined;
      const type = looseChargeType(o.type) as 'Full' | undefined;
      action = { kind, ...(level !== undefined ? { level } : {}), ...(type !== undefined ? { type } : {}) };
      break;
    }
    case 'navigate': {
      const points = Array.isArray(o.points)
        ? o.points.map((p: unknown) => (typeof p === 'object' && p !== null ? { lat: looseNumber((p as Loose).lat), lon: looseNumber((p as Loose).lon) } : p))
        : o.points;
      action = { kind, points: points as GeoPoint[] };
      break;
    }
    default:
      throw new InvalidActionError('action', `unknown action '${name}'; one of: ${REMOTE_ACTION_KINDS.join(', ')}`);
  }
  // Value checks (ranges, slots, times) are the builders'; run them now so bad input fails early.
  buildActionBody(action, { now: new Date(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  return action;
}
