import { strict as assert } from 'assert';
import { finished, rig, sleep, waitFor, type Rig } from './harness';
import { perTest } from '../helpers/perTest';

function monitor(data: string, op = 'onChange', value?: string[]) {
  return { label: `watch ${data}`, triggerParam: { triggers: [{ name: 'watch', data: { data, op, ...(value ? { value } : {}) } }], boolExp: 'watch' } };
}

type MonitorMessage = { type: string; callbackId: string; monitorEvent: { monitorId: string; values: Array<{ data: string; value: { type: string; body: { literalValue: string } }; previous?: string }> } };

function monitorMessages(r: Rig): MonitorMessage[] {
  return r.receiver.acknowledged().filter((m) => m.type === 'Monitor') as unknown as MonitorMessage[];
}

describe('simulator: monitors', () => {
  let r: Rig;
  perTest(() => rig(), (x) => x.stop(), (x) => (r = x));

  const base = (r: Rig) => `/user/vehicles/${r.ev}/callbacks/${r.callbackId}/monitors`;

  it('a remote that locks the doors sends a Monitor message with the new value', async () => {
    const created = await r.client.b2c<{ monitorId: string; status: string }>('POST', base(r), monitor('vehicle.doorsState.lockedState'));
    assert.equal(created.status, 202);
    assert.equal(created.body.status, 'Running');
    r.sim.control.setVehicle(r.ev, { locked: false });
    const res = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Locked' } });
    await finished(r.receiver, res.body.remoteActionId);
    await waitFor(() => monitorMessages(r).length === 2, 'two monitor messages');
    const [first, second] = monitorMessages(r);
    assert.equal(first.callbackId, r.callbackId);
    assert.equal(first.monitorEvent.monitorId, created.body.monitorId);
    assert.deepEqual(first.monitorEvent.values, [{ data: 'vehicle.doorsState.lockedState', value: { type: 'string', body: { literalValue: 'Unlocked' } }, previous: 'Locked' }]);
    assert.equal(second.monitorEvent.values[0].value.body.literalValue, 'Locked');
  });

  it('electric level, charging status and preconditioning changes are monitored', async () => {
    for (const data of ['vehicle.energy.electric.level', 'vehicle.energy.charging.status', 'vehicle.preconditioning.airConditioning']) {
      assert.equal((await r.client.b2c('POST', base(r), monitor(data))).status, 202);
    }
    r.sim.control.setVehicle(r.ev, { plugged: true, level: 70 });
    const charge = await r.client.remote(r.ev, r.callbackId, { charging: { immediate: true } });
    await finished(r.receiver, charge.body.remoteActionId);
    const pre = await r.client.remote(r.ev, r.callbackId, { preconditioning: { airConditioning: { immediate: true } } });
    await finished(r.receiver, pre.body.remoteActionId);
    await waitFor(() => monitorMessages(r).some((m) => m.monitorEvent.values[0].data === 'vehicle.energy.electric.level' && m.monitorEvent.values[0].value.body.literalValue === '72'), 'level 72', 3000);
    const seen = new Set(monitorMessages(r).map((m) => `${m.monitorEvent.values[0].data}=${m.monitorEvent.values[0].value.body.literalValue}`));
    for (const want of ['vehicle.energy.electric.level=70', 'vehicle.energy.charging.status=Stopped', 'vehicle.energy.charging.status=InProgress', 'vehicle.preconditioning.airConditioning=Enabled']) {
      assert.ok(seen.has(want), `${want} in ${[...seen].join(' ')}`);
    }
  });

  it('equalsTo and lowerThan fire only when the condition becomes true', async () => {
    await r.client.b2c('POST', base(r), monitor('vehicle.doorsState.lockedState', 'equalsTo', ['Unlocked']));
    await r.client.b2c('POST', base(r), monitor('vehicle.energy.electric.level', 'lowerThan', ['20']));
    r.sim.control.setVehicle(r.ev, { locked: false });
    r.sim.control.setVehicle(r.ev, { locked: true });
    r.sim.control.setVehicle(r.ev, { level: 30 });
    r.sim.control.setVehicle(r.ev, { level: 19 });
    r.sim.control.setVehicle(r.ev, { level: 15 });
    await sleep(60);
    const values = monitorMessages(r).map((m) => `${m.monitorEvent.values[0].data}=${m.monitorEvent.values[0].value.body.literalValue}`);
    assert.deepEqual(values.sort(), ['vehicle.doorsState.lockedState=Unlocked', 'vehicle.energy.electric.level=19']);
  });

  it('at most 5 monitors per vehicle: the 6th is refused with 400; list and delete', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await r.client.b2c<{ monitorId: string }>('POST', base(r), monitor('vehicle.doorsState.lockedState'));
      assert.equal(res.status, 202);
      ids.push(res.body.monitorId);
    }
    const sixth = await r.client.b2c<{ code: number; message: string }>('POST', base(r), monitor('vehicle.doorsState.lockedState'));
    assert.equal(sixth.status, 400);
    assert.match(sixth.body.message, /5 monitors/);
    const list = await r.client.b2c<{ total: number; _embedded: { monitors: Array<{ monitorId: string }> } }>('GET', base(r));
    assert.deepEqual(list.body._embedded.monitors.map((m) => m.monitorId), ids);
    assert.equal((await r.client.b2c('DELETE', `${base(r)}/${ids[0]}`)).status, 204);
    assert.equal((await r.client.b2c('DELETE', `${base(r)}/${ids[0]}`)).status, 404);
    assert.equal((await r.client.b2c('POST', base(r), monitor('vehicle.doorsState.lockedState'))).status, 202);
  });

  it('a paused monitor sends nothing; a monitor body without label or triggers is refused', async () => {
    const created = await r.client.b2c<{ monitorId: string }>('POST', base(r), monitor('vehicle.doorsState.lockedState'));
    await r.client.b2c('PUT', `${base(r)}/${created.body.monitorId}/status`, { status: 'Paused' });
    r.sim.control.setVehicle(r.ev, { locked: false });
    await sleep(40);
    assert.equal(monitorMessages(r).length, 0);
    const bad = await r.client.b2c<{ message: string }>('POST', base(r), { triggerParam: {} });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /label/);
  });

  it('deleting the callback deletes its monitors', async () => {
    await r.client.b2c('POST', base(r), monitor('vehicle.doorsState.lockedState'));
    assert.equal((await r.client.b2c('DELETE', `/user/callbacks/${r.callbackId}`)).status, 204);
    const state = (await (await fetch(`${r.sim.url}/_simulator/state`)).json()) as { counters: { monitors: number } };
    assert.equal(state.counters.monitors, 0);
    r.sim.control.setVehicle(r.ev, { locked: false });
    await sleep(40);
    assert.equal(r.receiver.requests.length, 0);
  });
});
