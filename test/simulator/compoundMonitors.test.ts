import { strict as assert } from 'assert';
import { webhookSpec } from '../helpers/spec';
import { rig, sleep, waitFor, type Rig } from './harness';
import { conforms } from './specCheck';
import { perTest } from '../helpers/perTest';

type Value = { data: string; value: { type: string; body: { literalValue: string } }; previous?: string };
type Extension = { type: string; body: Array<Record<string, Record<string, unknown>>> };
type MonitorMessage = { type: string; monitorEvent: { monitorId: string; values: Value[]; extensions?: Extension[]; refresh: boolean } };

const HOME = { lat: 48.9, lon: 2.4 };
const AT_HOME = { lat: 48.9005, lon: 2.4005 };
const AWAY = { lat: 48.8584, lon: 2.2945 };

const data = (name: string, d: string, op: string, value?: string[]) => ({ name, data: { data: d, op, ...(value ? { value } : {}) } });
const zone = (name: string, transition: 'In' | 'Out') => ({ name, zone: { transition, place: { radius: 1, center: { latitude: HOME.lat, longitude: HOME.lon } } } });

function monitor(label: string, triggers: unknown[], boolExp: string, extra: Record<string, unknown> = {}) {
  return { label, triggerParam: { triggers, boolExp }, ...extra };
}

function messages(r: Rig, monitorId?: string): MonitorMessage[] {
  return (r.receiver.acknowledged() as unknown as MonitorMessage[]).filter((m) => m.type === 'Monitor' && (!monitorId || m.monitorEvent.monitorId === monitorId));
}

function literals(m: MonitorMessage): string[] {
  return m.monitorEvent.values.map((v) => `${v.data}=${v.value.body.literalValue}`);
}

function extension(m: MonitorMessage, type: string): Record<string, unknown> {
  const ext = m.monitorEvent.extensions?.find((e) => e.type === type);
  assert.ok(ext, `extension ${type} in ${JSON.stringify(m.monitorEvent.extensions)}`);
  return ext.body[0];
}

/** Waits until the simulator has no notification waiting. */
async function drained(r: Rig): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const state = (await (await fetch(`${r.sim.url}/_simulator/state`)).json()) as { counters: { waitingNotifications: number } };
    if (state.counters.waitingNotifications === 0) return;
    await sleep(10);
  }
  throw new Error('notifications still waiting');
}

/** Every message the receiver got is a valid webhook `Message`. */
function allValid(r: Rig): void {
  for (const req of r.receiver.requests) assert.deepEqual(webhookSpec().validateMessage(req.body), []);
}

