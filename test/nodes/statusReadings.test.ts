/**
 * Issue 13 in Node-RED (real runtime): the status node's msg.payload and the events node's state
 * messages carry battery health, the 12 V battery, the alarm and each opening; a refresh asked of
 * the status node is refused without a call while the 12 V level is under the account's threshold.
 */
import { strict as assert } from 'node:assert';
import type { RunningSimulator } from '../../src/simulator';
import type { VehicleState } from '../../src/stellantis/vehicleState';
import * as h from './harness';
import { callsMatching, REMOTE_POSTS } from '../helpers/simulator';

describe('stellantis-status and stellantis-events: the new readings', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let ev: string;

  h.useNodeRed({
    started: (setUp) => ({ sim, ev } = setUp),
    // The simulator is shared by the Node-RED tests: what this file changed goes back.
    afterEach: () => sim.control.setVehicle(ev, { openings: { Trunk: false, RearWindow: false, RoofWindow: false }, alarmActive: false, battery12v: 92 }),
  });

  it('msg.payload of the status node and the state messages carry battery health, 12 V, alarm and openings', async () => {
    h.freshSettings();
    await h.load([
      h.simAccount('acc'),
      { id: 'status', type: 'stellantis-status', account: 'acc', vehicle: ev, source: 'api', wires: [['out']] },
      { id: 'states', type: 'stellantis-events', account: 'acc', vehicle: ev, remote: false, monitor: false, state: true, wires: [['seenStates']] },
      { id: 'out', type: 'helper' },
      { id: 'seenStates', type: 'helper' },
    ]);
    await h.accountReady('acc');
    const states = h.collect('seenStates');
    sim.control.setVehicle(ev, { openings: { Trunk: true, RoofWindow: true }, alarmActive: true, battery12v: 71, batteryHealth: { capacity: 95, resistance: 90 } });
    const out = h.nextMessage('out');
    h.send('status', {});
    const state = (await out).payload as VehicleState;
    assert.equal(state.battery12v?.level, 71);
    assert.equal(state.alarm?.activation, 'Active');
    assert.equal(state.alarm?.armed, true);
    assert.equal(state.openings?.byId.Trunk, 'open');
    assert.equal(state.openings?.byId.RoofWindow, 'open');
    assert.equal(state.openings?.byId.Driver, 'closed');
    assert.equal(state.batteryHealth?.capacityPercent, 95);
    assert.equal(state.batteryHealth?.resistancePercent, 90);

    await h.until(() => states.some((m) => (m.payload as VehicleState).battery12v?.level === 71), 5000, 'the state message of that read');
    const seen = states.find((m) => (m.payload as VehicleState).battery12v?.level === 71)!.payload as VehicleState;
    assert.deepEqual(seen.openings?.byId, state.openings?.byId);
    assert.equal(seen.alarm?.armed, true);
  });

  it('msg.refresh is refused, with the reason and no POST, while the 12 V level is under the account\'s lowAuxBatteryPercent', async () => {
    h.freshSettings();
    sim.control.setVehicle(ev, { battery12v: 35 });
    await h.load([
      h.simAccount('acc', { lowAuxBatteryPercent: 40 }),
      { id: 'status', type: 'stellantis-status', account: 'acc', vehicle: ev, source: 'cache', wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    const account = await (await h.accountReady('acc')).whenReady();
    await h.until(() => account.stateOf(ev).battery12v?.level === 35, 5000, 'the first status read');
    const posts = callsMatching(sim, REMOTE_POSTS).length;
    const caught = h.nextMessage('caught');
    h.send('status', { refresh: true });
    const message = String(((await caught).error as { message: string }).message);
    assert.match(message, /refresh \(.*\): rejected: .*12 V battery .*lowAuxBatteryPercent.*\(12 V battery at 35 %, lowAuxBatteryPercent 40 %\)/);
    assert.equal(callsMatching(sim, REMOTE_POSTS).length, posts, 'no POST');
  });
});
