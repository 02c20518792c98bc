/**
 * A charge limit the CLI writes to the storage folder reaches a running account at once: the engine
 * watches the file (replaced by rename at every save), applies a new, moved or removed limit as
 * setChargeLimit would (events, the threshold monitor created, updated in place or deleted), ignores
 * its own writes, reports a corrupt file keeping the current limits, and reacts to nothing after stop().
 */
import { strict as assert } from 'node:assert';
import { promises as fsp } from 'node:fs';
import { harness, sleep, until, type Harness } from './harness';
import { callsMatching, chargeStopPosts, REMOTE_POSTS } from '../helpers/simulator';
import { specFor } from '../helpers/spec';
import { VEHICLE_PRESETS } from '../../src/simulator';
import { storeChargeLimit } from '../../src/cli/chargeLimitSend';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import { CHARGE_LIMIT_FILE_DEBOUNCE_MS } from '../../src/engine/chargeLimitFile';
import type { StellantisAccount } from '../../src/engine/stellantisAccount';
import type { ChargeLimitEvent } from '../../src/engine/types';

const MONITOR_POSTS = { method: 'POST', path: /\/monitors$/ };
const MONITOR_PUTS = { method: 'PUT', path: /\/monitors\/[^/]+$/ };
const MONITOR_DELETES = { method: 'DELETE', path: /\/monitors\/[^/]+$/ };
const MONITOR_CHANGES = { path: /\/monitors(\/[^/]+)?$/ };
const STATUS_READS = { method: 'GET', path: /\/status$/ };
/** Long enough for a change to have been seen, debounced and applied. */
const SETTLE_MS = CHARGE_LIMIT_FILE_DEBOUNCE_MS * 4;

function specProblems(c: { method: string; path: string; query: Record<string, string>; body: unknown }): string[] {
  return specFor('b2c').validateRequest(c.method, c.path.replace(/^\/connectedcar\/v4/, ''), c.query, c.body);
}

