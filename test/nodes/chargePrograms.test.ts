/**
 * Charging programs in a real Node-RED runtime: the remote node sends the whole list
 * (msg.payload {action: "charge-programs", programs}, or the list kept in the editor), and one
 * program set or deleted ({action: "charge-program", slot, ...} / "charge-program-delete"), merged
 * by the account into the list it knows: one spec-valid POST per change, no status read, no wake-up.
 */
import { strict as assert } from 'node:assert';
import type { RunningSimulator } from '../../src/simulator';
import type { NodeMessage } from '../../nodes/src/lib/red';
import { callsMatching, REMOTE_POSTS } from '../helpers/simulator';
import { specFor } from '../helpers/spec';
import * as h from './harness';

function flow(remote: Record<string, unknown> = {}): unknown[] {
  return [
    h.simAccount('acc'),
    { id: 'r', type: 'stellantis-remote', account: 'acc', action: 'lock', wires: [['ok'], ['ko']], ...remote },
    { id: 'ok', type: 'helper' },
    { id: 'ko', type: 'helper' },
  ];
}

const payloadOf = (m: NodeMessage): Record<string, unknown> => m.payload as Record<string, unknown>;
type Sent = { charging?: { schedule?: { programs?: unknown[] } } };

describe('Node-RED: charging programs', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let ev: string;

  h.useNodeRed({
    started: (setUp) => ({ sim, ev } = setUp),
    beforeEach: () => sim.control.setVehicle(ev, { chargePrograms: [] }),
  });

  function checkPost(post: { path: string; query: Record<string, string>; body: unknown }): unknown[] {
    assert.deepEqual(specFor('b2c').validateRequest('POST', post.path.replace(/^\/connectedcar\/v4/, ''), post.query, post.body), []);
    return (post.body as Sent).charging?.schedule?.programs ?? [];
  }

  async function answer(payload: unknown): Promise<NodeMessage> {
    const answered = h.nextMessage('ok');
    h.send('r', { payload, vehicle: ev });
    return answered;
  }

  it('round trip: the whole list, then one program set, added and deleted; one POST each, no status read or wake-up', async () => {
    h.freshSettings();
    await h.load(flow());
    const account = await h.account('acc').whenReady(10_000);
    const from = sim.calls.length;

    const whole = await answer({ action: 'charge-programs', programs: [{ days: 'Mon-Fri', start: '22:30', end: '06:30' }] });
    assert.equal(payloadOf(whole).result, 'Success');
    assert.match(String(payloadOf(whole).text), /charging programs \(1\)/);
    assert.deepEqual(sim.vehicle(ev).chargePrograms, [{ start: 'PT22H30M', end: 'PT6H30M', enabled: true, occurence: { day: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] } }]);

    const added = await answer({ action: 'charge-program', slot: 2, days: ['Sat', 'Sun'], start: '01:00', end: '07:00', enabled: false });
    assert.equal(payloadOf(added).result, 'Success');
    const changed = await answer({ action: 'charge-program', slot: '1', days: 'Mon,Tue', start: '23:00', end: '05:00' });
    assert.equal(payloadOf(changed).result, 'Success');
    assert.deepEqual(
      sim.vehicle(ev).chargePrograms.map((p) => [p.start, p.end, p.enabled, p.occurence.day.join(',')]),
      [['PT23H0M', 'PT5H0M', true, 'Mon,Tue'], ['PT1H0M', 'PT7H0M', false, 'Sat,Sun']],
      'the edit changed slot 1 and kept slot 2',
    );
    const deleted = await answer({ action: 'charge-program-delete', slot: 1 });
    assert.equal(payloadOf(deleted).result, 'Success');
    assert.deepEqual(sim.vehicle(ev).chargePrograms.map((p) => p.start), ['PT1H0M'], 'slot 2 moved up');

    const posts = callsMatching(sim, REMOTE_POSTS, from);
    assert.deepEqual(posts.map((p) => checkPost(p).length), [1, 2, 2, 1], 'one POST per change, each the whole list');
    assert.equal(posts.filter((p) => (p.body as { wakeUp?: unknown }).wakeUp).length, 0, 'no refresh');
    assert.equal(callsMatching(sim, { method: 'GET', path: /\/status$/ }, from).length, 0, 'no status read: the account knew the list');
    assert.deepEqual(account.stateOf(ev).charging?.programs, [{ slot: 1, enabled: false, days: ['Sat', 'Sun'], start: '01:00', end: '07:00' }]);

    // A status read shows what the car keeps: the same list.
    const read = await account.readStatus(ev);
    assert.deepEqual(read.state.charging?.programs, [{ slot: 1, enabled: false, days: ['Sat', 'Sun'], start: '01:00', end: '07:00', chargeUntilFull: false }]);
  });

  it('the list kept in the editor, sent on any trigger; bad requests fail with what to send and send nothing', async () => {
    h.freshSettings();
    const programs = [{ days: ['Sat', 'Sun'], start: '02:00', end: '06:00', enabled: true }];
    await h.load(flow({ action: 'charge-programs', chargePrograms: programs, vehicle: ev }));
    await h.accountReady('acc');
    const from = sim.calls.length;
    const answered = h.nextMessage('ok');
    h.send('r', { payload: 1_700_000_000_000 });
    assert.equal(payloadOf(await answered).result, 'Success');
    assert.deepEqual(callsMatching(sim, REMOTE_POSTS, from).map((p) => checkPost(p)), [[{ start: 'PT2H0M', end: 'PT6H0M', enabled: true, occurence: { day: ['Sat', 'Sun'] } }]]);

    const afterGood = sim.calls.length;
    h.send('r', { payload: { action: 'charge-program', slot: 3, days: 'Mon', start: '01:00' }, vehicle: ev });
    await h.until(() => h.loggedErrors('r').some((e) => /slot 3 is past the end of the list \(1 program\); send slot 2 to add one/.test(e)), 5000, 'the slot refusal');
    h.send('r', { payload: { action: 'charge-program', slot: 1, days: 'Mon', start: '7h' }, vehicle: ev });
    await h.until(() => h.loggedErrors('r').some((e) => /bad charge-program request: start: '7h' is not a time/.test(e)), 5000, 'the time refusal');
    h.send('r', { payload: { action: 'charge-programs', programs: 'Mon 22:00' }, vehicle: ev });
    await h.until(() => h.loggedErrors('r').some((e) => /programs: must be a list/.test(e)), 5000, 'the list refusal');
    assert.equal(callsMatching(sim, REMOTE_POSTS, afterGood).length, 0, 'nothing sent');
  });
});
