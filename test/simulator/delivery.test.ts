import { strict as assert } from 'assert';
import { startSimulator } from '../../src/simulator';
import { Client, finished, Receiver, rig, sleep, steps, waitFor, type Rig } from './harness';

type Msg = { remoteEvent?: { remoteActionId?: string; eventStatus?: { status: string } } };

function statuses(messages: unknown[], id: string): string[] {
  return (messages as Msg[]).filter((m) => m.remoteEvent?.remoteActionId === id).map((m) => m.remoteEvent?.eventStatus?.status ?? '?');
}

describe('simulator: webhook delivery', () => {
  let r: Rig;
  afterEach(async () => {
    await r.stop();
  });

  it('adds Header and Query attributes to the request and Body attributes to the message, with $vin/$callbackId/$callbackLabel', async () => {
    r = await rig();
    const cbid = await r.client.createCallback(r.receiver.url, {
      label: 'my-label',
      callback: {
        webhook: {
          name: 'hook',
          target: r.receiver.url,
          attributes: [
            { type: 'Header', key: 'X-Secret', value: 'top-secret' },
            { type: 'Header', key: 'X-Cb', value: '$callbackId' },
            { type: 'Query', key: 'vin', value: '$vin' },
            { type: 'Query', key: 'label', value: '$callbackLabel' },
            { type: 'Body', key: 'account', value: 'home' },
            { type: 'Body', key: 'car', value: '$vin' },
          ],
        },
      },
    });
    const res = await r.client.remote(r.ev, cbid, { horn: { state: 'Activated' } });
    await finished(r.receiver, res.body.remoteActionId);
    const vin = r.sim.vehicles[0].vin;
    for (const req of r.receiver.requests) {
      assert.equal(req.headers['x-secret'], 'top-secret');
      assert.equal(req.headers['x-cb'], cbid);
      assert.equal(req.headers['content-type'], 'application/json');
      assert.deepEqual(req.query, { vin, label: 'my-label' });
    }
    for (const m of r.receiver.acknowledged()) {
      assert.deepEqual(m.attributes, [
        { key: 'account', value: 'home' },
        { key: 'car', value: vin },
      ]);
    }
  });

  it('target down then up: every message delivered exactly once, waiting ones as one array batch, retried every 10 s (scaled)', async () => {
    r = await rig();
    r.receiver.answer = 500;
    const res = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Unlocked' } });
    const id = res.body.remoteActionId;
    await waitFor(() => r.sim.vehicle(r.ev).locked === false, 'the remote to run');
    await sleep(40);
    const failedAttempts = r.sim.deliveries.filter((d) => d.status === 500);
    assert.ok(failedAttempts.length >= 2, 'retried while down');
    const gaps = failedAttempts.slice(1).map((d, i) => d.at - failedAttempts[i].at);
    assert.ok(gaps.every((g) => g >= 8), `retries ~10 ms apart at 0.001 (gaps ${gaps.join(',')})`);
    const before = r.receiver.requests.length;
    r.receiver.answer = 200;
    await waitFor(() => r.sim.deliveries.some((d) => d.status === 200), 'a successful delivery');
    await sleep(50);
    const ok = r.receiver.requests.slice(before);
    // nothing was acknowledged before, so the successful requests hold every message exactly once
    const delivered = ok.flatMap((q) => (Array.isArray(q.body) ? q.body : [q.body]));
    assert.deepEqual(statuses(delivered, id), ['Accepted', 'CheckingVehicle', 'SentToVehicle', 'Success']);
    assert.ok(Array.isArray(ok[0].body), 'several waiting messages go as an array');
    assert.equal((ok[0].body as unknown[]).length, 4);
  });

  it('a single waiting message is sent as one object, not an array', async () => {
    r = await rig();
    const res = await r.client.remote(r.ev, r.callbackId, { horn: { state: 'Activated' } });
    await finished(r.receiver, res.body.remoteActionId);
    assert.ok(r.receiver.requests.some((q) => !Array.isArray(q.body)));
    for (const q of r.receiver.requests) if (Array.isArray(q.body)) assert.ok(q.body.length > 1);
  });

  it('a batch holds at most 100 messages', async () => {
    r = await rig();
    const monitor = {
      label: 'locks',
      triggerParam: { triggers: [{ name: 'lock', data: { data: 'vehicle.doorsState.lockedState', op: 'onChange' } }], boolExp: 'lock' },
    };
    const created = await r.client.b2c('POST', `/user/vehicles/${r.ev}/callbacks/${r.callbackId}/monitors`, monitor);
    assert.equal(created.status, 202);
    r.sim.control.pauseDelivery();
    for (let i = 0; i < 130; i++) r.sim.control.setVehicle(r.ev, { locked: i % 2 === 0 ? false : true });
    r.sim.control.resumeDelivery();
    await waitFor(() => r.receiver.acknowledged().length === 130, '130 messages');
    const sizes = r.receiver.requests.map((q) => (Array.isArray(q.body) ? q.body.length : 1));
    assert.deepEqual(sizes, [100, 30]);
    const values = r.receiver.acknowledged().map((m) => (m as { monitorEvent: { values: Array<{ value: { body: { literalValue: string } } }> } }).monitorEvent.values[0].value.body.literalValue);
    assert.deepEqual(values.slice(0, 4), ['Unlocked', 'Locked', 'Unlocked', 'Locked'], 'in order');
  });

  it('a timeout counts as a failure and the message is retried', async function () {
    this.timeout(10000);
    r = await rig();
    r.receiver.answer = 0; // hang
    const res = await r.client.remote(r.ev, r.callbackId, { horn: { state: 'Activated' } });
    await waitFor(() => r.sim.deliveries.some((d) => d.error === 'timeout'), 'a timed-out attempt', 4000);
    r.receiver.answer = 200;
    await waitFor(() => statuses(r.sim.deliveries.filter((d) => d.status === 200).flatMap((d) => d.messages), res.body.remoteActionId).includes('Success'), 'delivery', 6000);
  });

  it('paused callback: messages held until Running again, then delivered', async () => {
    r = await rig();
    const st = await r.client.b2c('PUT', `/user/callbacks/${r.callbackId}/status`, { status: 'Paused' });
    assert.equal(st.status, 202);
    const res = await r.client.remote(r.ev, r.callbackId, { horn: { state: 'Activated' } });
    await waitFor(() => r.sim.vehicle(r.ev) && r.sim.vehicle(r.ev).asleep === false, 'x');
    await sleep(60);
    assert.equal(r.receiver.requests.length, 0);
    await r.client.b2c('PUT', `/user/callbacks/${r.callbackId}/status`, { status: 'Running' });
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), ['Pending Accepted', 'Pending CheckingVehicle', 'Pending SentToVehicle', 'Done Success']);
  });

  it('deleted callback: its pending notifications are dropped (the remote still acts on the car)', async () => {
    r = await rig();
    r.receiver.answer = 503;
    const res = await r.client.remote(r.ev, r.callbackId, { door: { state: 'Unlocked' } });
    await sleep(5);
    const del = await r.client.b2c('DELETE', `/user/callbacks/${r.callbackId}`);
    assert.equal(del.status, 204);
    await sleep(30); // an attempt already on the wire when the callback was deleted still gets its 503
    const attempts = r.sim.deliveries.length;
    r.receiver.answer = 200;
    await waitFor(() => r.sim.vehicle(r.ev).locked === false, 'the door to unlock');
    await sleep(60);
    assert.equal(steps(r.receiver, res.body.remoteActionId).length, 0);
    assert.equal(r.sim.deliveries.length, attempts, 'no attempt after the deletion');
    const gone = await r.client.b2c('GET', `/user/callbacks/${r.callbackId}`);
    assert.equal(gone.status, 404);
  });

  it('dropNotifications: the next N are lost, the rest arrive', async () => {
    r = await rig();
    r.sim.control.dropNotifications(2);
    const res = await r.client.remote(r.ev, r.callbackId, { horn: { state: 'Activated' } });
    assert.deepEqual(await finished(r.receiver, res.body.remoteActionId), ['Pending SentToVehicle', 'Done Success']);
  });

  it('duplicateNotifications: the next N are delivered twice', async () => {
    r = await rig();
    r.sim.control.duplicateNotifications(1);
    const res = await r.client.remote(r.ev, r.callbackId, { horn: { state: 'Activated' } });
    await finished(r.receiver, res.body.remoteActionId);
    await sleep(30);
    assert.deepEqual(steps(r.receiver, res.body.remoteActionId).filter((s) => s === 'Pending Accepted').length, 2);
    assert.equal(steps(r.receiver, res.body.remoteActionId).length, 5);
  });

  it('reorderNotifications: waiting notifications are delivered in reverse order', async () => {
    r = await rig();
    r.sim.control.reorderNotifications(true);
    r.sim.control.pauseDelivery();
    const res = await r.client.remote(r.ev, r.callbackId, { horn: { state: 'Activated' } });
    await waitFor(() => r.sim.callCount() > 0 && r.sim.vehicle(r.ev).asleep === false, 'x');
    await sleep(60);
    r.sim.control.resumeDelivery();
    await waitFor(() => r.receiver.requests.length > 0, 'a delivery');
    assert.deepEqual(steps(r.receiver, res.body.remoteActionId), ['Done Success', 'Pending SentToVehicle', 'Pending CheckingVehicle', 'Pending Accepted']);
  });

  it('pauseDelivery: nothing is sent, nothing is dropped; resumeDelivery sends everything', async () => {
    r = await rig();
    r.sim.control.pauseDelivery();
    const res = await r.client.remote(r.ev, r.callbackId, { horn: { state: 'Activated' } });
    await sleep(80);
    assert.equal(r.sim.deliveries.length, 0);
    r.sim.control.resumeDelivery();
    assert.equal((await finished(r.receiver, res.body.remoteActionId)).length, 4);
  });

  it('a message not delivered within 72 h (scaled) is dropped', async () => {
    const sim = await startSimulator({ timeScale: 0.000002 }); // 72 h = ~0.5 s
    const receiver = await new Receiver().start();
    r = { sim, receiver, client: new Client(sim), callbackId: '', ev: sim.vehicles[0].id, thermal: '', stop: async () => { await sim.stop(); await receiver.stop(); } };
    r.callbackId = await r.client.createCallback(receiver.url);
    r.sim.control.pauseDelivery(); // paused: kept, never dropped
    const res = await r.client.remote(r.ev, r.callbackId, { horn: { state: 'Activated' } });
    await waitFor(() => sim.vehicle(r.ev).asleep === false, 'x');
    receiver.answer = 500;
    r.sim.control.resumeDelivery();
    await sleep(800);
    const attempts = sim.deliveries.length;
    assert.ok(attempts > 0);
    receiver.answer = 200;
    await sleep(100);
    assert.equal(steps(receiver, res.body.remoteActionId).length, 0, 'dropped after 72 h');
    assert.equal(sim.deliveries.filter((d) => d.status === 200).length, 0);
  });

  it('B2B retryPolicy None drops a failed message; Bounded gives up after retryNumber retries', async () => {
    r = await rig();
    const fleet = `/fleets/${r.sim.account.fleetId}`;
    const sub = (policy: Record<string, unknown>) => ({
      label: `fleet-${String(policy.policy)}`,
      remoteTypes: ['Horn'],
      retryPolicy: policy,
      callback: { webhook: { name: 'h', target: r.receiver.url } },
    });
    const none = await r.client.b2b<{ callbackId: string }>('POST', `${fleet}/remote/callbacks`, sub({ policy: 'None' }));
    const bounded = await r.client.b2b<{ callbackId: string }>('POST', `${fleet}/remote/callbacks`, sub({ policy: 'Bounded', retryNumber: 2, retryDelay: 5 }));
    r.receiver.answer = 500;
    r.sim.control.pauseDelivery();
    const horn = { horn: { state: 'Activated' } };
    await r.client.b2b('POST', `${fleet}/vehicles/${r.ev}/callbacks/${none.body.callbackId}/remotes`, horn);
    await r.client.b2b('POST', `${fleet}/vehicles/${r.thermal}/callbacks/${bounded.body.callbackId}/remotes`, horn);
    await sleep(60);
    r.sim.control.resumeDelivery();
    await sleep(150);
    const attempts = (cbid: string) => r.sim.deliveries.filter((d) => (d.messages[0] as { callbackId: string }).callbackId === cbid).length;
    assert.equal(attempts(none.body.callbackId), 1, 'None: one attempt');
    assert.equal(attempts(bounded.body.callbackId), 3, 'Bounded 2: the attempt and 2 retries');
    r.receiver.answer = 200;
    await sleep(50);
    assert.equal(r.receiver.acknowledged().length, 0, 'all dropped');
  });
});
