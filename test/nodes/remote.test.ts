/**
 * stellantis-remote in a real Node-RED runtime against the simulator: every action from a message
 * to its outputs (the POST body checked against the official spec), the node status through the
 * phases, waiting or not, overrides and blocked overrides, and bad messages.
 */
import { strict as assert } from 'node:assert';
import type { EventEmitter } from 'node:events';
import { specFor } from '../helpers/spec';
import type { NodeMessage, NodeStatus } from '../../nodes/src/lib/red';
import type { RunningSimulator, RecordedCall } from '../../src/simulator';
import * as h from './harness';
import { callsMatching, REMOTE_POSTS } from '../helpers/simulator';

interface Outcome {
  output: 1 | 2;
  msg: NodeMessage;
}

/** Sends `msg` to the remote node and resolves with the first message on output 1 or 2. */
async function run(remoteId: string, msg: NodeMessage, okId = 'ok', koId = 'ko'): Promise<Outcome> {
  const ok = h.nextMessage(okId).then((m) => ({ output: 1 as const, msg: m }));
  const ko = h.nextMessage(koId).then((m) => ({ output: 2 as const, msg: m }));
  ok.catch(() => undefined);
  ko.catch(() => undefined);
  h.send(remoteId, msg);
  return Promise.race([ok, ko]);
}

function payloadOf(msg: NodeMessage): Record<string, unknown> {
  return msg.payload as Record<string, unknown>;
}

function remotePosts(sim: RunningSimulator): RecordedCall[] {
  return callsMatching(sim, REMOTE_POSTS);
}

function lastPostBody(sim: RunningSimulator): Record<string, unknown> {
  const posts = remotePosts(sim);
  assert.ok(posts.length > 0, 'no remote POST made');
  return posts[posts.length - 1].body as Record<string, unknown>;
}

/** The path after the API base, as the spec describes it. */
function specPath(call: RecordedCall): string {
  return call.path.replace(/^\/connectedcar\/v[34]/, '');
}

function statuses(nodeId: string): NodeStatus[] {
  const list: NodeStatus[] = [];
  (h.node(nodeId) as EventEmitter).on('call:status', (call: { args: [NodeStatus] }) => list.push(call.args[0]));
  return list;
}

