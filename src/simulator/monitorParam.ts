/**
 * A `MonitorParameter` body checked and compiled: up to five named triggers (data, zone or
 * time, exactly one each) joined by `triggerParam.boolExp`, the extensions to attach to each
 * event (`extendedEventParam`) and the reminder period (`subscribeParam.refreshEvent`, 60 s at
 * least). Every refusal is a 400 saying what to fix.
 */
import { constantValue, namesIn, parseBoolExp, type BoolExp } from './boolExp';
import { ApiError } from './errors';
import type { Flavour } from './remoteCheck';
import { durationMs, isDay, knownTimeZone, type Day, type TimeEntry } from './timeWindow';
import { isObject } from '../util/isObject';

/** The data a data trigger may watch (`DataTrigger.data`). */
export const MONITOR_DATA: readonly string[] = [
  'vehicle.alert', 'vehicle.odometer', 'vehicle.powertrain.status', 'vehicle.engines.thermic.oil.temp',
  'vehicle.energy.electric.level', 'vehicle.energy.electric.autonomy', 'vehicle.energy.fuel.level', 'vehicle.energy.fuel.autonomy',
  'vehicle.autonomy', 'vehicle.energy.charging.status', 'vehicle.energy.charging.plugged', 'vehicle.energy.charging.type',
  'vehicle.doorsState.lockedState', 'vehicle.doorsState.opening', 'vehicle.kinetic.moving', 'vehicle.kinetic.speed',
  'vehicle.trip.start', 'vehicle.trip.stop', 'vehicle.trip.duration', 'vehicle.trip.distance', 'vehicle.trip.state',
  'vehicle.safety.beltWarning', 'environment.air.temp', 'privacy.state', 'vehicle.drivingBehavior.mode',
  'vehicle.safety.autoECallTriggering', 'vehicle.preconditioning.airConditioning', 'vehicle.alarm.trigger.type',
  'vehicle.alarm.status.activation',
];

const OPS = ['equalsTo', 'greaterThan', 'lowerThan', 'includedIn', 'onChange'] as const;
export type DataOp = (typeof OPS)[number];

/** `extendedEventParam` values per flavour (B2C has `vehicle.alarm`, B2B `vehicle.collisions` and `vehicle.stolen`). */
const EXTENSIONS: Record<Flavour, readonly string[]> = {
  b2c: ['vehicle.doorsState', 'vehicle.status', 'vehicle.maintenance', 'vehicle.position', 'vehicle.telemetry', 'vehicle.alerts', 'vehicle.alarm', 'vehicle.trip'],
  b2b: ['vehicle.doorsState', 'vehicle.status', 'vehicle.maintenance', 'vehicle.position', 'vehicle.telemetry', 'vehicle.alerts', 'vehicle.collisions', 'vehicle.trip', 'vehicle.stolen'],
};

/** The spec's `refreshEvent` minimum, in seconds. */
export const MIN_REFRESH_SECONDS = 60;

export type MonitorTrigger =
  | { kind: 'data'; name: string; data: string; op: DataOp; value: string[]; previous?: { op: 'equalsTo' | 'includedIn'; value: string[] } }
  | { kind: 'zone'; name: string; transition: 'In' | 'Out'; center: { lat: number; lon: number }; radiusKm: number }
  | { kind: 'time'; name: string; times: TimeEntry[]; timeZone: string };

export interface MonitorSpec {
  label: string;
  triggers: MonitorTrigger[];
  boolExp: BoolExp;
  /** `extendedEventParam`, as asked. */
  extensions: string[];
  /** Simulated seconds between reminders while the expression stays true; none without. */
  refreshSeconds?: number;
  /** The body as the client sent it (returned by GET). */
  parameter: Record<string, unknown>;
}

function bad(message: string): never {
  throw new ApiError(400, message, 20);
}

function strings(v: unknown, path: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) bad(`${path} must be an array of strings`);
  return v as string[];
}

