/**
 * The car and its home zone. The API's zone radius is whole kilometres (`zoneRadiusKm`), and the
 * monitors say when the car crosses that circle; a status read (no monitor event) decides from the
 * position with the same circle, so both agree.
 */
import type { HomeZone } from '../config/account';
import type { HomeState, PositionState, VehicleState } from '../stellantis/vehicleState';
import { distanceM } from '../util/geo';
import { zoneRadiusKm } from './monitorPlan';

export { distanceM };

/**
 * The home part for `state`: `inside` as a zone monitor said (arrive: true, leave: false), else
 * from the position; undefined without a zone or a position.
 */
export function homeOf(zone: HomeZone | undefined, position: PositionState | undefined, inside?: boolean, at?: string): HomeState | undefined {
  if (!zone) return undefined;
  const distance = position ? Math.round(distanceM(position, zone)) : undefined;
  const isInside = inside ?? (distance !== undefined ? distance <= zoneRadiusKm(zone.radiusM) * 1000 : undefined);
  if (isInside === undefined) return undefined;
  const time = at ?? position?.at;
  return { ...(time ? { at: time, ageMs: 0 } : {}), inside: isInside, ...(distance !== undefined ? { distanceM: distance } : {}) };
}

/** `state` with its home part from its position (a status read). */
export function withHome(state: VehicleState, zone: HomeZone | undefined): VehicleState {
  const home = homeOf(zone, state.position);
  return home ? { ...state, home } : state;
}
