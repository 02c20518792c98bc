import { strict as assert } from 'node:assert';
import { StellantisClient, type MonitorParameter } from '../../src/stellantis/client';
import { ClientConfigError, StellantisApiError, UnsupportedOperationError } from '../../src/stellantis/errors';
import type { CallbackSubscribe, Flavour } from '../../src/stellantis/wire';
import { specFor } from '../helpers/spec';
import { rejection, startHarness, type Harness } from './clientHarness';

const WEBHOOK_SECRET = 'webhook-secret-value-123';

function subscribe(label: string, target = 'https://hooks.example.com/stellantis'): CallbackSubscribe {
  return {
    label,
    type: ['Remote', 'Monitor'],
    callback: { webhook: { name: 'homebridge', target, attributes: [{ type: 'Header', key: 'X-Webhook-Secret', value: WEBHOOK_SECRET }] } },
  };
}

const MONITOR: MonitorParameter = {
  label: 'doors',
  triggerParam: { triggers: [{ name: 'doors', data: { data: 'vehicle.doorsState.lockedState', op: 'onChange' } }], boolExp: 'doors' },
};

/** Every request sent since `from` conforms to the official spec, with the flavour's headers. */
function checkRequests(h: Harness, flavour: Flavour, from = 0): void {
  const calls = h.apiCalls().slice(from);
  assert.ok(calls.length > 0, 'no request recorded');
  for (const c of calls) {
    const problems = specFor(flavour).validateRequest(c.method, c.path, c.query, c.body);
    assert.deepEqual(problems, [], `${c.method} ${c.path}`);
  }
  for (const c of h.sim.calls.slice(from)) {
    assert.equal(c.clientId, h.sim.account.clientId, `client_id on ${c.path}`);
    if (flavour === 'b2c') {
      assert.ok(c.hasBearer && !c.hasBasic, `bearer on ${c.path}`);
      assert.equal(c.realm, h.sim.account.realm, `x-introspect-realm on ${c.path}`);
    } else {
      assert.ok(c.hasBasic && !c.hasBearer, `basic on ${c.path}`);
      assert.equal(c.realm, undefined);
    }
  }
}