function dataTrigger(name: string, d: unknown, path: string): MonitorTrigger {
  if (!isObject(d)) bad(`${path} must be an object`);
  if (typeof d.data !== 'string' || !MONITOR_DATA.includes(d.data)) bad(`${path}.data must be one of ${MONITOR_DATA.join(', ')}`);
  if (typeof d.op !== 'string' || !OPS.includes(d.op as DataOp)) bad(`${path}.op must be one of ${OPS.join(', ')}`);
  const op = d.op as DataOp;
  const value = strings(d.value, `${path}.value`);
  if (op === 'includedIn' && value.length < 1) bad(`${path}.value must hold at least one value for includedIn`);
  if ((op === 'equalsTo' || op === 'greaterThan' || op === 'lowerThan') && value.length !== 1) bad(`${path}.value must hold exactly one value for ${op}`);
  if ((op === 'greaterThan' || op === 'lowerThan') && !Number.isFinite(Number(value[0]))) bad(`${path}.value must be a number for ${op} (got "${value[0]}")`);
  let previous: { op: 'equalsTo' | 'includedIn'; value: string[] } | undefined;
  if (d.previous !== undefined) {
    const p = d.previous;
    if (!isObject(p) || (p.op !== 'equalsTo' && p.op !== 'includedIn')) bad(`${path}.previous.op must be equalsTo or includedIn`);
    const pv = strings(p.value, `${path}.previous.value`);
    if (pv.length < 1 || (p.op === 'equalsTo' && pv.length !== 1)) bad(`${path}.previous.value must hold one value (equalsTo) or at least one (includedIn)`);
    previous = { op: p.op, value: pv };
  }
  return { kind: 'data', name, data: d.data, op, value: op === 'onChange' ? [] : op === 'includedIn' ? value : value.slice(0, 1), ...(previous ? { previous } : {}) };
}

function zoneTrigger(name: string, z: unknown, path: string): MonitorTrigger {
  if (!isObject(z)) bad(`${path} must be an object`);
  if (z.transition !== 'In' && z.transition !== 'Out') bad(`${path}.transition must be "In" (entering) or "Out" (leaving)`);
  const place = z.place;
  if (!isObject(place) || !isObject(place.center)) bad(`${path}.place must be {"center": {"latitude", "longitude"}, "radius": km}`);
  const { latitude, longitude } = place.center;
  if (typeof latitude !== 'number' || latitude < -90 || latitude > 90) bad(`${path}.place.center.latitude must be a number from -90 to 90`);
  if (typeof longitude !== 'number' || longitude < -180 || longitude > 180) bad(`${path}.place.center.longitude must be a number from -180 to 180`);
  if (!Number.isInteger(place.radius) || (place.radius as number) < 1) bad(`${path}.place.radius must be a whole number of km, at least 1`);
  return { kind: 'zone', name, transition: z.transition, center: { lat: latitude, lon: longitude }, radiusKm: place.radius as number };
}

function timeEntry(e: unknown, path: string): TimeEntry {
  if (!isObject(e)) bad(`${path} must be an object`);
  const recurrence = e.recurrence ?? 'Daily';
  if (recurrence === 'Daily') {
    const start = durationMs(e.start);
    if (start === undefined || start >= 24 * 3600_000) bad(`${path}.start must be a time of day as a duration from midnight (PT14H30M) for a Daily entry`);
    const duration = durationMs(e.duration);
    if (duration === undefined || duration <= 0) bad(`${path}.duration is required for a Daily entry (an ISO 8601 duration such as PT4H30M)`);
    let days: Day[] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    if (e.occurence !== undefined) {
      const occ = e.occurence;
      if (!isObject(occ) || !Array.isArray(occ.day) || occ.day.length < 1 || !occ.day.every(isDay)) bad(`${path}.occurence.day must list days among Mon, Tue, Wed, Thu, Fri, Sat, Sun`);
      days = occ.day as Day[];
    }
    return { recurrence: 'Daily', startMinutes: Math.round(start / 60_000), durationMinutes: Math.round(duration / 60_000), days };
  }
  if (recurrence !== 'None') bad(`${path}.recurrence must be "Daily" or "None"`);
  if (e.occurence !== undefined) bad(`${path}.occurence is only for Daily entries`);
  const startAt = typeof e.start === 'string' ? Date.parse(e.start) : NaN;
  if (Number.isNaN(startAt) || !/T/.test(String(e.start))) bad(`${path}.start must be an RFC 3339 time (2018-01-03T12:00:00+01:00) for a None entry`);
  if (e.duration === undefined) return { recurrence: 'None', startAt };
  const duration = durationMs(e.duration);
  if (duration === undefined || duration <= 0) bad(`${path}.duration must be an ISO 8601 duration such as PT4H30M`);
  return { recurrence: 'None', startAt, durationMs: duration };
}

