/**
 * The charge limit in a real Node-RED runtime: the remote node takes {action: 'charge-limit', percent: 80}
 * (or is set to it in the editor), the account keeps it (preferences on a car that has them, a monitor
 * threshold otherwise) and stellantis-events emits `chargeLimit` messages: set, and stopped when the
 * threshold stopped a charge — exactly one stop, no status read.
 */
import { strict as assert } from 'node:assert';
import type { RunningSimulator } from '../../src/simulator';
import type { NodeMessage } from '../../nodes/src/lib/red';
import { callsMatching, chargeStopPosts, REMOTE_POSTS } from '../helpers/simulator';
import { specFor } from '../helpers/spec';
import * as h from './harness';

function flow(remote: Record<string, unknown> = {}): unknown[] {
  return [
    h.simAccount('acc'),
    { id: 'r', type: 'stellantis-remote', account: 'acc', action: 'lock', wires: [['ok'], ['ko']], ...remote },
    { id: 'ok', type: 'helper' },
    { id: 'ko', type: 'helper' },
    { id: 'ev', type: 'stellantis-events', account: 'acc', remote: false, monitor: false, senses: false, wires: [['seen']] },
    { id: 'seen', type: 'helper' },
  ];
}

const payloadOf = (m: NodeMessage): Record<string, unknown> => m.payload as Record<string, unknown>;
const stopPosts = chargeStopPosts;

describe('Node-RED: the charge limit', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let ev: string;

  h.useNodeRed({ started: (setUp) => ({ sim, ev } = setUp) });

  /** The EV made a car without charging preferences, the flow loaded with the node's configured limit. */
  async function withoutPreferences(percent: string, run: (seen: NodeMessage[]) => Promise<void>): Promise<void> {
    const caps = sim.vehicle(ev).capabilities;
    assert.ok(caps);
    const before = caps.charging.preferenceType;
    caps.charging.preferenceType = false;
    try {
      h.freshSettings();
      sim.control.setVehicle(ev, { level: 70, plugged: true, charging: false });
      await h.load(flow({ action: 'charge-limit', percent, vehicle: ev }));
      await h.accountReady('acc');
      await run(h.collect('seen'));
    } finally {
      caps.charging.preferenceType = before;
    }
  }

  it('msg.payload {action: "charge-limit", percent: 80} on a car with preferences: one spec-valid POST of Partial, a "set" event', async () => {
    h.freshSettings();
    await h.load(flow());
    await h.accountReady('acc');
    const seen = h.collect('seen');
    const from = sim.calls.length;
    const answered = h.nextMessage('ok');
    h.send('r', { payload: { action: 'charge-limit', percent: 80 }, vehicle: ev });
    const msg = await answered;
    assert.equal(payloadOf(msg).result, 'Success');
    assert.deepEqual(msg.chargeLimit, { percent: 80, method: 'preferences', text: 'kept by the car (charging preferences: Partial)' });
    const posts = callsMatching(sim, REMOTE_POSTS, from);
    assert.equal(posts.length, 1);
    assert.deepEqual((posts[0].body as { charging?: unknown }).charging, { preferences: { type: 'Partial' } });
    assert.deepEqual(specFor('b2c').validateRequest('POST', posts[0].path.replace(/^\/connectedcar\/v4/, ''), posts[0].query, posts[0].body), []);
    await h.until(() => seen.some((m) => m.topic === 'chargeLimit' && payloadOf(m).kind === 'set'), 5000, 'the set event');
    assert.equal(seen.find((m) => m.topic === 'chargeLimit')?.vehicle, ev);

    // A bad percentage: output 2 is not used, the message fails with what to send.
    h.send('r', { payload: { action: 'charge-limit', percent: 150 }, vehicle: ev });
    await h.until(() => h.loggedErrors('r').some((e) => /charge-limit.*20 to 100/.test(e)), 5000, 'the refusal');
  });

  it('the node set to charge-limit on a car without preferences: answered at once, nothing sent; the threshold stops the charge once and says so', async () => {
    await withoutPreferences('74', async (seen) => {
      const from = sim.calls.length;
      const answered = h.nextMessage('ok');
      h.send('r', { payload: 1_700_000_000_000 }); // an inject's timestamp: the configured limit
      const msg = await answered;
      assert.equal(payloadOf(msg).result, 'Success');
      assert.equal(payloadOf(msg).method, 'monitor');
      assert.match(String(payloadOf(msg).text), /charge limit 74 %: kept by a monitor/);
      await h.until(() => h.account('acc').monitors().some((v) => v.monitors.some((m) => m.key === 'chargeLimit' && m.monitorId)), 8000, 'the threshold monitor');
      assert.equal(callsMatching(sim, REMOTE_POSTS, from).length, 0, 'nothing sent to the car');

      sim.control.setVehicle(ev, { charging: true });
      await h.until(() => seen.some((m) => m.topic === 'chargeLimit' && payloadOf(m).kind === 'stopped'), 10000, 'the stopped event');
      const stopped = payloadOf(seen.find((m) => payloadOf(m).kind === 'stopped')!);
      assert.equal(stopped.level, 75);
      assert.match(String(stopped.text), /charge stopped at 75 % \(limit 74 %\)/);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(stopPosts(sim, from).length, 1, 'exactly one stop');
      assert.equal(callsMatching(sim, { method: 'GET', path: /\/status$/ }, from).length, 0, 'no status read');
    });
  });

  it('a stop that fails: one "not-stopped" message with the cause and why, exactly one stop POST, never retried in the session', async () => {
    await withoutPreferences('72', async (seen) => {
      const answered = h.nextMessage('ok');
      h.send('r', { payload: true });
      assert.equal(payloadOf(await answered).method, 'monitor');
      await h.until(() => h.account('acc').monitors().some((v) => v.monitors.some((m) => m.key === 'chargeLimit' && m.monitorId)), 8000, 'the threshold monitor');
      const from = sim.calls.length;

      // A car reported stolen refuses every remote but the stolen-vehicle ones: the stop ends Failed with that cause.
      sim.control.setVehicle(ev, { stolen: true });
      sim.control.setVehicle(ev, { charging: true });
      const limitMessages = () => seen.filter((m) => m.topic === 'chargeLimit' && ['stopped', 'not-stopped'].includes(String(payloadOf(m).kind)));
      await h.until(() => limitMessages().length > 0, 10000, 'the chargeLimit message');
      const msg = limitMessages()[0];
      assert.equal(msg.vehicle, ev);
      const p = payloadOf(msg);
      assert.equal(p.kind, 'not-stopped', JSON.stringify(p));
      assert.equal(p.percent, 72);
      assert.equal(p.method, 'monitor');
      assert.equal(p.level, 73);
      assert.equal((p.end as { result?: string; failureCause?: string }).result, 'Failed');
      assert.equal((p.end as { failureCause?: string }).failureCause, 'NotPossibleDueToVehicleStolenState');
      assert.match(String(p.text), /^level 73 % passed the limit of 72 % but the stop failed \(NotPossibleDueToVehicleStolenState\): .+; not retried for this charge$/);

      // The car keeps charging past the limit: no second stop for this session.
      await h.until(() => sim.vehicle(ev).level >= 76, 10000, 'the level going on');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(stopPosts(sim, from).length, 1, 'exactly one stop');
      assert.equal(limitMessages().length, 1, 'one message');
      assert.equal(callsMatching(sim, { method: 'GET', path: /\/status$/ }, from).length, 0, 'no status read');
      assert.equal((await h.account('acc').whenReady()).chargeLimitOf(ev)?.stoppedThisSession, true);
    });
  });
});