describe('simulator: compound monitors (data, zone and time triggers, boolExp, extensions, reminders)', () => {
  let r: Rig;
  perTest(() => rig({ rateLimit: { perSecond: 1000 } }), (x) => x.stop(), (x) => (r = x));

  const base = () => `/user/vehicles/${r.ev}/callbacks/${r.callbackId}/monitors`;
  async function create(body: unknown): Promise<string> {
    const res = await conforms(r, 'b2c', 'POST', base(), body, 202);
    return String(res.body.monitorId);
  }

  it('data triggers fire when they turn true, not when they turn false: plugged, moving, openings (windows too), alarm, privacy', async () => {
    const plugged = await create(monitor('plug', [data('p', 'vehicle.energy.charging.plugged', 'equalsTo', ['true'])], 'p'));
    const moving = await create(monitor('drive', [data('m', 'vehicle.kinetic.moving', 'onChange')], 'm'));
    const opening = await create(monitor('open', [data('o', 'vehicle.doorsState.opening', 'onChange')], 'o'));
    const alarm = await create(monitor('alarm', [data('a', 'vehicle.alarm.status.activation', 'equalsTo', ['Active'])], 'a'));
    const privacy = await create(monitor('privacy', [data('pr', 'privacy.state', 'includedIn', ['Geolocation', 'Full'])], 'pr'));
    r.sim.control.setVehicle(r.ev, { plugged: true });
    r.sim.control.setVehicle(r.ev, { plugged: false });
    r.sim.control.setVehicle(r.ev, { moving: true });
    r.sim.control.setVehicle(r.ev, { moving: false });
    r.sim.control.setVehicle(r.ev, { openings: { RoofWindow: true } });
    r.sim.control.setVehicle(r.ev, { openings: { Trunk: true } });
    r.sim.control.setVehicle(r.ev, { alarmActive: true });
    r.sim.control.setVehicle(r.ev, { alarmActive: false });
    r.sim.control.setVehicle(r.ev, { privacy: 'Geolocation' });
    r.sim.control.setVehicle(r.ev, { privacy: 'Full' });
    r.sim.control.setVehicle(r.ev, { privacy: 'None' });
    await waitFor(() => messages(r, privacy).length === 1 && messages(r).length === 7, 'seven monitor messages');
    await sleep(40);
    assert.deepEqual(messages(r, plugged).map(literals), [['vehicle.energy.charging.plugged=true']]);
    assert.deepEqual(messages(r, moving).map(literals), [['vehicle.kinetic.moving=true'], ['vehicle.kinetic.moving=false']]);
    assert.deepEqual(messages(r, opening).map(literals), [['vehicle.doorsState.opening=RoofWindow'], ['vehicle.doorsState.opening=Trunk,RoofWindow']]);
    assert.deepEqual(messages(r, alarm).map(literals), [['vehicle.alarm.status.activation=Active']]);
    assert.deepEqual(messages(r, privacy).map(literals), [['privacy.state=Geolocation']]);
    assert.equal(messages(r, plugged)[0].monitorEvent.values[0].previous, 'false');
    assert.ok(messages(r).every((m) => m.monitorEvent.refresh === false));
    allValid(r);
  });

  it('greaterThan and previous: the level crosses the threshold once; previous restricts where it may come from', async () => {
    const above = await create(monitor('high', [data('h', 'vehicle.energy.electric.level', 'greaterThan', ['80'])], 'h'));
    const fromStopped = await create(
      monitor('start', [{ name: 's', data: { data: 'vehicle.energy.charging.status', op: 'equalsTo', value: ['InProgress'], previous: { op: 'equalsTo', value: ['Stopped'] } } }], 's'),
    );
    for (const level of [79, 81, 85, 70, 90]) r.sim.control.setVehicle(r.ev, { level });
    r.sim.control.setVehicle(r.ev, { plugged: true, charging: true }); // Disconnected → InProgress: not from Stopped
    r.sim.control.setVehicle(r.ev, { charging: false }); // → Stopped
    r.sim.control.setVehicle(r.ev, { charging: true }); // Stopped → InProgress: fires
    await waitFor(() => messages(r, fromStopped).length === 1, 'the charge start from Stopped');
    await sleep(30);
    assert.deepEqual(messages(r, above).map(literals), [['vehicle.energy.electric.level=81'], ['vehicle.energy.electric.level=90']]);
    assert.deepEqual(messages(r, fromStopped).map((m) => m.monitorEvent.values), [
      [{ data: 'vehicle.energy.charging.status', value: { type: 'string', body: { literalValue: 'InProgress' } }, previous: 'Stopped' }],
    ]);
  });

  it('zone triggers: entering (In) and leaving (Out) a circle fire once each, by teleport; none while the position is private', async () => {
    const arrive = await create(monitor('home in', [zone('home', 'In')], 'home', { extendedEventParam: ['vehicle.position'] }));
    const leave = await create(monitor('home out', [zone('away', 'Out')], 'away'));
    r.sim.control.setVehicle(r.ev, { position: AWAY });
    r.sim.control.setVehicle(r.ev, { position: AT_HOME });
    r.sim.control.setVehicle(r.ev, { position: { lat: AT_HOME.lat + 0.001, lon: AT_HOME.lon } }); // still inside
    await waitFor(() => messages(r, arrive).length === 1, 'the arrival');
    r.sim.control.setVehicle(r.ev, { position: AWAY });
    await waitFor(() => messages(r, leave).length === 1, 'the departure');
    r.sim.control.setVehicle(r.ev, { privacy: 'Geolocation' });
    r.sim.control.setVehicle(r.ev, { position: AT_HOME });
    await sleep(40);
    assert.equal(messages(r, arrive).length, 1, 'no arrival while the position is private');
    assert.equal(messages(r, leave).length, 1);
    const arrival = messages(r, arrive)[0];
    assert.deepEqual(arrival.monitorEvent.values, []);
    const position = extension(arrival, 'vehicle.position').position as { geometry: { coordinates: number[] } };
    assert.deepEqual(position.geometry.coordinates, [AT_HOME.lon, AT_HOME.lat], "the position where it entered");
    allValid(r);
  });

  it('a route from the control API: trip start, arrival in the zone, trip stop; position and mileage follow', async () => {
    const start = await create(monitor('trip start', [data('t', 'vehicle.trip.start', 'onChange')], 't', { extendedEventParam: ['vehicle.trip'] }));
    const stop = await create(monitor('trip stop', [data('t', 'vehicle.trip.stop', 'onChange')], 't', { extendedEventParam: ['vehicle.trip', 'vehicle.position'] }));
    const arrive = await create(monitor('home', [zone('home', 'In')], 'home'));
    r.sim.control.setVehicle(r.ev, { position: AWAY });
    const mileage = r.sim.vehicle(r.ev).mileage;
    r.sim.control.drive(r.ev, { route: [{ lat: 48.88, lon: 2.35 }, HOME], speedKmh: 250 });
    assert.equal(r.sim.vehicle(r.ev).moving, true);
    await waitFor(() => messages(r, stop).length === 1, 'the end of the trip', 10_000);
    const order = messages(r).map((m) => m.monitorEvent.monitorId);
    assert.deepEqual(order, [start, arrive, stop]);
    const v = r.sim.vehicle(r.ev);
    assert.equal(v.moving, false);
    assert.deepEqual(v.position, HOME);
    const [startValue] = messages(r, start)[0].monitorEvent.values;
    const [stopValue] = messages(r, stop)[0].monitorEvent.values;
    assert.equal(stopValue.value.body.literalValue, startValue.value.body.literalValue, 'the same trip id');
    const trip = extension(messages(r, stop)[0], 'vehicle.trip').trip as { distance: number; stoppedAt: string; id: string };
    assert.equal(trip.id, stopValue.value.body.literalValue);
    assert.ok(trip.distance > 8 && trip.distance < 12, `trip of ${trip.distance} km`);
    assert.ok(Math.abs(v.mileage - mileage - trip.distance) < 0.1, 'the odometer counted the trip');
    const status = await conforms(r, 'b2c', 'GET', `/user/vehicles/${r.ev}/status`);
    assert.deepEqual((status.body.lastPosition as { geometry: { coordinates: number[] } }).geometry.coordinates, [HOME.lon, HOME.lat]);
    allValid(r);
  });

  it('an alarm triggered from the control API: the trigger type event carries the alarm, as the status shows it', async () => {
    const id = await create(
      monitor('break-in', [data('b', 'vehicle.alarm.trigger.type', 'includedIn', ['VolumetricBreakIn', 'TrunkDoorBreakIn'])], 'b', { extendedEventParam: ['vehicle.alarm', 'vehicle.status'] }),
    );
    assert.throws(() => r.sim.control.setVehicle(r.ev, { alarmTrigger: 'VolumetricBreakIn' }), /not armed/);
    assert.throws(() => r.sim.control.setVehicle(r.ev, { alarmTrigger: 'Burglar' as never }), /alarmTrigger must be one of/);
    r.sim.control.setVehicle(r.ev, { alarmActive: true, alarmTrigger: 'VolumetricBreakIn' });
    await waitFor(() => messages(r, id).length === 1, 'the break-in');
    const m = messages(r, id)[0];
    assert.deepEqual(literals(m), ['vehicle.alarm.trigger.type=VolumetricBreakIn']);
    const alarm = extension(m, 'vehicle.alarm').alarm as { trigger: { type: string }; status: { activation: string } };
    assert.equal(alarm.trigger.type, 'VolumetricBreakIn');
    assert.equal(alarm.status.activation, 'Active');
    const status = await conforms(r, 'b2c', 'GET', `/user/vehicles/${r.ev}/status`);
    assert.deepEqual(extension(m, 'vehicle.status').status, status.body, 'the attached status is the status');
    assert.deepEqual(status.body.alarm, alarm);
    allValid(r);
  });

  it('extensions attached match the car: status, doors state, position', async () => {
    const id = await create(
      monitor('doors', [data('d', 'vehicle.doorsState.lockedState', 'onChange')], 'd', { extendedEventParam: ['vehicle.status', 'vehicle.doorsState', 'vehicle.position', 'vehicle.alerts'] }),
    );
    r.sim.control.setVehicle(r.ev, { openings: { Passenger: true } });
    r.sim.control.setVehicle(r.ev, { locked: false, level: 44, position: AT_HOME });
    await waitFor(() => messages(r, id).length === 1, 'the unlock');
    const m = messages(r, id)[0];
    assert.deepEqual(m.monitorEvent.extensions?.map((e) => e.type), ['vehicle.status', 'vehicle.doorsState', 'vehicle.position', 'vehicle.alerts']);
    const status = await conforms(r, 'b2c', 'GET', `/user/vehicles/${r.ev}/status`);
    assert.deepEqual(extension(m, 'vehicle.status').status, status.body);
    assert.deepEqual(extension(m, 'vehicle.doorsState').doorState, status.body.doorsState);
    assert.deepEqual(extension(m, 'vehicle.position').position, status.body.lastPosition);
    assert.deepEqual(m.monitorEvent.extensions?.[3].body, []);
    allValid(r);
  });

  it('boolExp: AND needs both, OR either, NOT inverts; a compound event lists the true data triggers', async () => {
    r.sim.control.setVehicle(r.ev, { position: AWAY });
    const both = await create(monitor('plugged at home', [data('plug', 'vehicle.energy.charging.plugged', 'equalsTo', ['true']), zone('home', 'In')], 'plug & home'));
    const either = await create(
      monitor('low or open', [data('low', 'vehicle.energy.electric.level', 'lowerThan', ['20']), data('open', 'vehicle.doorsState.opening', 'includedIn', ['Trunk'])], 'low || open'),
    );
    const awayUnplugged = await create(monitor('left unplugged', [data('plug', 'vehicle.energy.charging.plugged', 'equalsTo', ['true']), zone('home', 'In')], '!(plug | home)'));
    r.sim.control.setVehicle(r.ev, { plugged: true }); // plugged, away: no AND
    await sleep(30);
    assert.equal(messages(r, both).length, 0, 'AND with one side false');
    r.sim.control.setVehicle(r.ev, { position: AT_HOME });
    await waitFor(() => messages(r, both).length === 1, 'plugged at home');
    assert.deepEqual(literals(messages(r, both)[0]), ['vehicle.energy.charging.plugged=true']);
    r.sim.control.setVehicle(r.ev, { openings: { Trunk: true } });
    await waitFor(() => messages(r, either).length === 1, 'trunk open');
    r.sim.control.setVehicle(r.ev, { level: 10 }); // still true: no new event
    r.sim.control.setVehicle(r.ev, { openings: { Trunk: false } }); // low keeps it true
    r.sim.control.setVehicle(r.ev, { level: 50 }); // now false
    r.sim.control.setVehicle(r.ev, { level: 15 }); // true again
    await waitFor(() => messages(r, either).length === 2, 'low level');
    assert.deepEqual(messages(r, either).map(literals), [['vehicle.doorsState.opening=Trunk'], ['vehicle.energy.electric.level=15']]);
    assert.equal(messages(r, awayUnplugged).length, 0);
    r.sim.control.setVehicle(r.ev, { plugged: false, position: AWAY });
    await waitFor(() => messages(r, awayUnplugged).length === 1, 'NOT (plugged or home)');
    allValid(r);
  });

  it('time triggers: a daily window in a time zone fires when it opens, by the simulated clock', async () => {
    // 21:50 on a Monday in Paris (UTC+2 in summer): the 22:00 window opens 10 simulated minutes (600 ms) later.
    r.sim.control.setClock('2024-06-03T19:50:00Z');
    const evening = await create(
      monitor('evening', [{ name: 'night', time: { timeZone: 'Europe/Paris', times: [{ recurrence: 'Daily', start: 'PT22H', duration: 'PT1H', occurence: { day: ['Mon'] } }] } }], 'night'),
    );
    const tuesday = await create(
      monitor('tuesday', [{ name: 'night', time: { timeZone: 'Europe/Paris', times: [{ recurrence: 'Daily', start: 'PT22H', duration: 'PT1H', occurence: { day: ['Tue'] } }] } }], 'night'),
    );
    const pluggedLate = await create(
      monitor('plugged late', [data('plug', 'vehicle.energy.charging.plugged', 'equalsTo', ['true']), { name: 'late', time: { times: [{ start: 'PT22H', duration: 'PT1H' }] } }], 'plug & late'),
    );
    await sleep(20);
    assert.equal(messages(r).length, 0, 'the window is not open yet');
    await waitFor(() => messages(r, evening).length === 1, 'the window opening', 5000);
    assert.deepEqual(messages(r, evening)[0].monitorEvent.values, []);
    r.sim.control.setVehicle(r.ev, { plugged: true });
    await waitFor(() => messages(r, pluggedLate).length === 1, 'plugged within the window');
    r.sim.control.setClock('2024-06-03T22:30:00Z'); // 00:30 on Tuesday in Paris: outside every window
    r.sim.control.setVehicle(r.ev, { plugged: false });
    r.sim.control.setVehicle(r.ev, { plugged: true });
    await sleep(40);
    assert.equal(messages(r, pluggedLate).length, 1, 'plugged outside the window');
    assert.equal(messages(r, tuesday).length, 0, 'the Tuesday window stays closed on Monday');
    allValid(r);
  });

  it('reminders: refreshEvent repeats the event with refresh true while the expression holds, and stops after', async () => {
    const id = await create(monitor('open', [data('o', 'vehicle.doorsState.opening', 'includedIn', ['Trunk'])], 'o', { subscribeParam: { refreshEvent: 60 } }));
    r.sim.control.setVehicle(r.ev, { openings: { Trunk: true } });
    await waitFor(() => messages(r, id).length >= 3, 'the event and two reminders', 3000);
    r.sim.control.setVehicle(r.ev, { openings: { Trunk: false } });
    await drained(r); // what was queued before the close arrives
    const afterClose = messages(r, id).length;
    await sleep(200); // over three refresh periods (60 simulated s = 60 ms)
    const all = messages(r, id);
    assert.equal(all.length, afterClose, 'no reminders once false');
    assert.equal(all[0].monitorEvent.refresh, false);
    assert.ok(all.slice(1).every((m) => m.monitorEvent.refresh === true));
    assert.ok(all.every((m) => literals(m)[0] === 'vehicle.doorsState.opening=Trunk'));
    allValid(r);
  });

  it('refuses what the spec refuses: a refresh under 60 s, an always-true boolExp, unknown names, two kinds in one trigger', async () => {
    const refuse = async (body: unknown, pattern: RegExp) => {
      const res = await conforms(r, 'b2c', 'POST', base(), body, 400);
      assert.match(String(res.body.message), pattern);
    };
    await refuse(monitor('m', [data('o', 'vehicle.doorsState.opening', 'onChange')], 'o', { subscribeParam: { refreshEvent: 59 } }), /refreshEvent.*at least 60/);
    await refuse(monitor('m', [data('o', 'vehicle.doorsState.opening', 'onChange')], 'o | !o'), /always true/);
    await refuse(monitor('m', [data('o', 'vehicle.doorsState.opening', 'onChange')], 'o & x'), /"x", which is not one of the triggers/);
    await refuse(monitor('m', [{ ...zone('z', 'In'), data: { data: 'vehicle.odometer', op: 'onChange' } }], 'z'), /exactly one of data, zone or time/);
    await refuse(monitor('m', [data('o', 'vehicle.teleport', 'onChange')], 'o'), /data must be one of/);
    await refuse(monitor('m', [data('o', 'vehicle.odometer', 'onChange')], 'o', { extendedEventParam: ['vehicle.stolen'] }), /extendedEventParam "vehicle.stolen"/);
    const list = await r.client.b2c<{ total: number }>('GET', base());
    assert.equal(list.body.total, 0);
  });

  it('PUT replaces a monitor: the new triggers apply, the old no longer fire; GET shows the new parameter', async () => {
    const id = await create(monitor('m', [data('l', 'vehicle.doorsState.lockedState', 'onChange')], 'l'));
    const next = monitor('m2', [data('p', 'vehicle.energy.charging.plugged', 'onChange')], 'p');
    await conforms(r, 'b2c', 'PUT', `${base()}/${id}`, next, 202);
    const got = await conforms(r, 'b2c', 'GET', `${base()}/${id}`);
    assert.deepEqual(got.body.monitor, next);
    r.sim.control.setVehicle(r.ev, { locked: false });
    r.sim.control.setVehicle(r.ev, { plugged: true });
    await waitFor(() => messages(r, id).length === 1, 'the plug event');
    await sleep(30);
    assert.deepEqual(messages(r, id).map(literals), [['vehicle.energy.charging.plugged=true']]);
  });

  it('the sixth monitor of a car is refused with a 400 error the spec accepts; a PUT on a full car replaces in place; another car has room', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await create(monitor(`m${i}`, [data('o', 'vehicle.odometer', 'greaterThan', [String(i)])], 'o')));
    await conforms(r, 'b2c', 'PUT', `${base()}/${ids[0]}`, monitor('m0 again', [data('o', 'vehicle.odometer', 'onChange')], 'o'), 202);
    const listed = await conforms(r, 'b2c', 'GET', base());
    assert.equal(listed.body.total, 5);
    const sixth = await conforms(r, 'b2c', 'POST', base(), monitor('m5', [data('o', 'vehicle.odometer', 'onChange')], 'o'), 400);
    assert.equal(sixth.body.code, 40021);
    assert.match(String(sixth.body.message), /already has 5 monitors/);
    await conforms(r, 'b2c', 'POST', `/user/vehicles/${r.thermal}/callbacks/${r.callbackId}/monitors`, monitor('t', [data('o', 'vehicle.odometer', 'onChange')], 'o'), 202);
  });
});
