import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VehicleStates, expectedState } from '../../src/engine/vehicleStates';
import type { VehicleStateChange } from '../../src/engine/types';

const DOORS = 'vehicle.doorsState.lockedState';

describe('engine/vehicleStates', () => {
  it('folds a batch of monitor values into one change per vehicle, the newest value winning', () => {
    const changes: VehicleStateChange[] = [];
    const states = new VehicleStates((c) => changes.push(c));
    states.fromMonitorValues([
      { vehicleId: 'a', data: DOORS, literalValue: 'Locked', at: 3000 },
      { vehicleId: 'a', data: DOORS, literalValue: 'Unlocked', at: 1000 },
      { vehicleId: 'a', data: 'vehicle.energy.electric.level', literalValue: '55', at: 1000 },
      { vehicleId: 'b', data: DOORS, literalValue: 'Unlocked', at: 1000 },
    ]);
    assert.deepEqual(changes.map((c) => [c.vehicleId, c.source]), [['a', 'monitor'], ['b', 'monitor']]);
    assert.equal(states.get('a').doors?.lock, 'locked');
    assert.equal(states.get('a').doors?.at, new Date(3000).toISOString());
    assert.equal(states.get('a').battery?.level, 55);
    assert.equal(states.get('b').doors?.lock, 'unlocked');
  });

  it('ignores a monitor value older than one already applied (out-of-order delivery)', () => {
    const changes: VehicleStateChange[] = [];
    const states = new VehicleStates((c) => changes.push(c));
    states.fromMonitorValues([{ vehicleId: 'a', data: DOORS, literalValue: 'Locked', at: 5000 }]);
    states.fromMonitorValues([{ vehicleId: 'a', data: DOORS, literalValue: 'Unlocked', at: 4000 }]);
    assert.equal(states.get('a').doors?.lock, 'locked');
    assert.equal(changes.length, 1);
    states.fromMonitorValues([{ vehicleId: 'a', data: 'unknown.data', literalValue: 'x', at: 6000 }]);
    assert.equal(changes.length, 1, 'unknown data changes nothing');
  });

  it('a change listener that throws stops neither the batch nor the states; the failure is handed over', () => {
    const failures: unknown[] = [];
    const states = new VehicleStates(
      () => {
        throw new Error('listener bug');
      },
      { onChangeError: (err) => failures.push(err) },
    );
    states.fromMonitorValues([
      { vehicleId: 'a', data: DOORS, literalValue: 'Locked', at: 1000 },
      { vehicleId: 'b', data: DOORS, literalValue: 'Unlocked', at: 1000 },
    ]);
    assert.equal(states.get('a').doors?.lock, 'locked');
    assert.equal(states.get('b').doors?.lock, 'unlocked');
    assert.equal(failures.length, 2);
  });

  it('knows the effect of the remotes that change the state, and of no others', () => {
    const at = new Date(0);
    assert.equal(expectedState({}, { kind: 'lock' }, at)?.doors?.lock, 'locked');
    assert.equal(expectedState({ doors: { lock: 'locked', superLocked: false, lockedStates: ['Locked'], open: false, openDoors: [] } }, { kind: 'unlock' }, at)?.doors?.open, false);
    assert.equal(expectedState({}, { kind: 'charge', on: true }, at)?.charging?.status, 'InProgress');
    assert.equal(expectedState({}, { kind: 'precondition', on: false }, at)?.preconditioning?.on, false);
    assert.equal(expectedState({}, { kind: 'horn' }, at), undefined);
  });

  it('saves the states (debounced) and restores them as source "restore"', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'states-'));
    try {
      const file = path.join(dir, 'states.json');
      const first = new VehicleStates(() => undefined, { path: file });
      first.afterSuccess('a', { kind: 'lock' });
      await first.flush();
      const changes: VehicleStateChange[] = [];
      const second = new VehicleStates((c) => changes.push(c), { path: file });
      await second.restore(['a', 'gone']);
      assert.deepEqual(changes.map((c) => [c.vehicleId, c.source]), [['a', 'restore']]);
      assert.equal(second.get('a').doors?.lock, 'locked');
      assert.deepEqual(second.get('gone'), {});
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
