import { strict as assert } from 'node:assert';
import { VEHICLE_PRESETS } from '../../src/simulator';
import { finished, rig, waitFor, type Rig } from './harness';
import { conforms } from './specCheck';

type Json = Record<string, unknown>;
type Entry = Json & { type: string; extension?: { electric?: { charging?: Json; battery?: Json } }; charging?: Json; battery?: Json };

async function status(r: Rig, id: string): Promise<Json> {
  return (await conforms(r, 'b2c', 'GET', `/user/vehicles/${id}/status`)).body;
}

async function control(r: Rig, knob: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${r.sim.url}/_simulator/control/${knob}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Json };
}

function electricOf(list: unknown): Entry {
  const e = (list as Entry[]).find((x) => x.type === 'Electric');
  assert.ok(e, 'an Electric entry');
  return e;
}

describe('simulator: status bodies as cars send them', () => {
  let r: Rig;
  afterEach(async () => {
    await r.stop();
  });

  it('current shape: energies[].extension.electric and the legacy energy[] in one body, field durations and blocks', async () => {
    r = await rig({ rateLimit: { perSecond: 1000 } });
    const st = await status(r, r.ev);
    const current = electricOf(st.energies);
    const charging = current.extension?.electric?.charging as Json;
    assert.deepEqual([charging.nextDelayedTime, charging.remainingTime, charging.schedule], ['PT0S', 'PT0S', []]);
    const battery = current.extension?.electric?.battery as { health: Json; load: Json };
    assert.deepEqual([battery.health.capacity, battery.health.resistance], [96, 15]);
    assert.deepEqual([battery.load.capacity, battery.load.residual], [46000, 28520]);
    const legacy = electricOf(st.energy);
    assert.equal(legacy.extension, undefined);
    const { schedule: _schedule, ...direct } = charging;
    assert.deepEqual(legacy.charging, direct, 'the legacy entry carries the same charging block directly');
    assert.deepEqual(legacy.battery, { health: { capacity: 96, resistance: 15 } });
    assert.deepEqual(st.battery, { createdAt: st.createdAt, voltage: 92, current: 0 });
    assert.equal((st.alarm as { status: Json }).status.activation, 'Deactive');
    for (const block of ['adas', 'engines', 'powertrain', 'lightingSystem', 'drivingBehavior', 'preconditionning']) assert.ok(st[block], block);
    assert.equal((st.environment as { luminosity: Json }).luminosity.day, true);
    const programs = (st.preconditioning as { airConditioning: { programs: Json[] } }).airConditioning.programs;
    assert.deepEqual(programs.map((p) => [p.slot, p.start, p.occurence]), [[1, 'PT0S', null], [2, 'PT0S', null], [3, 'PT0S', null], [4, 'PT0S', null]]);
    assert.deepEqual(
      (st.doorsState as { opening: Json[] }).opening.map((o) => o.identifier),
      ['Trunk', 'Driver', 'Passenger', 'RearLeft', 'RearRight', 'RearWindow', 'RoofWindow'],
    );

    // A deferred charge reads back as the start counted from midnight; charging shows a remaining time.
    r.sim.control.setVehicle(r.ev, { plugged: true });
    const later = await r.client.remote(r.ev, r.callbackId, { charging: { schedule: { nextDelayedTime: '2030-01-31T22:31:00Z' } } });
    assert.equal((await finished(r.receiver, later.body.remoteActionId)).at(-1), 'Done Success');
    const deferred = electricOf((await status(r, r.ev)).energies).extension?.electric?.charging as Json;
    assert.equal(deferred.nextDelayedTime, 'PT22H31M');
    r.sim.control.setVehicle(r.ev, { charging: true });
    const now = electricOf((await status(r, r.ev)).energy).charging as Json;
    assert.match(String(now.remainingTime), /^PT(\d+H)?(\d+M)?$/);
    assert.notEqual(now.remainingTime, 'PT0S');
  });

  it('2021–2023 shape: energy[] only, charging and battery health directly in the Electric entry', async () => {
    r = await rig({ vehicles: [{ ...VEHICLE_PRESETS.older, id: 'old-ev', plugged: true }, { kind: 'thermal', id: 'old-308', statusShape: 'legacy2021' }] });
    const st = await status(r, 'old-ev');
    assert.equal(st.energies, undefined);
    assert.equal(st.adas, undefined);
    const e = electricOf(st.energy);
    assert.equal(e.extension, undefined);
    assert.deepEqual([e.charging?.plugged, e.charging?.status, e.charging?.nextDelayedTime], [true, 'Stopped', 'PT0S']);
    assert.deepEqual(e.battery, { health: { capacity: 96, resistance: 15 } });
    assert.deepEqual(st.battery, { createdAt: null, voltage: 92, current: null });
    await conforms(r, 'b2b', 'GET', `/fleets/${r.sim.account.fleetId}/vehicles/old-ev/status`);
    const thermal = await status(r, 'old-308');
    assert.deepEqual((thermal.energy as Entry[]).map((x) => x.type), ['Fuel']);
    // The shape is a knob too.
    r.sim.control.setVehicle('old-308', { statusShape: 'current' });
    assert.deepEqual(((await status(r, 'old-308')).energies as Entry[]).map((x) => x.type), ['Fuel']);
  });

  it('the 12 V level falls with each wake-up (not with a remote to an awake car) and recovers while charging or driving', async () => {
    r = await rig({ vehicles: [{ kind: 'electric', id: 'ev', asleep: true }, { kind: 'thermal' }], autoSleepSeconds: 0 });
    assert.equal((await control(r, 'setVehicle', { id: 'ev', patch: { battery12v: 80 } })).status, 200);
    const voltage = async () => (await status(r, 'ev')).battery as { voltage: number };
    const send = async (body: unknown) => (await finished(r.receiver, (await r.client.remote('ev', r.callbackId, body)).body.remoteActionId)).at(-1);

    assert.equal(await send({ door: { state: 'Unlocked' } }), 'Done Success'); // wakes the sleeping car
    assert.equal(r.sim.vehicle('ev').battery12v, 78);
    assert.equal(await send({ wakeUp: { action: 'WakeUp' } }), 'Done Success'); // a state refresh, car awake
    assert.equal(r.sim.vehicle('ev').battery12v, 76);
    assert.equal(await send({ door: { state: 'Locked' } }), 'Done Success'); // awake: no wake-up
    assert.equal(r.sim.vehicle('ev').battery12v, 76);
    r.sim.control.setVehicle('ev', { asleep: true });
    assert.equal(await send({ wakeUp: { action: 'WakeUp' } }), 'Done Success'); // one wake-up, counted once
    assert.equal(r.sim.vehicle('ev').battery12v, 74);
    assert.equal(r.sim.vehicle('ev').wakeUpsUsed, 2);
    assert.equal((await voltage()).voltage, 74);

    r.sim.control.setVehicle('ev', { plugged: true, charging: true });
    await waitFor(() => r.sim.vehicle('ev').battery12v >= 76, '12 V recovering while charging');
    r.sim.control.setVehicle('ev', { charging: false });
    const stopped = r.sim.vehicle('ev').battery12v;
    await new Promise((res) => setTimeout(res, 300));
    assert.equal(r.sim.vehicle('ev').battery12v, stopped, 'no recovery while parked');
    r.sim.control.setVehicle('ev', { moving: true });
    await waitFor(() => r.sim.vehicle('ev').battery12v >= stopped + 2, '12 V recovering while driving');
    const driving = await status(r, 'ev');
    assert.deepEqual([(driving.kinetic as Json).moving, (driving.ignition as Json).type], [true, 'Start']);
  });

  it('alarm, each opening and several lock states set through the control API appear in the status', async () => {
    r = await rig({ rateLimit: { perSecond: 1000 } });
    const set = await control(r, 'setVehicle', {
      id: r.ev,
      patch: { alarmActive: true, openings: { Trunk: true, RoofWindow: true }, lockedStates: ['RearDoorsLocked', 'Locked'] },
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    const st = await status(r, r.ev);
    assert.equal((st.alarm as { status: Json }).status.activation, 'Active');
    const doors = st.doorsState as { lockedStates: string[]; opening: Array<{ identifier: string; state: string }> };
    assert.deepEqual(doors.lockedStates, ['RearDoorsLocked', 'Locked']);
    const open = doors.opening.filter((o) => o.state === 'Open').map((o) => o.identifier);
    assert.deepEqual(open, ['Trunk', 'RoofWindow']);
    assert.equal(r.sim.vehicle(r.ev).doorsOpen, true, 'an open boot counts as a door');

    // A partial patch keeps the other openings; windows alone do not keep the car from locking.
    await control(r, 'setVehicle', { id: r.ev, patch: { openings: { Trunk: false, RearWindow: true }, locked: false } });
    const after = (await status(r, r.ev)).doorsState as typeof doors;
    assert.deepEqual(after.opening.filter((o) => o.state === 'Open').map((o) => o.identifier), ['RearWindow', 'RoofWindow']);
    assert.deepEqual(after.lockedStates, ['Unlocked']);
    const lock = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Locked' } });
    assert.equal((await finished(r.receiver, lock.body.remoteActionId)).at(-1), 'Done Success');

    for (const patch of [{ openings: { Bonnet: true } }, { lockedStates: ['Closed'] }, { alarmActive: 'yes' }, { battery12v: 140 }]) {
      const bad = await control(r, 'setVehicle', { id: r.ev, patch });
      assert.equal(bad.status, 400, JSON.stringify(patch));
      assert.match(String(bad.body.error), new RegExp(Object.keys(patch)[0]));
    }
  });
});
