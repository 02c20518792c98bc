import { strict as assert } from 'assert';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { specFor, webhookSpec } from '../helpers/spec';
import { Client, Receiver, rig, sleep, waitFor, type Rig } from './harness';
import { conforms } from './specCheck';

type MonitorMessage = { type: string; callbackId: string; attributes?: Array<{ key: string; value: string }>; monitorEvent: { monitorId: string; values: Array<{ data: string; value: { body: { literalValue: string } } }>; extensions?: Array<{ type: string; body: Array<{ status?: { vin?: string } }> }> } };

function fleetMonitor(target: string, label = 'fleet unplugged', extra: Record<string, unknown> = {}) {
  return {
    label,
    subscribeParam: { callback: { webhook: { name: 'fleet', target, attributes: [{ type: 'Body', key: 'vin', value: '$vin' }] } }, retryPolicy: { policy: 'Bounded', retryNumber: 3 } },
    triggerParam: { triggers: [{ name: 'plug', data: { data: 'vehicle.energy.charging.plugged', op: 'onChange' } }], boolExp: 'plug' },
    extendedEventParam: ['vehicle.status'],
    ...extra,
  };
}

describe('simulator: B2B fleet monitors and fleet status', () => {
  describe('fleet monitors', () => {
    let r: Rig;
    let hook: Receiver;
    beforeEach(async () => {
      r = await rig({ rateLimit: { perSecond: 1000 } });
      hook = await new Receiver().start();
    });
    afterEach(async () => {
      await r.stop();
      await hook.stop();
    });

    const fleet = () => `/fleets/${r.sim.account.fleetId}`;
    const monitorMessages = () => hook.acknowledged() as unknown as MonitorMessage[];

    it('a fleet monitor watches every car and posts to its own webhook; create, list, get, put, status, delete conform', async () => {
      const body = fleetMonitor(hook.url);
      assert.deepEqual(specFor('b2b').validateRequest('POST', `${fleet()}/monitors`, {}, body), []);
      const created = await conforms(r, 'b2b', 'POST', `${fleet()}/monitors`, body, 202);
      const mid = String(created.body.monitorId);
      const list = await conforms(r, 'b2b', 'GET', `${fleet()}/monitors`);
      assert.equal(list.body.total, 1);
      await conforms(r, 'b2b', 'GET', `${fleet()}/monitors/${mid}`);
      r.sim.control.setVehicle(r.ev, { plugged: true });
      r.sim.control.setVehicle(r.sim.vehicles[1].id, { locked: false }); // the thermal car has no plug: nothing
      await waitFor(() => monitorMessages().length === 1, 'the EV event');
      const [m] = monitorMessages();
      assert.equal(m.monitorEvent.monitorId, mid);
      assert.deepEqual(m.attributes, [{ key: 'vin', value: r.sim.vehicles[0].vin }]);
      assert.equal(r.receiver.requests.length, 0, 'nothing on the B2C callback');
      const status = await conforms(r, 'b2b', 'GET', `${fleet()}/vehicles/${r.ev}/status`);
      const attached = m.monitorEvent.extensions?.[0].body[0].status as Record<string, unknown>;
      assert.deepEqual({ ...attached, vin: status.body.vin }, status.body);
      for (const req of hook.requests) assert.deepEqual(webhookSpec().validateMessage(req.body), []);

      const next = fleetMonitor(hook.url, 'fleet locks', { triggerParam: { triggers: [{ name: 'lock', data: { data: 'vehicle.doorsState.lockedState', op: 'onChange' } }], boolExp: 'lock' } });
      await conforms(r, 'b2b', 'PUT', `${fleet()}/monitors/${mid}`, next, 202);
      r.sim.control.setVehicle(r.ev, { plugged: false });
      r.sim.control.setVehicle(r.sim.vehicles[1].id, { locked: true });
      await waitFor(() => monitorMessages().length === 2, 'the lock event');
      await sleep(30);
      assert.deepEqual(monitorMessages()[1].attributes, [{ key: 'vin', value: r.sim.vehicles[1].vin }]);
      assert.equal(monitorMessages().length, 2, 'the plug no longer watched');

      await conforms(r, 'b2b', 'PUT', `${fleet()}/monitors/${mid}/status`, { status: 'Paused' }, 202);
      r.sim.control.setVehicle(r.ev, { locked: false });
      await sleep(30);
      assert.equal(monitorMessages().length, 2, 'paused');
      assert.equal((await r.client.b2b('DELETE', `${fleet()}/monitors/${mid}`)).status, 204);
      await conforms(r, 'b2b', 'GET', `${fleet()}/monitors/${mid}`, undefined, 404);
    });

    it('a fleet monitor needs its webhook; a sixth fleet monitor is refused (each applies to every car)', async () => {
      const { subscribeParam: _none, ...bare } = fleetMonitor(hook.url);
      const refused = await conforms(r, 'b2b', 'POST', `${fleet()}/monitors`, bare, 400);
      assert.match(String(refused.body.message), /subscribeParam is required/);
      for (let i = 0; i < 5; i++) await conforms(r, 'b2b', 'POST', `${fleet()}/monitors`, fleetMonitor(hook.url, `m${i}`), 202);
      const sixth = await conforms(r, 'b2b', 'POST', `${fleet()}/monitors`, fleetMonitor(hook.url, 'm5'), 400);
      assert.match(String(sixth.body.message), /already has 5 monitors/);
    });
  });

  describe('a fleet of 1,000 cars', () => {
    let sim: RunningSimulator;
    let startMs: number;
    let bytesPerCar: number;
    before(async () => {
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const t0 = Date.now();
      sim = await startSimulator({ vehicles: 1000, timeScale: 0.001, rateLimit: { perSecond: 1000 } });
      startMs = Date.now() - t0;
      global.gc?.();
      bytesPerCar = (process.memoryUsage().heapUsed - heapBefore) / 1000;
    });
    after(async () => {
      await sim.stop();
    });

    it('starts fast and small, and its fleet status comes in pages of 60 that conform to the spec', async () => {
      assert.equal(sim.vehicles.length, 1000);
      assert.ok(startMs < 3000, `started in ${startMs} ms`);
      assert.ok(bytesPerCar < 20_000, `${Math.round(bytesPerCar)} bytes per car`);
      const client = new Client(sim);
      const t0 = Date.now();
      const vins = new Set<string>();
      let path: string | undefined = `/fleets/${sim.account.fleetId}/status`;
      let pages = 0;
      const before = sim.callCount({ pathIncludes: '/status' });
      while (path) {
        const res: { status: number; body: { total: number; totalPage: number; _embedded: { status: Array<{ vin: string }> }; _links: { next?: { href: string } } } } = await client.b2b('GET', path);
        assert.equal(res.status, 200);
        pages++;
        assert.equal(res.body.total, 1000);
        assert.ok(res.body._embedded.status.length <= 60);
        if (pages === 1 || !res.body._links.next) {
          assert.deepEqual(specFor('b2b').validateResponse('GET', path.split('?')[0], 200, res.body).filter((p) => !/energy: must be object|occurence: must be object|activation: must be one of/.test(p)), []);
        }
        for (const s of res.body._embedded.status) vins.add(s.vin);
        const next: string | undefined = res.body._links.next?.href;
        path = next ? next.slice(next.indexOf('/fleets/')) : undefined;
      }
      const ms = Date.now() - t0;
      assert.equal(pages, 17);
      assert.equal(vins.size, 1000, 'every car once');
      assert.equal(sim.callCount({ pathIncludes: '/status' }) - before, 17, 'pages, not one call per car');
      assert.ok(ms < 5000, `paged in ${ms} ms`);
    });

    it('one fleet monitor covers all 1,000 cars: only the cars that change send events', async () => {
      const hook = await new Receiver().start();
      try {
        const client = new Client(sim);
        const created = await client.b2b('POST', `/fleets/${sim.account.fleetId}/monitors`, fleetMonitor(hook.url, 'locks', { extendedEventParam: [], triggerParam: { triggers: [{ name: 'l', data: { data: 'vehicle.doorsState.lockedState', op: 'equalsTo', value: ['Unlocked'] } }], boolExp: 'l' } }));
        assert.equal(created.status, 202);
        const picked = [10, 500, 999].map((i) => sim.vehicles[i]);
        for (const v of picked) sim.control.setVehicle(v.id, { locked: false });
        await waitFor(() => hook.acknowledged().length === 3, 'three events', 3000);
        await sleep(30);
        const vins = (hook.acknowledged() as unknown as MonitorMessage[]).map((m) => m.attributes?.[0].value).sort();
        assert.deepEqual(vins, picked.map((v) => v.vin).sort());
      } finally {
        await hook.stop();
      }
    });
  });
});
