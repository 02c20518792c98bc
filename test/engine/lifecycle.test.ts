/**
 * Start, restart and stop of an account: the callback found again (never one per restart), the
 * monitors created once, the status-read fallback, the secret, mounted mode, clear start errors.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import { harnessPerTest, callsSince, until, sleep, describeCalls, type Harness } from './harness';
import { DEFAULT_SECRET_HEADER } from '../../src/webhook';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import type { VehicleStateChange } from '../../src/engine/types';
import { callsMatching, VEHICLE_READS } from '../helpers/simulator';

const GET = 'GET';
const POST = 'POST';
const PUT = 'PUT';

describe('engine: account lifecycle', function () {
  this.timeout(15_000);
  let h: Harness;
  let ev: string;
  let thermal: string;

  harnessPerTest({}, (started) => {
    h = started;
    ev = h.sim.vehicles[0].id;
    thermal = h.sim.vehicles[1].id;
  });

  const inspector = () => h.inspector();

  it('first start: registers one callback with the secret header, reads each status, creates the monitors', async () => {
    const from = h.sim.calls.length;
    const count = callsSince(h.sim);
    const account = h.account();
    const states: VehicleStateChange[] = [];
    account.on('state', (c: VehicleStateChange) => states.push(c));
    await account.start();

    assert.equal(count(GET, '/callbacks'), 3, describeCalls(h.sim)); // list callbacks + list monitors x2
    assert.equal(count(POST, '/user/callbacks'), 1);
    assert.equal(count(GET, '/status'), 2);
    // The plan (issue 14), EV: state, alarm, motion, charging; thermal: state, alarm, motion.
    assert.equal(count(POST, '/monitors'), 7);
    assert.equal(callsMatching(h.sim, VEHICLE_READS, from).length, 2, 'one vehicle read per car (its capabilities)');
    assert.equal(count(), 1 + 1 + 2 + 2 + 7 + 2);

    const secretFile = storageFile(h.dir, 'webhook-secret', accountKeyOf(h.config));
    const stat = await fs.stat(secretFile);
    assert.equal(stat.mode & 0o777, 0o600);
    const { secret } = JSON.parse(await fs.readFile(secretFile, 'utf8')) as { secret: string };
    assert.ok(secret.length >= 32);

    const client = inspector();
    const [cb] = await client.listCallbacks();
    assert.equal(cb.id, account.callbackId);
    assert.equal(cb.label, 'homebridge-stellantis');
    assert.deepEqual(cb.subscribe.type, ['Remote', 'Monitor']);
    assert.equal(cb.subscribe.callback.webhook.target, account.webhookTarget);
    assert.match(account.webhookTarget, /^http:\/\/127\.0\.0\.1:\d+\/stellantis\/webhook$/);
    assert.deepEqual(cb.subscribe.callback.webhook.attributes, [{ type: 'Header', key: DEFAULT_SECRET_HEADER, value: secret }]);
    // The monitor plan (issue 14): compound triggers, found again by `<label>:<key>:`.
    const labels = (await client.listMonitors(ev, cb.id)).map((m) => m.monitor?.label?.replace(/:[0-9a-f]{8}$/, '')).sort();
    assert.deepEqual(labels, ['homebridge-stellantis:alarm', 'homebridge-stellantis:charging', 'homebridge-stellantis:motion', 'homebridge-stellantis:state']);
    assert.deepEqual(states.filter((s) => s.source === 'status').map((s) => s.vehicleId).sort(), [ev, thermal].sort());
    assert.equal(typeof account.stateOf(ev).battery?.level, 'number');
    assert.equal(h.logged.filter((l) => l.includes(secret)).length, 0, 'the secret never logged');
  });

  it('restart: 1 callback list and 0 creates; the monitors reused, not duplicated', async () => {
    const first = h.account();
    await first.start();
    const id = first.callbackId;
    await first.stop();

    const count = callsSince(h.sim);
    const second = h.account();
    const states: VehicleStateChange[] = [];
    second.on('state', (c: VehicleStateChange) => states.push(c));
    await second.start();
    assert.equal(second.callbackId, id);
    assert.equal(count(GET, '/user/callbacks'), 1);
    assert.equal(count(POST), 0, describeCalls(h.sim));
    // The listener port changed (ephemeral): the target is updated in place, never a new callback.
    assert.equal(count(PUT, '/user/callbacks/'), 1);
    assert.equal(count(GET, '/monitors'), 2);
    // One vehicle read per car again: what it can do may have changed while we were down.
    assert.equal(count(), 1 + 1 + 2 + 2 + 2);
    assert.ok(states.some((s) => s.source === 'restore' && s.vehicleId === ev), 'last known state restored before the first read');

    const client = inspector();
    assert.equal((await client.listCallbacks()).length, 1);
    assert.equal((await client.listMonitors(ev, id!)).length, 4);
    assert.equal((await client.listMonitors(thermal, id!)).length, 3, 'state, alarm, motion (no charging for a thermal car)');
  });

  it('restart with an unchanged target: the callback reused without any write', async () => {
    const publicUrl = 'http://127.0.0.1:9/fixed/webhook';
    const config = { webhook: { ...h.config.webhook, publicUrl } };
    const first = h.account({ config });
    await first.start();
    await first.stop();
    const count = callsSince(h.sim);
    const second = h.account({ config });
    await second.start();
    assert.equal(count(GET, '/user/callbacks'), 1);
    assert.equal(count(PUT), 0);
    assert.equal(count(POST), 0);
  });

  it('the callback deleted elsewhere: a send gets 404, registers again, retries once, and recreates the monitors', async () => {
    const account = h.account();
    await account.start();
    const old = account.callbackId!;
    const client = inspector();
    await client.deleteCallback(old);
    h.sim.control.setVehicle(ev, { locked: false });
    const count = callsSince(h.sim);
    const end = await account.send(ev, { kind: 'lock' }).done;
    assert.equal(end.result, 'Success');
    assert.notEqual(account.callbackId, old);
    assert.equal(count(POST, '/remotes'), 2);
    assert.equal(count(POST, '/user/callbacks'), 1);
    const created = () => h.sim.calls.filter((c) => c.method === POST && c.path.includes(`${account.callbackId}/monitors`) && c.status === 202).length;
    await until(() => created() === 7, 3000, 'monitors on the new callback');
    assert.equal((await client.listMonitors(ev, account.callbackId!)).length, 4);
  });

  it('a 404 that is not about the callback is not answered with a new callback', async () => {
    const account = h.account({ config: { vehicles: [...h.config.vehicles, { ...h.config.vehicles[0], id: 'unknown-vehicle-id' }] } });
    await account.start();
    const count = callsSince(h.sim);
    const end = await account.send('unknown-vehicle-id', { kind: 'horn' }).done;
    assert.equal(end.result, 'Rejected');
    assert.equal(count(POST, '/remotes'), 1);
    assert.equal(count(POST, '/user/callbacks'), 0);
    assert.equal(count(GET, '/user/callbacks'), 1);
  });

  it('removeCallback() deletes it at Stellantis, with its monitors', async () => {
    const account = h.account();
    await account.start();
    const count = callsSince(h.sim);
    assert.equal(await account.removeCallback(), true);
    assert.equal(count('DELETE', '/user/callbacks/'), 1);
    const client = inspector();
    assert.deepEqual(await client.listCallbacks(), []);
  });

  it('monitors refused: falls back to a status read every statusIntervalMs, and stop() ends it', async () => {
    // Fill the EV's 5 monitor places with someone else's monitors.
    const client = inspector();
    const other = await client.createCallback({ label: 'other-app', type: ['Monitor'], callback: { webhook: { name: 'o', target: 'http://127.0.0.1:9/x' } } });
    for (let i = 0; i < 5; i++) {
      await client.createMonitor(ev, other.callbackId, {
        label: `other-${i}`,
        triggerParam: { triggers: [{ name: 'odo', data: { data: 'vehicle.odometer', op: 'greaterThan', value: [String(i)] } }], boolExp: 'odo' },
      });
    }
    const problems: string[] = [];
    const account = h.account({ options: { statusIntervalMs: 100 } });
    account.on('problem', (p: { message: string }) => problems.push(p.message));
    const count = callsSince(h.sim);
    await account.start();
    assert.equal(count(POST, '/monitors'), 7, 'each tried once');
    assert.ok(problems.some((p) => /monitor 'state' refused.*status every/.test(p)), problems.join('\n'));
    const atStart = count(GET, `${ev}/status`);
    await until(() => count(GET, `${ev}/status`) >= atStart + 3, 3000, 'periodic status reads');
    assert.equal(count(GET, `${thermal}/status`), 1, 'the thermal car got its monitors: no polling');
    await account.stop();
    const after = count();
    await sleep(300);
    assert.equal(count(), after, 'nothing after stop');
  });

  it('webhook.monitors false: no monitor calls at all, status reads instead', async () => {
    const account = h.account({ config: { webhook: { ...h.config.webhook, monitors: false } }, options: { statusIntervalMs: 80 } });
    const count = callsSince(h.sim);
    await account.start();
    assert.equal(count(GET, '/monitors') + count(POST, '/monitors'), 0);
    await until(() => count(GET, '/status') >= 4, 3000, 'status polling');
  });

  /** A host app like Node-RED's: serves whatever router is mounted under /red. */
  async function hostApp(): Promise<{ webhookUrl: string; router: Router | undefined; close(): Promise<void> }> {
    const host = express();
    const state = {
      webhookUrl: '',
      router: undefined as Router | undefined,
      close: async (): Promise<void> => {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      },
    };
    host.use('/red', (req, res, next) => (state.router ? state.router(req, res, next) : next()));
    const server = http.createServer(host);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    state.webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/red/stellantis/webhook`;
    return state;
  }

  it('mounted mode: the router served by the host app, unmounted on stop', async () => {
    const host = await hostApp();
    try {
      const account = h.account({
        webhook: { mode: 'mount', mount: (r) => (host.router = r), unmount: () => (host.router = undefined), url: host.webhookUrl },
      });
      await account.start();
      assert.ok(host.router);
      h.sim.control.setVehicle(ev, { locked: false });
      const end = await account.send(ev, { kind: 'lock' }).done;
      assert.equal(end.result, 'Success');
      const health = await fetch(`${host.webhookUrl}/health`);
      assert.equal(health.status, 200);
      await account.stop();
      assert.equal(host.router, undefined);
    } finally {
      await host.close();
    }
  });

  it('after stop, a notification reaching a router the host could not unmount is answered 500 (Stellantis retries it), not applied', async () => {
    const host = await hostApp();
    try {
      let kept: Router | undefined;
      const account = h.account({
        webhook: { mode: 'mount', mount: (r) => (host.router = kept = r), unmount: () => (host.router = undefined), url: host.webhookUrl },
      });
      await account.start();
      const { secret } = JSON.parse(await fs.readFile(storageFile(h.dir, 'webhook-secret', accountKeyOf(h.config)), 'utf8')) as { secret: string };
      const [doors] = (await inspector().listMonitors(ev, account.callbackId ?? '')).filter((m) => m.monitor?.label?.includes(':state:'));
      const message = (value: string) =>
        JSON.stringify({
          callbackId: account.callbackId,
          type: 'Monitor',
          date: new Date().toISOString(),
          monitorEvent: { monitorId: doors.monitorId, values: [{ data: 'vehicle.doorsState.lockedState', value: { body: { literalValue: value } } }] },
        });
      const post = (value: string) =>
        fetch(host.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', [DEFAULT_SECRET_HEADER]: secret }, body: message(value) });
      const states: VehicleStateChange[] = [];
      account.on('state', (c: VehicleStateChange) => states.push(c));

      assert.equal((await post('Unlocked')).status, 200);
      assert.equal(account.stateOf(ev).doors?.lock, 'unlocked');
      await account.stop();
      const statesFile = storageFile(h.dir, 'vehicle-states', accountKeyOf(h.config));
      const saved = await fs.readFile(statesFile, 'utf8');
      host.router = kept; // like a host app that keeps its routes until it restarts
      assert.equal((await post('Locked')).status, 500);
      await sleep(1_200); // longer than the state file's write delay
      assert.equal(account.stateOf(ev).doors?.lock, 'unlocked');
      assert.deepEqual(states.map((s) => s.source), ['monitor']);
      assert.equal(await fs.readFile(statesFile, 'utf8'), saved, 'nothing written after stop');
    } finally {
      await host.close();
    }
  });

  it('a status read still in flight at stop changes nothing once it lands', async () => {
    const account = h.account({ config: { webhook: { ...h.config.webhook, monitors: false } }, options: { statusIntervalMs: 60 } });
    await account.start();
    const states: VehicleStateChange[] = [];
    account.on('state', (c: VehicleStateChange) => states.push(c));
    const count = callsSince(h.sim);
    h.sim.control.delayNext(2, 400);
    await until(() => count(GET, '/status') >= 1, 3000, 'a periodic status read sent');
    await account.stop();
    const statesFile = storageFile(h.dir, 'vehicle-states', accountKeyOf(h.config));
    const saved = await fs.readFile(statesFile, 'utf8');
    await sleep(1_500); // the delayed answers land, and the write delay passes
    assert.deepEqual(states, []);
    assert.equal(await fs.readFile(statesFile, 'utf8'), saved, 'nothing written after stop');
  });

  it('a real account without webhook.publicUrl: start fails naming the key, and frees the port', async () => {
    const account = h.account({ config: { simulator: false } });
    await assert.rejects(account.start(), /webhook\.publicUrl: missing/);
  });

  it('not logged in: start fails saying to log in, without retrying in the background', async () => {
    await fs.rm(h.dir, { recursive: true, force: true });
    const account = h.account();
    const count = callsSince(h.sim);
    await assert.rejects(account.start(), /not logged in.*stellantis login/);
    await sleep(100);
    assert.equal(count(), 0);
  });

  it('Stellantis unreachable at start: starts anyway, reports it, and registers once it is back', async () => {
    const problems: string[] = [];
    h.sim.control.failNext(3, 503);
    const account = h.account({ options: { registrationRetryMs: 50 } });
    account.on('problem', (p: { message: string }) => problems.push(p.message));
    await account.start();
    assert.equal(account.callbackId, undefined);
    assert.ok(problems.some((p) => /retrying in the background/.test(p)));
    await until(() => account.callbackId !== undefined, 3000, 'registration retried');
    h.sim.control.setVehicle(ev, { locked: false });
    assert.equal((await account.send(ev, { kind: 'lock' }).done).result, 'Success');
  });
});
