/**
 * One charging program set or deleted, for users: merged into the list the account knows, then
 * the whole list sent (the remote has no slot; the list replaces the car's).
 *
 * The base is, newest first: the list of a charge-programs remote still queued or on its way (two
 * edits in a row both count), else the last state read, else one status read (a GET, which never
 * wakes the car), spent only when the car's programs were never read. A car whose status does not
 * list them gets a clear error: changing one program blind would drop the others.
 */
import type { ChargeProgram, RemoteAction } from '../stellantis/actions';
import { InvalidActionError } from '../stellantis/actionChecks';
import { applyChargeProgramEdit, programsFromState, type ChargeProgramEdit } from '../stellantis/chargePrograms';
import type { VehicleState } from '../stellantis/vehicleState';
import type { RemoteHandle } from '../remotes/types';

export interface ChargeProgramEditDeps {
  activeRemotes(): RemoteHandle[];
  stateOf(vehicleId: string): VehicleState;
  readStatus(vehicleId: string): Promise<{ state: VehicleState }>;
  send(vehicleId: string, action: RemoteAction): RemoteHandle;
}

export const PROGRAMS_UNKNOWN =
  "the car's charging programs are not known (its status does not list them), and changing one would replace the others; " +
  'send the whole list instead: {action: "charge-programs", programs: [{days, start, end, enabled}]}';

function pendingList(deps: ChargeProgramEditDeps, vehicleId: string): ChargeProgram[] | undefined {
  let newest: ChargeProgram[] | undefined;
  for (const h of deps.activeRemotes()) {
    if (h.vehicleId === vehicleId && h.action.kind === 'charge-programs') newest = h.action.programs;
  }
  return newest;
}

/** The list an edit applies to (see the file header for the order). */
export async function knownChargePrograms(deps: ChargeProgramEditDeps, vehicleId: string): Promise<ChargeProgram[]> {
  const pending = pendingList(deps, vehicleId);
  if (pending) return pending;
  const held = deps.stateOf(vehicleId).charging?.programs;
  if (held) return programsFromState(held);
  const read = (await deps.readStatus(vehicleId)).state.charging?.programs;
  if (read) return programsFromState(read);
  throw new InvalidActionError('slot', PROGRAMS_UNKNOWN);
}

/** Merges the edit and sends the whole list (one POST); throws InvalidActionError for a bad slot or program. */
export async function sendChargeProgramEdit(deps: ChargeProgramEditDeps, vehicleId: string, edit: ChargeProgramEdit): Promise<RemoteHandle> {
  const programs = applyChargeProgramEdit(await knownChargePrograms(deps, vehicleId), edit);
  return deps.send(vehicleId, { kind: 'charge-programs', programs });
}