function remoteFlow(extra: Record<string, unknown> = {}, account: Record<string, unknown> = h.simAccount('acc')): unknown[] {
  return [
    account,
    { id: 'r', type: 'stellantis-remote', account: account.id, action: 'lock', progress: true, outputs: 3, wires: [['ok'], ['ko'], ['steps']], ...extra },
    { id: 'ok', type: 'helper' },
    { id: 'ko', type: 'helper' },
    { id: 'steps', type: 'helper' },
    { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
}

describe('stellantis-remote node', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let ev: string;
  let thermal: string;

  h.useNodeRed({ started: (setUp) => ({ sim, ev, thermal } = setUp) });

  async function start(flow: unknown[]): Promise<void> {
    h.freshSettings();
    await h.load(flow);
    await h.accountReady((flow[0] as { id: string }).id);
  }

  it('takes every B2C action from a message to output 1, with a POST body the official spec accepts', async () => {
    await start(remoteFlow());
    sim.control.setVehicle(ev, { plugged: true, locked: true });
    const steps = h.collect('steps');
    const cases: Array<{ payload: unknown; check: (body: Record<string, unknown>) => void }> = [
      { payload: 'unlock', check: (b) => assert.deepEqual(b.door, { state: 'Unlocked' }) },
      { payload: 'lock', check: (b) => assert.deepEqual(b.door, { state: 'Locked' }) },
      { payload: 'horn', check: (b) => assert.deepEqual(b.horn, { state: 'Activated' }) },
      { payload: 'lights', check: (b) => assert.deepEqual(b.lights, { on: true }) },
      { payload: 'precondition-on', check: (b) => assert.deepEqual(b.preconditioning, { airConditioning: { immediate: true } }) },
      { payload: 'precondition-off', check: (b) => assert.deepEqual(b.preconditioning, { airConditioning: { immediate: false } }) },
      {
        payload: { action: 'precondition-programs', set: [{ slot: 1, days: 'Mon,Tue,Wed,Thu,Fri', start: '07:00' }] },
        check: (b) => {
          const programs = (b.preconditioning as { airConditioning: { programs: Array<Record<string, unknown>> } }).airConditioning.programs;
          assert.equal(programs.length, 1);
          assert.equal(programs[0].slot, 1);
          assert.equal(programs[0].start, 'PT7H0M');
          assert.deepEqual(programs[0].occurence, { day: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] });
        },
      },
      { payload: 'charge-start', check: (b) => assert.deepEqual(b.charging, { immediate: true }) },
      { payload: 'charge-stop', check: (b) => assert.deepEqual(b.charging, { immediate: false }) },
      {
        payload: { action: 'charge-at', at: '23:30' },
        check: (b) => {
          const at = (b.charging as { schedule: { nextDelayedTime: string } }).schedule.nextDelayedTime;
          assert.equal(new Date(at).getHours(), 23);
          assert.equal(new Date(at).getMinutes(), 30);
        },
      },
      { payload: { action: 'charge-preferences', level: 3, type: 'Full' }, check: (b) => assert.deepEqual(b.charging, { preferences: { level: 'Level3', type: 'Full' } }) },
      { payload: 'refresh', check: (b) => assert.deepEqual(b.wakeUp, { action: 'WakeUp' }) },
      {
        payload: { action: 'navigate', points: [{ lat: 45.75, lon: 4.85 }, { lat: 48.8584, lon: 2.2945 }] },
        check: (b) => assert.deepEqual(b.navigation, { positions: [{ type: 'Point', coordinates: [4.85, 45.75] }, { type: 'Point', coordinates: [2.2945, 48.8584] }] }),
      },
    ];
    const spec = specFor('b2c');
    for (const c of cases) {
      const before = remotePosts(sim).length;
      const { output, msg } = await run('r', { payload: c.payload, vehicle: ev });
      const label = JSON.stringify(c.payload);
      assert.equal(output, 1, `${label} ended on output ${output}: ${JSON.stringify(msg.payload)}`);
      assert.ok(['Success', 'AlreadyDone'].includes(String(payloadOf(msg).result)), label);
      assert.equal(msg.vehicle, ev);
      assert.match(String(msg.topic), new RegExp(`^stellantis/${ev}/`));
      assert.equal(typeof payloadOf(msg).remoteActionId, 'string');
      assert.equal(remotePosts(sim).length, before + 1, `${label}: exactly one POST`);
      const post = remotePosts(sim)[before];
      assert.deepEqual(spec.validateRequest('POST', specPath(post), post.query, post.body), [], label);
      c.check(lastPostBody(sim));
    }
    // The third output saw every step of every action.
    const phases = new Set(steps.map((m) => payloadOf(m).phase));
    for (const phase of ['sending', 'sent', 'pending', 'done']) assert.ok(phases.has(phase), `no ${phase} step`);
    assert.ok(steps.some((m) => payloadOf(m).pendingStatus === 'SentToVehicle'));
  });

  it('sends the fleet-only actions with a B2B account, and refuses them on B2C without any call', async () => {
    await start(remoteFlow({}, h.simAccount('fleet', { flavour: 'b2b' })));
    const spec = specFor('b2b');
    for (const [word, check] of [
      ['immobilize', { immobilization: { activate: true } }],
      ['mobilize', { immobilization: { activate: false } }],
      ['stolen-on', { stolen: { stolen: true } }],
      ['stolen-off', { stolen: { stolen: false } }],
    ] as const) {
      const before = remotePosts(sim).length;
      const { output, msg } = await run('r', { payload: word, vehicle: thermal });
      assert.equal(output, 1, `${word}: ${JSON.stringify(msg.payload)}`);
      assert.equal(remotePosts(sim).length, before + 1);
      const post = remotePosts(sim)[before];
      assert.match(post.path, /^\/connectedcar\/v3\/fleets\//);
      assert.deepEqual(spec.validateRequest('POST', specPath(post), post.query, post.body), [], word);
      const body = post.body as Record<string, unknown>;
      const [key] = Object.keys(check);
      assert.deepEqual(body[key], check[key as keyof typeof check]);
    }
    await h.unload();

    await start(remoteFlow());
    const before = remotePosts(sim).length;
    const caught = h.nextMessage('caught');
    const { output, msg } = await run('r', { payload: 'stolen-on', vehicle: ev });
    assert.equal(output, 2);
    assert.equal(payloadOf(msg).result, 'Rejected');
    assert.match(String(payloadOf(msg).explanation), /b2b/);
    assert.match(String(((await caught).error as { message: string }).message), /rejected.*b2b/);
    assert.equal(remotePosts(sim).length, before, 'no call for a refused action');
  });

  it('follows the phases in the node status and ends a failure on output 2, in plain words, seen by Catch nodes', async () => {
    await start(remoteFlow({ vehicle: '' }));
    const shown = statuses('r');
    sim.control.setVehicle(ev, { asleep: true, locked: true });
    const unlocked = await run('r', { payload: 'unlock', vehicle: ev });
    assert.equal(unlocked.output, 1);
    assert.equal(payloadOf(unlocked.msg).result, 'Success');
    const texts = shown.map((s) => `${s.fill}/${s.shape}/${s.text}`);
    assert.ok(texts.includes('yellow/ring/waking vehicle'), texts.join(' | '));
    assert.ok(texts.includes('blue/dot/sent to vehicle'), texts.join(' | '));
    assert.match(texts[texts.length - 1], /^green\/dot\/unlocked \d\d:\d\d$/);
    assert.ok(texts.indexOf('yellow/ring/waking vehicle') < texts.indexOf('blue/dot/sent to vehicle'));

    sim.control.setVehicle(ev, { doorsOpen: true });
    const caught = h.nextMessage('caught');
    const failed = await run('r', { payload: 'lock', vehicle: ev });
    assert.equal(failed.output, 2);
    const p = payloadOf(failed.msg);
    assert.equal(p.result, 'Failed');
    assert.equal(p.failureCause, 'DoorsOpen');
    assert.match(String(p.explanation), /close the doors/);
    const error = (await caught).error as { message: string; source: { id: string } };
    assert.match(error.message, /lock \(.+\): failed: .*close the doors/);
    assert.equal(error.source.id, 'r');
    const last = shown[shown.length - 1];
    assert.deepEqual(last, { fill: 'red', shape: 'ring', text: 'failed: doors open' });
  });

  it('emits as soon as Stellantis accepted when told not to wait, and keeps reporting the steps', async () => {
    await start(remoteFlow({ wait: false, vehicle: '' }));
    sim.control.setVehicle(ev, { asleep: true, locked: true });
    const steps = h.collect('steps');
    const all = h.collect('ok');
    const { output, msg } = await run('r', { payload: 'unlock', vehicle: ev });
    assert.equal(output, 1);
    assert.equal(payloadOf(msg).result, 'Accepted');
    assert.equal(typeof payloadOf(msg).remoteActionId, 'string');
    // The car has not answered yet: the end comes later, on the steps output only.
    assert.equal(sim.vehicle(ev).locked, true);
    await h.until(() => steps.some((m) => payloadOf(m).phase === 'done'), 8000, 'the done step');
    assert.equal(payloadOf(steps[steps.length - 1]).result, 'Success');
    assert.equal(all.length, 1, 'output 1 got the acceptance only');
    assert.equal(sim.vehicle(ev).locked, false);
  });

  it('not waiting: a failure after the acceptance still reaches Catch nodes, with the end in msg.payload; a success does not', async () => {
    await start(remoteFlow({ wait: false, vehicle: '' }));
    sim.control.setVehicle(ev, { asleep: true, locked: false, doorsOpen: true });
    const caughtAll = h.collect('caught');
    const caught = h.nextMessage('caught');
    const accepted = await run('r', { payload: 'lock', vehicle: ev, _origin: 'flow-7' });
    assert.equal(accepted.output, 1);
    assert.equal(payloadOf(accepted.msg).result, 'Accepted');
    const late = await caught;
    const error = late.error as { message: string; source: { id: string } };
    assert.match(error.message, /lock \(.+\): failed: .*close the doors/);
    assert.equal(error.source.id, 'r');
    assert.equal(payloadOf(late).result, 'Failed');
    assert.equal(payloadOf(late).failureCause, 'DoorsOpen');
    assert.equal(late._origin, 'flow-7', 'the Catch node gets the message that was sent');
    assert.equal(payloadOf(accepted.msg).result, 'Accepted', 'the message already sent is left alone');

    sim.control.setVehicle(ev, { doorsOpen: false });
    const steps = h.collect('steps');
    assert.equal((await run('r', { payload: 'lock', vehicle: ev })).output, 1);
    await h.until(() => steps.some((m) => payloadOf(m).result === 'Success'), 8000, 'the lock to end');
    assert.equal(caughtAll.length, 1, 'only the failure was caught');
  });

  it('lets msg.payload and msg.vehicle override the node, unless it blocks overrides', async () => {
    await start([
      h.simAccount('acc'),
      { id: 'r', type: 'stellantis-remote', account: 'acc', action: 'lock', wires: [['ok'], ['ko']] },
      { id: 'blocked', type: 'stellantis-remote', account: 'acc', action: 'lock', vehicle: ev, allowOverride: false, wires: [['ok'], ['ko']] },
      { id: 'at', type: 'stellantis-remote', account: 'acc', action: 'charge-at', at: '06:00', wires: [['ok'], ['ko']] },
      { id: 'ok', type: 'helper' },
      { id: 'ko', type: 'helper' },
    ]);
    sim.control.setVehicle(ev, { locked: true, plugged: true });
    sim.control.setVehicle(thermal, { locked: true });
    // Node set to lock, vehicle from the message, action from the message.
    let out = await run('r', { payload: 'unlock', vehicle: thermal });
    assert.equal(out.output, 1);
    assert.deepEqual((out.msg.payload as { action: unknown }).action, { kind: 'unlock' });
    assert.equal(sim.vehicle(thermal).locked, false);
    assert.equal(remotePosts(sim).at(-1)?.path.includes(thermal), true);
    // A boolean picks within the on/off pair; a number (an inject's timestamp) keeps the configured action.
    out = await run('r', { payload: true, vehicle: thermal });
    assert.deepEqual(payloadOf(out.msg).action, { kind: 'lock' });
    out = await run('r', { payload: false, vehicle: thermal });
    assert.deepEqual(payloadOf(out.msg).action, { kind: 'unlock' });
    out = await run('r', { payload: Date.now(), vehicle: thermal });
    assert.deepEqual(payloadOf(out.msg).action, { kind: 'lock' });
    // Parameters only: they complete the configured action.
    out = await run('at', { payload: { at: '23:30' }, vehicle: ev });
    assert.equal(out.output, 1, JSON.stringify(out.msg.payload));
    assert.deepEqual(payloadOf(out.msg).action, { kind: 'charge-at', at: '23:30' });
    out = await run('at', { vehicle: ev });
    assert.deepEqual(payloadOf(out.msg).action, { kind: 'charge-at', at: '06:00' });

    // Blocked: the message changes nothing (not the action, not the vehicle).
    sim.control.setVehicle(ev, { locked: false });
    const before = remotePosts(sim).length;
    out = await run('blocked', { payload: 'unlock', vehicle: thermal });
    assert.equal(out.output, 1, JSON.stringify(out.msg.payload));
    assert.equal(out.msg.vehicle, ev);
    assert.deepEqual(payloadOf(out.msg).action, { kind: 'lock' });
    assert.equal(remotePosts(sim).length, before + 1);
    assert.deepEqual(lastPostBody(sim).door, { state: 'Locked' });
    assert.ok(remotePosts(sim).at(-1)?.path.includes(ev));
  });

  it('merges identical messages into one call, and a contradicting one replaces the waiting one (Superseded, not an error)', async () => {
    await start(remoteFlow({ vehicle: '' }));
    sim.control.setVehicle(ev, { asleep: true, locked: true });
    const done = h.collect('ok');
    const failed = h.collect('ko');
    const caught = h.collect('caught');
    const posts = remotePosts(sim).length;
    h.send('r', { payload: 'horn', vehicle: ev });
    // While the horn runs (the car is waking up), lock is asked three times, then unlock.
    await h.until(() => remotePosts(sim).length === posts + 1, 5000, 'the horn POST');
    for (let i = 0; i < 3; i++) h.send('r', { payload: 'lock', vehicle: ev, attempt: i });
    h.send('r', { payload: 'unlock', vehicle: ev });
    await h.until(() => done.length === 2 && failed.length === 3, 8000, 'horn and unlock done, the three locks superseded');
    assert.deepEqual(done.map((m) => (payloadOf(m).action as { kind: string }).kind), ['horn', 'unlock']);
    assert.deepEqual(failed.map((m) => [payloadOf(m).result, m.attempt]), [['Superseded', 0], ['Superseded', 1], ['Superseded', 2]]);
    assert.equal(remotePosts(sim).length, posts + 2, 'horn and unlock: the locks never reached Stellantis');
    assert.equal(caught.length, 0, 'a superseded request is not an error');
  });

  it('merges three identical lock messages into one API call, each message getting its answer', async () => {
    await start(remoteFlow({ vehicle: '' }));
    sim.control.setVehicle(ev, { locked: false });
    const done = h.collect('ok');
    const posts = remotePosts(sim).length;
    for (let i = 0; i < 3; i++) h.send('r', { payload: 'lock', vehicle: ev, attempt: i });
    await h.until(() => done.length === 3, 8000, 'three answers');
    assert.equal(remotePosts(sim).length, posts + 1, 'one POST for three presses');
    assert.deepEqual(done.map((m) => m.attempt).sort(), [0, 1, 2]);
    assert.equal(new Set(done.map((m) => payloadOf(m).remoteActionId)).size, 1);
  });

  it('ends bad messages with an error saying what to send, without any call', async () => {
    await start(remoteFlow({ vehicle: '' }));
    const posts = remotePosts(sim).length;
    const cases: Array<[NodeMessage, RegExp]> = [
      [{ payload: 'lokc', vehicle: ev }, /unknown action 'lokc'; send msg.payload = one of: lock, unlock/],
      [{ payload: { action: 'navigate', points: [{ lat: 91, lon: 2 }] }, vehicle: ev }, /points\[0\]\.lat/],
      [{ payload: { action: 'navigate', points: 'here' }, vehicle: ev }, /points/],
      [{ payload: { action: 'charge-at' }, vehicle: ev }, /\bat\b/],
      [{ payload: 'lock' }, /no vehicle: pick one in the node or send msg.vehicle = one of: /],
      [{ payload: 'lock', vehicle: 'nope' }, /unknown vehicle 'nope'; send msg.vehicle = one of: /],
      [{ payload: [1, 2], vehicle: ev }, /msg.payload must be an action name/],
    ];
    for (const [msg, expected] of cases) {
      const caught = h.nextMessage('caught');
      h.send('r', msg);
      const error = (await caught).error as { message: string };
      assert.match(error.message, expected, JSON.stringify(msg));
    }
    assert.equal(remotePosts(sim).length, posts, 'no call for bad messages');
  });
});
