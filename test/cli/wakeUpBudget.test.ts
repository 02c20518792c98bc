/** `stellantis status` shows the car's wake-ups of the month against the assumed cap, from the saved file (no call). */
import { strict as assert } from 'node:assert';
import { cli, setup, type Setup } from './support';
import { callsMatching, REMOTE_POSTS } from '../helpers/simulator';

describe('stellantis status: the wake-up budget line', () => {
  let s: Setup;
  before(async () => {
    s = await setup();
    await s.storeTokens();
  });
  after(() => s.close());

  it('one line per car: none used at first, one more after `send refresh`, against wakeUpsPerMonth; says other apps are not seen', async () => {
    const config = await s.writeConfig({ wakeUpsPerMonth: 8 });
    const first = await cli(['status', 'Zoe', ...s.args(config)]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /\n {2}Wake-ups: 0 wake-ups this month, about 8 left \(assumed cap 8\) \(as far as we can tell: wake-ups by other apps/);
    assert.equal(first.stdout.match(/Wake-ups:/g)?.length, 1, 'one line for the car');

    const from = s.sim.calls.length;
    const sent = await cli(['send', 'Zoe', 'refresh', ...s.args(config)]);
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(callsMatching(s.sim, REMOTE_POSTS, from).filter((c) => 'wakeUp' in (c.body as object)).length, 1);
    const statusFrom = s.sim.calls.length;
    const after = await cli(['status', 'Zoe', ...s.args(config)]);
    assert.match(after.stdout, /Wake-ups: 1 wake-up this month, about 7 left \(assumed cap 8\)/);
    assert.equal(callsMatching(s.sim, REMOTE_POSTS, statusFrom).length, 0, 'status sends no remote');
    // The other car spent none.
    assert.match((await cli(['status', 'Clio', ...s.args(config)])).stdout, /Wake-ups: 0 wake-ups this month, about 8 left/);
  });

  it('a bad wakeUpsPerMonth is refused with what to fix', async () => {
    const config = await s.writeConfig({ wakeUpsPerMonth: 0 });
    const run = await cli(['status', 'Zoe', ...s.args(config)]);
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /wakeUpsPerMonth: 0 is out of range; use 1 to 1000 wake-ups/);
  });
});
