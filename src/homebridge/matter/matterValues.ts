/**
 * VehicleState -> Matter attribute values (Matter 1.x cluster specification numbers, checked against
 * matter.js's enums in test/homebridge/matterValues.test.ts). Pure functions; what the car never
 * reported stays unknown (null) where Matter has an unknown, else shows the quiet value (closed,
 * not occupied), never a guessed alarm.
 */
import type { VehicleState } from '../../stellantis/vehicleState';
import { atHome, pluggedIn } from '../functions/senseSensors';
import { batteryLevelOf, bootOpen, chargingOn, lowBatteryOf, windowsOpen } from '../hapValues';

/** DoorLock.LockState. */
export const LOCK_STATE = { NOT_FULLY_LOCKED: 0, LOCKED: 1, UNLOCKED: 2 } as const;
/** DoorLock.LockType: Other (a car's central locking is none of the door kinds). */
export const LOCK_TYPE_OTHER = 2;
/** DoorLock.OperatingMode: Normal. */
export const OPERATING_MODE_NORMAL = 0;
/** PowerSource.PowerSourceStatus, .BatChargeLevel, .BatChargeState. */
export const POWER_SOURCE_STATUS = { ACTIVE: 1 } as const;
export const BAT_CHARGE_LEVEL = { OK: 0, WARNING: 1 } as const;
export const BAT_CHARGE_STATE = { UNKNOWN: 0, IS_CHARGING: 1, IS_NOT_CHARGING: 3 } as const;

/** OccupancySensing.OccupancySensorType the senses have (matter.js derives it from the PhysicalContact feature). */
export const OCCUPANCY_SENSOR_TYPE_PHYSICAL_CONTACT = 3;

/** FanControl.FanMode and .FanModeSequence (OffHigh: the fan is off or on, its percentage is the limit). */
export const FAN_MODE = { OFF: 0, HIGH: 3 } as const;
export const FAN_MODE_SEQUENCE_OFF_HIGH = 5;

export type MatterLockState = (typeof LOCK_STATE)[keyof typeof LOCK_STATE];

/** Matter's lockState: null until the car has reported its doors; a partly unlocked car is not fully locked. */
export function matterLockStateOf(state: VehicleState): MatterLockState | null {
  switch (state.doors?.lock) {
    case 'locked':
      return LOCK_STATE.LOCKED;
    case 'unlocked':
      return LOCK_STATE.UNLOCKED;
    case 'partly-unlocked':
      return LOCK_STATE.NOT_FULLY_LOCKED;
    default:
      return null;
  }
}

/** The traction battery as PowerSource attributes (batPercentRemaining is in half percents). */
export function powerSourceOf(state: VehicleState, lowThreshold: number, description: string): Record<string, unknown> {
  const level = batteryLevelOf(state);
  const charging = chargingOn(state);
  return {
    status: POWER_SOURCE_STATUS.ACTIVE,
    order: 0,
    description,
    batPercentRemaining: level === undefined ? null : level * 2,
    batChargeLevel: lowBatteryOf(state, lowThreshold) === 1 ? BAT_CHARGE_LEVEL.WARNING : BAT_CHARGE_LEVEL.OK,
    batReplaceability: 1, // NotReplaceable
    batChargeState: charging === undefined ? BAT_CHARGE_STATE.UNKNOWN : charging ? BAT_CHARGE_STATE.IS_CHARGING : BAT_CHARGE_STATE.IS_NOT_CHARGING,
    batFunctionalWhileCharging: true,
  };
}

export type MatterOpening = 'boot' | 'windows';
export type MatterSense = 'home' | 'plugged';

/**
 * BooleanState.stateValue of a ContactSensor: true is contact, i.e. closed. An opening the car has
 * not reported shows closed, as over HAP (Matter has no "unknown" for it).
 */
export function matterContactOf(state: VehicleState, opening: MatterOpening): boolean {
  const open = opening === 'boot' ? bootOpen(state) : windowsOpen(state);
  return open !== true;
}

/** OccupancySensing.occupancy: occupied only when the car has said so (at home, plugged in). */
export function matterOccupancyOf(state: VehicleState, sense: MatterSense): { occupied: boolean } {
  const value = sense === 'home' ? atHome(state) : pluggedIn(state);
  return { occupied: value === true };
}

/** The charge limit as FanControl attributes: the percentage, or off (0 %) when no limit is kept. */
export function matterFanOf(limit: number | undefined): { fanMode: number; percentSetting: number; percentCurrent: number } {
  const percent = limit ?? 0;
  return { fanMode: limit === undefined ? FAN_MODE.OFF : FAN_MODE.HIGH, percentSetting: percent, percentCurrent: percent };
}

/**
 * What a controller's percentSetting asks for, as HAP's slider: 0 is no limit, under the lowest
 * limit the lowest, null (a fan's "auto") nothing; undefined: nothing to change.
 */
export function chargeLimitAsked(percentSetting: unknown, min: number, max: number): number | null | undefined {
  if (typeof percentSetting !== 'number' || !Number.isFinite(percentSetting)) return undefined;
  const asked = Math.round(percentSetting);
  return asked <= 0 ? null : Math.min(max, Math.max(min, asked));
}
