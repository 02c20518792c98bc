/**
 * The charging programs of a status (`charging.schedule`), read from both shapes: the spec's object
 * `{programs: [ChargeScheduleProgram]}` and the field's bare array (`schedule: []` seen from owners'
 * cars; a non-empty one is read as the list itself). Absent or unreadable: unknown (undefined);
 * an empty list: the car keeps none.
 */
import { bool, isoDurationMinutes, obj, str, strings, withoutUndefined, type Json } from './statusJson';
import type { ChargeProgramState } from './vehicleStateTypes';

/** A duration from midnight ("PT22H30M") as "22:30"; undefined when it is none below 24 h. */
function clockTime(value: unknown): string | undefined {
  const minutes = isoDurationMinutes(str(value));
  if (minutes === undefined || minutes < 0 || minutes >= 1440) return undefined;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function readChargePrograms(schedule: unknown): ChargeProgramState[] | undefined {
  const list = Array.isArray(schedule) ? schedule : obj(schedule)?.programs;
  if (!Array.isArray(list)) return undefined;
  return list
    .map((p: unknown) => obj(p))
    .filter((p): p is Json => p !== undefined)
    .map((p, i) =>
      withoutUndefined({
        slot: i + 1,
        enabled: bool(p.enabled) ?? false,
        days: strings(obj(p.occurence)?.day ?? obj(p.occurrence)?.day),
        start: clockTime(p.start),
        end: clockTime(p.end),
        chargeUntilFull: bool(p.chargeUntilFull),
      }),
    );
}
