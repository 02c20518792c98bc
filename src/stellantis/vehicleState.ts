/**
 * Reads the raw `Status` JSON of GET /user/vehicles/{id}/status (B2C) or
 * /fleets/{fid}/vehicles/{vid}/status (B2B) into one normalized `VehicleState`, and folds monitor
 * values pushed on the webhook into it. Every part is optional and carries its own time (`at`, the
 * block's updatedAt or createdAt) and age. Missing blocks, unknown fields and unknown enum values
 * never throw; the legacy names (`energy`, `preconditionning`) are read beside the current ones.
 */
import { readDoors } from './doorsReading';
import { energyEntries, isElectric, isFuel, readCharging, readEnergyLevel } from './energyReading';
import { readPreconditioning } from './preconditioningReading';
import { bool, num, obj, str, timeOf, withoutUndefined, type Json } from './statusJson';
import type { PositionState, VehicleState } from './vehicleStateTypes';

export type * from './vehicleStateTypes';
export { lockStateOf } from './doorsReading';
export { applyMonitorValue } from './monitorValues';
export { isoDurationMinutes, partAgeMs } from './statusJson';

function readPosition(block: Json | undefined, now: Date): PositionState | undefined {
  const coordinates = obj(block?.geometry)?.coordinates;
  if (!Array.isArray(coordinates)) return undefined;
  const lon = num(coordinates[0]);
  const lat = num(coordinates[1]);
  if (lon === undefined || lat === undefined || Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  const properties = obj(block?.properties);
  return withoutUndefined({ ...timeOf(properties, now), lat, lon, altitude: num(coordinates[2]), heading: num(properties?.heading) });
}

/** Normalizes a raw Status answer; never throws (garbage in, empty state out). */
export function readVehicleStatus(raw: unknown, now: Date = new Date()): VehicleState {
  const status = obj(raw);
  if (!status) return {};
  const state: VehicleState = {};
  const top = timeOf(status, now);
  if (top.at !== undefined) state.updatedAt = top.at;

  const doors = readDoors(obj(status.doorsState), now);
  if (doors) state.doors = doors;

  const entries = energyEntries(status);
  const electric = entries.find(isElectric);
  const fuel = entries.find(isFuel);
  if (electric) {
    state.battery = readEnergyLevel(electric, now);
    const charging = readCharging(electric, now);
    if (charging) state.charging = charging;
  }
  if (fuel) state.fuel = readEnergyLevel(fuel, now);

  const preconditioning = readPreconditioning(status, now);
  if (preconditioning) state.preconditioning = preconditioning;

  const air = obj(obj(status.environment)?.air);
  const temp = num(air?.temp);
  if (temp !== undefined) state.outsideTemperature = { ...timeOf(air, now), celsius: temp };

  const ignition = obj(status.ignition);
  const ignitionType = str(ignition?.type);
  if (ignitionType !== undefined) state.ignition = { ...timeOf(ignition, now), state: ignitionType, on: ignitionType !== 'Stop' };

  const kinetic = obj(status.kinetic);
  if (kinetic) {
    const motion = withoutUndefined({ ...timeOf(kinetic, now), moving: bool(kinetic.moving), speedKmh: num(kinetic.speed) });
    if (motion.moving !== undefined || motion.speedKmh !== undefined) state.motion = motion;
  }

  const odometer = obj(status.odometer);
  const mileage = num(odometer?.mileage);
  if (mileage !== undefined) state.odometer = { ...timeOf(odometer, now), km: mileage };

  const position = readPosition(obj(status.lastPosition), now);
  if (position) state.position = position;

  const privacy = obj(status.privacy);
  const privacyState = str(privacy?.state);
  if (privacyState !== undefined) state.privacy = { ...timeOf(privacy, now), state: privacyState };

  return state;
}