describe('engine: a charge limit written by the CLI reaches the running account', function () {
  this.timeout(30000);
  let h: Harness;
  let ev: string;
  let phev: string;
  let file: string;
  let account: StellantisAccount;
  let events: ChargeLimitEvent[];
  let problems: string[];

  beforeEach(async () => {
    h = await harness({ sim: { vehicles: [VEHICLE_PRESETS.ev, VEHICLE_PRESETS.phev] } });
    [ev, phev] = h.sim.vehicles.map((v) => v.id);
    file = storageFile(h.dir, 'charge-limits', accountKeyOf(h.config));
    h.sim.control.setVehicle(phev, { level: 70, plugged: true, charging: false });
    account = h.account();
    events = [];
    problems = [];
    account.on('chargeLimit', (e) => events.push(e));
    account.on('problem', (p) => problems.push(p.message));
    await account.start();
  });
  afterEach(() => h.cleanup());

  const stopPosts = (from: number) => chargeStopPosts(h.sim, from);
  /** What `stellantis send <car> charge-limit <percent|off>` does to the storage folder. */
  const cli = (vehicleId: string, percent: number | null) => storeChargeLimit(file, vehicleId, percent, account.capabilitiesOf(vehicleId));

  it('a car without preferences: the threshold monitor is created at once (one spec-valid POST), moved (PUT), removed (DELETE); one stop per session', async () => {
    const from = h.sim.calls.length;
    const plan = await cli(phev, 74);
    assert.equal(plan.action, undefined, 'the CLI posts nothing for this car');
    await until(() => callsMatching(h.sim, MONITOR_POSTS, from).length === 1, 5000, 'the threshold monitor');
    const monitor = callsMatching(h.sim, MONITOR_POSTS, from)[0];
    assert.deepEqual(specProblems(monitor), []);
    assert.match(JSON.stringify(monitor.body), /"op":"greaterThan","value":\["74"\]/);
    assert.deepEqual(account.chargeLimitOf(phev), {
      percent: 74,
      method: 'monitor',
      stoppedThisSession: false,
      text: 'kept by a monitor: one charge stop when the level passes 74 %',
    });
    await until(() => account.monitorsOf(phev).monitors.some((m) => m.key === 'chargeLimit' && m.monitorId), 5000, 'the monitor id');
    const set = events.filter((e) => e.kind === 'set');
    assert.equal(set.length, 1, JSON.stringify(events));
    assert.equal(set[0].vehicleId, phev);
    assert.equal(set[0].percent, 74);
    assert.match(set[0].text, /^charge limit 74 %: kept by a monitor.*set outside this plugin/);

    // The limit now does its work: one stop when the level passes it, no read, no wake-up.
    h.sim.control.setVehicle(phev, { charging: true });
    await until(() => events.some((e) => e.kind === 'stopped'), 8000, 'the stop');
    await sleep(SETTLE_MS);
    assert.equal(stopPosts(from).length, 1, 'exactly one stop');
    assert.equal(callsMatching(h.sim, STATUS_READS, from).length, 0, 'no status read');
    assert.equal(callsMatching(h.sim, MONITOR_POSTS, from).length, 1, 'our own saves (stopped this session) made no second monitor');
    assert.equal(events.filter((e) => e.kind === 'set').length, 1, 'nor a second "set"');

    // Moved from the CLI: the same monitor updated in place.
    const moveFrom = h.sim.calls.length;
    await cli(phev, 85);
    await until(() => callsMatching(h.sim, MONITOR_PUTS, moveFrom).length === 1, 5000, 'the monitor moved');
    const put = callsMatching(h.sim, MONITOR_PUTS, moveFrom)[0];
    assert.deepEqual(specProblems(put), []);
    assert.match(JSON.stringify(put.body), /"value":\["85"\]/);
    assert.equal(account.chargeLimitOf(phev)?.percent, 85);
    assert.equal(callsMatching(h.sim, MONITOR_POSTS, moveFrom).length, 0, 'moved, not duplicated');

    // Removed from the CLI: the monitor deleted, a "cleared" event.
    const offFrom = h.sim.calls.length;
    const off = await cli(phev, null);
    assert.match(off.note ?? '', /drops its threshold monitor at once/);
    await until(() => callsMatching(h.sim, MONITOR_DELETES, offFrom).length === 1, 5000, 'the monitor deleted');
    assert.equal(account.chargeLimitOf(phev), undefined);
    assert.ok(events.some((e) => e.kind === 'cleared' && e.vehicleId === phev), JSON.stringify(events));
    assert.equal(callsMatching(h.sim, REMOTE_POSTS, moveFrom).length, 0, 'nothing sent to the car');
    assert.deepEqual(problems, []);
  });

  it('a car with preferences: the running account takes the limit and sends nothing (the CLI posts the preferences itself)', async () => {
    const from = h.sim.calls.length;
    const plan = await cli(ev, 80);
    assert.deepEqual(plan.action, { kind: 'charge-preferences', type: 'Partial' });
    await until(() => events.some((e) => e.kind === 'set'), 5000, 'the set event');
    assert.equal(account.chargeLimitOf(ev)?.method, 'preferences');
    assert.equal(events.find((e) => e.kind === 'set')?.method, 'preferences');
    await sleep(SETTLE_MS);
    assert.equal(callsMatching(h.sim, REMOTE_POSTS, from).length, 0, 'no second preferences remote');
    assert.equal(callsMatching(h.sim, MONITOR_CHANGES, from).filter((c) => c.method !== 'GET').length, 0, 'no monitor');
  });

  it("its own writes are not taken for another's: setChargeLimit makes one monitor and one event", async () => {
    const from = h.sim.calls.length;
    account.setChargeLimit(phev, 72);
    await until(() => callsMatching(h.sim, MONITOR_POSTS, from).length === 1, 5000, 'the threshold monitor');
    await sleep(SETTLE_MS * 2);
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.equal(callsMatching(h.sim, MONITOR_CHANGES, from).filter((c) => c.method !== 'GET').length, 1, 'one monitor call, no replan after our save');
  });

  it('a corrupt file is reported and the current limits are kept; a valid one after it is applied', async () => {
    await cli(phev, 74);
    await until(() => account.monitorsOf(phev).monitors.some((m) => m.key === 'chargeLimit' && m.monitorId), 5000, 'the threshold monitor');
    const from = h.sim.calls.length;
    const eventsBefore = events.length;

    // Written in place, half a file (a hand edit, a disk full).
    await fsp.writeFile(file, '{"vehicles": {"' + phev + '": {"perc');
    await until(() => problems.some((p) => /not valid JSON; the current limits are kept/.test(p)), 5000, 'the problem');
    assert.match(problems.join('\n'), /charge-limits-.*\.json changed but is not valid JSON/);
    assert.equal(account.chargeLimitOf(phev)?.percent, 74);

    // Valid JSON, not a limit.
    await fsp.writeFile(file, JSON.stringify({ vehicles: { [phev]: { percent: 150 } } }));
    await until(() => problems.some((p) => /is not a charge limit/.test(p)), 5000, 'the second problem');
    assert.match(problems.join('\n'), new RegExp(`vehicle ${phev}: \\{"percent":150\\} is not a charge limit \\(a percent from 20 to 100\\)`));
    assert.equal(account.chargeLimitOf(phev)?.percent, 74);
    await sleep(SETTLE_MS);
    assert.equal(events.length, eventsBefore, 'no event');
    assert.equal(callsMatching(h.sim, MONITOR_CHANGES, from).filter((c) => c.method !== 'GET').length, 0, 'the monitor untouched');

    // The watch goes on: the next good write is applied.
    await cli(phev, 78);
    await until(() => account.chargeLimitOf(phev)?.percent === 78, 5000, 'the new limit');
    await until(() => callsMatching(h.sim, MONITOR_PUTS, from).length === 1, 5000, 'the monitor moved');
  });

  it('after stop() nothing is applied: no event, no monitor call', async () => {
    await account.stop();
    const from = h.sim.calls.length;
    const eventsBefore = events.length;
    await cli(phev, 74);
    await fsp.writeFile(file, 'not json');
    await sleep(SETTLE_MS * 2);
    assert.equal(events.length, eventsBefore);
    assert.deepEqual(problems, []);
    assert.equal(callsMatching(h.sim, MONITOR_CHANGES, from).length, 0);
    assert.equal(account.chargeLimitOf(phev), undefined, 'the stopped account kept what it had');
  });
});
