/**
 * `stellantis send <car> charge-program --slot N ...` / `charge-program-delete --slot N` and `status`
 * showing the programs: one status read (never a wake-up) and one POST per change, the whole list
 * each time, valid per the spec; a car without programs refuses before any call but the capability read.
 */
import { strict as assert } from 'node:assert';
import { VEHICLE_PRESETS } from '../../src/simulator';
import { cli, setup, type Setup } from './support';
import { callsMatching, REMOTE_POSTS, VEHICLE_READS } from '../helpers/simulator';
import { specFor } from '../helpers/spec';
import { waitFor } from '../simulator/harness';

type Sent = { charging?: { schedule?: { programs?: unknown[] } } };

describe('stellantis send charge-program', () => {
  let s: Setup;
  let config: string;
  let zoe: string;
  before(async () => {
    s = await setup({ vehicles: [VEHICLE_PRESETS.ev, VEHICLE_PRESETS.older] });
    await s.storeTokens();
    config = await s.writeConfig();
    zoe = s.sim.vehicles[0].id;
  });
  after(() => s.close());

  /** Runs one edit; returns the programs it posted (checked against the spec) and the calls it made. */
  async function edit(args: string[], programsAfter: number): Promise<{ sent: unknown[]; statusReads: number; vehicleReads: number; stdout: string }> {
    const from = s.sim.calls.length;
    const run = await cli(['send', 'Zoe', ...args, ...s.args(config)]);
    assert.equal(run.code, 0, run.stderr);
    const posts = callsMatching(s.sim, REMOTE_POSTS, from);
    assert.equal(posts.length, 1, 'one POST');
    const post = posts[0];
    assert.deepEqual(specFor('b2c').validateRequest('POST', post.path.replace(/^\/connectedcar\/v4/, ''), post.query, post.body), []);
    await waitFor(() => s.sim.vehicle(zoe).chargePrograms.length === programsAfter, 'the car keeps the list', 8000);
    const wakeUps = posts.filter((p) => (p.body as { wakeUp?: unknown }).wakeUp).length;
    assert.equal(wakeUps, 0);
    return { sent: (post.body as Sent).charging?.schedule?.programs ?? [], statusReads: callsMatching(s.sim, { method: 'GET', path: /\/status$/ }, from).length, vehicleReads: callsMatching(s.sim, VEHICLE_READS, from).length, stdout: run.stdout };
  }

  it('sets, adds and deletes programs, each the whole list after one status read; status shows them', async () => {
    assert.match((await cli(['status', 'Zoe', ...s.args(config)])).stdout, /Charging programs:\s+none/);

    const first = await edit(['charge-program', '--slot', '1', '--days', 'Mon-Fri', '--start', '22:30', '--end', '06:30'], 1);
    assert.deepEqual(first.sent, [{ start: 'PT22H30M', end: 'PT6H30M', enabled: true, occurence: { day: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] } }]);
    assert.equal(first.statusReads, 1);
    assert.ok(first.vehicleReads <= 1, `what the car can do read at most once (${first.vehicleReads})`);
    assert.match(first.stdout, /Charging programs to send \(the whole list replaces the car's\): 1: Mon-Fri 22:30-06:30 \(enabled\)/);
    assert.match(first.stdout, /Sent charging programs \(1\) on Zoe/);

    const second = await edit(['charge-program', '--slot', '2', '--days', 'sat,sun', '--start', '01:00', '--end', '07:00', '--disabled'], 2);
    assert.equal(second.sent.length, 2, 'the first program sent again');
    assert.deepEqual(second.sent[0], first.sent[0]);
    assert.equal(second.statusReads, 1);
    assert.ok(second.vehicleReads <= 1, `what the car can do read at most once (${second.vehicleReads})`);

    const status = await cli(['status', 'Zoe', ...s.args(config)]);
    assert.match(status.stdout, /Charging programs:\s+1: Mon-Fri 22:30-06:30 \(enabled\); 2: Sat,Sun 01:00-07:00 \(disabled\)/);

    const deleted = await edit(['charge-program-delete', '--slot', '1'], 1);
    assert.deepEqual(deleted.sent, [{ start: 'PT1H0M', end: 'PT7H0M', enabled: false, occurence: { day: ['Sat', 'Sun'] } }]);
    assert.match((await cli(['status', 'Zoe', ...s.args(config)])).stdout, /Charging programs:\s+1: Sat,Sun 01:00-07:00 \(disabled\)/);
  });

  it('refuses what it cannot do with the reason, and posts nothing', async () => {
    const from = s.sim.calls.length;
    const badTime = await cli(['send', 'Zoe', 'charge-program', '--slot', '1', '--days', 'Mon', '--start', '25:00', ...s.args(config)]);
    assert.equal(badTime.code, 2);
    assert.match(badTime.stderr, /charge-program --start: '25:00' is not a time/);
    const badDay = await cli(['send', 'Zoe', 'charge-program', '--slot', '1', '--days', 'Mon-Fry', '--start', '22:00', ...s.args(config)]);
    assert.equal(badDay.code, 2);
    assert.match(badDay.stderr, /"Mon-Fry" is not a day/);
    assert.equal(s.sim.calls.length, from, 'no call for a mistake on the command line');

    const far = await cli(['send', 'Zoe', 'charge-program', '--slot', '5', '--days', 'Mon', '--start', '22:00', ...s.args(config)]);
    assert.equal(far.code, 2);
    assert.match(far.stderr, /--slot: slot 5 is past the end of the list \(\d programs?\); send slot \d to add one/);
    const noEnd = await cli(['send', 'Zoe', 'lock', '--end', '06:00', ...s.args(config)]);
    assert.equal(noEnd.code, 2);
    assert.match(noEnd.stderr, /--end goes with charge-program/);

    const statusFrom = s.sim.calls.length;
    const older = await cli(['send', 'Clio', 'charge-program', '--slot', '1', '--days', 'Mon', '--start', '22:00', '--end', '06:00', ...s.args(config)]);
    assert.equal(older.code, 1);
    assert.match(older.stderr, /charging programs \(this car keeps none\)/);
    assert.equal(callsMatching(s.sim, { method: 'GET', path: /\/status$/ }, statusFrom).length, 0, 'refused before the status read');
    assert.equal(callsMatching(s.sim, REMOTE_POSTS, from).length, 0);
  });
});
