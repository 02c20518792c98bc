import { strict as assert } from 'assert';
import { VEHICLE_PRESETS } from '../../src/simulator';
import { buildRemoteBody } from '../../src/stellantis/remoteBody';
import { readVehicleStatus } from '../../src/stellantis/vehicleState';
import type { ChargeProgram } from '../../src/stellantis/actions';
import { finished, rig, sleep, waitFor, type Rig } from './harness';
import { conforms } from './specCheck';

type MonitorMessage = { type: string; monitorEvent: { monitorId: string; values: Array<{ data: string; value: { body: { literalValue: string } } }> } };

const OFF_PEAK: ChargeProgram = { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '22:30', end: '06:30', enabled: true };

function body(programs: ChargeProgram[]) {
  return buildRemoteBody({ kind: 'charge-programs', programs }, { flavour: 'b2c', label: 'test' });
}

describe('simulator: charging programs', () => {
  let r: Rig;
  const id = (p: string) => `car-${p}`;
  beforeEach(async () => {
    r = await rig({
      vehicles: [
        { ...VEHICLE_PRESETS.ev, id: id('ev'), plugged: true, level: 40 },
        { ...VEHICLE_PRESETS.phev, id: id('phev') },
        { ...VEHICLE_PRESETS.older, id: id('older') },
      ],
      rateLimit: { perSecond: 1000 },
    });
  });
  afterEach(async () => {
    await r.stop();
  });

  async function send(vehicle: string, programs: ChargeProgram[]): Promise<string[]> {
    const res = await r.client.remote(vehicle, r.callbackId, body(programs));
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.type, 'ElectricBatteryChargingRequest');
    return finished(r.receiver, res.body.remoteActionId);
  }

  async function status(vehicle: string) {
    return (await conforms(r, 'b2c', 'GET', `/user/vehicles/${vehicle}/status`)).body;
  }

  it('keeps the list sent, whole, and shows it in the status (spec shape; the field\'s [] without programs)', async () => {
    const before = await status(id('ev'));
    const charging = (b: Record<string, unknown>) =>
      ((b.energies as Array<{ type: string; extension: { electric: { charging: Record<string, unknown> } } }>).find((e) => e.type === 'Electric')?.extension.electric.charging ?? {});
    assert.deepEqual(charging(before).schedule, [], 'no programs: the field shape');
    assert.deepEqual(readVehicleStatus(before).charging?.programs, []);

    const weekend: ChargeProgram = { days: ['Sat', 'Sun'], start: '01:00', enabled: false };
    assert.deepEqual((await send(id('ev'), [OFF_PEAK, weekend])).at(-1), 'Done Success');
    const after = await status(id('ev'));
    assert.deepEqual(charging(after).schedule, {
      programs: [
        { start: 'PT22H30M', end: 'PT6H30M', enabled: true, occurence: { day: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] }, chargeUntilFull: false },
        { start: 'PT1H0M', enabled: false, occurence: { day: ['Sat', 'Sun'] }, chargeUntilFull: true },
      ],
    });
    assert.deepEqual(readVehicleStatus(after).charging?.programs, [
      { slot: 1, enabled: true, days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '22:30', end: '06:30', chargeUntilFull: false },
      { slot: 2, enabled: false, days: ['Sat', 'Sun'], start: '01:00', chargeUntilFull: true },
    ]);

    // The list replaces the car's: one program sent, one kept; an empty list removes them all.
    await send(id('ev'), [weekend]);
    assert.equal(readVehicleStatus(await status(id('ev'))).charging?.programs?.length, 1);
    await send(id('ev'), []);
    assert.deepEqual(charging(await status(id('ev'))).schedule, []);
  });

  it('a plugged-in car starts charging at an enabled program\'s start on its day and stops at its end; monitors see it', async () => {
    const monitor = await r.client.b2c<{ monitorId: string }>('POST', `/user/vehicles/${id('ev')}/callbacks/${r.callbackId}/monitors`, {
      label: 'charging status',
      triggerParam: { triggers: [{ name: 's', data: { data: 'vehicle.energy.charging.status', op: 'onChange' } }], boolExp: 's' },
    });
    assert.equal(monitor.status, 202);
    r.sim.control.setClock('2024-06-03T22:00:00Z'); // a Monday, 22:00 (the simulated car's time is UTC)
    await send(id('ev'), [OFF_PEAK]);
    await sleep(40);
    assert.equal(r.sim.vehicle(id('ev')).charging, false, 'before the window opens');

    r.sim.control.setClock('2024-06-03T22:30:00Z');
    assert.equal(r.sim.vehicle(id('ev')).chargingStatus, 'InProgress', 'the window opened');
    r.sim.control.setClock('2024-06-04T03:00:00Z'); // past midnight: still Monday's window
    assert.equal(r.sim.vehicle(id('ev')).charging, true);
    r.sim.control.setClock('2024-06-04T06:30:00Z');
    assert.equal(r.sim.vehicle(id('ev')).chargingStatus, 'Stopped', 'the window closed');
    const statuses = () =>
      (r.receiver.acknowledged() as unknown as MonitorMessage[])
        .filter((m) => m.type === 'Monitor' && m.monitorEvent.monitorId === monitor.body.monitorId)
        .map((m) => m.monitorEvent.values[0]?.value.body.literalValue);
    await waitFor(() => statuses().length >= 2, 'the monitor events');
    assert.deepEqual(statuses(), ['InProgress', 'Stopped']);
    const read = readVehicleStatus(await status(id('ev'))).charging;
    assert.equal(read?.status, 'Stopped');

    // Saturday is no day of the program; plugged in later within Tuesday's window, it starts then.
    r.sim.control.setClock('2024-06-08T22:45:00Z');
    assert.equal(r.sim.vehicle(id('ev')).charging, false, 'no window on Saturday');
    r.sim.control.setVehicle(id('ev'), { plugged: false });
    r.sim.control.setClock('2024-06-04T22:40:00Z');
    assert.equal(r.sim.vehicle(id('ev')).charging, false, 'not plugged in');
    r.sim.control.setVehicle(id('ev'), { plugged: true });
    assert.equal(r.sim.vehicle(id('ev')).charging, true, 'plugged in within the window');
    // Stopped by hand within the window: it stays stopped.
    assert.deepEqual((await finished(r.receiver, (await r.client.remote(id('ev'), r.callbackId, { charging: { immediate: false } })).body.remoteActionId)).at(-1), 'Done Success');
    r.sim.control.setClock('2024-06-04T23:00:00Z');
    await sleep(40);
    assert.equal(r.sim.vehicle(id('ev')).charging, false, 'the window acts once');
  });

  it('a disabled program does nothing; a program without an end charges on past where an end would be', async () => {
    r.sim.control.setClock('2024-06-03T00:50:00Z');
    await send(id('ev'), [{ ...OFF_PEAK, start: '01:00', end: '02:00', enabled: false }, { days: ['Mon'], start: '03:00', enabled: true }]);
    r.sim.control.setClock('2024-06-03T01:30:00Z');
    assert.equal(r.sim.vehicle(id('ev')).charging, false, 'disabled');
    r.sim.control.setClock('2024-06-03T03:00:00Z');
    assert.equal(r.sim.vehicle(id('ev')).charging, true);
    r.sim.control.setClock('2024-06-04T03:30:00Z');
    assert.equal(r.sim.vehicle(id('ev')).charging, true, 'no end: the car stops by itself (full)');
  });

  it('refuses programs on a car without them (40030) and more programs than the car keeps (40031), the car untouched', async () => {
    const older = await r.client.remote(id('older'), r.callbackId, body([OFF_PEAK]));
    assert.equal(older.status, 400);
    assert.equal((older.body as unknown as { code: number }).code, 40030);
    assert.match(JSON.stringify(older.body), /charge schedule programs/);
    const three = await r.client.remote(id('phev'), r.callbackId, body([OFF_PEAK, OFF_PEAK, OFF_PEAK]));
    assert.equal(three.status, 400);
    assert.equal((three.body as unknown as { code: number }).code, 40031);
    assert.match(JSON.stringify(three.body), /3 charge schedule programs sent; this vehicle keeps 2/);
    assert.deepEqual(r.sim.vehicle(id('phev')).chargePrograms, []);
    assert.deepEqual((await send(id('phev'), [OFF_PEAK, OFF_PEAK])).at(-1), 'Done Success');
    assert.equal(r.sim.vehicle(id('phev')).chargePrograms.length, 2);
    // Only one of the two modes in one schedule.
    const both = await r.client.remote(id('ev'), r.callbackId, { charging: { schedule: { nextDelayedTime: '2030-01-01T00:00:00Z', programs: [] } } });
    assert.equal(both.status, 400);
    assert.match(JSON.stringify(both.body), /only one of the two modes/);
  });
});
