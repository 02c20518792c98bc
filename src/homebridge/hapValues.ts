/**
 * VehicleState -> HomeKit characteristic values. Pure functions: every value they return is valid
 * for its characteristic, and what the car never reported is shown as unknown or a neutral default,
 * never guessed. The numbers are the HAP specification's (test/homebridge checks them against
 * hap-nodejs), kept here so the mapping needs no HAP object to be read or tested.
 */
import type { VehicleState } from '../stellantis/vehicleState';

export const LOCK = { UNSECURED: 0, SECURED: 1, JAMMED: 2, UNKNOWN: 3 } as const;
export const HEATING_COOLING = { OFF: 0, HEAT: 1, COOL: 2, AUTO: 3 } as const;
export const CHARGING_STATE = { NOT_CHARGING: 0, CHARGING: 1, NOT_CHARGEABLE: 2 } as const;
export const LOW_BATTERY = { NORMAL: 0, LOW: 1 } as const;
export const STATUS_FAULT = { NO_FAULT: 0, GENERAL_FAULT: 1 } as const;

/** Target temperature range offered by the thermostat (kept, never sent: the API takes no temperature). */
export const TARGET_TEMPERATURE = { min: 10, max: 30, step: 0.5, default: 20 } as const;
/** Shown as current temperature until the car reports its outside temperature. */
export const DEFAULT_CURRENT_TEMPERATURE = 20;

export type LockValue = (typeof LOCK)[keyof typeof LOCK];
export type LockTarget = typeof LOCK.UNSECURED | typeof LOCK.SECURED;

/** Current lock state: unknown stays UNKNOWN; a partly unlocked car is not secured. */
export function lockCurrentOf(state: VehicleState): LockValue {
  switch (state.doors?.lock) {
    case 'locked':
      return LOCK.SECURED;
    case 'unlocked':
    case 'partly-unlocked':
      return LOCK.UNSECURED;
    default:
      return LOCK.UNKNOWN;
  }
}

/** The target a known current state implies (undefined when the lock state is unknown). */
export function lockTargetOf(state: VehicleState): LockTarget | undefined {
  const current = lockCurrentOf(state);
  return current === LOCK.SECURED || current === LOCK.UNSECURED ? current : undefined;
}

/** True while preconditioning runs; undefined when the car never said. */
export function preconditioningOn(state: VehicleState): boolean | undefined {
  return state.preconditioning?.on;
}

/**
 * Current heating/cooling state: OFF unless preconditioning runs; while it runs, HEAT when the
 * outside is colder than the target temperature, else COOL (the car decides; this is the likely one).
 */
export function heatingCoolingCurrentOf(state: VehicleState, targetTemperature: number): number {
  if (preconditioningOn(state) !== true) return HEATING_COOLING.OFF;
  const outside = state.outsideTemperature?.celsius;
  if (outside === undefined) return HEATING_COOLING.HEAT;
  return outside < targetTemperature ? HEATING_COOLING.HEAT : HEATING_COOLING.COOL;
}

/** Target heating/cooling state the car's status implies: AUTO while running, else OFF (undefined: unknown). */
export function heatingCoolingTargetOf(state: VehicleState): number | undefined {
  const on = preconditioningOn(state);
  if (on === undefined) return undefined;
  return on ? HEATING_COOLING.AUTO : HEATING_COOLING.OFF;
}

/** Clamps to [min, max] and rounds to the step (HAP rejects values outside the props). */
export function clampToRange(value: number, min: number, max: number, step?: number): number {
  const finite = Number.isFinite(value) ? value : min;
  const clamped = Math.min(max, Math.max(min, finite));
  if (step === undefined || step <= 0) return clamped;
  const stepped = Math.round((clamped - min) / step) * step + min;
  return Math.min(max, Math.max(min, Number(stepped.toFixed(6))));
}

export function currentTemperatureOf(state: VehicleState, min: number, max: number): number {
  return clampToRange(state.outsideTemperature?.celsius ?? DEFAULT_CURRENT_TEMPERATURE, min, max, 0.1);
}

export function targetTemperatureOf(stored: unknown): number {
  const value = typeof stored === 'number' && Number.isFinite(stored) ? stored : TARGET_TEMPERATURE.default;
  return clampToRange(value, TARGET_TEMPERATURE.min, TARGET_TEMPERATURE.max, TARGET_TEMPERATURE.step);
}

/** The car is electric (or plug-in hybrid) when it reports a traction battery or charging data. */
export function isElectric(state: VehicleState): boolean | undefined {
  if (state.battery !== undefined || state.charging !== undefined) return true;
  if (state.fuel !== undefined) return false;
  return undefined;
}

/** Charging switch: on while the car charges. */
export function chargingOn(state: VehicleState): boolean | undefined {
  const status = state.charging?.status;
  if (status === undefined) return undefined;
  return status === 'InProgress';
}

export function batteryLevelOf(state: VehicleState): number | undefined {
  const level = state.battery?.level;
  return level === undefined ? undefined : Math.round(clampToRange(level, 0, 100));
}

export function chargingStateOf(state: VehicleState): number {
  return chargingOn(state) === true ? CHARGING_STATE.CHARGING : CHARGING_STATE.NOT_CHARGING;
}

/** LOW under the threshold; NORMAL when the level is unknown (never guessed low). */
export function lowBatteryOf(state: VehicleState, threshold: number): number {
  const level = batteryLevelOf(state);
  return level !== undefined && level < threshold ? LOW_BATTERY.LOW : LOW_BATTERY.NORMAL;
}

export const CONTACT = { DETECTED: 0, NOT_DETECTED: 1 } as const;

/** Openings a "window or roof" sensor watches: the spec's RearWindow and RoofWindow, and any other *Window a car sends. */
export function isWindowOpening(id: string): boolean {
  return /window$/i.test(id);
}

/** Open, closed, or undefined when the car never reported any of these openings. */
function openingsOpen(state: VehicleState, watched: (id: string) => boolean): boolean | undefined {
  const reported = Object.entries(state.openings?.byId ?? {}).filter(([id]) => watched(id));
  if (reported.length === 0) return undefined;
  return reported.some(([, position]) => position === 'open');
}

export function bootOpen(state: VehicleState): boolean | undefined {
  return openingsOpen(state, (id) => id === 'Trunk');
}

export function windowsOpen(state: VehicleState): boolean | undefined {
  return openingsOpen(state, isWindowOpening);
}

/** ContactSensorState: NOT_DETECTED (no contact) when open; an unknown opening shows closed, with StatusActive false. */
export function contactOf(open: boolean | undefined): number {
  return open === true ? CONTACT.NOT_DETECTED : CONTACT.DETECTED;
}

/** The 12 V battery's level (0..100), undefined until the car reports it. */
export function auxBatteryLevelOf(state: VehicleState): number | undefined {
  const level = state.battery12v?.level;
  return level === undefined ? undefined : Math.round(clampToRange(level, 0, 100));
}

/** True when the 12 V level is known and under the threshold (lowAuxBatteryPercent, the refresh guard's own). */
export function auxBatteryLow(state: VehicleState, threshold: number): boolean {
  const level = state.battery12v?.level;
  return level !== undefined && level < threshold;
}
