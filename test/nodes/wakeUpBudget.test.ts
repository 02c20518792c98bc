/**
 * Issue 15 in a real Node-RED runtime: the account node's *Wake-ups a month* (wakeUpsPerMonth) reaches the
 * engine, and the status node's msg.wakeUps shows the car's budget (what the plugin counted, never an API
 * call): a refresh sent through stellantis-remote spends one, the car's TooManyWakeUpsOverMonth leaves
 * none until next month. A bad value makes the account invalid with a message naming the field.
 */
import { strict as assert } from 'node:assert';
import type { RunningSimulator } from '../../src/simulator';
import { monthKeyOf, type WakeUpBudget } from '../../src/remotes/wakeUpBudget';
import type { NodeMessage } from '../../nodes/src/lib/red';
import { callsMatching, REMOTE_POSTS } from '../helpers/simulator';
import * as h from './harness';

function flow(accountExtra: Record<string, unknown>, vehicle: string): unknown[] {
  return [
    h.simAccount('acc', accountExtra),
    { id: 'r', type: 'stellantis-remote', account: 'acc', action: 'refresh', vehicle, wires: [['ok'], ['ko']] },
    { id: 'status', type: 'stellantis-status', account: 'acc', vehicle, source: 'cache', wires: [['out']] },
    { id: 'ok', type: 'helper' },
    { id: 'ko', type: 'helper' },
    { id: 'out', type: 'helper' },
    { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
  ];
}

describe('Node-RED: the wake-up budget (account option and msg.wakeUps)', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let ev: string;

  before(async () => {
    await h.startNodeRed();
    sim = await h.holdSimulator();
    ev = sim.vehicles.find((v) => v.kind === 'electric')?.id ?? '';
  });
  after(async () => h.stopNodeRed());
  beforeEach(async () => h.resetSimulator(sim));
  afterEach(async () => {
    // The simulator is shared by the Node-RED tests: its wake-up count goes back.
    sim.control.setVehicle(ev, { wakeUpsUsed: 0 });
    await h.unload();
  });

  async function statusOut(): Promise<NodeMessage> {
    const out = h.nextMessage('out');
    h.send('status', {});
    return out;
  }

  it('after a refresh through stellantis-remote, msg.wakeUps says used 1 and left cap - 1 with the account\'s wakeUpsPerMonth; no API call for it', async () => {
    h.freshSettings();
    await h.load(flow({ wakeUpsPerMonth: 7 }, ev));
    await h.accountReady('acc');
    const month = monthKeyOf(Date.now());

    const from = sim.calls.length;
    const first = await statusOut();
    assert.deepEqual(first.wakeUps, { month, used: 0, assumedCap: 7, left: 7 });
    assert.equal(sim.calls.length, from, 'the budget (and the cached state) cost no call');

    sim.control.setVehicle(ev, { asleep: true });
    const posts = callsMatching(sim, REMOTE_POSTS).length;
    const answered = h.nextMessage('ok', 15_000);
    h.send('r', { payload: true });
    assert.equal(((await answered).payload as { result?: string }).result, 'Success');
    assert.equal(callsMatching(sim, REMOTE_POSTS).length, posts + 1, 'one refresh sent');

    const before = sim.calls.length;
    const second = await statusOut();
    assert.deepEqual(second.wakeUps, { month, used: 1, assumedCap: 7, left: 6 });
    assert.equal(sim.calls.length, before, 'still no call');
    // A copy: changing the message does not change the account's count.
    (second.wakeUps as WakeUpBudget).used = 99;
    assert.equal(((await statusOut()).wakeUps as WakeUpBudget).used, 1);
  });

  it('the car answering TooManyWakeUpsOverMonth leaves none: left 0 and blockedUntil the first day of next month', async () => {
    h.freshSettings();
    await h.load(flow({ wakeUpsPerMonth: 30 }, ev));
    await h.accountReady('acc');
    sim.control.setVehicle(ev, { asleep: true });
    sim.control.exhaustWakeUps(ev);

    const failed = h.nextMessage('ko', 15_000);
    h.send('r', { payload: true });
    const end = (await failed).payload as { result?: string; failureCause?: string };
    assert.equal(end.result, 'Failed');

    const budget = (await statusOut()).wakeUps as WakeUpBudget;
    assert.equal(budget.assumedCap, 30);
    assert.equal(budget.left, 0);
    const now = new Date();
    assert.equal(budget.blockedUntil, new Date(now.getFullYear(), now.getMonth() + 1, 1).getTime());
  });

  for (const [value, expected] of [
    ['lots', /^Wake-ups a month \(wakeUpsPerMonth\): must be a whole number of wake-ups from 1 to 1000, not/],
    [0, /^Wake-ups a month \(wakeUpsPerMonth\): 0 is out of range; use 1 to 1000 wake-ups/],
    ['2.5', /^Wake-ups a month \(wakeUpsPerMonth\): must be a whole number of wake-ups from 1 to 1000/],
  ] as const) {
    it(`a bad wakeUpsPerMonth (${JSON.stringify(value)}) makes the account invalid, says which field, and the nodes answer with it (no crash, no call)`, async () => {
      h.freshSettings();
      const from = sim.calls.length;
      await h.load(flow({ wakeUpsPerMonth: value }, ev));
      await h.until(() => h.account('acc').state.state === 'invalid', 5000, 'the account to be found invalid');
      assert.match(h.account('acc').state.text, expected);
      assert.ok(h.loggedErrors('acc').some((e) => expected.test(e)), 'logged by the account node');

      const caught = h.nextMessage('caught');
      h.send('status', {});
      const error = String(((await caught).error as { message: string }).message);
      assert.match(error, /account: Wake-ups a month \(wakeUpsPerMonth\)/);
      assert.equal(sim.calls.length, from, 'nothing sent to Stellantis');
    });
  }

  it('an empty field means the default cap, 20', async () => {
    h.freshSettings();
    await h.load(flow({ wakeUpsPerMonth: '' }, ev));
    await h.accountReady('acc');
    assert.equal(((await statusOut()).wakeUps as WakeUpBudget).assumedCap, 20);
  });
});
