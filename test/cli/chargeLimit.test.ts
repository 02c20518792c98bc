/** `stellantis send <car> charge-limit 80` and `status` showing the limit and how it is kept. */
import { strict as assert } from 'node:assert';
import { cli, setup, type Setup } from './support';
import { callsMatching, REMOTE_POSTS } from '../helpers/simulator';

describe('stellantis send charge-limit', () => {
  let s: Setup;
  let config: string;
  before(async () => {
    s = await setup();
    await s.storeTokens();
    config = await s.writeConfig();
  });
  after(() => s.close());

  it('on a car with charging preferences: one POST of preferences Partial; status shows the limit kept by the car', async () => {
    const from = s.sim.calls.length;
    const run = await cli(['send', 'Zoe', 'charge-limit', '80', ...s.args(config)]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /charge limit 80 %: kept by the car \(charging preferences: Partial\)/);
    const posts = callsMatching(s.sim, REMOTE_POSTS, from);
    assert.equal(posts.length, 1);
    assert.deepEqual((posts[0].body as { charging?: unknown }).charging, { preferences: { type: 'Partial' } });
    const status = await cli(['status', 'Zoe', ...s.args(config)]);
    assert.match(status.stdout, /Charge limit:\s+80 %, kept by the car/);
  });

  it('bad values are refused, a car without preferences gets the monitor, off removes it; with the reason, nothing posted', async () => {
    const from = s.sim.calls.length;
    const bad = await cli(['send', 'Zoe', 'charge-limit', '150', ...s.args(config)]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /whole number from 20 to 100/);
    // A car that says nothing of its capabilities: saved for the running plugin's monitor, nothing sent.
    const unknown = await cli(['send', 'Clio', 'charge-limit', '75', ...s.args(config)]);
    assert.equal(unknown.code, 0, unknown.stderr);
    assert.match(unknown.stdout, /charge limit 75 % saved: kept by a monitor/);
    assert.match(unknown.stdout, /\n.*using the storage folder .+: applied at once by a running plugin, else at its start\. Nothing was sent to the car/);
    assert.equal(callsMatching(s.sim, REMOTE_POSTS, from).length, 0);
    const offFrom = s.sim.calls.length;
    const off = await cli(['send', 'Zoe', 'charge-limit', 'off', ...s.args(config)]);
    assert.equal(off.code, 0, off.stderr);
    // The car kept it itself: removing it sets its preferences back to Full.
    const offPosts = callsMatching(s.sim, REMOTE_POSTS, offFrom);
    assert.equal(offPosts.length, 1);
    assert.deepEqual((offPosts[0].body as { charging?: unknown }).charging, { preferences: { type: 'Full' } });
    assert.match((await cli(['status', 'Zoe', ...s.args(config)])).stdout, /Charge limit:\s+none/);
  });
});
