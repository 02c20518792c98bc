/**
 * The charge limit: kept by the car's charging preferences where it supports them, otherwise by a
 * monitor threshold that sends exactly one charge stop per charging session, never reading or waking
 * the car, and kept across restarts.
 */
import { strict as assert } from 'node:assert';
import { harnessPerTest, sleep, until, type Harness } from './harness';
import { callsMatching, chargeStopPosts, REMOTE_POSTS } from '../helpers/simulator';
import { specFor } from '../helpers/spec';
import { VEHICLE_PRESETS } from '../../src/simulator';
import type { ChargeLimitEvent } from '../../src/engine/types';

const MONITOR_POSTS = { method: 'POST', path: /\/monitors$/ };
const STATUS_READS = { method: 'GET', path: /\/status$/ };

/** The spec's problems with a recorded call (its paths are relative to the API base). */
function specProblems(c: { method: string; path: string; query: Record<string, string>; body: unknown }): string[] {
  return specFor('b2c').validateRequest(c.method, c.path.replace(/^\/connectedcar\/v4/, ''), c.query, c.body);
}

describe('engine: the charge limit', function () {
  this.timeout(20000);
  let h: Harness;
  let ev: string;
  let phev: string;
  harnessPerTest({ sim: { vehicles: [VEHICLE_PRESETS.ev, VEHICLE_PRESETS.phev] } }, (started) => {
    h = started;
    [ev, phev] = h.sim.vehicles.map((v) => v.id);
  });

  const stopPosts = (from: number) => chargeStopPosts(h.sim, from);

  it('a car with charging preferences keeps it itself: Partial sent (spec-valid), no threshold monitor, the car stops its charge', async () => {
    h.sim.control.setVehicle(ev, { level: 76, plugged: true, charging: false });
    const account = h.account();
    await account.start();
    const from = h.sim.calls.length;
    const handle = account.setChargeLimit(ev, 80);
    assert.ok(handle, 'the preferences remote is returned');
    assert.equal((await handle.done).result, 'Success');
    assert.equal(account.chargeLimitOf(ev)?.method, 'preferences');
    const posts = callsMatching(h.sim, REMOTE_POSTS, from);
    assert.equal(posts.length, 1);
    assert.deepEqual((posts[0].body as { charging: unknown }).charging, { preferences: { type: 'Partial' } });
    for (const c of h.sim.calls.slice(from)) assert.deepEqual(specProblems(c), [], c.path);
    assert.equal(callsMatching(h.sim, MONITOR_POSTS, from).length, 0, 'no monitor for a car that keeps the limit');

    h.sim.control.setVehicle(ev, { charging: true });
    await until(() => h.sim.vehicle(ev).chargingStatus === 'Finished', 5000);
    assert.equal(stopPosts(from).length, 0, 'the car stopped itself: we sent no stop');

    // Removed: the car charges to the end again (preferences Full), still no threshold monitor.
    const offFrom = h.sim.calls.length;
    const off = account.setChargeLimit(ev, null);
    assert.ok(off, 'the preferences remote is returned');
    assert.equal((await off.done).result, 'Success');
    const offPosts = callsMatching(h.sim, REMOTE_POSTS, offFrom);
    assert.equal(offPosts.length, 1);
    assert.deepEqual((offPosts[0].body as { charging: unknown }).charging, { preferences: { type: 'Full' } });
    assert.equal(h.sim.vehicle(ev).chargingType, 'Full');
  });

  it('a car without preferences: one greaterThan monitor (spec-valid, within 5), exactly one stop per session, no status read', async () => {
    h.sim.control.setVehicle(phev, { level: 70, plugged: true, charging: false });
    const account = h.account();
    const events: ChargeLimitEvent[] = [];
    account.on('chargeLimit', (e) => events.push(e));
    await account.start();
    const from = h.sim.calls.length;
    assert.equal(account.setChargeLimit(phev, 74), undefined, 'nothing sent to the car');
    await until(() => callsMatching(h.sim, MONITOR_POSTS, from).length === 1, 5000);
    const monitor = callsMatching(h.sim, MONITOR_POSTS, from)[0];
    assert.deepEqual(specProblems(monitor), []);
    const trigger = (monitor.body as { triggerParam: { triggers: Array<{ data: unknown }> } }).triggerParam.triggers[0];
    assert.deepEqual(trigger.data, { data: 'vehicle.energy.electric.level', op: 'greaterThan', value: ['74'] });
    const inspector = h.inspector();
    const callbackId = account.callbackId ?? '';
    assert.ok((await inspector.listMonitors(phev, callbackId)).length <= 5);

    h.sim.control.setVehicle(phev, { charging: true });
    await until(() => events.some((e) => e.kind === 'stopped'), 8000);
    const stopped = events.find((e) => e.kind === 'stopped');
    assert.equal(stopped?.level, 75);
    assert.equal(stopPosts(from).length, 1);
    assert.equal(h.sim.vehicle(phev).charging, false);

    // The same session reported again (a duplicate, a later value): no second stop.
    h.sim.control.setVehicle(phev, { level: 76 });
    await sleep(300);
    assert.equal(stopPosts(from).length, 1, 'never a second stop for the session');
    const firstStopAt = stopPosts(from)[0].at;
    assert.equal(callsMatching(h.sim, STATUS_READS, from).filter((c) => c.at <= firstStopAt).length, 0, 'no status read to check the level');
    assert.equal(callsMatching(h.sim, REMOTE_POSTS, from).filter((c) => 'wakeUp' in (c.body as object)).length, 0, 'no wake-up');

    // A new charge is a new session: stopped again, once. The level has to cross the threshold again.
    h.sim.control.setVehicle(phev, { level: 72 });
    h.sim.control.setVehicle(phev, { charging: true });
    await until(() => stopPosts(from).length === 2, 8000);
    await sleep(300);
    assert.equal(stopPosts(from).length, 2);
  });

  it('a restart keeps the limit: the monitor is found again (not duplicated) and still stops the charge once', async () => {
    h.sim.control.setVehicle(phev, { level: 70, plugged: true, charging: false });
    const first = h.account();
    await first.start();
    first.setChargeLimit(phev, 72);
    await until(() => callsMatching(h.sim, MONITOR_POSTS).filter((c) => JSON.stringify(c.body).includes('greaterThan')).length === 1, 5000);
    await first.stop();

    const second = h.account();
    const from = h.sim.calls.length;
    await second.start();
    assert.equal(second.chargeLimitOf(phev)?.percent, 72);
    assert.equal(second.chargeLimitOf(phev)?.method, 'monitor');
    assert.equal(callsMatching(h.sim, MONITOR_POSTS, from).length, 0, 'the threshold monitor is found again, not duplicated');
    h.sim.control.setVehicle(phev, { charging: true });
    await until(() => stopPosts(from).length === 1, 8000);
    await sleep(300);
    assert.equal(stopPosts(from).length, 1);
    assert.equal(h.sim.vehicle(phev).charging, false);
  });

  it('the limit is an extra of the monitor plan: moved, its monitor is updated in place (PUT, spec-valid); removed, deleted; never beyond five', async () => {
    h.sim.control.setVehicle(phev, { level: 60, plugged: true, charging: false });
    const account = h.account();
    await account.start();
    const callbackId = account.callbackId ?? '';
    const inspector = h.inspector();
    const ours = async () => (await inspector.listMonitors(phev, callbackId)).filter((m) => String(m.monitor?.label).includes(':chargeLimit:'));
    const from = h.sim.calls.length;
    account.setChargeLimit(phev, 75);
    await until(() => account.monitorsOf(phev).monitors.some((m) => m.key === 'chargeLimit' && m.monitorId), 5000);
    assert.equal((await ours()).length, 1);
    assert.ok((await inspector.listMonitors(phev, callbackId)).length <= 5);

    const moveFrom = h.sim.calls.length;
    account.setChargeLimit(phev, 85);
    await until(() => callsMatching(h.sim, { method: 'PUT', path: /\/monitors\/[^/]+$/ }, moveFrom).length === 1, 5000);
    const put = callsMatching(h.sim, { method: 'PUT', path: /\/monitors\/[^/]+$/ }, moveFrom)[0];
    assert.deepEqual(specProblems(put), []);
    assert.match(JSON.stringify(put.body), /"value":\["85"\]/);
    assert.equal(callsMatching(h.sim, MONITOR_POSTS, moveFrom).length, 0, 'moved, not duplicated');
    const listed = await ours();
    assert.equal(listed.length, 1);

    const offFrom = h.sim.calls.length;
    account.setChargeLimit(phev, null);
    await until(() => callsMatching(h.sim, { method: 'DELETE', path: /\/monitors\/[^/]+$/ }, offFrom).length === 1, 5000);
    assert.equal((await ours()).length, 0);
    assert.equal(callsMatching(h.sim, STATUS_READS, from).length, 0, 'changing the limit never reads the car');
    assert.equal(callsMatching(h.sim, REMOTE_POSTS, from).length, 0, 'nor sends it anything');
  });

  it('says why it did not act when the stop fails, and a bad percentage is refused', async () => {
    h.sim.control.setVehicle(phev, { level: 70, plugged: true, charging: false });
    const account = h.account();
    const events: ChargeLimitEvent[] = [];
    account.on('chargeLimit', (e) => events.push(e));
    await account.start();
    assert.throws(() => account.setChargeLimit(phev, 150), /percent.*20 to 100/);
    assert.throws(() => account.setChargeLimit(phev, 8.5), /whole number/);
    account.setChargeLimit(phev, 71);
    await until(() => callsMatching(h.sim, MONITOR_POSTS).filter((c) => JSON.stringify(c.body).includes('greaterThan')).length === 1, 5000);
    // The car goes out of reach just as the level passes the limit: the stop cannot reach it.
    h.sim.control.setVehicle(phev, { charging: true });
    await until(() => h.sim.vehicle(phev).level >= 71, 5000);
    h.sim.control.setVehicle(phev, { online: false });
    await until(() => events.some((e) => e.kind === 'not-stopped' || e.kind === 'stopped'), 8000);
    const e = events.find((x) => x.kind === 'not-stopped');
    assert.ok(e, JSON.stringify(events));
    assert.match(e.text, /passed the limit of 71 % but/);
  });
});
