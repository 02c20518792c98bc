/** A fleet (B2B) account through the same engine: Basic auth, fleet callbacks, fleet-only actions, no monitors. */
import { strict as assert } from 'node:assert';
import { harnessPerTest, callsSince, until, type Harness } from './harness';

describe('engine: fleet (b2b) account', function () {
  this.timeout(15_000);
  let h: Harness;

  harnessPerTest({}, (started) => (h = started));

  it('registers the fleet callback once, sends a fleet-only action, and reads status instead of monitors', async () => {
    const config = { ...h.config, flavour: 'b2b' as const, baseUrl: h.sim.b2bBaseUrl, fleetId: h.sim.account.fleetId, username: h.sim.account.username, password: h.sim.account.password };
    const count = callsSince(h.sim);
    const account = h.account({ config, options: { statusIntervalMs: 60_000 } });
    await account.start();
    assert.equal(count('GET', '/remote/callbacks'), 1);
    assert.equal(count('POST', '/remote/callbacks'), 1);
    assert.equal(count('GET', '/monitors') + count('POST', '/monitors'), 0);
    assert.ok(h.sim.calls.every((c) => c.hasBasic && !c.hasBearer));

    const ev = h.sim.vehicles[0].id;
    const end = await account.send(ev, { kind: 'immobilize', on: true }).done;
    assert.equal(end.result, 'Success');
    assert.equal(h.sim.vehicle(ev).immobilized, true);
    assert.equal(count('POST', '/remotes'), 1);
  });

  it('reads each fleet vehicle once for its capabilities and refuses stolen on a car without it, before any POST', async () => {
    const config = { ...h.config, flavour: 'b2b' as const, baseUrl: h.sim.b2bBaseUrl, fleetId: h.sim.account.fleetId, username: h.sim.account.username, password: h.sim.account.password };
    const ev = h.sim.vehicles[0].id;
    h.sim.vehicle(ev).capabilities!.stolen = false;
    const count = callsSince(h.sim);
    const account = h.account({ config, options: { statusIntervalMs: 60_000 } });
    await account.start();
    const reads = h.sim.calls.filter((c) => c.method === 'GET' && c.path.endsWith(`/fleets/${h.sim.account.fleetId}/vehicles/${ev}`));
    assert.equal(reads.length, 1);
    assert.equal(reads[0].query.extension, 'onboardCapabilities');
    assert.equal(account.capabilitiesOf(ev)?.stolen.supported, false);
    const end = await account.send(ev, { kind: 'stolen', on: true }).done;
    assert.equal(end.result, 'Rejected');
    assert.match(end.explanation ?? '', /stolen-vehicle service .*remote\.stolen\.supported/);
    assert.equal(count('POST', '/remotes'), 0);
  });
});

describe('engine: a fleet of 250 cars', function () {
  this.timeout(30_000);
  let h: Harness;

  harnessPerTest({ sim: { vehicles: 250 } }, (started) => (h = started));

  it('the fleet status in pages, not one status read per car, at start and at each interval', async () => {
    const config = { ...h.config, flavour: 'b2b' as const, baseUrl: h.sim.b2bBaseUrl, fleetId: h.sim.account.fleetId, username: h.sim.account.username, password: h.sim.account.password };
    const count = callsSince(h.sim);
    const account = h.account({ config, options: { statusIntervalMs: 500 } });
    await account.start();
    const pages = count('GET', `/fleets/${h.sim.account.fleetId}/status`);
    assert.ok(pages >= 1 && pages <= 5, `a few pages for 250 cars, not 250 reads (${pages})`);
    assert.equal(h.sim.calls.filter((c) => /\/vehicles\/[^/]+\/status/.test(c.path)).length, 0, 'no status read per car');
    const last = h.sim.vehicles[249].id;
    assert.equal(typeof account.stateOf(last).doors?.lock, 'string', 'the last car has its state');
    const fleetReads = () => count('GET', `/fleets/${h.sim.account.fleetId}/status`);
    await until(() => fleetReads() >= pages * 2, 3000, 'the paged read after the interval');
    assert.equal(h.sim.calls.filter((c) => /\/vehicles\/[^/]+\/status/.test(c.path)).length, 0);
  });
});
