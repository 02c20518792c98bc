/**
 * The Matter numbers the plugin pushes, checked against matter.js's own enums (Homebridge 2 legs,
 * where matter.js is in the host modules folder), and the mapping from the car's state.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { hostModulesDir, hostVersion } from '../helpers/hostModules';
import {
  BAT_CHARGE_LEVEL,
  BAT_CHARGE_STATE,
  FAN_MODE,
  FAN_MODE_SEQUENCE_OFF_HIGH,
  chargeLimitAsked,
  matterFanOf,
  LOCK_STATE,
  LOCK_TYPE_OTHER,
  OCCUPANCY_SENSOR_TYPE_PHYSICAL_CONTACT,
  OPERATING_MODE_NORMAL,
  matterContactOf,
  matterLockStateOf,
  matterOccupancyOf,
  powerSourceOf,
} from '../../src/homebridge/matter/matterValues';

import type { DoorLockState, OpeningPosition, VehicleState } from '../../src/stellantis/vehicleState';

type Enum = Record<string, number>;
const doors = (lock: DoorLockState): VehicleState => ({ doors: { lock, superLocked: false, lockedStates: [], openDoors: [] } });
const openings = (byId: Record<string, OpeningPosition>): VehicleState => ({ openings: { byId } });
interface Clusters {
  DoorLock: { LockState: Enum; LockType: Enum; OperatingMode: Enum };
  PowerSource: { BatChargeLevel: Enum; BatChargeState: Enum; BatReplaceability: Enum; PowerSourceStatus: Enum };
  OccupancySensing: { OccupancySensorType: Enum };
  FanControl: { FanMode: Enum; FanModeSequence: Enum };
}

describe('Matter values', () => {
  it('maps the car state: unknown doors are null, partly unlocked is not fully locked, the battery in half percents', () => {
    assert.equal(matterLockStateOf({}), null);
    assert.equal(matterLockStateOf(doors('locked')), LOCK_STATE.LOCKED);
    assert.equal(matterLockStateOf(doors('unlocked')), LOCK_STATE.UNLOCKED);
    assert.equal(matterLockStateOf(doors('partly-unlocked')), LOCK_STATE.NOT_FULLY_LOCKED);
    const low = powerSourceOf({ battery: { level: 15 }, charging: { status: 'InProgress' } }, 20, 'Car Battery');
    assert.equal(low.batPercentRemaining, 30);
    assert.equal(low.batChargeLevel, BAT_CHARGE_LEVEL.WARNING);
    assert.equal(low.batChargeState, BAT_CHARGE_STATE.IS_CHARGING);
    const unknown = powerSourceOf({}, 20, 'Car Battery');
    assert.equal(unknown.batPercentRemaining, null);
    assert.equal(unknown.batChargeLevel, BAT_CHARGE_LEVEL.OK);
    assert.equal(unknown.batChargeState, BAT_CHARGE_STATE.UNKNOWN);
  });

  it('the boot and the windows: stateValue true (contact) when closed, and when the car never reported them', () => {
    assert.equal(matterContactOf({}, 'boot'), true, 'unknown shows closed');
    assert.equal(matterContactOf({}, 'windows'), true);
    assert.equal(matterContactOf(openings({ Trunk: 'open' }), 'boot'), false, 'boot open: no contact');
    assert.equal(matterContactOf(openings({ Trunk: 'open' }), 'windows'), true, 'no window reported: closed');
    assert.equal(matterContactOf(openings({ Trunk: 'closed', Driver: 'open' }), 'boot'), true, 'a door is not the boot');
    assert.equal(matterContactOf(openings({ RearWindow: 'closed', RoofWindow: 'open' }), 'windows'), false, 'the roof counts');
    assert.equal(matterContactOf(openings({ RearWindow: 'closed', RoofWindow: 'closed' }), 'windows'), true);
    assert.equal(matterContactOf(openings({ SideWindow: 'open' }), 'windows'), false, 'a window the spec does not name counts too');
    assert.equal(matterContactOf(openings({ Trunk: 'closed', RearWindow: 'open' }), 'boot'), true);
  });

  it('at home and plugged in: occupied only when the car said so', () => {
    assert.deepEqual(matterOccupancyOf({}, 'home'), { occupied: false }, 'unknown: not occupied');
    assert.deepEqual(matterOccupancyOf({}, 'plugged'), { occupied: false });
    assert.deepEqual(matterOccupancyOf({ home: { inside: true } }, 'home'), { occupied: true });
    assert.deepEqual(matterOccupancyOf({ home: { inside: false, distanceM: 900 } }, 'home'), { occupied: false });
    assert.deepEqual(matterOccupancyOf({ home: { inside: true } }, 'plugged'), { occupied: false }, 'home is not the plug');
    assert.deepEqual(matterOccupancyOf({ charging: { plugged: true } }, 'plugged'), { occupied: true });
    assert.deepEqual(matterOccupancyOf({ charging: { plugged: false, status: 'Disconnected' } }, 'plugged'), { occupied: false });
    assert.deepEqual(matterOccupancyOf({ charging: { status: 'InProgress' } }, 'plugged'), { occupied: false }, 'a status without the plug flag is not a guess');
  });

  it('the charge limit as a fan: off at 0 % without a limit; a write read as HAP reads its slider', () => {
    assert.deepEqual(matterFanOf(undefined), { fanMode: FAN_MODE.OFF, percentSetting: 0, percentCurrent: 0 });
    assert.deepEqual(matterFanOf(80), { fanMode: FAN_MODE.HIGH, percentSetting: 80, percentCurrent: 80 });
    assert.equal(chargeLimitAsked(0, 20, 100), null, '0 %: no limit');
    assert.equal(chargeLimitAsked(10, 20, 100), 20, 'under the lowest: the lowest');
    assert.equal(chargeLimitAsked(79.6, 20, 100), 80);
    assert.equal(chargeLimitAsked(100, 20, 100), 100);
    assert.equal(chargeLimitAsked(null, 20, 100), undefined, "a fan's auto (null): nothing to change");
    assert.equal(chargeLimitAsked('80', 20, 100), undefined);
  });

  it("are matter.js's own enum values", function () {
    if (Number(hostVersion('homebridge').split('.')[0]) < 2) this.skip(); // matter.js comes with the Homebridge 2 legs
    const clusters = createRequire(path.join(hostModulesDir(), 'noop.js'))('@matter/main/clusters') as Clusters;
    const { DoorLock, PowerSource, OccupancySensing, FanControl } = clusters;
    assert.deepEqual([FAN_MODE.OFF, FAN_MODE.HIGH, FAN_MODE_SEQUENCE_OFF_HIGH], [FanControl.FanMode.Off, FanControl.FanMode.High, FanControl.FanModeSequence.OffHigh]);
    assert.equal(OCCUPANCY_SENSOR_TYPE_PHYSICAL_CONTACT, OccupancySensing.OccupancySensorType.PhysicalContact);
    assert.deepEqual(
      [LOCK_STATE.NOT_FULLY_LOCKED, LOCK_STATE.LOCKED, LOCK_STATE.UNLOCKED, LOCK_TYPE_OTHER, OPERATING_MODE_NORMAL],
      [DoorLock.LockState.NotFullyLocked, DoorLock.LockState.Locked, DoorLock.LockState.Unlocked, DoorLock.LockType.Other, DoorLock.OperatingMode.Normal],
    );
    const ps = powerSourceOf({ battery: { level: 50 }, charging: { status: 'Stopped' } }, 20, 'x');
    assert.deepEqual(
      [ps.status, ps.batReplaceability, BAT_CHARGE_LEVEL.OK, BAT_CHARGE_LEVEL.WARNING, BAT_CHARGE_STATE.UNKNOWN, BAT_CHARGE_STATE.IS_CHARGING, ps.batChargeState],
      [PowerSource.PowerSourceStatus.Active, PowerSource.BatReplaceability.NotReplaceable, PowerSource.BatChargeLevel.Ok, PowerSource.BatChargeLevel.Warning, PowerSource.BatChargeState.Unknown, PowerSource.BatChargeState.IsCharging, PowerSource.BatChargeState.IsNotCharging],
    );
  });
});
