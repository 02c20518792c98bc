/**
 * The platform loaded as Homebridge loads it (real HomebridgeAPI, PlatformAccessory, HAP-NodeJS
 * services and characteristics), with the engine and the built-in simulator underneath. HomeKit
 * reads and writes go through the same characteristic entry points HAP's server calls.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { PlatformAccessory, Service } from 'homebridge';
import type { SerializedPlatformAccessory } from 'homebridge/lib/platformAccessory';
import type { RunningSimulator } from '../../src/simulator';
import { hap, HomebridgeRun, homeKitRead, homeKitWrite, removeTempDirs, startHomebridge, stopWithoutWarnings, subtypes, tempDir, value, waitFor } from './harness';
import { callsMatching, REMOTE_POSTS, sleep } from '../helpers/simulator';
import { inHomebridgeTerms } from '../../src/homebridge/homebridgeTerms';

const { Characteristic: C, Service: S } = hap;

const EV = 'VEH-EV-0001';
const VAN = 'VEH-ICE-0002';
const EV_VIN = 'VR3UHZKXZLT000001';

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    simulator: true,
    simulatorTimeScale: 0.002,
    lowBatteryThreshold: 70,
    vehicles: [
      { id: EV, name: 'Car', model: 'e-208', vin: EV_VIN, destinations: [{ name: 'Work', points: [{ lat: 48.8566, lon: 2.3522 }] }] },
      { id: VAN, name: 'Van', features: { charging: false, battery: false } },
    ],
    ...overrides,
  };
}

const packageVersion = (JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;

function remotePosts(sim: RunningSimulator, vehicleId?: string): number {
  return callsMatching(sim, REMOTE_POSTS).filter((c) => vehicleId === undefined || c.path.includes(vehicleId)).length;
}

function lastRemoteBody(sim: RunningSimulator): unknown {
  return callsMatching(sim, REMOTE_POSTS).at(-1)?.body;
}

function configuredName(service: Service): unknown {
  return service.getCharacteristic(C.ConfiguredName).value;
}

describe('Homebridge platform', function () {
  this.timeout(20000);
  let run: HomebridgeRun | undefined;
  let sim: RunningSimulator;

  async function launch(cfg = config(), storageDir = tempDir('platform'), cache: SerializedPlatformAccessory[] = []): Promise<HomebridgeRun> {
    run = await startHomebridge({ storageDir, config: cfg, cache });
    const running = run.platform.simulator;
    assert.ok(running, 'the simulator runs');
    sim = running;
    return run;
  }

  afterEach(() => stopWithoutWarnings(run));
  after(() => removeTempDirs());

  it('creates one accessory per vehicle in one batch, each function a named service, information from the car', async () => {
    const r = await launch();
    assert.equal(r.registerCalls.length, 1, 'one registerPlatformAccessories call');
    assert.equal(r.registerCalls[0].length, 2);
    const car = r.accessory(EV);
    const van = r.accessory(VAN);
    assert.deepEqual(subtypes(car), ['doors', 'climate', 'charging', 'battery', 'boot', 'windows', 'plugged', 'alarm', 'chargeLimit', 'lights', 'horn', 'refresh', 'navigate:work']);
    assert.deepEqual(subtypes(van), ['doors', 'climate', 'boot', 'windows', 'alarm', 'lights', 'horn', 'refresh', 'auxBattery']);
    const names = car.services.filter((s) => s.subtype).map(configuredName);
    assert.deepEqual(names, ['Car Doors', 'Car Climate', 'Car Charging', 'Car Battery', 'Car Boot', 'Car Windows', 'Car Plugged In', 'Car Alarm', 'Car Charge Limit', 'Car Lights', 'Car Horn', 'Car Refresh', 'Navigate Car to Work']);
    for (const s of car.services.filter((x) => x.subtype)) assert.equal(value(s, C.Name), configuredName(s));
    assert.equal(r.service(EV, S.LockMechanism, 'doors').isPrimaryService, true);

    const info = car.getService(S.AccessoryInformation)!;
    assert.equal(value(info, C.Manufacturer), 'Peugeot');
    assert.equal(value(info, C.Model), 'e-208');
    assert.equal(value(info, C.SerialNumber), EV_VIN);
    assert.equal(value(info, C.FirmwareRevision), packageVersion);
    assert.equal(value(van.getService(S.AccessoryInformation)!, C.SerialNumber), VAN, 'no VIN: the vehicle id');
    assert.equal(r.log.at('error', 'warn').length, 0, r.log.at('error', 'warn').join('\n'));
  });

  it('a lock write returns at once, costs one API call, and the current state follows the car', async () => {
    const r = await launch();
    const lock = r.service(EV, S.LockMechanism, 'doors');
    await waitFor('the first status', () => value(lock, C.LockCurrentState) === C.LockCurrentState.SECURED);
    const before = remotePosts(sim);

    sim.control.delayNext(1, 1000); // the API answers the POST after 1 s: the write must not wait for it
    const took = await homeKitWrite(lock, C.LockTargetState, C.LockTargetState.UNSECURED);
    assert.ok(took < 500, `the write returned in ${took.toFixed(1)} ms`);
    assert.equal(value(lock, C.LockTargetState), C.LockTargetState.UNSECURED, 'the target is shown at once');
    assert.equal(value(lock, C.LockCurrentState), C.LockCurrentState.SECURED, 'the current state waits for the car');
    await waitFor('the car to unlock', () => value(lock, C.LockCurrentState) === C.LockCurrentState.UNSECURED);
    assert.equal(sim.vehicle(EV).locked, false);
    assert.equal(remotePosts(sim) - before, 1);
    assert.deepEqual((lastRemoteBody(sim) as { door: unknown }).door, { state: 'Unlocked' });

    // Three presses while the first one runs: one API call.
    for (let i = 0; i < 3; i++) await homeKitWrite(lock, C.LockTargetState, C.LockTargetState.SECURED);
    await waitFor('the car to lock', () => value(lock, C.LockCurrentState) === C.LockCurrentState.SECURED);
    assert.equal(remotePosts(sim) - before, 2);
    assert.equal(value(lock, C.LockTargetState), C.LockTargetState.SECURED);
    assert.equal(value(lock, C.StatusFault), C.StatusFault.NO_FAULT);
  });

  it('a failed lock puts the target back, raises StatusFault and logs one line with the cause and what to do', async () => {
    const r = await launch();
    const lock = r.service(EV, S.LockMechanism, 'doors');
    await waitFor('the first status', () => value(lock, C.LockCurrentState) === C.LockCurrentState.SECURED);
    sim.control.setVehicle(EV, { locked: false, doorsOpen: true });
    await waitFor('the monitor to report the car unlocked', () => value(lock, C.LockCurrentState) === C.LockCurrentState.UNSECURED);
    assert.equal(value(lock, C.LockTargetState), C.LockTargetState.UNSECURED, 'the target follows a change made outside HomeKit');
    const before = remotePosts(sim);
    const errorsBefore = r.log.at('error', 'warn').length;

    await homeKitWrite(lock, C.LockTargetState, C.LockTargetState.SECURED);
    assert.equal(value(lock, C.LockTargetState), C.LockTargetState.SECURED);
    await waitFor('the fault', () => value(lock, C.StatusFault) === C.StatusFault.GENERAL_FAULT);
    assert.equal(value(lock, C.LockTargetState), C.LockTargetState.UNSECURED, 'target back to the current state');
    assert.equal(value(lock, C.LockCurrentState), C.LockCurrentState.UNSECURED);
    assert.equal(remotePosts(sim) - before, 1);
    const lines = r.log.at('error', 'warn').slice(errorsBefore);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /^Car Doors: could not lock the doors: .*door.*open.*close the doors/i);

    // The next success clears the fault.
    sim.control.setVehicle(EV, { doorsOpen: false });
    await homeKitWrite(lock, C.LockTargetState, C.LockTargetState.SECURED);
    await waitFor('the car to lock', () => value(lock, C.LockCurrentState) === C.LockCurrentState.SECURED);
    assert.equal(value(lock, C.StatusFault), C.StatusFault.NO_FAULT);
  });

  it('shows the lock as UNKNOWN until the car reports it, and drops charging and battery from a car that burns fuel', async () => {
    // No vehicle configured: the simulator's two demo cars (an e-208 and a thermal 308) with default features.
    const r = new HomebridgeRun(tempDir('fresh'));
    run = r;
    const atRegistration: Array<{ lock: unknown; subtypes: string[] }> = [];
    r.events.on('registerPlatformAccessories', (accessories: PlatformAccessory[]) => {
      for (const a of accessories) {
        atRegistration.push({ lock: value(a.getServiceById(S.LockMechanism, 'doors')!, C.LockCurrentState), subtypes: subtypes(a) });
      }
    });
    await r.start({ simulator: true, simulatorTimeScale: 0.002 });
    sim = r.platform.simulator!;
    assert.deepEqual(atRegistration.map((a) => a.lock), [C.LockCurrentState.UNKNOWN, C.LockCurrentState.UNKNOWN], 'nothing known yet: not guessed');
    assert.ok(atRegistration[1].subtypes.includes('battery'), 'kind not known yet');
    const [ev, thermal] = sim.vehicles;
    assert.equal(thermal.kind, 'thermal');
    assert.equal(value(r.service(ev.id, S.LockMechanism, 'doors'), C.LockCurrentState), C.LockCurrentState.SECURED);
    assert.deepEqual(subtypes(r.accessory(ev.id)), ['doors', 'climate', 'charging', 'battery', 'boot', 'windows', 'plugged', 'alarm', 'chargeLimit', 'lights', 'horn', 'refresh']);
    assert.deepEqual(subtypes(r.accessory(thermal.id)), ['doors', 'climate', 'boot', 'windows', 'alarm', 'lights', 'horn', 'refresh', 'auxBattery']);
    assert.equal(r.accessory(thermal.id).displayName, 'Peugeot 308');
    assert.equal(configuredName(r.service(ev.id, S.LockMechanism, 'doors')), 'Peugeot e 208 Doors', 'a valid HomeKit name');
  });

  it('every switch change costs one API call; momentary switches turn off when the action ends', async () => {
    const r = await launch();
    const posts = (): number => remotePosts(sim, EV);
    await waitFor('the first status', () => value(r.service(EV, S.LockMechanism, 'doors'), C.LockCurrentState) === C.LockCurrentState.SECURED);

    for (const [subtype, body] of [
      ['horn', { horn: { state: 'Activated' } }],
      ['lights', { lights: { on: true } }],
      ['navigate:work', { navigation: { positions: [{ type: 'Point', coordinates: [2.3522, 48.8566] }] } }],
    ] as const) {
      const sw = r.service(EV, S.Switch, subtype);
      const before = posts();
      const took = await homeKitWrite(sw, C.On, true);
      assert.ok(took < 200, `${subtype}: ${took.toFixed(1)} ms`);
      assert.equal(await homeKitRead(sw, C.On), true, `${subtype} shows on while it runs`);
      await waitFor(`${subtype} to end`, () => value(sw, C.On) === false);
      assert.equal(posts() - before, 1, subtype);
      assert.deepEqual({ ...(lastRemoteBody(sim) as Record<string, unknown>), label: undefined }, { ...body, label: undefined });
      assert.equal(value(sw, C.StatusFault), C.StatusFault.NO_FAULT);
    }

    // Preconditioning: AUTO starts it; the car says it runs; outside (14.5 °C) colder than the target: HEAT.
    const preconditioning = r.service(EV, S.Thermostat, 'climate');
    let before = posts();
    await homeKitWrite(preconditioning, C.TargetHeatingCoolingState, C.TargetHeatingCoolingState.AUTO);
    await waitFor('preconditioning', () => value(preconditioning, C.CurrentHeatingCoolingState) === C.CurrentHeatingCoolingState.HEAT);
    assert.equal(posts() - before, 1);
    assert.equal(sim.vehicle(EV).preconditioning, true);
    assert.equal(value(preconditioning, C.CurrentTemperature), 14.5);

    // Charging: plugged in, then switched on.
    sim.control.setVehicle(EV, { plugged: true });
    const charging = r.service(EV, S.Switch, 'charging');
    const battery = r.service(EV, S.Battery, 'battery');
    before = posts();
    await homeKitWrite(charging, C.On, true);
    await waitFor('charging', () => sim.vehicle(EV).charging && value(battery, C.ChargingState) === C.ChargingState.CHARGING);
    assert.equal(value(charging, C.On), true);
    assert.equal(posts() - before, 1);
    assert.equal(value(battery, C.StatusLowBattery), C.StatusLowBattery.BATTERY_LEVEL_LOW, '62 % is under the configured 70 %');
    assert.equal(value(battery, C.BatteryLevel), Math.round(sim.vehicle(EV).level));
  });

  it('a failed switch goes back to the car state with StatusFault and one log line', async () => {
    const r = await launch();
    const charging = r.service(EV, S.Switch, 'charging');
    await waitFor('the first status', () => r.platform.account!.stateOf(EV).charging !== undefined);
    const errorsBefore = r.log.at('error', 'warn').length;
    await homeKitWrite(charging, C.On, true); // not plugged in: the car refuses
    assert.equal(value(charging, C.On), true, 'shows the request while it runs');
    await waitFor('the fault', () => value(charging, C.StatusFault) === C.StatusFault.GENERAL_FAULT);
    assert.equal(value(charging, C.On), false);
    const lines = r.log.at('error', 'warn').slice(errorsBefore);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /^Car Charging: could not start charging: .*plugged/);
  });

  it('the refresh switch is subject to the wake-up guard: the seventh in 20 minutes is refused locally, with one log line', async () => {
    const r = await launch();
    const refresh = r.service(EV, S.Switch, 'refresh');
    await waitFor('the first status', () => r.platform.account!.stateOf(EV).doors !== undefined);
    // The first start creates each car's monitor plan: let that burst leave the simulator's per-second limit first.
    await waitFor('the monitors', () => (r.platform.account!.monitorsOf?.(EV).monitors ?? []).every((m) => m.monitorId !== undefined));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = remotePosts(sim, EV);
    for (let i = 0; i < 6; i++) {
      await homeKitWrite(refresh, C.On, true);
      await waitFor(`refresh ${i + 1} to end`, () => value(refresh, C.On) === false);
    }
    assert.equal(remotePosts(sim, EV) - before, 6);
    assert.equal(value(refresh, C.StatusFault), C.StatusFault.NO_FAULT);
    const errorsBefore = r.log.at('error', 'warn').length;
    await homeKitWrite(refresh, C.On, true);
    await waitFor('the refusal', () => value(refresh, C.StatusFault) === C.StatusFault.GENERAL_FAULT);
    assert.equal(value(refresh, C.On), false);
    assert.equal(remotePosts(sim, EV) - before, 6, 'no API call');
    const lines = r.log.at('error', 'warn').slice(errorsBefore);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /^Car Refresh: could not refresh the state: /);
  });

  it('fleet accounts get the Immobilizer and Stolen switches; their state is remembered across restarts', async () => {
    const storageDir = tempDir('fleet');
    const fleet = config({
      flavour: 'b2b',
      vehicles: [{ id: EV, name: 'Car', features: { immobilization: true, stolen: true, preconditioning: false } }],
    });
    const first = await launch(fleet, storageDir);
    assert.deepEqual(subtypes(first.accessory(EV)), ['doors', 'charging', 'battery', 'boot', 'windows', 'plugged', 'alarm', 'chargeLimit', 'lights', 'horn', 'refresh', 'immobilizer', 'stolen']);
    const immobilizer = first.service(EV, S.Switch, 'immobilizer');
    assert.equal(configuredName(immobilizer), 'Car Immobilizer');
    assert.equal(await homeKitRead(immobilizer, C.On), false);
    const before = remotePosts(sim, EV);
    await homeKitWrite(immobilizer, C.On, true);
    await waitFor('the car to be immobilized', () => sim.vehicle(EV).immobilized);
    assert.ok(sim.calls.some((c) => c.path.startsWith('/connectedcar/v3/fleets/')), 'through the fleet API');
    assert.equal(remotePosts(sim, EV) - before, 1);
    assert.deepEqual((lastRemoteBody(sim) as { immobilization: unknown }).immobilization, { activate: true });
    await sleep(20);
    assert.equal(await homeKitRead(immobilizer, C.On), true);
    const cache = first.serializedCache();
    await first.stop();
    run = undefined;

    const r = await launch(fleet, storageDir, cache);
    assert.equal(await homeKitRead(r.service(EV, S.Switch, 'immobilizer'), C.On), true, 'remembered');
    assert.equal(await homeKitRead(r.service(EV, S.Switch, 'stolen'), C.On), false);
  });

  it('keeps the thermostat valid: targets OFF/AUTO only, target temperature 10..30 stored and never sent', async () => {
    const r = await launch();
    const preconditioning = r.service(EV, S.Thermostat, 'climate');
    assert.deepEqual(preconditioning.getCharacteristic(C.TargetHeatingCoolingState).props.validValues, [0, 3]);
    assert.deepEqual(
      { ...preconditioning.getCharacteristic(C.TargetTemperature).props },
      { ...preconditioning.getCharacteristic(C.TargetTemperature).props, minValue: 10, maxValue: 30, minStep: 0.5 },
    );
    const before = sim.calls.length;
    await homeKitWrite(preconditioning, C.TargetTemperature, 22.5);
    assert.equal(await homeKitRead(preconditioning, C.TargetTemperature), 22.5);
    assert.equal((r.accessory(EV).context as { climate: { targetTemperature: number } }).climate.targetTemperature, 22.5);
    assert.equal(sim.calls.length, before, 'no API call for a temperature');
  });

  it('answers HomeKit reads from the last known state, never with an API call', async () => {
    const r = await launch();
    await waitFor('the first status', () => value(r.service(EV, S.LockMechanism, 'doors'), C.LockCurrentState) === C.LockCurrentState.SECURED);
    await sleep(100); // let the start-up calls (monitors) finish
    const before = sim.calls.length;
    let reads = 0;
    const started = performance.now();
    for (let round = 0; round < 20; round++) {
      for (const accessory of [r.accessory(EV), r.accessory(VAN)]) {
        for (const service of accessory.services) {
          for (const characteristic of service.characteristics) {
            if (!(characteristic.props.perms as string[]).includes('pr')) continue;
            const v = await characteristic.handleGetRequest();
            assert.notEqual(v, undefined, `${service.displayName}/${characteristic.displayName}`);
            reads++;
          }
        }
      }
    }
    const perRead = (performance.now() - started) / reads;
    assert.equal(sim.calls.length, before, 'no API call');
    assert.ok(reads > 500);
    assert.ok(perRead < 2, `${perRead.toFixed(3)} ms per read`);
  });

  it('restarts from the cache: no duplicates, services switched off and vehicles removed are pruned, renames kept', async () => {
    const storageDir = tempDir('restart');
    const first = await launch(config(), storageDir);
    const preconditioning = first.service(EV, S.Thermostat, 'climate');
    await homeKitWrite(preconditioning, C.ConfiguredName, 'Heater'); // renamed in the Home app
    const cache = first.serializedCache();
    await first.stop();
    run = undefined;

    const second = config({
      vehicles: [{ id: EV, name: 'Car', model: 'e-208', vin: EV_VIN, features: { horn: false, lights: false } }],
    });
    const r = await launch(second, storageDir, cache);
    assert.equal(r.registerCalls.length, 0, 'nothing registered twice');
    assert.equal(r.unregisterCalls.length, 1);
    assert.deepEqual(r.unregisterCalls[0].map((a) => a.displayName), ['Van']);
    assert.equal(r.cache.length, 1);
    assert.equal(cache.length, 2);
    const car = r.accessory(EV);
    assert.deepEqual(subtypes(car), ['doors', 'climate', 'charging', 'battery', 'boot', 'windows', 'plugged', 'alarm', 'chargeLimit', 'refresh']);
    assert.equal(configuredName(r.service(EV, S.Thermostat, 'climate')), 'Heater', 'a rename in the Home app is kept');
    assert.equal(configuredName(r.service(EV, S.LockMechanism, 'doors')), 'Car Doors');
    assert.equal(value(car.getService(S.AccessoryInformation)!, C.FirmwareRevision), packageVersion, 'over the placeholder Homebridge sets');

    // The restored accessory is live.
    const lock = r.service(EV, S.LockMechanism, 'doors');
    await waitFor('the first status', () => value(lock, C.LockCurrentState) === C.LockCurrentState.SECURED);
    const before = remotePosts(sim);
    await homeKitWrite(lock, C.LockTargetState, C.LockTargetState.UNSECURED);
    await waitFor('the car to unlock', () => value(lock, C.LockCurrentState) === C.LockCurrentState.UNSECURED);
    assert.equal(remotePosts(sim) - before, 1);
  });

  it('starts nothing and logs one line per problem for a config with every kind of mistake, without throwing', async () => {
    const storageDir = tempDir('invalid');
    const r = new HomebridgeRun(storageDir);
    run = r;
    await r.start({
      flavour: 'b2b',
      brand: 'pugeot',
      clientId: 42,
      password: 'hunter2-very-secret',
      certificate: { cert: 'missing/cert.pem', key: 'missing/key.pem' },
      webhook: { port: 70000, publicUrl: 'http://car.example.com/hook', secret: 'xyzzy' },
      vehicles: [{ name: 'No id' }, { id: 'A' }, { id: 'A', vin: 'nope' }, { id: 'B', destinations: [{ name: 'Far', points: [{ lat: 91, lon: 0 }] }] }],
      lowBatteryThreshold: 300,
      simulatorTimeScale: 0,
      requestTimeoutMs: 'soon',
    });
    const errors = r.log.at('error');
    const expected = [
      'lowBatteryThreshold', 'simulatorTimeScale', 'brand', 'clientId', 'fleetId', 'username', 'certificate.cert', 'certificate.key',
      'webhook.port', 'webhook.publicUrl', 'webhook.secret', 'vehicles[0].id', 'vehicles[2].id', 'vehicles[2].vin',
      'vehicles[3].destinations[0].points[0].lat', 'requestTimeoutMs',
    ];
    for (const key of expected) assert.ok(errors.some((l) => l.startsWith(`config ${key}: `)), `a line for ${key}:\n${errors.join('\n')}`);
    assert.match(errors[errors.length - 1], /^nothing started: fix the \d+ problems above/);
    assert.equal(errors.length, r.log.at('error').filter((l) => l.startsWith('config ')).length + 1);
    for (const line of r.log.lines) {
      assert.ok(!line.text.includes('hunter2'), 'no secret in the log');
      assert.ok(!line.text.includes('xyzzy'), 'no secret in the log');
    }
    assert.equal(r.platform.account, undefined);
    assert.equal(r.platform.simulator, undefined);
    assert.equal(r.registerCalls.length, 0);
    assert.equal(fs.existsSync(path.join(storageDir, 'stellantis')), false, 'no file written');
  });

  it('says what to do in Homebridge terms (the settings page), never a `stellantis` command', async () => {
    const r = new HomebridgeRun(tempDir('terms'));
    run = r;
    await r.start({ simulator: true, vehicles: [{ name: 'No id' }] });
    const line = r.log.at('error').find((l) => l.startsWith('config vehicles[0].id: '));
    assert.ok(line, r.log.at('error').join('\n'));
    assert.match(line, /"Get my vehicles" on the plugin's settings page/);
    for (const l of r.log.lines) assert.ok(!/`stellantis /.test(l.text), `no CLI command in the Homebridge log: ${l.text}`);
    assert.equal(inHomebridgeTerms('not logged in (no token file): run `stellantis login`'), "not logged in (no token file): log in on the plugin's settings page (Homebridge UI: Plugins, Stellantis, Settings)");
    assert.match(inHomebridgeTerms('the refresh token was refused (revoked or expired): log in again with `stellantis login`'), /log in again on the plugin's settings page/);
  });

  it('logs one clear line and starts nothing when the plugin is not configured yet', async () => {
    const r = new HomebridgeRun(tempDir('empty'));
    run = r;
    await r.start({ brand: 'peugeot', webhook: { port: 8765 }, vehicles: [] });
    assert.deepEqual(r.log.at('error'), []);
    const warnings = r.log.at('warn');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /not configured yet: .*plugin settings.*Simulator/);
    assert.equal(r.platform.account, undefined);
    assert.equal(r.registerCalls.length, 0);
  });

  it('keeps cached accessories untouched when the config became invalid', async () => {
    const storageDir = tempDir('keep');
    const first = await launch(config(), storageDir);
    const cache = first.serializedCache();
    await first.stop();
    run = undefined;
    const r = new HomebridgeRun(storageDir);
    run = r;
    await r.start({ ...config(), brand: 42 }, cache);
    assert.equal(r.unregisterCalls.length, 0);
    assert.equal(r.cache.length, 2);
    assert.ok(r.log.at('error').some((l) => l.startsWith('config brand: ')));
  });
});
