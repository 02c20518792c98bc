/**
 * The read-only faces of issue 13 on real HAP objects: the boot and "a window or the roof" as
 * ContactSensors, the 12 V battery as the low flag of a plug-in car's Battery and as a Battery of its
 * own on a thermal car. The simulator's car changes, one status read through the engine, and the
 * characteristics follow.
 */
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../src/simulator';
import { hap, HomebridgeRun, homeKitRead, removeTempDirs, startHomebridge, stopWithoutWarnings, subtypes, tempDir, value, waitFor } from './harness';

const { Characteristic: C, Service: S } = hap;

const EV = 'VEH-EV-0001';
const VAN = 'VEH-ICE-0002';
/** The built-in simulator makes a car without charging and battery a thermal one. */
const THERMAL = { charging: false, battery: false };

function config(vehicles: unknown[] = [{ id: EV, name: 'Car' }, { id: VAN, name: 'Van', features: THERMAL }], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { simulator: true, simulatorTimeScale: 0.002, lowBatteryThreshold: 10, vehicles, ...extra };
}

describe('Homebridge: boot, windows and 12 V battery', function () {
  this.timeout(20000);
  let run: HomebridgeRun | undefined;
  let sim: RunningSimulator;

  async function launch(cfg = config()): Promise<HomebridgeRun> {
    run = await startHomebridge({ storageDir: tempDir('sensors'), config: cfg });
    sim = run.platform.simulator!;
    await waitFor('the first status of each car', () => run!.platform.account!.stateOf(EV).doors !== undefined && run!.platform.account!.stateOf(VAN).doors !== undefined);
    return run;
  }

  /** One status read of the car through the engine (what a monitor or the periodic read would bring). */
  async function readStatus(vehicleId: string): Promise<void> {
    await run!.platform.account!.readStatus(vehicleId);
  }

  afterEach(() => stopWithoutWarnings(run));
  after(() => removeTempDirs());

  it('the boot and the windows are contact sensors that follow the openings the car reports', async () => {
    const r = await launch();
    const boot = r.service(EV, S.ContactSensor, 'boot');
    const windows = r.service(EV, S.ContactSensor, 'windows');
    assert.equal(value(boot, C.ConfiguredName), 'Car Boot');
    assert.equal(value(windows, C.ConfiguredName), 'Car Windows');
    assert.equal(value(boot, C.ContactSensorState), C.ContactSensorState.CONTACT_DETECTED, 'closed');
    assert.equal(value(boot, C.StatusActive), true, 'the car reports its boot');

    sim.control.setVehicle(EV, { openings: { Trunk: true } });
    await readStatus(EV);
    assert.equal(value(boot, C.ContactSensorState), C.ContactSensorState.CONTACT_NOT_DETECTED, 'boot open');
    assert.equal(await homeKitRead(boot, C.ContactSensorState), C.ContactSensorState.CONTACT_NOT_DETECTED);
    assert.equal(value(windows, C.ContactSensorState), C.ContactSensorState.CONTACT_DETECTED, 'the windows are still closed');

    sim.control.setVehicle(EV, { openings: { Trunk: false, RoofWindow: true } });
    await readStatus(EV);
    assert.equal(value(boot, C.ContactSensorState), C.ContactSensorState.CONTACT_DETECTED);
    assert.equal(value(windows, C.ContactSensorState), C.ContactSensorState.CONTACT_NOT_DETECTED, 'the roof is open');

    sim.control.setVehicle(EV, { openings: { RoofWindow: false, RearWindow: true } });
    await readStatus(EV);
    assert.equal(await homeKitRead(windows, C.ContactSensorState), C.ContactSensorState.CONTACT_NOT_DETECTED, 'the rear window is open');
  });

  it('the 12 V level: the low flag of an electric car\'s Battery, a Battery of its own on a thermal car, both under lowAuxBatteryPercent', async () => {
    const r = await launch(config(undefined, { lowAuxBatteryPercent: 60 }));
    const evBattery = r.service(EV, S.Battery, 'battery');
    sim.control.setVehicle(EV, { level: 80 });
    await readStatus(EV);
    assert.equal(value(evBattery, C.StatusLowBattery), C.StatusLowBattery.BATTERY_LEVEL_NORMAL);
    assert.equal(value(evBattery, C.BatteryLevel), 80, 'the traction level');
    sim.control.setVehicle(EV, { battery12v: 55 });
    await readStatus(EV);
    assert.equal(value(evBattery, C.StatusLowBattery), C.StatusLowBattery.BATTERY_LEVEL_LOW, '12 V under 60 %');
    assert.equal(value(evBattery, C.BatteryLevel), 80, 'still the traction level');
    assert.equal(r.accessory(EV).getServiceById(S.Battery, 'auxBattery'), undefined, 'one battery per electric car');

    const vanBattery = r.service(VAN, S.Battery, 'auxBattery');
    assert.equal(value(vanBattery, C.ConfiguredName), 'Van 12V Battery');
    assert.equal(value(vanBattery, C.ChargingState), C.ChargingState.NOT_CHARGEABLE);
    sim.control.setVehicle(VAN, { battery12v: 88 });
    await readStatus(VAN);
    assert.equal(value(vanBattery, C.BatteryLevel), 88);
    assert.equal(value(vanBattery, C.StatusLowBattery), C.StatusLowBattery.BATTERY_LEVEL_NORMAL);
    sim.control.setVehicle(VAN, { battery12v: 41 });
    await readStatus(VAN);
    assert.equal(await homeKitRead(vanBattery, C.BatteryLevel), 41);
    assert.equal(value(vanBattery, C.StatusLowBattery), C.StatusLowBattery.BATTERY_LEVEL_LOW);
  });

  it('features boot, windows and auxBattery switch each service off', async () => {
    const off = { boot: false, windows: false, auxBattery: false };
    const r = await launch(config([{ id: EV, name: 'Car', features: { boot: false, auxBattery: false } }, { id: VAN, name: 'Van', features: { ...THERMAL, ...off } }], { lowAuxBatteryPercent: 60 }));
    assert.deepEqual(subtypes(r.accessory(EV)), ['doors', 'climate', 'charging', 'battery', 'windows', 'plugged', 'alarm', 'chargeLimit', 'lights', 'horn', 'refresh'], 'the boot off, the windows kept');
    assert.deepEqual(subtypes(r.accessory(VAN)), ['doors', 'climate', 'alarm', 'lights', 'horn', 'refresh']);
    sim.control.setVehicle(EV, { battery12v: 20, level: 80 });
    await readStatus(EV);
    assert.equal(value(r.service(EV, S.Battery, 'battery'), C.StatusLowBattery), C.StatusLowBattery.BATTERY_LEVEL_NORMAL, 'the 12 V level is not shown');
  });
});
