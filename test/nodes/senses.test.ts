/**
 * The car's moments in a real Node-RED runtime (issue 14): arrived/left from the home zone, alarm with
 * its trigger type, plugged in, driving/parked, each a message of stellantis-events with msg.topic the
 * moment, pushed by the monitors (no status read).
 */
import { strict as assert } from 'node:assert';
import type { RunningSimulator } from '../../src/simulator';
import * as h from './harness';

describe('stellantis-events: the car’s moments', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let ev: string;

  h.useNodeRed({ started: (setUp) => ({ sim, ev } = setUp) });

  it('arrived, left, alarm (with its type), plugged, driving and parked, without a status read', async () => {
    h.freshSettings();
    const home = { lat: 45.75, lon: 4.85, radiusM: 150 };
    await h.load([
      h.simAccount('acc', { vehicles: [{ id: ev, name: 'Car', home }] }),
      { id: 'moments', type: 'stellantis-events', account: 'acc', remote: false, monitor: false, wires: [['seen']] },
      { id: 'seen', type: 'helper' },
    ]);
    await h.accountReady('acc');
    const seen = h.collect('seen');
    await h.until(() => h.account('acc').monitors().some((v) => v.monitors.length === 5 && v.monitors.every((m) => m.monitorId)), 5000, 'the monitors');
    assert.deepEqual(h.account('acc').monitors()[0].monitors.map((m) => m.key), ['state', 'arrive', 'leave', 'alarm', 'motion']);
    const reads = () => sim.callCount({ method: 'GET', pathIncludes: '/status' });
    const before = reads();
    const topics = () => seen.map((m) => String(m.topic));

    sim.control.setVehicle(ev, { position: { lat: home.lat, lon: home.lon } });
    await h.until(() => topics().includes('arrived'), 5000, 'arrived');
    sim.control.setVehicle(ev, { position: { lat: home.lat + 0.1, lon: home.lon } });
    await h.until(() => topics().includes('left'), 5000, 'left');
    sim.control.setVehicle(ev, { alarmActive: true });
    sim.control.setVehicle(ev, { alarmTrigger: 'VolumetricBreakIn' });
    await h.until(() => topics().includes('alarm'), 5000, 'alarm');
    assert.equal((seen.find((m) => m.topic === 'alarm')?.payload as { triggerType?: string }).triggerType, 'VolumetricBreakIn');
    sim.control.setVehicle(ev, { plugged: false, charging: false });
    await new Promise((r) => setTimeout(r, 100));
    sim.control.setVehicle(ev, { plugged: true });
    await h.until(() => topics().includes('plugged'), 5000, 'plugged');
    sim.control.setVehicle(ev, { plugged: false });
    sim.control.setVehicle(ev, { moving: true });
    await h.until(() => topics().includes('driving'), 5000, 'driving');
    sim.control.setVehicle(ev, { moving: false });
    await h.until(() => topics().includes('parked'), 5000, 'parked');
    assert.ok(seen.every((m) => m.vehicle === ev));
    assert.equal(reads(), before, 'every moment pushed, none read');
  });
});
