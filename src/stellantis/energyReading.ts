/** The energies (traction battery, fuel, the legacy `energy` name) and the charging block. */
import { bool, isoDurationMinutes, num, obj, str, timeOf, withoutUndefined, type Json } from './statusJson';
import type { ChargingState, EnergyLevelState } from './vehicleStateTypes';

export function readEnergyLevel(entry: Json, now: Date): EnergyLevelState {
  return withoutUndefined({ ...timeOf(entry, now), level: num(entry.level), rangeKm: num(entry.autonomy) });
}

export function readCharging(entry: Json, now: Date): ChargingState | undefined {
  const charging = obj(obj(obj(entry.extension)?.electric)?.charging);
  if (!charging) return undefined;
  const remainingTime = str(charging.remainingTime);
  return withoutUndefined({
    ...timeOf(charging.createdAt !== undefined || charging.updatedAt !== undefined ? charging : entry, now),
    plugged: bool(charging.plugged),
    status: str(charging.status),
    mode: str(charging.chargingMode),
    remainingTime,
    remainingMinutes: isoDurationMinutes(remainingTime),
    nextDelayedTime: str(charging.nextDelayedTime),
    rateKmPerHour: num(charging.chargingRate),
    powerLevel: str(charging.chargingPowerLevel),
    type: str(charging.type),
  });
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
