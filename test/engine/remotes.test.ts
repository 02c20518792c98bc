/**
 * The life of a remote action end to end: the account's real listener on loopback, the real
 * client, the simulator (timeScale 0.001) as Stellantis. Every scenario asserts its API calls.
 */
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import { harnessPerTest, harness, collect, callsSince, until, sleep, describeCalls, type Harness } from './harness';
import { startAnswerProxy, type AnswerProxy } from './answerProxy';
import type { RemoteProgress, VehicleStateChange } from '../../src/engine/types';
import type { WebhookMessage } from '../../src/stellantis/wire';

const POST = 'POST';
const GET = 'GET';

/** Waits for the calls to reach `expected` (late ones: the status read after a success), then checks none follow. */
async function exactly(count: (method?: string, path?: string) => number, expected: number, sim: Harness['sim']): Promise<void> {
  await until(() => count() >= expected, 3000, `${expected} API calls`).catch(() => undefined);
  await sleep(60);
  assert.equal(count(), expected, describeCalls(sim, sim.calls.length - count()));
}

describe('engine: remote actions end to end', function () {
  this.timeout(15_000);
  let h: Harness;
  let ev: string;
  let thermal: string;

  harnessPerTest({}, (started) => {
    h = started;
    ev = h.sim.vehicles[0].id;
    thermal = h.sim.vehicles[1].id;
  });

  it('locks: Pending steps then Success, the state at once, then the monitor event with the status: 1 POST, 0 status reads', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(ev, { locked: false });
    const states: VehicleStateChange[] = [];
    account.on('state', (c: VehicleStateChange) => states.push(c));
    const count = callsSince(h.sim);

    const { steps, end } = await collect(account.send(ev, { kind: 'lock' }));
    assert.equal(end.result, 'Success');
    assert.ok(end.remoteActionId);
    assert.deepEqual(
      steps.map((s) => s.phase + (s.pendingStatus ? `:${s.pendingStatus}` : '')),
      ['sending', 'sent', 'pending:Accepted', 'pending:CheckingVehicle', 'pending:SentToVehicle', 'done'],
    );
    assert.equal(steps[steps.length - 1].text, 'lock: done');
    assert.equal(account.stateOf(ev).doors?.lock, 'locked', 'expected state applied at once');
    assert.ok(states.some((s) => s.source === 'remote' && s.state.doors?.lock === 'locked'));

    await until(() => states.some((s) => s.source === 'monitor'), 3000, 'the state monitor');
    await sleep(50);
    assert.equal(count(POST, '/remotes'), 1);
    assert.equal(count(GET, '/status'), 0, 'no status read: the state monitor covers the doors');
    assert.equal(count(GET, '/remotes'), 0, 'no read-back: the webhook answered');
    assert.equal(count(), 1, describeCalls(h.sim));
  });

  it('wakes a sleeping car, with the step in plain words', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(thermal, { asleep: true, locked: true });
    const count = callsSince(h.sim);
    const { steps, end } = await collect(account.send(thermal, { kind: 'unlock' }));
    assert.equal(end.result, 'Success');
    const waking = steps.find((s) => s.pendingStatus === 'WakingUpVehicle');
    assert.ok(waking, 'WakingUpVehicle step');
    assert.match(waking.text, /^unlock: waking the car up/);
    assert.equal(account.stateOf(thermal).doors?.lock, 'unlocked');
    await exactly(count, 1, h.sim); // no status read after success: the state monitor covers the doors (issue 14)
  });

  it('three identical sends are one POST and one shared handle', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(ev, { locked: false });
    const count = callsSince(h.sim);
    const a = account.send(ev, { kind: 'lock' });
    const b = account.send(ev, { kind: 'lock' });
    const c = account.send(ev, { kind: 'lock' });
    assert.equal(b, a);
    assert.equal(c, a);
    const ends = await Promise.all([a.done, b.done, c.done]);
    assert.deepEqual(ends.map((e) => e.result), ['Success', 'Success', 'Success']);
    assert.equal(count(POST, '/remotes'), 1);
    await exactly(count, 1, h.sim); // no status read after success: the state monitor covers the doors (issue 14)
  });

  it('a contradicting request replaces the queued one, which ends Superseded', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(ev, { locked: true });
    const count = callsSince(h.sim);
    const horn = account.send(ev, { kind: 'horn' });
    const lock = account.send(ev, { kind: 'lock' });
    const lockSteps: RemoteProgress[] = [];
    lock.on('progress', (p) => lockSteps.push(p));
    const unlock = account.send(ev, { kind: 'unlock' });
    const [hornEnd, lockEnd, unlockEnd] = await Promise.all([horn.done, lock.done, unlock.done]);
    assert.equal(hornEnd.result, 'Success');
    assert.equal(lockEnd.result, 'Superseded');
    assert.match(lockEnd.explanation ?? '', /replaced by a newer, contradicting request/);
    assert.equal(lockEnd.remoteActionId, undefined);
    assert.deepEqual((await lock.accepted).end?.result, 'Superseded');
    assert.equal(unlockEnd.result, 'Success');
    assert.equal(count(POST, '/remotes'), 2, 'horn and unlock only');
    assert.deepEqual(
      h.sim.calls.filter((c) => c.method === POST && c.path.endsWith('/remotes')).map((c) => Object.keys(c.body as object).filter((k) => k !== 'label')),
      [['horn'], ['door']],
    );
    await exactly(count, 2, h.sim); // no status read after success: the state monitor covers the doors (issue 14)
    assert.equal(count(GET, '/status'), 0);
  });

  it('explains a refusal by the car (doors open) and reads no status after a failure', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(ev, { locked: false, doorsOpen: true });
    const count = callsSince(h.sim);
    const { end } = await collect(account.send(ev, { kind: 'lock' }));
    assert.equal(end.result, 'Failed');
    assert.equal(end.failureCause, 'DoorsOpen');
    assert.match(end.explanation ?? '', /close the doors/);
    await sleep(50);
    assert.equal(count(), 1, describeCalls(h.sim));
    assert.notEqual(account.stateOf(ev).doors?.lock, 'locked');
  });

  it('ends a car out of coverage with VehicleConnectionTimeout and its explanation', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(ev, { online: false });
    const { end } = await collect(account.send(ev, { kind: 'horn' }));
    assert.equal(end.result, 'Failed');
    assert.equal(end.failureCause, 'VehicleConnectionTimeout');
    assert.match(end.explanation ?? '', /coverage.*deep sleep after 7 days/);
  });

  it('takes a batch of notifications (array) and ends every remote in it', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(ev, { locked: false });
    h.sim.control.setVehicle(thermal, { locked: false });
    h.sim.control.pauseDelivery();
    const count = callsSince(h.sim);
    const a = account.send(ev, { kind: 'lock' });
    const b = account.send(thermal, { kind: 'lock' });
    await until(() => h.sim.vehicle(ev).locked && h.sim.vehicle(thermal).locked, 3000, 'both cars locked');
    await sleep(30);
    h.sim.control.resumeDelivery();
    const [ea, eb] = await Promise.all([a.done, b.done]);
    assert.equal(ea.result, 'Success');
    assert.equal(eb.result, 'Success');
    await until(() => h.sim.deliveries.some((d) => d.status === 200 && d.messages.length > 1), 2000, 'a batch delivery');
    assert.equal(count(GET, '/remotes'), 0);
    await exactly(count, 2, h.sim); // no status read after success: the state monitor covers the doors (issue 14)
  });

  it('ignores duplicate notifications', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(ev, { locked: false });
    const received: WebhookMessage[] = [];
    account.on('notification', (m: WebhookMessage) => received.push(m));
    h.sim.control.duplicateNotifications(20);
    const count = callsSince(h.sim);
    const { steps, end } = await collect(account.send(ev, { kind: 'lock' }));
    assert.equal(end.result, 'Success');
    await until(() => received.filter((m) => m.remoteEvent?.eventStatus?.type === 'Done').length >= 2, 3000, 'the duplicate Done');
    const pendings = steps.filter((s) => s.phase === 'pending').map((s) => s.pendingStatus);
    assert.deepEqual(pendings, [...new Set(pendings)], 'each step once');
    assert.equal(steps.filter((s) => s.phase === 'done').length, 1);
    await exactly(count, 1, h.sim); // no status read after success: the state monitor covers the doors (issue 14)
  });

  it('handles reordered notifications: Done first, the late Pendings ignored', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(ev, { locked: false });
    h.sim.control.pauseDelivery();
    h.sim.control.reorderNotifications(true);
    const count = callsSince(h.sim);
    const handle = account.send(ev, { kind: 'lock' });
    const steps: RemoteProgress[] = [];
    handle.on('progress', (p) => steps.push(p));
    await until(() => h.sim.vehicle(ev).locked, 3000, 'car locked');
    await sleep(30);
    h.sim.control.resumeDelivery();
    const end = await handle.done;
    assert.equal(end.result, 'Success');
    await sleep(50);
    assert.equal(steps[steps.length - 1].phase, 'done', 'nothing after done');
    assert.deepEqual(steps.map((s) => s.phase), ['sending', 'sent', 'done']);
    await exactly(count, 1, h.sim); // no status read after success: the state monitor covers the doors (issue 14)
  });

  it('a listener down while Stellantis retries, then up: every message once, the remote ends', async () => {
    // Mounted mode (as in Node-RED) on a host express app we can take down and bring back on the same port.
    const host = express();
    let router: Router | undefined;
    host.use((req, res, next) => (router ? router(req, res, next) : next()));
    const app = http.createServer(host);
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const port = (app.address() as AddressInfo).port;
    const account = h.account({
      webhook: {
        mode: 'mount',
        mount: (r) => (router = r),
        unmount: () => (router = undefined),
        url: `http://127.0.0.1:${port}/stellantis/webhook`,
      },
    });
    let back: http.Server | undefined;
    try {
      await account.start();
      h.sim.control.setVehicle(ev, { locked: false });
      const received: WebhookMessage[] = [];
      account.on('notification', (m: WebhookMessage) => received.push(m));
      app.closeAllConnections();
      await new Promise<void>((r) => app.close(() => r()));
      const count = callsSince(h.sim);
      const handle = account.send(ev, { kind: 'lock' });
      await until(() => h.sim.vehicle(ev).locked, 3000, 'car locked');
      await until(() => h.sim.deliveries.filter((d) => d.error).length >= 3, 3000, 'failed deliveries');
      assert.equal(handle.phase, 'sent', 'nothing received while down');

      back = http.createServer(host);
      await new Promise<void>((r) => back!.listen(port, '127.0.0.1', r));
      const end = await handle.done;
      assert.equal(end.result, 'Success');
      await sleep(50);
      const statuses = received
        .filter((m) => m.remoteEvent?.remoteActionId === end.remoteActionId)
        .map((m) => m.remoteEvent?.eventStatus?.status);
      assert.deepEqual(statuses, ['Accepted', 'CheckingVehicle', 'SentToVehicle', 'Success'], 'each message exactly once');
      assert.equal(count(GET, '/remotes'), 0);
      await exactly(count, 1, h.sim); // no status read after success: the state monitor covers the doors (issue 14)
    } finally {
      await account.stop();
      assert.equal(router, undefined, 'unmounted on stop');
      back?.closeAllConnections();
      await new Promise<void>((r) => (back ? back.close(() => r()) : r()));
    }
  });

  it('a webhook never reachable: the action still ends, by reading it back once', async () => {
    const dead = http.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const account = h.account({
      config: { webhook: { ...h.config.webhook, publicUrl: `http://127.0.0.1:${deadPort}/hook` } },
      options: { noNotificationTimeoutMs: 800 },
    });
    await account.start();
    h.sim.control.setVehicle(ev, { locked: false });
    const count = callsSince(h.sim);
    const { steps, end } = await collect(account.send(ev, { kind: 'lock' }));
    assert.equal(end.result, 'Success');
    assert.deepEqual(steps.map((s) => s.phase), ['sending', 'sent', 'done']);
    assert.equal(count(POST, '/remotes'), 1);
    assert.equal(count(GET, '/remotes/'), 1, 'one read-back');
    await exactly(count, 2, h.sim); // no status read after success: the state monitor covers the doors (issue 14)
  });

  it('no Done anywhere: reads back 1 + backoff.length times, then ends Timeout', async () => {
    await h.cleanup();
    h = await harness({ sim: { timeScale: 1 } });
    ev = h.sim.vehicles[0].id;
    const account = h.account({ options: { noNotificationTimeoutMs: 400, readBackBackoffMs: [50, 100] } });
    await account.start();
    h.sim.control.setVehicle(ev, { asleep: true });
    const count = callsSince(h.sim);
    const { end } = await collect(account.send(ev, { kind: 'horn' }));
    assert.equal(end.result, 'Timeout');
    assert.match(end.explanation ?? '', /no answer from the car or from Stellantis/);
    assert.equal(count(GET, '/remotes/'), 3);
    assert.equal(count(POST, '/remotes'), 1);
    await exactly(count, 4, h.sim);
  });

  describe('transport trouble during a send', () => {
    let proxy: AnswerProxy;
    beforeEach(async () => {
      proxy = await startAnswerProxy(h.sim.b2cBaseUrl);
    });
    afterEach(async () => {
      await proxy.close();
    });

    it('notifications that arrive before the POST answer are kept and replayed', async () => {
      const account = h.account({ config: { baseUrl: proxy.url } });
      await account.start();
      h.sim.control.setVehicle(ev, { locked: false });
      const count = callsSince(h.sim);
      const order: string[] = [];
      account.on('notification', (m: WebhookMessage) => order.push(`notification ${m.remoteEvent?.eventStatus?.status}`));
      account.on('remote', (p: RemoteProgress) => order.push(`progress ${p.phase}`));
      proxy.next(1, { kind: 'delay', ms: 300 });
      const end = await account.send(ev, { kind: 'lock' }).done;
      assert.equal(end.result, 'Success');
      const sentAt = order.indexOf('progress sent');
      assert.ok(order.indexOf('notification Success') < sentAt, order.join('\n'));
      assert.deepEqual(order.slice(sentAt).filter((o) => o.startsWith('progress')), [
        'progress sent',
        'progress pending',
        'progress pending',
        'progress pending',
        'progress done',
      ]);
      await exactly(count, 1, h.sim); // no status read after success: the state monitor covers the doors (issue 14)
    });

    it('a POST whose answer is lost is not retried: found in the remote list by its label and followed', async () => {
      const account = h.account({ config: { baseUrl: proxy.url } });
      await account.start();
      h.sim.control.setVehicle(ev, { locked: false });
      const count = callsSince(h.sim);
      proxy.next(1, { kind: 'cut' });
      const end = await account.send(ev, { kind: 'lock' }).done;
      assert.equal(end.result, 'Success');
      assert.equal(count(POST, '/remotes'), 1, 'never re-sent');
      assert.equal(count(GET, '/remotes'), 1, 'one list read');
      await exactly(count, 2, h.sim); // no status read after success: the state monitor covers the doors (issue 14)
    });

    it('a hanging POST: not retried, and ends Timeout saying the outcome is unknown when the list does not show it', async () => {
      const account = h.account({ config: { requestTimeoutMs: 300 } });
      await account.start();
      const count = callsSince(h.sim);
      h.sim.control.hangNext(1);
      const { end } = await collect(account.send(ev, { kind: 'horn' }));
      assert.equal(end.result, 'Timeout');
      assert.match(end.explanation ?? '', /connection to Stellantis broke while sending/);
      assert.equal(count(POST, '/remotes'), 1);
      assert.equal(count(GET, '/remotes'), 1);
      await exactly(count, 2, h.sim);
    });
  });

  it('a 5xx answer to the POST: Rejected, not retried', async () => {
    const account = h.account();
    await account.start();
    const count = callsSince(h.sim);
    h.sim.control.failNext(1, 503);
    const { end } = await collect(account.send(ev, { kind: 'horn' }));
    assert.equal(end.result, 'Rejected');
    assert.match(end.explanation ?? '', /server error/);
    assert.equal(count(POST, '/remotes'), 1);
    assert.equal(count(), 1);
  });

  it('429 with a short Retry-After: waited once, then sent', async () => {
    const account = h.account();
    await account.start();
    const count = callsSince(h.sim);
    h.sim.control.setRateLimit({ perSecond: 0 });
    setTimeout(() => h.sim.control.setRateLimit({ perSecond: 20 }), 200).unref();
    const { end } = await collect(account.send(ev, { kind: 'horn' }));
    assert.equal(end.result, 'Success');
    assert.equal(count(POST, '/remotes'), 2);
    await exactly(count, 2, h.sim);
  });

  it('429 for the day: Rejected at once with the rate-limit explanation', async () => {
    const account = h.account();
    await account.start();
    const count = callsSince(h.sim);
    h.sim.control.setRateLimit({ perDay: 0 });
    const { end } = await collect(account.send(ev, { kind: 'horn' }));
    assert.equal(end.result, 'Rejected');
    assert.match(end.explanation ?? '', /rate limit/);
    assert.equal(count(POST, '/remotes'), 1);
    await exactly(count, 1, h.sim);
  });

  it('an access token expiring during a send: refreshed once, the POST repeated once (a 401 was not executed)', async () => {
    const account = h.account();
    await account.start();
    const count = callsSince(h.sim);
    h.sim.control.expireAccessTokens();
    const { end } = await collect(account.send(ev, { kind: 'horn' }));
    assert.equal(end.result, 'Success');
    const posts = h.sim.calls.filter((c) => c.method === POST && c.path.endsWith('/remotes')).map((c) => c.status);
    assert.deepEqual(posts, [401, 202]);
    assert.equal(count(POST, '/remotes'), 2);
    await exactly(count, 2, h.sim);
  });

  it('refuses locally what cannot be sent, without any call', async () => {
    const account = h.account();
    await account.start();
    const count = callsSince(h.sim);
    const stolen = await account.send(ev, { kind: 'stolen', on: true }).done;
    assert.equal(stolen.result, 'Rejected');
    assert.match(stolen.explanation ?? '', /b2b/);
    const far = await account.send(ev, { kind: 'navigate', points: [{ lat: 123, lon: 0 }] }).done;
    assert.equal(far.result, 'Rejected');
    assert.match(far.explanation ?? '', /lat/);
    const unknown = await account.send('not-a-car', { kind: 'lock' }).done;
    assert.equal(unknown.result, 'Rejected');
    assert.match(unknown.explanation ?? '', /not configured.*vehicles\[\]/);
    assert.equal(count(), 0);
  });
});
