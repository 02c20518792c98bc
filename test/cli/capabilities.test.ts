/** `stellantis send` refuses what the car cannot do before any POST, after one vehicle read. */
import { strict as assert } from 'node:assert';
import { promises as fsp } from 'node:fs';
import { validateAccountConfig } from '../../src/config/validate';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import { VehicleStates } from '../../src/engine/vehicleStates';
import { callsMatching, REMOTE_POSTS, VEHICLE_READS } from '../helpers/simulator';
import { cli, setup, type Setup } from './support';

describe('stellantis send: the car capabilities', () => {
  let s: Setup;
  let config: string;
  before(async () => {
    s = await setup({
      vehicles: [
        { kind: 'electric', model: 'iOn', capabilities: 'older' },
        { kind: 'thermal', model: '308', capabilities: 'thermal' },
      ],
    });
    await s.storeTokens();
    config = await s.writeConfig();
  });
  after(() => s.close());

  for (const [argv, capability] of [
    [['Zoe', 'lights'], 'remote.lights.supported'],
    [['Zoe', 'navigate', '48.8584,2.2945'], 'remote.navigation.supported'],
    [['Clio', 'charge-start'], 'remote.charging.supported'],
    [['Zoe', 'lights', '--wait'], 'remote.lights.supported'],
  ] as const) {
    it(`send ${argv.join(' ')}: exit 1 naming ${capability}, one vehicle read, no POST`, async () => {
      const from = s.sim.calls.length;
      const run = await cli(['send', ...argv, ...s.args(config)]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, new RegExp(`this car does not support .*${capability.replaceAll('.', '\\.')}.*nothing was sent`));
      assert.ok(!run.stderr.includes('    at '));
      assert.equal(callsMatching(s.sim, REMOTE_POSTS, from).length, 0);
      const reads = callsMatching(s.sim, VEHICLE_READS, from);
      assert.equal(reads.length, 1);
      assert.equal(reads[0].query.extension, 'onboardCapabilities');
      assert.equal(s.sim.calls.length - from, 1, 'the vehicle read is the only call');
    });
  }

  it('what the car supports is sent (one vehicle read, one POST)', async () => {
    const from = s.sim.calls.length;
    const run = await cli(['send', 'Zoe', 'horn', ...s.args(config)]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(callsMatching(s.sim, REMOTE_POSTS, from).length, 1);
    assert.equal(callsMatching(s.sim, VEHICLE_READS, from).length, 1);
  });

  describe('with what the account saved (no read twice)', () => {
    let statesFile: string;
    before(async () => {
      const resolved = validateAccountConfig(JSON.parse(await fsp.readFile(config, 'utf8')), { checkFiles: false });
      assert.ok(resolved.ok);
      statesFile = storageFile(s.storage, 'vehicle-states', accountKeyOf(resolved.config));
      await fsp.rm(statesFile, { force: true });
    });

    it('--wait on a car never read: one vehicle read in all (the account does not read it again), one POST', async () => {
      const from = s.sim.calls.length;
      const run = await cli(['send', 'Zoe', 'horn', '--wait', ...s.args(config)]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(callsMatching(s.sim, VEHICLE_READS, from).length, 1);
      assert.equal(callsMatching(s.sim, REMOTE_POSTS, from).length, 1);
    });

    it('then refuses what the saved capabilities rule out with no call at all', async () => {
      const from = s.sim.calls.length;
      const run = await cli(['send', 'Zoe', 'lights', ...s.args(config)]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /remote\.lights\.supported/);
      assert.equal(s.sim.calls.length - from, 0, 'no call: the saved capabilities decide');
    });

    it('refuses a refresh while the saved 12 V level is under lowAuxBatteryPercent, with no call', async () => {
      const zoe = s.sim.vehicles[0].id;
      const states = new VehicleStates(() => undefined, { path: statesFile });
      await states.restore([zoe]);
      states.fromStatus(zoe, { ...states.get(zoe), battery12v: { level: 31, at: new Date().toISOString(), ageMs: 0 } });
      await states.close();
      const from = s.sim.calls.length;
      const run = await cli(['send', 'Zoe', 'refresh', ...s.args(config)]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /12 V battery at 31 %/);
      assert.equal(s.sim.calls.length - from, 0);
    });
  });
});
