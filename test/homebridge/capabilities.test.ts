/**
 * The car's own capabilities decide which services an accessory has: real Homebridge and HAP
 * objects over an external simulator whose cars give onboardCapabilities (a real-account config,
 * so the cars are exactly the simulator's: an older EV without lights or navigation, a thermal car).
 */
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../src/simulator';
import { callsMatching, REMOTE_POSTS, VEHICLE_READS } from '../helpers/simulator';
import { type HomebridgeRun, removeTempDirs, startHomebridge, subtypes } from './harness';
import { realAccountConfig, startRealAccount } from './realAccountSetUp';

const OLD = 'VEH-OLD-0001';
const ICE = 'VEH-ICE-0002';

function sortedSubtypes(run: HomebridgeRun, vehicleId: string): string[] {
  return subtypes(run.accessory(vehicleId)).sort();
}

describe('Homebridge: services follow what the car can do', function () {
  this.timeout(30000);
  let sim: RunningSimulator;
  let run: HomebridgeRun | undefined;
  let storagePath: string;
  let config: Record<string, unknown>;

  beforeEach(async () => {
    ({ sim, storagePath } = await startRealAccount('capabilities', [
      { id: OLD, kind: 'electric', model: 'iOn', capabilities: 'older' },
      { id: ICE, kind: 'thermal', model: '308', capabilities: 'thermal' },
    ]));
    config = realAccountConfig(sim, {
      webhook: { publicUrl: 'https://127.0.0.1:9/stellantis/webhook', host: '127.0.0.1', port: 0 },
      vehicles: [
        { id: OLD, name: 'Old', destinations: [{ name: 'Work', points: [{ lat: 48.8566, lon: 2.3522 }] }] },
        { id: ICE, name: 'Van' },
      ],
    });
  });

  afterEach(async () => {
    await run?.stop();
    run = undefined;
    await sim.stop();
  });
  after(() => removeTempDirs());

  it('an older car has no lights or navigation service, a thermal car no charging service; one vehicle read per car', async () => {
    run = await startHomebridge({ storageDir: storagePath, config });
    assert.deepEqual(run.log.at('error'), []);
    const old = sortedSubtypes(run, OLD);
    assert.ok(!old.includes('lights'), old.join());
    assert.ok(!old.some((s) => s.startsWith('navigate:')), old.join());
    assert.ok(old.includes('horn') && old.includes('doors') && old.includes('charging'), old.join());
    const ice = sortedSubtypes(run, ICE);
    assert.ok(!ice.includes('charging'), ice.join());
    assert.ok(ice.includes('lights') && ice.includes('horn'), ice.join());
    assert.equal(callsMatching(sim, VEHICLE_READS).length, 2);
    assert.equal(callsMatching(sim, REMOTE_POSTS).length, 0);
  });

  it('a cached accessory loses the services the car turns out not to support', async () => {
    const older = sim.vehicle(OLD).capabilities;
    sim.vehicle(OLD).capabilities = undefined; // the car says nothing: every configured service
    run = await startHomebridge({ storageDir: storagePath, config });
    assert.ok(sortedSubtypes(run, OLD).includes('lights'));
    assert.ok(sortedSubtypes(run, OLD).includes('navigate:work'));
    await run.stop();
    const cache = run.serializedCache();

    sim.vehicle(OLD).capabilities = older;
    run = await startHomebridge({ storageDir: storagePath, config, cache });
    assert.equal(run.registerCalls.length, 0, 'the cached accessory is reused');
    const old = sortedSubtypes(run, OLD);
    assert.ok(!old.includes('lights'), old.join());
    assert.ok(!old.includes('navigate:work'), old.join());
    assert.ok(old.includes('horn'), old.join());
    assert.deepEqual(run.log.at('error'), []);
  });
});
