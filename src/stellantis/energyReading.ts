/**
 * The energies (traction battery, fuel) and the electric details of an energy entry: charging,
 * battery health and load. Current bodies carry them under `extension.electric`; 2021–2023 bodies
 * put `charging` and `battery` directly in the Electric entry of the `energy[]` array.
 */
import { bool, isoDurationMinutes, num, obj, readIsoDuration, str, timeOf, withoutUndefined, type Json } from './statusJson';
import { readChargePrograms } from './chargeProgramReading';
import type { BatteryHealthState, BatteryLoadState, ChargingState, EnergyLevelState } from './vehicleStateTypes';

export function readEnergyLevel(entry: Json, now: Date): EnergyLevelState {
  return withoutUndefined({ ...timeOf(entry, now), level: num(entry.level), rangeKm: num(entry.autonomy) });
}

/** `extension.electric.<key>` (current shape), else `<key>` directly in the entry (2021–2023). */
function electricPart(entry: Json, key: 'charging' | 'battery'): Json | undefined {
  return obj(obj(obj(entry.extension)?.electric)?.[key]) ?? obj(entry[key]);
}

/** A sub-block's own time when it has one, else its energy entry's. */
function timeOfPart(part: Json, entry: Json, now: Date): ReturnType<typeof timeOf> {
  const own = timeOf(part, now);
  return own.at !== undefined ? own : timeOf(entry, now);
}

export function readCharging(entry: Json, now: Date): ChargingState | undefined {
  const charging = electricPart(entry, 'charging');
  if (!charging) return undefined;
  const remainingTime = str(charging.remainingTime);
  return withoutUndefined({
    ...timeOfPart(charging, entry, now),
    plugged: bool(charging.plugged),
    status: str(charging.status),
    mode: str(charging.chargingMode),
    remainingTime,
    remainingMinutes: isoDurationMinutes(remainingTime),
    remaining: readIsoDuration(remainingTime),
    nextDelayedTime: str(charging.nextDelayedTime),
    nextDelayed: readIsoDuration(charging.nextDelayedTime),
    rateKmPerHour: num(charging.chargingRate),
    powerLevel: str(charging.chargingPowerLevel),
    type: str(charging.type),
    programs: readChargePrograms(charging.schedule),
  });
}

export function readBatteryHealth(entry: Json, now: Date): BatteryHealthState | undefined {
  const health = obj(electricPart(entry, 'battery')?.health);
  if (!health) return undefined;
  const reading = withoutUndefined({ ...timeOfPart(health, entry, now), capacityPercent: num(health.capacity), resistancePercent: num(health.resistance) });
  return reading.capacityPercent === undefined && reading.resistancePercent === undefined ? undefined : reading;
}

const kwh = (wh: number | undefined): number | undefined => (wh === undefined ? undefined : wh / 1000);

export function readBatteryLoad(entry: Json, now: Date): BatteryLoadState | undefined {
  const load = obj(electricPart(entry, 'battery')?.load);
  if (!load) return undefined;
  const reading = withoutUndefined({ ...timeOfPart(load, entry, now), capacityKwh: kwh(num(load.capacity)), residualKwh: kwh(num(load.residual)) });
  return reading.capacityKwh === undefined && reading.residualKwh === undefined ? undefined : reading;
}

/** `energies` (current, array) and the legacy `energy` (object, or array in older answers). */
export function energyEntries(raw: Json): Json[] {
  const out: Json[] = [];
  for (const source of [raw.energies, raw.energy]) {
    const list = Array.isArray(source) ? source : source === undefined ? [] : [source];
    for (const item of list) {
      const entry = obj(item);
      if (entry) out.push(entry);
    }
  }
  return out;
}

export function isElectric(entry: Json): boolean {
  return entry.type === 'Electric' || entry.subType === 'ElectricEnergy';
}

export function isFuel(entry: Json): boolean {
  return entry.type === 'Fuel' && entry.subType !== 'ElectricEnergy';
}
