/** The doors block: lock state out of the API's list of door states, and the open doors. */
import { obj, str, strings, timeOf, type Json } from './statusJson';
import type { DoorLockState, DoorsState, OpeningId, OpeningPosition, OpeningsState } from './vehicleStateTypes';

const FULLY_LOCKED: ReadonlySet<string> = new Set(['Locked', 'SuperLocked']);
const PART_UNLOCKED: ReadonlySet<string> = new Set(['DriverDoorUnlocked', 'CabinDoorsUnlocked', 'CargoDoorsUnlocked', 'RearDoorsUnlocked', 'TrunkUnLocked', 'TrunkUnlocked']);
const PART_LOCKED: ReadonlySet<string> = new Set(['CargoDoorsLocked', 'RearDoorsLocked', 'TrunkLocked']);

/** One lock state out of the API's list of door states. */
export function lockStateOf(lockedStates: readonly string[]): DoorLockState {
  let unlocked = false;
  let locked = false;
  let partUnlocked = false;
  let partLocked = false;
  for (const s of lockedStates) {
    if (s === 'Unlocked') unlocked = true;
    else if (FULLY_LOCKED.has(s)) locked = true;
    else if (PART_UNLOCKED.has(s)) partUnlocked = true;
    else if (PART_LOCKED.has(s)) partLocked = true;
  }
  if (unlocked) return locked || partLocked ? 'partly-unlocked' : 'unlocked';
  if (locked) return partUnlocked ? 'partly-unlocked' : 'locked';
  if (partUnlocked) return 'partly-unlocked';
  return 'unknown';
}

export function readDoors(block: Json | undefined, now: Date): DoorsState | undefined {
  if (!block) return undefined;
  const lockedStates = strings(block.lockedStates);
  const opening = Array.isArray(block.opening) ? block.opening.map(obj).filter((o): o is Json => o !== undefined) : undefined;
  const openDoors = (opening ?? []).filter((o) => o.state === 'Open').map((o) => str(o.identifier) ?? 'Unknown');
  return {
    ...timeOf(block, now),
    lock: lockStateOf(lockedStates),
    superLocked: lockedStates.includes('SuperLocked'),
    lockedStates,
    ...(opening && opening.length > 0 ? { open: openDoors.length > 0 } : {}),
    openDoors,
  };
}

/** Each opening of `doorsState.opening[]` as open/closed (states other than Open/Closed are left out). */
export function readOpenings(block: Json | undefined, now: Date): OpeningsState | undefined {
  if (!block || !Array.isArray(block.opening)) return undefined;
  const byId: Partial<Record<OpeningId, OpeningPosition>> = {};
  for (const item of block.opening) {
    const opening = obj(item);
    const id = str(opening?.identifier);
    if (id === undefined) continue;
    if (opening?.state === 'Open') byId[id] = 'open';
    else if (opening?.state === 'Closed') byId[id] = 'closed';
  }
  return Object.keys(byId).length === 0 ? undefined : { ...timeOf(block, now), byId };
}
