/** The VehicleState -> HomeKit value mapping, and its numbers against HAP-NodeJS's own constants. */
import assert from 'node:assert/strict';
import {
  CHARGING_STATE,
  CONTACT,
  HEATING_COOLING,
  LOCK,
  LOW_BATTERY,
  STATUS_FAULT,
  batteryLevelOf,
  clampToRange,
  currentTemperatureOf,
  heatingCoolingCurrentOf,
  heatingCoolingTargetOf,
  isElectric,
  lockCurrentOf,
  lockTargetOf,
  lowBatteryOf,
  targetTemperatureOf,
} from '../../src/homebridge/hapValues';
import { homeKitName } from '../../src/homebridge/serviceKit';
import type { DoorLockState, VehicleState } from '../../src/stellantis/vehicleState';
import { hap } from './harness';

const { Characteristic: C } = hap;

function doors(lock: DoorLockState): VehicleState {
  return { doors: { lock, superLocked: false, lockedStates: [], openDoors: [] } };
}

describe('HomeKit values of a vehicle state', () => {
  it('uses the HAP numbers', () => {
    assert.deepEqual(LOCK, { UNSECURED: C.LockCurrentState.UNSECURED, SECURED: C.LockCurrentState.SECURED, JAMMED: C.LockCurrentState.JAMMED, UNKNOWN: C.LockCurrentState.UNKNOWN });
    assert.deepEqual(HEATING_COOLING, { OFF: C.TargetHeatingCoolingState.OFF, HEAT: C.TargetHeatingCoolingState.HEAT, COOL: C.TargetHeatingCoolingState.COOL, AUTO: C.TargetHeatingCoolingState.AUTO });
    assert.deepEqual(CHARGING_STATE, { NOT_CHARGING: C.ChargingState.NOT_CHARGING, CHARGING: C.ChargingState.CHARGING, NOT_CHARGEABLE: C.ChargingState.NOT_CHARGEABLE });
    assert.deepEqual(LOW_BATTERY, { NORMAL: C.StatusLowBattery.BATTERY_LEVEL_NORMAL, LOW: C.StatusLowBattery.BATTERY_LEVEL_LOW });
    assert.deepEqual(STATUS_FAULT, { NO_FAULT: C.StatusFault.NO_FAULT, GENERAL_FAULT: C.StatusFault.GENERAL_FAULT });
    assert.deepEqual(CONTACT, { DETECTED: C.ContactSensorState.CONTACT_DETECTED, NOT_DETECTED: C.ContactSensorState.CONTACT_NOT_DETECTED });
  });

  it('lock: locked is SECURED, unlocked or partly unlocked is UNSECURED, anything else UNKNOWN', () => {
    assert.equal(lockCurrentOf(doors('locked')), LOCK.SECURED);
    assert.equal(lockCurrentOf(doors('unlocked')), LOCK.UNSECURED);
    assert.equal(lockCurrentOf(doors('partly-unlocked')), LOCK.UNSECURED);
    assert.equal(lockCurrentOf(doors('unknown')), LOCK.UNKNOWN);
    assert.equal(lockCurrentOf({}), LOCK.UNKNOWN);
    assert.equal(lockTargetOf(doors('unknown')), undefined);
    assert.equal(lockTargetOf(doors('locked')), LOCK.SECURED);
  });

  it('preconditioning: HEAT or COOL while running (against the target temperature), OFF otherwise; AUTO/OFF targets; unknown stays unknown', () => {
    const running = (celsius?: number): VehicleState => ({
      preconditioning: { on: true, status: 'Enabled' },
      ...(celsius === undefined ? {} : { outsideTemperature: { celsius } }),
    });
    assert.equal(heatingCoolingCurrentOf(running(5), 20), HEATING_COOLING.HEAT);
    assert.equal(heatingCoolingCurrentOf(running(31), 20), HEATING_COOLING.COOL);
    assert.equal(heatingCoolingCurrentOf(running(), 20), HEATING_COOLING.HEAT);
    assert.equal(heatingCoolingCurrentOf({ preconditioning: { on: false } }, 20), HEATING_COOLING.OFF);
    assert.equal(heatingCoolingCurrentOf({}, 20), HEATING_COOLING.OFF);
    assert.equal(heatingCoolingTargetOf(running(5)), HEATING_COOLING.AUTO);
    assert.equal(heatingCoolingTargetOf({ preconditioning: { on: false } }), HEATING_COOLING.OFF);
    assert.equal(heatingCoolingTargetOf({}), undefined);
  });

  it('temperatures are always valid: 20 until known, clamped to the range, rounded to the step', () => {
    assert.equal(currentTemperatureOf({}, -270, 100), 20);
    assert.equal(currentTemperatureOf({ outsideTemperature: { celsius: 14.54 } }, -270, 100), 14.5);
    assert.equal(currentTemperatureOf({ outsideTemperature: { celsius: 150 } }, -270, 100), 100);
    assert.equal(currentTemperatureOf({ outsideTemperature: { celsius: -40 } }, 0, 100), 0);
    assert.equal(targetTemperatureOf(undefined), 20);
    assert.equal(targetTemperatureOf('hot'), 20);
    assert.equal(targetTemperatureOf(35), 30);
    assert.equal(targetTemperatureOf(9), 10);
    assert.equal(targetTemperatureOf(21.3), 21.5);
    assert.equal(clampToRange(Number.NaN, 10, 30), 10);
  });

  it('battery: level rounded and clamped, low only under the threshold and never when unknown', () => {
    assert.equal(batteryLevelOf({ battery: { level: 61.6 } }), 62);
    assert.equal(batteryLevelOf({ battery: { level: 104 } }), 100);
    assert.equal(batteryLevelOf({}), undefined);
    assert.equal(lowBatteryOf({ battery: { level: 19 } }, 20), LOW_BATTERY.LOW);
    assert.equal(lowBatteryOf({ battery: { level: 20 } }, 20), LOW_BATTERY.NORMAL);
    assert.equal(lowBatteryOf({}, 20), LOW_BATTERY.NORMAL);
  });

  it('electric when the status shows a traction battery or charging; thermal with fuel only; unknown otherwise', () => {
    assert.equal(isElectric({ battery: { level: 50 } }), true);
    assert.equal(isElectric({ charging: { plugged: true } }), true);
    assert.equal(isElectric({ fuel: { level: 50 }, battery: { level: 80 } }), true, 'plug-in hybrid');
    assert.equal(isElectric({ fuel: { level: 50 } }), false);
    assert.equal(isElectric({}), undefined);
  });

  it('HomeKit names: letters, digits, spaces and apostrophes, starting and ending with a letter or digit', () => {
    assert.equal(homeKitName('Peugeot e-208'), 'Peugeot e 208');
    assert.equal(homeKitName("  Anne's DS 7 (work) "), "Anne's DS 7 work");
    assert.equal(homeKitName('Citroën ë-C4!'), 'Citroën ë C4');
    assert.equal(homeKitName('🚗'), 'Car');
    assert.equal(homeKitName("'quoted'"), 'quoted');
    assert.equal(homeKitName('x'.repeat(100)).length, 64);
  });
});
