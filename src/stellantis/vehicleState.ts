/**
 * Reads the raw `Status` JSON of GET /user/vehicles/{id}/status (B2C) or
 * /fleets/{fid}/vehicles/{vid}/status (B2B) into one normalized `VehicleState`, and folds monitor
 * values pushed on the webhook into it. Every part is optional and carries its own time (`at`, the
 * block's updatedAt or createdAt) and age. Missing blocks, unknown fields and unknown enum values
 * never throw; the legacy names (`energy`, `preconditionning`) are read beside the current ones,
 * and when two blocks carry the same reading (`energies[]` and `energy[]`) the newest one wins.
 * Durations (`remainingTime`, `nextDelayedTime`) are read as durations, `PT0S` meaning none.
 */
import { readAlarm } from './alarmReading';
import { readDoors, readOpenings } from './doorsReading';
import { energyEntries, isElectric, isFuel, readBatteryHealth, readBatteryLoad, readCharging, readEnergyLevel } from './energyReading';
import { readPreconditioning } from './preconditioningReading';
import { bool, newestOf, num, obj, str, timeOf, withoutUndefined, type Json } from './statusJson';
import type { Battery12vState, EnergyLevelState, PositionState, VehicleState } from './vehicleStateTypes';

export type * from './vehicleStateTypes';
export { lockStateOf } from './doorsReading';
export { applyMonitorValue } from './monitorValues';
export { isoDurationMinutes, isoDurationMs, partAgeMs, readIsoDuration } from './statusJson';

/** The newest level among entries of one energy that carry one; else the first entry's time alone. */
function readLevel(entries: Json[], now: Date): EnergyLevelState | undefined {
  const levels = entries.map((e) => readEnergyLevel(e, now));
  return newestOf(levels.filter((l) => l.level !== undefined || l.rangeKm !== undefined)) ?? levels[0];
}

function readBattery12v(block: Json | undefined, now: Date): Battery12vState | undefined {
  const reading = withoutUndefined({ ...timeOf(block, now), level: num(block?.voltage), current: num(block?.current) });
  return reading.level === undefined && reading.current === undefined ? undefined : reading;
}

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

  const doorsBlock = obj(status.doorsState);
  const doors = readDoors(doorsBlock, now);
  if (doors) state.doors = doors;
  const openings = readOpenings(doorsBlock, now);
  if (openings) state.openings = openings;

  const entries = energyEntries(status);
  const electric = entries.filter(isElectric);
  const battery = readLevel(electric, now);
  if (battery) state.battery = battery;
  const chargings = electric.map((e) => readCharging(e, now));
  const charging = newestOf(chargings);
  // The legacy `energy[]` entry, often the newer one, carries no schedule: the programs come from the entry that has them.
  const programs = charging?.programs ?? newestOf(chargings.filter((c) => c?.programs !== undefined))?.programs;
  if (charging) state.charging = programs ? { ...charging, programs } : charging;
  const batteryHealth = newestOf(electric.map((e) => readBatteryHealth(e, now)));
  if (batteryHealth) state.batteryHealth = batteryHealth;
  const batteryLoad = newestOf(electric.map((e) => readBatteryLoad(e, now)));
  if (batteryLoad) state.batteryLoad = batteryLoad;
  const fuel = readLevel(entries.filter(isFuel), now);
  if (fuel) state.fuel = fuel;

  const battery12v = readBattery12v(obj(status.battery), now);
  if (battery12v) state.battery12v = battery12v;
  const alarm = readAlarm(obj(status.alarm), now);
  if (alarm) state.alarm = alarm;

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
