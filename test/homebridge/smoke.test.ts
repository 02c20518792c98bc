import assert from 'node:assert/strict';
import { hap, startHomebridge, tempDir, removeTempDirs, type HomebridgeRun } from './harness';

describe('smoke', () => {
  let run: HomebridgeRun | undefined;
  afterEach(async () => { await run?.stop(); run = undefined; });
  after(() => removeTempDirs());
  it('starts with the simulator', async () => {
    run = await startHomebridge({ storageDir: tempDir('smoke'), config: { simulator: true, simulatorTimeScale: 0.005 } });
    console.log(run.log.lines);
    const sim = run.platform.simulator!;
    console.log(run.cache.map(a => [a.displayName, a.services.map(s => `${s.displayName}/${s.subtype}`)]));
    const id = sim.vehicles[0].id;
    const lock = run.service(id, hap.Service.LockMechanism, 'doors');
    console.log('current', await lock.getCharacteristic(hap.Characteristic.LockCurrentState).handleGetRequest());
    await new Promise(r => setTimeout(r, 500));
    console.log(run.cache.map(a => [a.displayName, a.services.map(s => `${s.displayName}/${s.subtype}`)]));
    console.log(sim.calls.map(c => `${c.method} ${c.path} ${c.status}`));
    assert.ok(true);
  });
});
