/**
 * The car and its home zone. The API's zone radius is whole kilometres (`zoneRadiusKm`), and the
 * monitors say when the car crosses that circle; a status read (no monitor event) decides from the
 * position with the same circle, so both agree.
 */
import type { HomeZone } from '../config/account';
import type { HomeState, PositionState, VehicleState } from '../stellantis/vehicleState';
import { zoneRadiusKm } from './monitorPlan';

const EARTH_RADIUS_M = 6_371_000;

export function distanceM(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

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
