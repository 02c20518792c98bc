/** `vehicles[].home`: the car's home zone, {lat, lon, radiusM}, every problem named. */
import type { HomeZone } from './account';
import { checkTypos, describeType, type Json, type ProblemList } from './readers';
import { isObject } from '../util/isObject';

const HOME_KEYS = ['lat', 'lon', 'radiusM'];
/** Below this the car's GPS fix wanders in and out of the zone while parked. */
export const MIN_HOME_RADIUS_M = 50;
export const MAX_HOME_RADIUS_M = 50_000;
export const DEFAULT_HOME_RADIUS_M = 150;

function coordinate(input: Json, key: 'lat' | 'lon', at: string, problems: ProblemList): number | undefined {
  const value = input[key];
  const limit = key === 'lat' ? 90 : 180;
  if (value === undefined || value === null) {
    problems.add(`${at}.${key}`, `missing; give the home's ${key === 'lat' ? 'latitude' : 'longitude'} in degrees (or run \`stellantis home <car> --here\`)`);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) {
    problems.add(`${at}.${key}`, `must be a number from -${limit} to ${limit} (degrees), not ${typeof value === 'number' ? value : describeType(value)}`);
    return undefined;
  }
  return value;
}

export function readHomeZone(vehicle: Json, prefix: string, problems: ProblemList): HomeZone | undefined {
  const value = vehicle.home;
  const at = `${prefix}home`;
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    problems.add(at, 'must be an object {"lat": 48.85, "lon": 2.35, "radiusM": 150}');
    return undefined;
  }
  checkTypos(value, HOME_KEYS, `${at}.`, problems);
  const lat = coordinate(value, 'lat', at, problems);
  const lon = coordinate(value, 'lon', at, problems);
  let radiusM = DEFAULT_HOME_RADIUS_M;
  const r = value.radiusM;
  if (r !== undefined && r !== null) {
    if (typeof r !== 'number' || !Number.isFinite(r) || r < MIN_HOME_RADIUS_M || r > MAX_HOME_RADIUS_M) {
      problems.add(`${at}.radiusM`, `must be a number of metres from ${MIN_HOME_RADIUS_M} to ${MAX_HOME_RADIUS_M}, not ${typeof r === 'number' ? r : describeType(r)}`);
      return undefined;
    }
    radiusM = r;
  }
  return lat === undefined || lon === undefined ? undefined : { lat, lon, radiusM };
}
