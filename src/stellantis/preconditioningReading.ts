/** The air-conditioning block (also under the legacy `preconditionning`) and its programs. */
import { bool, isoDurationMinutes, num, obj, str, strings, timeOf, withoutUndefined, type Json } from './statusJson';
import type { PreconditioningProgramState, PreconditioningState } from './vehicleStateTypes';

function readPrograms(value: unknown): PreconditioningProgramState[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .map(obj)
    .filter((p): p is Json => p !== undefined)
    .map((p) => {
      const start = str(p.start);
      const minutes = isoDurationMinutes(start);
      const time = minutes === undefined || minutes >= 1440 ? undefined
        : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      return withoutUndefined({
        slot: num(p.slot),
        enabled: bool(p.enabled) ?? false,
        start,
        time,
        days: strings(obj(p.occurence)?.day ?? obj(p.occurrence)?.day),
        recurrence: str(p.recurrence),
      });
    });
}

export function preconditioningOn(status: string | undefined): boolean | undefined {
  if (status === 'Enabled') return true;
  if (status === 'Disabled' || status === 'Finished' || status === 'Failure') return false;
  return undefined;
}

export function readPreconditioning(raw: Json, now: Date): PreconditioningState | undefined {
  const ac = obj(obj(raw.preconditioning)?.airConditioning) ?? obj(obj(raw.preconditionning)?.airConditioning);
  if (!ac) return undefined;
  const status = str(ac.status);
  return withoutUndefined({
    ...timeOf(ac, now),
    on: preconditioningOn(status),
    status,
    startingCause: str(ac.startingCause),
    failureCause: str(ac.failureCause),
    programs: readPrograms(ac.programs),
  });
}
