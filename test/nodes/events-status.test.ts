/**
 * stellantis-events (every notification, filtered by vehicle and kind, msg.topic telling which)
 * and stellantis-status (the state on input; API calls counted; the car woken only when asked).
 */
import { strict as assert } from 'node:assert';
import type { NodeMessage } from '../../nodes/src/lib/red';
import type { RunningSimulator } from '../../src/simulator';
import type { VehicleState } from '../../src/stellantis/vehicleState';
import * as h from './harness';
import { callsMatching, REMOTE_POSTS, sleep } from '../helpers/simulator';

function payloadOf(msg: NodeMessage): Record<string, unknown> {
  return msg.payload as Record<string, unknown>;
}

function statusReads(sim: RunningSimulator): number {
  return sim.callCount({ method: 'GET', pathIncludes: '/status' });
}

function wakeUps(sim: RunningSimulator): number {
  return callsMatching(sim, REMOTE_POSTS).filter((c) => (c.body as { wakeUp?: unknown }).wakeUp !== undefined).length;
}

describe('stellantis-events and stellantis-status nodes', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let ev: string;
  let thermal: string;

  h.useNodeRed({ started: (setUp) => ({ sim, ev, thermal } = setUp) });

  it('emits remote and monitor notifications with msg.topic, filtered by vehicle and kind', async () => {
    h.freshSettings();
    await h.load([
      h.simAccount('acc'),
      { id: 'r', type: 'stellantis-remote', account: 'acc', action: 'unlock', wires: [['ok'], ['ko']] },
      { id: 'all', type: 'stellantis-events', account: 'acc', remote: true, monitor: true, wires: [['seenAll']] },
      { id: 'evMonitor', type: 'stellantis-events', account: 'acc', vehicle: ev, remote: false, monitor: true, wires: [['seenEvMonitor']] },
      { id: 'states', type: 'stellantis-events', account: 'acc', remote: false, monitor: false, state: true, wires: [['seenStates']] },
      ...['ok', 'ko', 'seenAll', 'seenEvMonitor', 'seenStates'].map((id) => ({ id, type: 'helper' })),
    ]);
    await h.accountReady('acc');
    const all = h.collect('seenAll');
    const evMonitor = h.collect('seenEvMonitor');
    const states = h.collect('seenStates');

    for (const vehicle of [thermal, ev]) {
      const ok = h.nextMessage('ok');
      h.send('r', { vehicle });
      assert.equal(payloadOf(await ok).result, 'Success');
    }
    await h.until(() => all.filter((m) => m.topic === 'monitor').length >= 2, 5000, 'the doors monitor messages of both cars');

    const remote = all.filter((m) => m.topic === 'remote');
    const statuses = remote.map((m) => `${String(m.vehicle === ev ? 'ev' : 'thermal')}:${String((payloadOf(m).remoteEvent as { eventStatus: { status: string } }).eventStatus.status)}`);
    assert.ok(statuses.includes('thermal:Success') && statuses.includes('ev:Success'), statuses.join(' '));
    assert.ok(remote.every((m) => m.remoteType === 'Doors'));

    const monitors = all.filter((m) => m.topic === 'monitor');
    const evDoors = monitors.find((m) => m.vehicle === ev);
    assert.deepEqual(evDoors?.values, { 'vehicle.doorsState.lockedState': 'Unlocked' });
    assert.ok(monitors.some((m) => m.vehicle === thermal));

    // The filtered node got the EV's monitor messages only, and no remote messages.
    assert.ok(evMonitor.length >= 1);
    assert.ok(evMonitor.every((m) => m.topic === 'monitor' && m.vehicle === ev), JSON.stringify(evMonitor.map((m) => [m.topic, m.vehicle])));
    // State changes carry the normalized state and what changed it.
    const unlockedState = states.find((m) => m.vehicle === ev && (m.payload as VehicleState).doors?.lock === 'unlocked');
    assert.ok(unlockedState, JSON.stringify(states.map((m) => [m.vehicle, m.source])));
    assert.ok(['remote', 'monitor', 'status'].includes(String(unlockedState.source)));
    assert.ok(states.every((m) => m.topic === 'state'));
  });

  it('reads the state without waking the car, from the API or the last known state, raw on request, and wakes it only when asked', async () => {
    h.freshSettings();
    await h.load([
      h.simAccount('acc'),
      { id: 'fromApi', type: 'stellantis-status', account: 'acc', vehicle: ev, source: 'api', wires: [['out']] },
      { id: 'fromCache', type: 'stellantis-status', account: 'acc', vehicle: ev, source: 'cache', wires: [['out']] },
      { id: 'withRaw', type: 'stellantis-status', account: 'acc', source: 'api', raw: true, wires: [['out']] },
      { id: 'out', type: 'helper' },
      { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ]);
    await h.accountReady('acc');
    // The account's own first status reads are done.
    await h.until(() => statusReads(sim) >= 2, 5000, 'the first status reads');
    await sleep(50);
    sim.control.setVehicle(ev, { asleep: true });
    const wakesBefore = wakeUps(sim);

    let reads = statusReads(sim);
    let out = h.nextMessage('out');
    h.send('fromCache', {});
    let msg = await out;
    assert.equal(statusReads(sim), reads, 'the last known state costs no call');
    assert.equal(msg.topic, 'status');
    assert.equal(msg.vehicle, ev);
    assert.equal((msg.payload as VehicleState).doors?.lock, 'locked');

    out = h.nextMessage('out');
    h.send('fromApi', {});
    msg = await out;
    assert.equal(statusReads(sim), reads + 1, 'one status call');
    assert.equal(typeof (msg.payload as VehicleState).battery?.level, 'number');
    assert.equal(msg.raw, undefined);

    reads = statusReads(sim);
    out = h.nextMessage('out');
    h.send('withRaw', { vehicle: thermal });
    msg = await out;
    assert.equal(statusReads(sim), reads + 1);
    assert.equal(msg.vehicle, thermal);
    assert.ok(Array.isArray((msg.raw as { energies?: unknown[] }).energies), 'the raw status JSON');
    assert.equal((msg.payload as VehicleState).fuel !== undefined, true);
    assert.equal(sim.vehicle(ev).asleep, true, 'reads never wake the car');
    assert.equal(wakeUps(sim), wakesBefore);

    out = h.nextMessage('out');
    h.send('fromCache', { refresh: true, raw: true });
    msg = await out;
    assert.equal(wakeUps(sim), wakesBefore + 1, 'msg.refresh sends one wake-up');
    assert.equal(sim.vehicle(ev).asleep, false);
    assert.ok(msg.raw, 'msg.raw asks for the raw JSON even on a cache node');

    const caught = h.nextMessage('caught');
    reads = statusReads(sim);
    h.send('fromApi', { vehicle: 'nope' });
    assert.match(String(((await caught).error as { message: string }).message), /unknown vehicle 'nope'; send msg.vehicle = one of: /);
    assert.equal(statusReads(sim), reads);
  });
});
