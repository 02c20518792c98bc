/**
 * `stellantis send <vehicle> charge-program --slot N --days Mon-Fri --start 22:30 [--end 06:30] [--disabled]`
 * and `charge-program-delete --slot N`: one program, merged into the car's list, then the whole
 * list sent (the remote has no slot: the list replaces the car's).
 *
 * A command holds no live state, so the list comes from one status read (a GET: it never wakes the
 * car). The state a running plugin saved is not used: it may predate a change an earlier command
 * made, and a stale base would silently put back a program the user had just changed.
 */
import type { ChargeProgram, RemoteAction } from '../stellantis/actions';
import { InvalidActionError } from '../stellantis/actionChecks';
import { applyChargeProgramEdit, buildChargeProgramsBody, programsFromState, type ChargeProgramEdit } from '../stellantis/chargePrograms';
import { looseDays } from '../stellantis/looseAction';
import { readVehicleStatus } from '../stellantis/vehicleState';
import { PROGRAMS_UNKNOWN } from '../engine/chargeProgramEdits';
import { CHARGE_PROGRAM_WORDS, type ChargeProgramWord } from '../vocabulary/actionWords';
import { CliError, UsageError } from './errors';

export interface ChargeProgramParams {
  params: string[];
  slot?: number;
  days?: string;
  start?: string;
  end?: string;
  disabled: boolean;
}

export function isChargeProgramWord(word: string): word is ChargeProgramWord {
  return (CHARGE_PROGRAM_WORDS as readonly string[]).includes(word);
}

const FLAG_OF: Readonly<Record<string, string>> = { days: '--days', start: '--start', end: '--end', enabled: '--disabled' };

/** The edit the flags describe, its program checked (a mistake names the flag) before any call. */
export function parseChargeProgramEdit(word: ChargeProgramWord, p: ChargeProgramParams): ChargeProgramEdit {
  if (p.params.length > 0) throw new UsageError(`${word} takes no value (got '${p.params.join(' ')}'); use the flags`);
  if (p.slot === undefined) throw new UsageError(`${word} needs --slot N (1 for the first program)`);
  if (p.slot < 1) throw new UsageError(`${word}: --slot ${p.slot} is not a program slot; slots start at 1`);
  if (word === 'charge-program-delete') {
    if (p.days !== undefined || p.start !== undefined || p.end !== undefined || p.disabled) throw new UsageError('charge-program-delete takes only --slot N');
    return { slot: p.slot };
  }
  if (p.days === undefined || p.start === undefined) throw new UsageError('charge-program needs --days (Mon-Fri, Sat,Sun...) and --start HH:MM (and usually --end HH:MM)');
  const program = { days: looseDays(p.days), start: p.start, ...(p.end !== undefined ? { end: p.end } : {}), enabled: !p.disabled } as ChargeProgram;
  try {
    buildChargeProgramsBody([program]);
  } catch (err) {
    if (!(err instanceof InvalidActionError)) throw err;
    const key = /^programs\[0\]\.(\w+)/.exec(err.field)?.[1] ?? '';
    throw new UsageError(`charge-program ${FLAG_OF[key] ?? ''}: ${err.message.replace(/^[^:]+: /, '')}`.replace('  ', ' '));
  }
  return { slot: p.slot, program };
}

/** A placeholder for the capability check before the status read (a car with no programs stops here). */
export function capabilityProbe(edit: ChargeProgramEdit): RemoteAction {
  return { kind: 'charge-programs', programs: edit.program ? [edit.program] : [] };
}

/** One status read, the edit merged: the action to send. */
export async function chargeProgramsAfterEdit(readStatus: () => Promise<unknown>, edit: ChargeProgramEdit): Promise<RemoteAction> {
  const known = readVehicleStatus(await readStatus()).charging?.programs;
  if (!known) throw new CliError(`charge programs: ${PROGRAMS_UNKNOWN.replace(/send the whole list instead.*$/, 'change them in the car or from a Node-RED flow with the whole list')}`);
  try {
    return { kind: 'charge-programs', programs: applyChargeProgramEdit(programsFromState(known), edit) };
  } catch (err) {
    if (err instanceof InvalidActionError) throw new UsageError(`--slot: ${err.message.replace(/^slot: /, '')}`);
    throw err;
  }
}