for (const flavour of ['b2c', 'b2b'] as const) {
  describe(`stellantis/client (${flavour}) against the simulator`, () => {
    let h: Harness;
    const infos: Array<{ method: string; path: string; status: number }> = [];

    beforeEach(async () => {
      infos.length = 0;
      h = await startHarness({ flavour, client: { onCall: (i) => infos.push(i) } });
    });
    afterEach(async () => h.close());

    it('reads the vehicles, one vehicle and its status', async () => {
      const vehicles = await h.client.listVehicles();
      assert.deepEqual(
        vehicles.map((v) => v.id),
        h.sim.vehicles.map((v) => v.id),
      );
      assert.equal(vehicles[0].vin, h.sim.vehicles[0].vin);
      const one = await h.client.getVehicle(h.sim.vehicles[1].id);
      assert.equal(one.id, h.sim.vehicles[1].id);
      const status = await h.client.getVehicleStatus(h.sim.vehicles[0].id);
      assert.ok(Array.isArray(status.energies) || typeof status.energy === 'object', 'status has energies');
      assert.equal(h.sim.callCount(), 3);
      assert.equal(h.client.callCount, 3);
      assert.deepEqual(
        infos.map((i) => i.status),
        [200, 200, 200],
      );
      checkRequests(h, flavour);
    });

    it('exposes the rate-limit headers of the last answer', async () => {
      await h.client.listVehicles();
      assert.equal(h.client.rateLimits.limit1, 1000);
      assert.equal(h.client.rateLimits.limit2, 10_000);
      assert.equal(h.client.rateLimits.remaining1, 999);
      assert.equal(h.client.rateLimits.remaining2, 9999);
      await h.client.getVehicle(h.sim.vehicles[0].id);
      assert.equal(h.client.rateLimits.remaining2, 9998);
    });

    it('runs the whole callback life cycle', async () => {
      const ref = await h.client.createCallback(subscribe('homebridge-stellantis'));
      assert.ok(ref.callbackId);
      const got = await h.client.getCallback(ref.callbackId);
      assert.equal(got.id, ref.callbackId);
      assert.equal(got.label, 'homebridge-stellantis');
      assert.equal(got.status, 'Running');
      assert.equal(got.subscribe.callback.webhook.target, 'https://hooks.example.com/stellantis');
      const listed = await h.client.listCallbacks();
      assert.deepEqual(
        listed.map((c) => [c.id, c.label]),
        [[ref.callbackId, 'homebridge-stellantis']],
      );
      await h.client.updateCallback(ref.callbackId, subscribe('homebridge-stellantis', 'https://new.example.com/hook'));
      assert.equal((await h.client.getCallback(ref.callbackId)).subscribe.callback.webhook.target, 'https://new.example.com/hook');
      const paused = await h.client.setCallbackStatus(ref.callbackId, 'Paused');
      assert.equal(paused.callbackId, ref.callbackId);
      assert.equal((await h.client.getCallback(ref.callbackId)).status, 'Paused');
      await h.client.setCallbackStatus(ref.callbackId, 'Running');
      await h.client.deleteCallback(ref.callbackId);
      const err = await rejection(() => h.client.getCallback(ref.callbackId));
      assert.ok(err instanceof StellantisApiError);
      assert.equal(err.status, 404);
      assert.match(err.explanation, /callback does not exist/);
      assert.equal(h.sim.callCount({ method: 'POST' }), 1);
      checkRequests(h, flavour);
    });

    it('follows the callback list over every page', async () => {
      for (let i = 0; i < 61; i++) await h.client.createCallback(subscribe(`cb-${i}`));
      const before = h.sim.calls.length;
      const all = await h.client.listCallbacks();
      assert.equal(all.length, 61);
      assert.deepEqual(new Set(all.map((c) => c.label)).size, 61);
      const gets = h.sim.calls.slice(before);
      assert.equal(gets.length, 2, 'two pages, two calls');
      assert.equal(gets[0].query.pageToken, undefined);
      assert.ok(gets[1].query.pageToken, 'the second page is asked for with the server pageToken');
      checkRequests(h, flavour);
    });

    it('sends a remote and reads it back', async () => {
      const { callbackId } = await h.client.createCallback(subscribe('remotes'));
      const vehicleId = h.sim.vehicles[0].id;
      const sent = await h.client.sendRemote(vehicleId, callbackId, { label: 'lock', door: { state: 'Locked' } });
      assert.ok(sent.remoteActionId);
      assert.equal(sent.type, 'Doors');
      const state = await h.client.getRemote(vehicleId, callbackId, sent.remoteActionId);
      assert.equal(state.remoteActionId, sent.remoteActionId);
      const list = await h.client.listRemotes(vehicleId, callbackId);
      assert.deepEqual(
        list.map((r) => r.remoteActionId),
        [sent.remoteActionId],
      );
      assert.equal(h.sim.callCount({ method: 'POST', pathIncludes: '/remotes' }), 1);
      checkRequests(h, flavour);
    });

    it('refuses a remote body without exactly one action, before any call', async () => {
      const none = await rejection(() => h.client.sendRemote(h.sim.vehicles[0].id, 'cb', { label: 'x' }));
      assert.ok(none instanceof ClientConfigError);
      assert.match(none.message, /exactly one action/);
      const two = await rejection(() => h.client.sendRemote(h.sim.vehicles[0].id, 'cb', { horn: { state: 'Activated' }, lights: { on: true } }));
      assert.match(two.message, /lights, horn/);
      assert.equal(h.sim.calls.length, 0);
    });

    it('explains a vehicle of another account (403) without leaking credentials', async () => {
      const err = await rejection(() => h.client.getVehicleStatus(h.sim.foreignVehicleId));
      assert.ok(err instanceof StellantisApiError);
      assert.equal(err.status, 403);
      assert.match(err.explanation, /not in this account \(check vehicles\[\]\.id with `stellantis vehicles`\)/);
      assert.match(err.message, /^GET \/.*\/status: HTTP 403 \(code 403\d\d\)/);
      assert.ok(err.uuid);
      const stored = await h.store.load();
      for (const secret of [stored?.accessToken, h.sim.account.clientSecret, h.sim.account.password]) {
        assert.ok(secret && !err.message.includes(secret) && !JSON.stringify(err).includes(secret));
      }
      const missing = await rejection(() => h.client.getVehicle('no-such-vehicle'));
      assert.ok(missing instanceof StellantisApiError);
      assert.equal(missing.status, 404);
    });

    if (flavour === 'b2c') {
      it('reads the user', async () => {
        const user = await h.client.getUser();
        assert.equal(user.email, h.sim.account.username);
        checkRequests(h, flavour);
      });

      it('creates, lists and deletes monitors', async () => {
        const { callbackId } = await h.client.createCallback(subscribe('monitors'));
        const vehicleId = h.sim.vehicles[0].id;
        const ref = await h.client.createMonitor(vehicleId, callbackId, MONITOR);
        assert.ok(ref.monitorId);
        const list = await h.client.listMonitors(vehicleId, callbackId);
        assert.deepEqual(
          list.map((m) => m.monitorId),
          [ref.monitorId],
        );
        await h.client.deleteMonitor(vehicleId, callbackId, ref.monitorId);
        assert.deepEqual(await h.client.listMonitors(vehicleId, callbackId), []);
        checkRequests(h, flavour);
      });

      it('refuses fleet-only remotes before any call', async () => {
        const err = await rejection(() => h.client.sendRemote(h.sim.vehicles[0].id, 'cb', { immobilization: { activate: true } }));
        assert.ok(err instanceof UnsupportedOperationError);
        assert.match(err.message, /only fleet \(b2b\) accounts/);
        assert.equal(h.sim.calls.length, 0);
      });
    } else {
      it('maps the callback to the fleet RemoteCallbackSubscribe shape', async () => {
        await h.client.createCallback(subscribe('fleet'), { batchNotify: { size: 10 } });
        const body = h.sim.calls[0].body as Record<string, unknown>;
        assert.deepEqual(body.remoteTypes, ['ThermalPreconditioning', 'ElectricBatteryChargingRequest', 'Horn', 'Doors', 'Lights', 'Immobilization', 'Stolen', 'WakeUp', 'Navigation']);
        assert.deepEqual(body.retryPolicy, { policy: 'Bounded', retryNumber: 60, retryDelay: 60 });
        assert.deepEqual(body.batchNotify, { size: 10 });
        assert.equal(body.type, undefined, 'the B2C-only `type` is not sent');
        checkRequests(h, flavour);
      });

      it('sends fleet-only remotes', async () => {
        const { callbackId } = await h.client.createCallback(subscribe('fleet'));
        const sent = await h.client.sendRemote(h.sim.vehicles[1].id, callbackId, { immobilization: { activate: true } });
        assert.equal(sent.type, 'Immobilization');
        checkRequests(h, flavour);
      });

      it('says clearly which operations a fleet account lacks, without calling', async () => {
        for (const op of [
          () => h.client.getUser(),
          () => h.client.listMonitors('v', 'c'),
          () => h.client.createMonitor('v', 'c', MONITOR),
          () => h.client.deleteMonitor('v', 'c', 'm'),
        ]) {
          const err = await rejection(op);
          assert.ok(err instanceof UnsupportedOperationError, err.message);
          assert.match(err.message, /not available with flavour "b2b"/);
        }
        assert.equal(h.sim.calls.length, 0);
      });

      it('explains a fleet id the credentials cannot reach', async () => {
        const other = new StellantisClient({ ...h.config, fleetId: 'SOMEONE-ELSES-FLEET' });
        try {
          const err = await rejection(() => other.listCallbacks());
          assert.ok(err instanceof StellantisApiError);
          assert.equal(err.status, 403);
          assert.match(err.explanation, /check fleetId/);
        } finally {
          other.close();
        }
      });

      it('explains refused fleet credentials', async () => {
        const bad = new StellantisClient({ ...h.config, password: 'wrong-password' });
        try {
          const err = await rejection(() => bad.listVehicles());
          assert.ok(err instanceof StellantisApiError);
          assert.equal(err.status, 401);
          assert.match(err.explanation, /check username, password/);
          assert.ok(!err.message.includes('wrong-password'));
          assert.equal(h.sim.calls.length, 1, 'a 401 with Basic is not retried');
        } finally {
          bad.close();
        }
      });
    }
  });
}

