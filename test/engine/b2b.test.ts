/** A fleet (B2B) account through the same engine: Basic auth, fleet callbacks, fleet-only actions, no monitors. */
import { strict as assert } from 'node:assert';
import { harness, callsSince, type Harness } from './harness';

describe('engine: fleet (b2b) account', function () {
  this.timeout(15_000);
  let h: Harness;

  beforeEach(async () => {
    h = await harness();
  });
  afterEach(async () => {
    await h.cleanup();
  });

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
