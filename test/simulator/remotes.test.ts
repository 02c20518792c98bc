import { strict as assert } from 'assert';
import { finished, rig, sleep, steps, waitFor, type Rig } from './harness';
import { perTest } from '../helpers/perTest';

const AWAKE = ['Pending Accepted', 'Pending CheckingVehicle', 'Pending SentToVehicle'];

describe('simulator: remote notification sequences', () => {
  let r: Rig;
  perTest(() => rig(), (x) => x.stop(), (x) => (r = x));

  it('awake car: Accepted, CheckingVehicle, SentToVehicle, Done Success, and the state changes', async () => {
    assert.equal(r.sim.vehicle(r.ev).locked, true);
    const res = await r.client.remote(r.ev, r.callbackId, { label: 'unlock', door: { state: 'Unlocked' } });
    assert.equal(res.status, 202);
    assert.equal(res.body.type, 'Doors');
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), [...AWAKE, 'Done Success']);
    assert.equal(r.sim.vehicle(r.ev).locked, false);
    const status = await r.client.b2c<{ doorsState: { lockedStates: string[] } }>('GET', `/user/vehicles/${r.ev}/status`);
    assert.deepEqual(status.body.doorsState.lockedStates, ['Unlocked']);
  });

  it('asleep car: WakingUpVehicle before CheckingVehicle, and one wake-up is counted', async () => {
    r.sim.control.setVehicle(r.ev, { asleep: true });
    const res = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Unlocked' } });
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), [
      'Pending Accepted',
      'Pending WakingUpVehicle',
      'Pending CheckingVehicle',
      'Pending SentToVehicle',
      'Done Success',
    ]);
    assert.equal(r.sim.vehicle(r.ev).wakeUpsUsed, 1);
    assert.equal(r.sim.vehicle(r.ev).asleep, false);
  });

  it('the car falls asleep again after the inactivity delay (scaled)', async () => {
    const res = await r.client.remote(r.ev, r.callbackId, { horn: { state: 'Activated' } });
    await finished(r.receiver, res.body.remoteActionId);
    assert.equal(r.sim.vehicle(r.ev).asleep, false);
    // 300 simulated seconds at 0.001 = 300 ms
    await waitFor(() => r.sim.vehicle(r.ev).asleep, 'the car to fall asleep', 2000);
  });

  it('AlreadyDone when the car is already in the requested state (state unchanged)', async () => {
    const res = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Locked' } });
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), [...AWAKE, 'Done AlreadyDone']);
    assert.equal(r.sim.vehicle(r.ev).locked, true);
  });

  it('lock with a door open: Done Failed DoorsOpen', async () => {
    r.sim.control.setVehicle(r.ev, { locked: false, doorsOpen: true });
    const res = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Locked' } });
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), [...AWAKE, 'Done Failed DoorsOpen']);
    assert.equal(r.sim.vehicle(r.ev).locked, false);
  });

  it('offline car: VehicleConnectionTimeout about 120 simulated seconds after the request', async () => {
    r.sim.control.setVehicle(r.ev, { online: false });
    const t0 = Date.now();
    const res = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Unlocked' } });
    const s = await finished(r.receiver, res.body.remoteActionId);
    assert.deepEqual(s, ['Pending Accepted', 'Pending CheckingVehicle', 'Done Failed VehicleConnectionTimeout']);
    assert.ok(Date.now() - t0 >= 110, 'waited ~120 ms (120 s scaled)');
  });

  it('deep sleep: WakingUpVehicle then VehicleConnectionTimeout, no wake-up counted', async () => {
    r.sim.control.setVehicle(r.ev, { deepSleep: true });
    const res = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Unlocked' } });
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), [
      'Pending Accepted',
      'Pending WakingUpVehicle',
      'Done Failed VehicleConnectionTimeout',
    ]);
    assert.equal(r.sim.vehicle(r.ev).wakeUpsUsed, 0);
  });

  it('wake-up cap reached: Pending TooManyWakeUpsOverMonth then Done Failed TooManyWakeUpsOverMonth', async () => {
    r.sim.control.setVehicle(r.ev, { asleep: true });
    r.sim.control.exhaustWakeUps(r.ev);
    const res = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Unlocked' } });
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), [
      'Pending Accepted',
      'Pending TooManyWakeUpsOverMonth',
      'Done Failed TooManyWakeUpsOverMonth',
    ]);
    assert.equal(r.sim.vehicle(r.ev).asleep, true);
  });

  it('a second remote while one runs on the same car: Done Failed SameActionInProgress, the first completes', async () => {
    r.sim.control.setVehicle(r.ev, { asleep: true });
    const first = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Unlocked' } });
    const second = await r.client.remote(r.ev, r.callbackId, { lights: { on: true } });
    assert.equal(second.status, 202);
    assert.deepEqual(await finished(r.receiver, second.body.remoteActionId), ['Done Failed SameActionInProgress']);
    assert.equal((await finished(r.receiver, first.body.remoteActionId)).at(-1), 'Done Success');
  });

  it('another car is not blocked by a remote in progress', async () => {
    r.sim.control.setVehicle(r.ev, { asleep: true });
    const a = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Unlocked' } });
    const b = await r.client.remote(r.thermal, r.callbackId, { door: { state: 'Unlocked' } });
    assert.equal((await finished(r.receiver, b.body.remoteActionId)).at(-1), 'Done Success');
    assert.equal((await finished(r.receiver, a.body.remoteActionId)).at(-1), 'Done Success');
  });

  it('navigation skips Accepted and WakingUpVehicle, even for a sleeping car', async () => {
    r.sim.control.setVehicle(r.ev, { asleep: true });
    const positions = [{ type: 'Point', coordinates: [2.35, 48.85] }];
    const res = await r.client.remote(r.ev, r.callbackId, { navigation: { positions } });
    assert.equal(res.body.type, 'Navigation');
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), ['Pending CheckingVehicle', 'Pending SentToVehicle', 'Done Success']);
    assert.deepEqual(r.sim.vehicle(r.ev).lastDestination, [[2.35, 48.85]]);
    assert.equal(r.sim.vehicle(r.ev).wakeUpsUsed, 0);
  });

  it('charging a thermal car: Done Failed WrongCommand before reaching the car', async () => {
    const res = await r.client.remote(r.thermal, r.callbackId, { charging: { immediate: true } });
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), ['Pending Accepted', 'Pending CheckingVehicle', 'Done Failed WrongCommand']);
  });

  it('charging an unplugged EV: Done Failed ExternalChargingSystemError', async () => {
    const res = await r.client.remote(r.ev, r.callbackId, { charging: { immediate: true } });
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), [...AWAKE, 'Done Failed ExternalChargingSystemError']);
  });

  it('charging a plugged EV: InProgress, the level rises over (scaled) time, stop sets Stopped', async () => {
    r.sim.control.setVehicle(r.ev, { plugged: true, level: 50 });
    const start = await r.client.remote(r.ev, r.callbackId, { charging: { immediate: true } });
    assert.equal((await finished(r.receiver, start.body.remoteActionId)).at(-1), 'Done Success');
    assert.equal(r.sim.vehicle(r.ev).chargingStatus, 'InProgress');
    await waitFor(() => r.sim.vehicle(r.ev).level >= 53, 'the level to rise', 3000);
    type S = { energies: Array<{ type: string; level: number; extension: { electric: { charging: { status: string; plugged: boolean } } } }> };
    const status = await r.client.b2c<S>('GET', `/user/vehicles/${r.ev}/status`);
    const energy = status.body.energies[0];
    assert.equal(energy.type, 'Electric');
    assert.ok(energy.level > 50);
    assert.equal(energy.extension.electric.charging.status, 'InProgress');
    const stop = await r.client.remote(r.ev, r.callbackId, { charging: { immediate: false } });
    assert.equal((await finished(r.receiver, stop.body.remoteActionId)).at(-1), 'Done Success');
    assert.equal(r.sim.vehicle(r.ev).chargingStatus, 'Stopped');
    const level = r.sim.vehicle(r.ev).level;
    await sleep(150);
    assert.equal(r.sim.vehicle(r.ev).level, level, 'no charging once stopped');
  });

  it('charging reaches 100 % and Finishes', async () => {
    r.sim.control.setVehicle(r.ev, { plugged: true, level: 98 });
    const start = await r.client.remote(r.ev, r.callbackId, { charging: { immediate: true } });
    await finished(r.receiver, start.body.remoteActionId);
    await waitFor(() => r.sim.vehicle(r.ev).chargingStatus === 'Finished', 'Finished', 3000);
    assert.equal(r.sim.vehicle(r.ev).level, 100);
    assert.equal(r.sim.vehicle(r.ev).charging, false);
  });

  it('preconditioning on then off, and programs set into slots', async () => {
    const on = await r.client.remote(r.ev, r.callbackId, { preconditioning: { airConditioning: { immediate: true } } });
    assert.equal(on.body.type, 'ThermalPreconditioning');
    assert.equal((await finished(r.receiver, on.body.remoteActionId)).at(-1), 'Done Success');
    assert.equal(r.sim.vehicle(r.ev).preconditioningStatus, 'Enabled');
    const off = await r.client.remote(r.ev, r.callbackId, { preconditioning: { airConditioning: { immediate: false } } });
    assert.equal((await finished(r.receiver, off.body.remoteActionId)).at(-1), 'Done Success');
    assert.equal(r.sim.vehicle(r.ev).preconditioningStatus, 'Disabled');
    const program = { slot: 2, enabled: true, recurrence: 'Daily', start: 'PT7H30M', occurence: { day: ['Mon', 'Fri'] }, actionsType: 'Set' };
    const prog = await r.client.remote(r.ev, r.callbackId, { preconditioning: { airConditioning: { programs: [program] } } });
    assert.equal((await finished(r.receiver, prog.body.remoteActionId)).at(-1), 'Done Success');
    assert.deepEqual(
      r.sim.vehicle(r.ev).preconditioningPrograms.map((p) => [p.slot, p.start, p.occurence.day.join()]),
      [[2, 'PT7H30M', 'Mon,Fri']],
    );
  });

  it('GET remotes and GET remote by id show the same states as the notifications', async () => {
    r.sim.control.setVehicle(r.ev, { doorsOpen: true, locked: false });
    const res = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Locked' } });
    const id = res.body.remoteActionId;
    const base = `/user/vehicles/${r.ev}/callbacks/${r.callbackId}/remotes`;
    const during = await r.client.b2c<{ status: string }>('GET', `${base}/${id}`);
    assert.equal(during.status, 200);
    assert.ok(['Accepted', 'CheckingVehicle', 'SentToVehicle'].includes(during.body.status), during.body.status);
    await finished(r.receiver, id);
    const one = await r.client.b2c<{ status: string; failureCause: string; type: string }>('GET', `${base}/${id}`);
    assert.deepEqual([one.body.status, one.body.failureCause, one.body.type], ['Failed', 'DoorsOpen', 'Doors']);
    const list = await r.client.b2c<{ total: number; _embedded: { remoteActions: Array<{ remoteActionId: string; status: string; failureCause: string }> } }>('GET', base);
    assert.equal(list.body.total, 1);
    assert.deepEqual(list.body._embedded.remoteActions.map((x) => [x.remoteActionId, x.status, x.failureCause]), [[id, 'Failed', 'DoorsOpen']]);
  });

  it('B2C refuses stolen (not in the B2C body schema) with 400, before any notification', async () => {
    const res = await r.client.remote(r.ev, r.callbackId, { stolen: { stolen: true } });
    assert.equal(res.status, 400);
    await sleep(50);
    assert.equal(r.receiver.requests.length, 0);
  });

  it('each notification carries callbackId, type Remote, date, remoteActionId and remoteType', async () => {
    const res = await r.client.remote(r.ev, r.callbackId, { lights: { on: true } });
    await finished(r.receiver, res.body.remoteActionId);
    for (const m of r.receiver.acknowledged()) {
      assert.equal(m.callbackId, r.callbackId);
      assert.equal(m.type, 'Remote');
      assert.ok(!Number.isNaN(Date.parse(String(m.date))));
      assert.deepEqual(Object.keys(m.remoteEvent as object).sort(), ['eventStatus', 'remoteActionId', 'remoteType']);
      assert.equal((m.remoteEvent as { remoteType: string }).remoteType, 'Lights');
    }
    assert.equal(steps(r.receiver, res.body.remoteActionId).length, 4);
  });
});