function timeTrigger(name: string, t: unknown, path: string): MonitorTrigger {
  if (!isObject(t)) bad(`${path} must be an object`);
  if (!Array.isArray(t.times) || t.times.length < 1) bad(`${path}.times must hold at least one entry`);
  const timeZone = t.timeZone === undefined ? 'Europe/Paris' : t.timeZone;
  if (typeof timeZone !== 'string' || !knownTimeZone(timeZone)) bad(`${path}.timeZone must be a time zone such as Europe/Paris`);
  return { kind: 'time', name, times: t.times.map((e, i) => timeEntry(e, `${path}.times[${i}]`)), timeZone };
}

function trigger(t: unknown, i: number, names: Set<string>): MonitorTrigger {
  const path = `triggerParam.triggers[${i}]`;
  if (!isObject(t)) bad(`${path} must be an object`);
  const name = t.name;
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_.-]*$/.test(name)) bad(`${path}.name is required: letters first, then letters, digits, ".", "-" or "_"`);
  if (names.has(name)) bad(`${path}.name "${name}" is used twice; each trigger needs its own name`);
  names.add(name);
  const kinds = (['data', 'zone', 'time'] as const).filter((k) => t[k] !== undefined);
  if (kinds.length !== 1) bad(`${path} must have exactly one of data, zone or time (has ${kinds.length ? kinds.join(' and ') : 'none'})`);
  if (kinds[0] === 'data') return dataTrigger(name, t.data, `${path}.data`);
  if (kinds[0] === 'zone') return zoneTrigger(name, t.zone, `${path}.zone`);
  return timeTrigger(name, t.time, `${path}.time`);
}

/** Checks a B2C or B2B `MonitorParameter` (the B2B one's own webhook is read by the caller). */
export function parseMonitorParameter(raw: unknown, flavour: Flavour): MonitorSpec {
  if (!isObject(raw)) bad('body must be a JSON object');
  if (typeof raw.label !== 'string' || raw.label === '') bad('label is required');
  if (!isObject(raw.triggerParam)) bad('triggerParam is required: {"triggers": [...], "boolExp": "..."}');
  const tp = raw.triggerParam;
  if (!Array.isArray(tp.triggers) || tp.triggers.length < 1 || tp.triggers.length > 5) bad('triggerParam.triggers must hold 1 to 5 triggers');
  if (typeof tp.boolExp !== 'string' || tp.boolExp.trim() === '') bad('triggerParam.boolExp is required (e.g. the trigger name)');
  const names = new Set<string>();
  const triggers = tp.triggers.map((t, i) => trigger(t, i, names));
  let boolExp: BoolExp;
  try {
    boolExp = parseBoolExp(tp.boolExp);
  } catch (err) {
    bad(`triggerParam.boolExp "${tp.boolExp}": ${(err as Error).message}`);
  }
  for (const n of namesIn(boolExp)) if (!names.has(n)) bad(`triggerParam.boolExp names "${n}", which is not one of the triggers (${[...names].join(', ')})`);
  const constant = constantValue(boolExp);
  if (constant !== undefined) bad(`triggerParam.boolExp "${tp.boolExp}" is always ${constant}; the spec refuses such expressions`);
  const extensions = strings(raw.extendedEventParam, 'extendedEventParam');
  for (const e of extensions) {
    const known = EXTENSIONS[flavour].includes(e) || e.startsWith('vehicle.telemetry.');
    if (!known) bad(`extendedEventParam "${e}" is not one of ${EXTENSIONS[flavour].join(', ')}`);
  }
  let refreshSeconds: number | undefined;
  if (raw.subscribeParam !== undefined) {
    if (!isObject(raw.subscribeParam)) bad('subscribeParam must be an object');
    const r = raw.subscribeParam.refreshEvent;
    if (r !== undefined) {
      if (!Number.isInteger(r) || (r as number) < MIN_REFRESH_SECONDS) bad(`subscribeParam.refreshEvent must be a whole number of seconds, at least ${MIN_REFRESH_SECONDS}`);
      refreshSeconds = r as number;
    }
  }
  return { label: raw.label, triggers, boolExp, extensions: [...new Set(extensions)], ...(refreshSeconds ? { refreshSeconds } : {}), parameter: raw };
}
