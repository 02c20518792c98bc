/**
 * The monitor plan on the simulator (issue 14): compound monitors with the status attached, the
 * senses they drive, plan changes that touch only our monitors, and the five-per-car limit.
 */
import { strict as assert } from 'node:assert';
import { harnessPerTest, callsSince, until, sleep, describeCalls, type Harness } from './harness';
import type { VehicleSense, VehicleStateChange } from '../../src/engine/types';
import type { ResolvedVehicleConfig } from '../../src/config/resolved';

const GET = 'GET';
const POST = 'POST';

describe('engine: the monitor plan', function () {
  this.timeout(20_000);
  let h: Harness;
  let ev: string;

  harnessPerTest({ vehicles: 1 }, (started) => {
    h = started;
    ev = h.sim.vehicles[0].id;
  });

  const withVehicle = (patch: Partial<ResolvedVehicleConfig>) => ({ vehicles: [{ ...h.config.vehicles[0], ...patch }] });
  const ours = async (callbackId: string) => (await h.inspector().listMonitors(ev, callbackId)).filter((m) => m.monitor?.label?.startsWith('homebridge-stellantis:'));

  it('a monitor event with the status attached updates every part, with no status read', async () => {
    const account = h.account();
    await account.start();
    const count = callsSince(h.sim);
    const changes: VehicleStateChange[] = [];
    account.on('state', (c: VehicleStateChange) => changes.push(c));
    // One change the state monitor watches (the lock) and others it does not (level, 12 V, mileage).
    h.sim.control.setVehicle(ev, { level: 37, battery12v: 64, mileage: 12345 });
    h.sim.control.setVehicle(ev, { locked: !h.sim.vehicle(ev).locked });
    await until(() => account.stateOf(ev).battery?.level === 37, 3000, 'the level from the attached status');
    const state = account.stateOf(ev);
    assert.equal(state.battery12v?.level, 64);
    assert.equal(state.odometer?.km, 12345);
    assert.equal(state.doors?.lock, h.sim.vehicle(ev).locked ? 'locked' : 'unlocked');
    assert.ok(changes.every((c) => c.source === 'monitor'));
    await sleep(50);
    assert.equal(count(GET, '/status'), 0, describeCalls(h.sim));
  });

  it('a lock and a charge start: 1 POST each and 0 status reads (the state monitor covers doors and charging)', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(ev, { locked: false, plugged: true, charging: false });
    await sleep(50);
    const count = callsSince(h.sim);
    assert.equal((await account.send(ev, { kind: 'lock' }).done).result, 'Success');
    assert.equal((await account.send(ev, { kind: 'charge', on: true }).done).result, 'Success');
    await until(() => account.stateOf(ev).charging?.status === 'InProgress' && account.stateOf(ev).doors?.lock === 'locked', 3000, 'both confirmed');
    await sleep(100);
    assert.equal(count(POST, '/remotes'), 2);
    assert.equal(count(GET, '/status'), 0, describeCalls(h.sim));
    assert.equal(count(), 2, describeCalls(h.sim));
  });

  it('a part no monitor covers is read after the remote (features: doors off, so no lock trigger)', async () => {
    const account = h.account({ config: withVehicle({ features: { ...h.config.vehicles[0].features, doors: false } }) });
    await account.start();
    assert.deepEqual(account.monitorsOf(ev).uncovered.includes('doors'), true);
    const count = callsSince(h.sim);
    assert.equal((await account.send(ev, { kind: 'unlock' }).done).result, 'Success');
    await until(() => count(GET, '/status') === 1, 3000, 'the status read for the uncovered doors');
  });

  it('home zone: leaving and arriving drive the left/arrived senses and the home part', async () => {
    const home = { ...h.sim.vehicle(ev).position, radiusM: 200 };
    const account = h.account({ config: withVehicle({ home: { lat: home.lat, lon: home.lon, radiusM: 200 } }) });
    const senses: VehicleSense[] = [];
    account.on('sense', (s: VehicleSense) => senses.push(s));
    await account.start();
    assert.equal(account.stateOf(ev).home?.inside, true, 'at home from the first status read');
    assert.deepEqual(account.monitorsOf(ev).monitors.map((m) => m.key), ['state', 'arrive', 'leave', 'alarm', 'motion']);
    assert.deepEqual(account.monitorsOf(ev).dropped, ['charging']);
    const count = callsSince(h.sim);
    h.sim.control.setVehicle(ev, { position: { lat: home.lat + 0.05, lon: home.lon } });
    await until(() => senses.some((s) => s.kind === 'left'), 3000, 'left');
    assert.equal(account.stateOf(ev).home?.inside, false);
    h.sim.control.setVehicle(ev, { position: { lat: home.lat, lon: home.lon } });
    await until(() => senses.some((s) => s.kind === 'arrived'), 3000, 'arrived');
    assert.equal(account.stateOf(ev).home?.inside, true);
    assert.deepEqual(senses.map((s) => s.kind), ['left', 'arrived']);
    assert.equal(count(), 0, describeCalls(h.sim));
  });

  it('alarm triggered and plugged in: senses with the trigger type, no status read', async () => {
    const account = h.account();
    const senses: VehicleSense[] = [];
    account.on('sense', (s: VehicleSense) => senses.push(s));
    await account.start();
    h.sim.control.setVehicle(ev, { plugged: false, charging: false, alarmActive: true });
    await sleep(50);
    const count = callsSince(h.sim);
    h.sim.control.setVehicle(ev, { alarmTrigger: 'VolumetricBreakIn' });
    await until(() => senses.some((s) => s.kind === 'alarm'), 3000, 'the alarm');
    assert.equal(senses.find((s) => s.kind === 'alarm')?.triggerType, 'VolumetricBreakIn');
    h.sim.control.setVehicle(ev, { plugged: true });
    await until(() => senses.some((s) => s.kind === 'plugged'), 3000, 'plugged in');
    assert.equal(count(), 0, describeCalls(h.sim));
  });

  it('a plan change updates and deletes only our monitors, never anyone else’s, and never a sixth', async () => {
    const client = h.inspector();
    const other = await client.createCallback({ label: 'other-app', type: ['Monitor'], callback: { webhook: { name: 'o', target: 'http://127.0.0.1:9/x' } } });
    const theirs = await client.createMonitor(ev, other.callbackId, {
      label: 'other-app:odometer',
      triggerParam: { triggers: [{ name: 'odo', data: { data: 'vehicle.odometer', op: 'greaterThan', value: ['1'] } }], boolExp: 'odo' },
    });
    const first = h.account();
    await first.start();
    const callbackId = first.callbackId ?? '';
    assert.equal((await ours(callbackId)).length, 4);
    await first.stop();

    const count = callsSince(h.sim);
    const second = h.account({ config: withVehicle({ features: { ...h.config.vehicles[0].features, charging: false, battery: false } }) });
    await second.start();
    assert.equal(count('PUT', '/monitors/'), 1, `the state monitor updated in place\n${describeCalls(h.sim)}`);
    assert.equal(count('DELETE', '/monitors/'), 1, 'the charging monitor, no longer wanted');
    assert.equal(count(POST, '/monitors'), 0);
    const labels = (await ours(callbackId)).map((m) => m.monitor?.label?.split(':')[1]).sort();
    assert.deepEqual(labels, ['alarm', 'motion', 'state']);
    const all = await client.listMonitors(ev, other.callbackId);
    assert.deepEqual(all.map((m) => m.monitorId), [theirs.monitorId], 'theirs untouched');
    // Adding a home wants 5 of ours: with theirs that is a sixth, which the simulator refuses.
    await second.stop();
    const third = h.account({ config: withVehicle({ home: { lat: 48.8, lon: 2.3, radiusM: 300 } }) });
    const problems: string[] = [];
    third.on('problem', (p: { message: string }) => problems.push(p.message));
    await third.start();
    const mine = await ours(callbackId);
    assert.equal(mine.length + 1, 5, 'five monitors on the car, never more');
    assert.ok(problems.some((p) => /refused/.test(p)), problems.join('\n'));
  });
});
