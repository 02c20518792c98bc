import { strict as assert } from 'assert';
import { specFor, webhookSpec } from '../helpers/spec';
import { finished, rig, waitFor, type Rig } from './harness';
import { conforms } from './specCheck';
import { perTest } from '../helpers/perTest';

const MONITOR = {
  label: 'lock watch',
  triggerParam: {
    triggers: [
      { name: 'lock', data: { data: 'vehicle.doorsState.lockedState', op: 'onChange' } },
      { name: 'level', data: { data: 'vehicle.energy.electric.level', op: 'onChange' } },
    ],
    boolExp: 'lock || level',
  },
};

describe('simulator: answers conform to the official specs', () => {
  let r: Rig;
  perTest(() => rig({ rateLimit: { perSecond: 1000 } }), (x) => x.stop(), (x) => (r = x));

  it('B2C: user, vehicles (paged), vehicle, status (EV and thermal, with and without position)', async () => {
    await conforms(r, 'b2c', 'GET', '/user');
    const page1 = await conforms(r, 'b2c', 'GET', '/user/vehicles?pageSize=1');
    assert.equal(page1.body.totalPage, 2);
    await conforms(r, 'b2c', 'GET', '/user/vehicles?indexRange=1-');
    for (const id of [r.ev, r.thermal]) {
      await conforms(r, 'b2c', 'GET', `/user/vehicles/${id}`);
      await conforms(r, 'b2c', 'GET', `/user/vehicles/${id}/status`);
    }
    r.sim.control.setVehicle(r.ev, { plugged: true, charging: true, preconditioning: true, privacy: 'Geolocation' });
    const st = await conforms(r, 'b2c', 'GET', `/user/vehicles/${r.ev}/status`);
    assert.equal(st.body.lastPosition, undefined, 'no position with privacy Geolocation');
    await conforms(r, 'b2c', 'GET', `/user/vehicles/${r.thermal}/status`);
    const thermal = await r.client.b2c<{ energies: Array<{ type: string }> }>('GET', `/user/vehicles/${r.thermal}/status`);
    assert.deepEqual(thermal.body.energies.map((e) => e.type), ['Fuel']);
  });

  it('B2C: errors validate (401, 403, 404, 400, 429)', async () => {
    const res401 = await r.client.b2c('GET', '/user', undefined, { headers: { authorization: '' } });
    assert.deepEqual(specFor('b2c').validateResponse('GET', '/user', 401, res401.body), []);
    await conforms(r, 'b2c', 'GET', `/user/vehicles/${r.sim.foreignVehicleId}`, undefined, 403);
    await conforms(r, 'b2c', 'GET', '/user/vehicles/unknown', undefined, 404);
    await conforms(r, 'b2c', 'POST', `/user/vehicles/${r.ev}/callbacks/${r.callbackId}/remotes`, { door: { state: 'Ajar' } }, 400);
    r.sim.control.setRateLimit({ perSecond: 0 });
    await conforms(r, 'b2c', 'GET', '/user', undefined, 429);
  });

  it('B2C: callbacks (list paged, create, get, put, status, delete)', async () => {
    const body = { label: 'second', type: ['Remote'], callback: { webhook: { name: 'n', target: r.receiver.url } } };
    assert.deepEqual(specFor('b2c').validateRequest('POST', '/user/callbacks', {}, body), []);
    const created = await conforms(r, 'b2c', 'POST', '/user/callbacks', body);
    const id = String(created.body.callbackId);
    const list = await conforms(r, 'b2c', 'GET', '/user/callbacks?pageSize=1');
    assert.equal(list.body.total, 2);
    const next = (list.body._links as { next: { href: string } }).next.href;
    const page2 = await conforms(r, 'b2c', 'GET', `/user/callbacks?${next.split('?')[1]}`);
    assert.equal(page2.body.currentPage, 2);
    const one = await conforms(r, 'b2c', 'GET', `/user/callbacks/${id}`);
    assert.deepEqual(one.body.subscribe, body);
    await conforms(r, 'b2c', 'PUT', `/user/callbacks/${id}`, { ...body, label: 'renamed' });
    const paused = await conforms(r, 'b2c', 'PUT', `/user/callbacks/${id}/status`, { status: 'Paused' });
    assert.equal(paused.body.status, 'Paused');
    const del = await r.client.b2c('DELETE', `/user/callbacks/${id}`);
    assert.equal(del.status, 204);
    assert.deepEqual(specFor('b2c').validateResponse('DELETE', `/user/callbacks/${id}`, 204, undefined), []);
  });

  it('B2C: remotes (send, list, get) and every notification validates against the webhook template', async () => {
    const bodies = [
      { label: 'lock', door: { state: 'Unlocked' } },
      { horn: { state: 'Activated' } },
      { lights: { on: true } },
      { wakeUp: { action: 'WakeUp' } },
      { charging: { immediate: true } },
      { preconditioning: { airConditioning: { immediate: true } } },
      { navigation: { positions: [{ type: 'Point', coordinates: [2.29, 48.85] }] } },
    ];
    const base = `/user/vehicles/${r.ev}/callbacks/${r.callbackId}/remotes`;
    for (const body of bodies) {
      assert.deepEqual(specFor('b2c').validateRequest('POST', base, {}, body), []);
      const sent = await conforms(r, 'b2c', 'POST', base, body);
      const id = String(sent.body.remoteActionId);
      await conforms(r, 'b2c', 'GET', `${base}/${id}`);
      await finished(r.receiver, id);
      await conforms(r, 'b2c', 'GET', `${base}/${id}`);
    }
    const list = await conforms(r, 'b2c', 'GET', `${base}?pageSize=3`);
    assert.equal(list.body.total, bodies.length);
    const wh = webhookSpec();
    assert.ok(r.receiver.requests.length > 0);
    for (const req of r.receiver.requests) assert.deepEqual(wh.validateMessage(req.body), []);
  });

  it('B2C: monitors (create, list, get, status, delete) and Monitor notifications validate', async () => {
    const base = `/user/vehicles/${r.ev}/callbacks/${r.callbackId}/monitors`;
    assert.deepEqual((specFor('b2c').validateRequest('POST', base, {}, MONITOR)), []);
    const created = await conforms(r, 'b2c', 'POST', base, MONITOR);
    const mid = String(created.body.monitorId);
    await conforms(r, 'b2c', 'GET', base);
    await conforms(r, 'b2c', 'GET', `${base}/${mid}`);
    r.sim.control.setVehicle(r.ev, { locked: false });
    await waitFor(() => r.receiver.acknowledged().some((m) => m.type === 'Monitor'), 'a Monitor message');
    for (const req of r.receiver.requests) assert.deepEqual(webhookSpec().validateMessage(req.body), []);
    await conforms(r, 'b2c', 'PUT', `${base}/${mid}/status`, { status: 'Paused' });
    const del = await r.client.b2c('DELETE', `${base}/${mid}`);
    assert.equal(del.status, 204);
  });

  it('B2B: vehicles, status, remote callbacks, remotes incl. stolen and immobilization', async () => {
    const fleet = `/fleets/${r.sim.account.fleetId}`;
    await conforms(r, 'b2b', 'GET', `${fleet}/vehicles`);
    await conforms(r, 'b2b', 'GET', `${fleet}/vehicles/${r.ev}`);
    await conforms(r, 'b2b', 'GET', `${fleet}/vehicles/${r.ev}/status`);
    const sub = {
      label: 'fleet',
      remoteTypes: ['Stolen', 'Immobilization', 'Doors'],
      retryPolicy: { policy: 'Bounded', retryNumber: 3, retryDelay: 10 },
      batchNotify: { size: 10 },
      callback: { webhook: { name: 'h', target: r.receiver.url } },
    };
    assert.deepEqual(specFor('b2b').validateRequest('POST', `${fleet}/remote/callbacks`, {}, sub), []);
    const cb = await conforms(r, 'b2b', 'POST', `${fleet}/remote/callbacks`, sub);
    const cbid = String(cb.body.callbackId);
    await conforms(r, 'b2b', 'GET', `${fleet}/remote/callbacks`);
    await conforms(r, 'b2b', 'GET', `${fleet}/remote/callbacks/${cbid}`);
    await conforms(r, 'b2b', 'PUT', `${fleet}/remote/callbacks/${cbid}`, sub);
    await conforms(r, 'b2b', 'PUT', `${fleet}/remote/callbacks/${cbid}/status`, { status: 'Running' });
    const remotes = `${fleet}/vehicles/${r.thermal}/callbacks/${cbid}/remotes`;
    for (const body of [{ immobilization: { activate: true } }, { stolen: { stolen: true } }]) {
      assert.deepEqual(specFor('b2b').validateRequest('POST', remotes, {}, body), []);
      const sent = await conforms(r, 'b2b', 'POST', remotes, body);
      const id = String(sent.body.remoteActionId);
      assert.equal((await finished(r.receiver, id)).at(-1), 'Done Success');
      await conforms(r, 'b2b', 'GET', `${remotes}/${id}`);
    }
    assert.equal(r.sim.vehicle(r.thermal).stolen, true);
    assert.equal(r.sim.vehicle(r.thermal).immobilized, true);
    await conforms(r, 'b2b', 'GET', remotes);
    const locked = await conforms(r, 'b2b', 'POST', remotes, { door: { state: 'Unlocked' } });
    assert.deepEqual(
      await finished(r.receiver, String(locked.body.remoteActionId)),
      ['Pending Accepted', 'Pending CheckingVehicle', 'Done Failed NotPossibleDueToVehicleStolenState'],
    );
    const del = await r.client.b2b('DELETE', `${fleet}/remote/callbacks/${cbid}`);
    assert.equal(del.status, 204);
    // The webhook template is the B2C one: its RemoteType lacks the fleet-only Stolen and Immobilization,
    // so for those the type is checked against the B2B RemoteType instead.
    for (const m of r.receiver.acknowledged()) {
      const type = (m.remoteEvent as { remoteType: string }).remoteType;
      const fleetOnly = type === 'Stolen' || type === 'Immobilization';
      const problems = webhookSpec()
        .validateMessage(m)
        .filter((p) => !(fleetOnly && p.startsWith('Message/remoteEvent/remoteType:')));
      assert.deepEqual(problems, []);
      assert.deepEqual(specFor('b2b').validateSchema('RemoteType', type), []);
    }
  });
});
