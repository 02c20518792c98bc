/**
 * Charging programs (off-peak windows, `charging.schedule.programs`): the body of the whole list,
 * validated field by field, and the edit of one program merged into a list already known.
 *
 * The remote program has no slot and no Set/Delete: the list sent replaces the car's. A program's
 * slot is therefore its position (1-based), and changing one means sending every other one again.
 */
import type { ChargeProgram, Weekday } from './actions';
import { InvalidActionError, requireBoolean, WEEKDAYS } from './actionChecks';
import { normalizeProgramStart } from './wallClock';
import type { ChargeProgramState } from './vehicleStateTypes';
import type { ChargeProgramBody } from './wire';

type ProgramsBody = ChargeProgramBody[];

/**
 * Our sanity bound when the car does not give its count (the spec sets none; cars that say keep a few,
 * e.g. 4): a longer list is a mistake, refused before any call. Not a documented API limit.
 */
export const MAX_CHARGE_PROGRAMS = 8;

function checkDays(value: unknown, field: string): Weekday[] {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidActionError(field, `missing; send at least one day among ${WEEKDAYS.join(', ')}`);
  const days: Weekday[] = [];
  value.forEach((day: unknown, j: number) => {
    if (typeof day !== 'string' || !(WEEKDAYS as readonly string[]).includes(day)) {
      throw new InvalidActionError(`${field}[${j}]`, `${JSON.stringify(day)} is not a day; send one of ${WEEKDAYS.join(', ')}`);
    }
    if (!days.includes(day as Weekday)) days.push(day as Weekday);
  });
  return days.sort((a, b) => WEEKDAYS.indexOf(a) - WEEKDAYS.indexOf(b));
}

/** `charging.schedule.programs`, the whole list (0 programs removes them all). */
export function buildChargeProgramsBody(programs: unknown): { charging: { schedule: { programs: ProgramsBody } } } {
  if (!Array.isArray(programs)) throw new InvalidActionError('programs', 'must be a list of programs {days, start, end, enabled} (an empty list removes them all)');
  if (programs.length > MAX_CHARGE_PROGRAMS) {
    throw new InvalidActionError('programs', `${programs.length} programs; send at most ${MAX_CHARGE_PROGRAMS} (the car's own count, when it gives one, is checked too)`);
  }
  const list: ProgramsBody = programs.map((p: unknown, i: number) => {
    const at = `programs[${i}]`;
    if (typeof p !== 'object' || p === null) throw new InvalidActionError(at, 'must be a program {days, start, end, enabled}');
    const o = p as Partial<Record<keyof ChargeProgram, unknown>>;
    const enabled = requireBoolean(o.enabled, `${at}.enabled`, 'true to enable the program, false to keep it but disable it');
    const days = checkDays(o.days, `${at}.days`);
    const start = normalizeProgramStart(o.start, `${at}.start`);
    if (o.end === undefined) return { start, enabled, occurence: { day: days } };
    const end = normalizeProgramStart(o.end, `${at}.end`);
    if (end === start) throw new InvalidActionError(`${at}.end`, 'is the start; send an end at another time (past midnight is the next day)');
    return { start, end, enabled, occurence: { day: days } };
  });
  return { charging: { schedule: { programs: list } } };
}

/** Set (with `program`) or delete (without) the program at `slot`, 1-based. */
export interface ChargeProgramEdit {
  slot: number;
  program?: ChargeProgram;
}

/** The programs of a status reading, as the action sends them back (times "HH:MM"). */
export function programsFromState(states: readonly ChargeProgramState[]): ChargeProgram[] {
  return states.map((p) => ({
    days: p.days.filter((d): d is Weekday => (WEEKDAYS as readonly string[]).includes(d)),
    start: p.start ?? '',
    ...(p.end !== undefined ? { end: p.end } : {}),
    enabled: p.enabled,
  }));
}

/**
 * The list after one edit: a slot up to the list's length replaces that program, the next one
 * adds a program; deleting one moves those after it up one slot (positions are the slots).
 */
export function applyChargeProgramEdit(known: readonly ChargeProgram[], edit: ChargeProgramEdit): ChargeProgram[] {
  const { slot } = edit;
  const next = known.length + 1;
  if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 1) {
    throw new InvalidActionError('slot', `${JSON.stringify(slot)} is not a program slot; send a whole number from 1 (this car has ${known.length} program${known.length === 1 ? '' : 's'})`);
  }
  const list = known.map((p) => ({ ...p, days: [...p.days] }));
  if (edit.program === undefined) {
    if (slot > known.length) {
      throw new InvalidActionError('slot', known.length === 0 ? 'the car has no charging program to delete' : `slot ${slot} holds no program; the car has ${known.length} (slots 1 to ${known.length})`);
    }
    list.splice(slot - 1, 1);
    return list;
  }
  if (slot > next) throw new InvalidActionError('slot', `slot ${slot} is past the end of the list (${known.length} program${known.length === 1 ? '' : 's'}); send slot ${next} to add one`);
  list[slot - 1] = edit.program;
  return list;
}

/** A list as sent, as the status will show it (the expected state after a success). */
export function chargeProgramStates(programs: readonly ChargeProgram[]): ChargeProgramState[] {
  const hhmm = (t: string | undefined): string | undefined => {
    if (t === undefined) return undefined;
    const m = /^PT(\d+)H(\d+)M$/.exec(normalizeProgramStart(t, 'time'));
    return m ? `${m[1].padStart(2, '0')}:${m[2].padStart(2, '0')}` : undefined;
  };
  return programs.map((p, i) => {
    const end = hhmm(p.end);
    return { slot: i + 1, enabled: p.enabled, days: [...p.days], start: hhmm(p.start), ...(end !== undefined ? { end } : {}) };
  });
}
