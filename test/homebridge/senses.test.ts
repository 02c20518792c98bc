/**
 * The senses of issue 14 on real HAP objects, pushed by the monitors (no status read in the test):
 * "Car at Home" follows the home zone, "Car Plugged In" the plug, "Car Alarm" goes off on a trigger,
 * and the boot's contact sensor follows an opening the state monitor pushes.
 */
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../src/simulator';
import { hap, HomebridgeRun, removeTempDirs, startHomebridge, stopWithoutWarnings, tempDir, value, waitFor } from './harness';

const { Characteristic: C, Service: S } = hap;
const EV = 'VEH-EV-0001';
const HOME = { lat: 45.75, lon: 4.85 };

describe('Homebridge: the senses the monitors push', function () {
  this.timeout(20000);
  let run: HomebridgeRun | undefined;
  let sim: RunningSimulator;

  afterEach(() => stopWithoutWarnings(run));
  after(() => removeTempDirs());

  it('at home, plugged in, alarm and boot follow the monitor events, without a status read', async () => {
    run = await startHomebridge({
      storageDir: tempDir('senses'),
      config: { simulator: true, simulatorTimeScale: 0.002, vehicles: [{ id: EV, name: 'Car', home: { ...HOME, radiusM: 150 } }] },
    });
    sim = run.platform.simulator!;
    const account = run.platform.account!;
    await waitFor('the monitors', () => (account.monitorsOf?.(EV).monitors ?? []).every((m) => m.monitorId !== undefined) && account.stateOf(EV).doors !== undefined);
    const home = run.service(EV, S.OccupancySensor, 'home');
    const plugged = run.service(EV, S.OccupancySensor, 'plugged');
    const alarm = run.service(EV, S.SecuritySystem, 'alarm');
    const boot = run.service(EV, S.ContactSensor, 'boot');
    assert.equal(value(home, C.ConfiguredName), 'Car at Home');
    const reads = () => sim.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/status')).length;
    const readsBefore = reads();

    sim.control.setVehicle(EV, { position: HOME });
    await waitFor('arrived', () => value(home, C.OccupancyDetected) === C.OccupancyDetected.OCCUPANCY_DETECTED);
    sim.control.setVehicle(EV, { position: { lat: HOME.lat + 0.1, lon: HOME.lon } });
    await waitFor('left', () => value(home, C.OccupancyDetected) === C.OccupancyDetected.OCCUPANCY_NOT_DETECTED);

    sim.control.setVehicle(EV, { plugged: false, charging: false });
    await waitFor('unplugged', () => value(plugged, C.OccupancyDetected) === C.OccupancyDetected.OCCUPANCY_NOT_DETECTED);
    sim.control.setVehicle(EV, { plugged: true });
    await waitFor('plugged in', () => value(plugged, C.OccupancyDetected) === C.OccupancyDetected.OCCUPANCY_DETECTED);

    sim.control.setVehicle(EV, { alarmActive: true });
    await waitFor('armed', () => value(alarm, C.SecuritySystemCurrentState) === C.SecuritySystemCurrentState.AWAY_ARM);
    sim.control.setVehicle(EV, { alarmTrigger: 'VolumetricBreakIn' });
    await waitFor('going off', () => value(alarm, C.SecuritySystemCurrentState) === C.SecuritySystemCurrentState.ALARM_TRIGGERED);
    assert.ok(!alarm.getCharacteristic(C.SecuritySystemTargetState).props.perms.includes(hap.Perms.PAIRED_WRITE), 'the car cannot be armed from HomeKit');

    sim.control.setVehicle(EV, { openings: { Trunk: true } });
    await waitFor('boot open', () => value(boot, C.ContactSensorState) === C.ContactSensorState.CONTACT_NOT_DETECTED);
    assert.equal(reads(), readsBefore, 'every change pushed, none read');
  });
});
