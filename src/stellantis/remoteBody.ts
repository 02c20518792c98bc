/**
 * Turns a user's `RemoteAction` into the exact body of POST .../callbacks/{cbid}/remotes, as the
 * official spec (schema `Remote`) describes it. One small builder per action kind; each validates its
 * input first and throws `InvalidActionError` naming the field and what to send, before any call.
 */
import type { PreconditioningProgram, RemoteAction, Weekday } from './actions';
import { checkNavigationPoints, FLEET_ONLY_KINDS, InvalidActionError, REMOTE_ACTION_KINDS, requireBoolean, WEEKDAYS } from './actionChecks';
import { buildChargeProgramsBody } from './chargePrograms';
import { coerceRemoteAction } from './looseAction';
import { checkTimeZone, nextOccurrence, normalizeProgramStart, parseHhMm, parseRfc3339, toRfc3339Utc } from './wallClock';
import type { Flavour, RemoteBody } from './wire';

export { checkNavigationPoints, InvalidActionError, REMOTE_ACTION_KINDS } from './actionChecks';

export interface BuildOptions {
  flavour: Flavour;
  label?: string;
  /** Reference time for "HH:MM" charge times (default: now). */
  now?: Date;
  /** IANA time zone in which "HH:MM" is meant (default: the host's). */
  timeZone?: string;
}

interface BuildContext {
  now: Date;
  timeZone: string;
}

type ActionBody = Omit<RemoteBody, 'label'>;

/**
 * The spec's prose says a Delete needs only the slot, but its Program schema requires `start`, and a
 * strict validator answers 422 without it. A start (midnight, in the format we send for Set) satisfies
 * the schema and is ignored by the prose's rule, so both accept the body.
 */
const DELETE_PLACEHOLDER_START = 'PT0H0M';

function buildPreconditioningPrograms(action: { set?: PreconditioningProgram[]; delete?: number[] }): ActionBody {
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
    programs.push({ slot: checkSlot(slot, `delete[${i}]`), actionsType: 'Delete', start: DELETE_PLACEHOLDER_START });
  });
  return { preconditioning: { airConditioning: { programs } } };
}

function buildChargeAt(at: unknown, ctx: BuildContext): ActionBody {
  const hint = 'send "HH:MM" (next occurrence, local time) or an RFC 3339 instant such as "2025-01-31T23:30:00Z"';
  if (typeof at !== 'string' || at.trim() === '') throw new InvalidActionError('at', `missing; ${hint}`);
  const text = at.trim();
  const clock = parseHhMm(text);
  if (clock) return { charging: { schedule: { nextDelayedTime: nextOccurrence(clock, ctx.now, ctx.timeZone) } } };
  const ms = parseRfc3339(text);
  if (ms === undefined) throw new InvalidActionError('at', `'${at}' is not a time; ${hint}`);
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
      return buildPreconditioningPrograms(action);
    case 'charge':
      return { charging: { immediate: requireBoolean(action.on, 'on', 'true to start charging now, false to stop') } };
    case 'charge-at':
      return buildChargeAt(action.at, ctx);
    case 'charge-preferences':
      return buildChargePreferences(action);
    case 'charge-programs':
      return buildChargeProgramsBody(action.programs);
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

/**
 * Validates a loosely typed action such as `{action: 'navigate', points: [{lat, lon}]}` or
 * `{action: 'lock'}` (`kind` is accepted for `action`), coercing the obvious (numeric strings,
 * "on"/"off", "Mon,Tue", "Level3"), and checks its values. Unknown extra keys are ignored.
 */
export function parseRemoteAction(input: unknown): RemoteAction {
  const action = coerceRemoteAction(input);
  // Value checks (ranges, slots, times) are the builders'; run them now so bad input fails early.
  buildActionBody(action, { now: new Date(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  return action;
}