describe('stellantis/client: paging and configuration', () => {
  it('reads every page of a long vehicle list', async () => {
    const h = await startHarness({ sim: { vehicles: 62 } });
    try {
      const vehicles = await h.client.listVehicles();
      assert.equal(vehicles.length, 62);
      assert.equal(new Set(vehicles.map((v) => v.id)).size, 62);
      assert.equal(h.sim.callCount({ pathIncludes: '/user/vehicles' }), 2);
      assert.equal(h.sim.calls[0].query.pageSize, '60');
      checkRequests(h, 'b2c');
    } finally {
      await h.close();
    }
  });

  it('names the missing configuration key', () => {
    const base = { clientId: 'id', baseUrl: 'http://127.0.0.1:9' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...base, clientId: '' }, 'clientId'],
      [{ ...base, flavour: 'b2c' }, 'realm'],
      [{ ...base, flavour: 'b2c', realm: 'r' }, 'tokens'],
      [{ ...base, flavour: 'b2b' }, 'fleetId'],
      [{ ...base, flavour: 'b2b', fleetId: 'f' }, 'username'],
      [{ ...base, flavour: 'b2b', fleetId: 'f', username: 'u' }, 'password'],
    ];
    for (const [config, key] of cases) {
      assert.throws(
        () => new StellantisClient(config as never),
        (err: unknown) => err instanceof ClientConfigError && err.key === key,
        key,
      );
    }
  });
});
