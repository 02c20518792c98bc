/**
 * Loosely typed actions (Node-RED msg.payload, CLI) to a `RemoteAction`: the obvious coercions only;
 * the value checks stay with the body builders.
 */
import type { ChargeProgram, GeoPoint, PreconditioningProgram, RemoteAction, RemoteActionKind } from './actions';
import { InvalidActionError, REMOTE_ACTION_KINDS, WEEKDAYS } from './actionChecks';

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

function dayIndex(text: string): number {
  const lower = text.trim().toLowerCase();
  return FULL_DAY_NAMES.findIndex((full) => full === lower || full.slice(0, 3) === lower);
}

/** "Mon-Fri" -> Mon..Fri (a range may wrap: "Sat-Mon"); undefined when it is no range of days. */
function dayRange(text: string): string[] | undefined {
  const m = /^([a-z]+)\s*-\s*([a-z]+)$/i.exec(text.trim());
  if (!m) return undefined;
  const [from, to] = [dayIndex(m[1]), dayIndex(m[2])];
  if (from < 0 || to < 0) return undefined;
  const out: string[] = [];
  for (let i = from; out.length < 7; i = (i + 1) % 7) {
    out.push(WEEKDAYS[i]);
    if (i === to) break;
  }
  return out;
}

/** "Mon,Tue", "Mon-Fri" or ["monday", "Tue"] -> ["Mon", "Tue"]; anything else is left for the builder to refuse. */
export function looseDays(value: unknown): unknown {
  const list = typeof value === 'string' ? value.split(/[\s,]+/).filter((s) => s !== '') : value;
  if (!Array.isArray(list)) return list;
  return list.flatMap((d: unknown) => {
    if (typeof d !== 'string') return [d];
    const range = dayRange(d);
    if (range) return range;
    const i = dayIndex(d);
    return [i >= 0 ? WEEKDAYS[i] : d];
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

/** One charging program {days, start, end, enabled} (enabled when not said); the builder checks the values. */
export function looseChargeProgram(p: unknown, field: string): ChargeProgram {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new InvalidActionError(field, 'must be a program {days, start, end, enabled}');
  const o = p as Loose;
  const enabled = o.enabled === undefined ? true : looseBoolean(o, 'enabled', 'to enable it, false to disable it');
  return { days: looseDays(o.days), start: o.start, ...(o.end !== undefined && o.end !== '' ? { end: o.end } : {}), enabled } as ChargeProgram;
}

function looseChargePrograms(value: unknown): ChargeProgram[] {
  if (value === undefined) throw new InvalidActionError('programs', 'missing; send the whole list of programs [{days, start, end, enabled}], [] to remove them all');
  if (!Array.isArray(value)) throw new InvalidActionError('programs', 'must be a list of programs [{days, start, end, enabled}]');
  return value.map((p: unknown, i: number) => looseChargeProgram(p, `programs[${i}]`));
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
 * Reads a loosely typed action such as `{action: 'navigate', points: [{lat, lon}]}` or
 * `{action: 'lock'}` (`kind` is accepted for `action`), coercing the obvious (numeric strings,
 * "on"/"off", "Mon,Tue", "Level3"). Its values are checked by the builders (`parseRemoteAction`).
 */
export function coerceRemoteAction(input: unknown): RemoteAction {
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
    case 'charge-programs':
      action = { kind, programs: looseChargePrograms(o.programs) };
      break;
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
  return action;
}
