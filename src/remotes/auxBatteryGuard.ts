/**
 * The 12 V guard: a refresh wakes the car's modem on its 12 V battery, and owners drain that battery
 * with wake-up loops. While the last known 12 V level is under the threshold, a refresh is refused
 * before any call. An unknown level (the car never reported it) lets the refresh through.
 */
import type { VehicleState } from '../stellantis/vehicleState';
import { LOCAL_EXPLANATIONS, sentence } from './explanations';

export type AuxBatteryVerdict = { allowed: true } | { allowed: false; level: number; explanation: string };

/** `thresholdPercent` 0 turns the guard off. */
export function checkAuxBattery(state: VehicleState, thresholdPercent: number): AuxBatteryVerdict {
  const level = state.battery12v?.level;
  if (level === undefined || !(level < thresholdPercent)) return { allowed: true };
  return {
    allowed: false,
    level,
    explanation: `${sentence(LOCAL_EXPLANATIONS.auxBatteryLow)} (12 V battery at ${level} %, lowAuxBatteryPercent ${thresholdPercent} %)`,
  };
}
