/**
 * The 12 V guard (issue 13, part 5): a refresh wakes the car on its 12 V battery, so it is refused
 * before any call while the last known 12 V level is under lowAuxBatteryPercent (default 50). A real
 * engine on the simulator, whose car reports its 12 V level in every status.
 */
import { strict as assert } from 'node:assert';
import { harnessPerTest, callsSince, type Harness } from './harness';

const POST = 'POST';

describe('engine: 12 V guard on refresh', function () {
  this.timeout(15_000);
  let h: Harness;
  let ev: string;

  harnessPerTest({ vehicles: 1 }, (started) => {
    h = started;
    ev = h.sim.vehicles[0].id;
  });

  it('under the threshold: refused with the reason and no POST; once a status shows it recovered: sent', async () => {
    h.sim.control.setVehicle(ev, { battery12v: 42 });
    const account = h.account();
    await account.start();
    assert.equal(account.stateOf(ev).battery12v?.level, 42, 'the status read at start brought the 12 V level');
    const count = callsSince(h.sim);
    const refused = await account.send(ev, { kind: 'refresh' }).done;
    assert.equal(refused.result, 'Rejected');
    assert.match(refused.explanation ?? '', /12 V battery was last seen under the level set in lowAuxBatteryPercent/);
    assert.match(refused.explanation ?? '', /\(12 V battery at 42 %, lowAuxBatteryPercent 50 %\)/);
    assert.match(refused.explanation ?? '', /drive the car/);
    assert.equal(count(POST, '/remotes'), 0, 'no POST');
    assert.notEqual((await account.send(ev, { kind: 'lock' }).done).result, 'Rejected', 'only the refresh is guarded');

    h.sim.control.setVehicle(ev, { battery12v: 75 });
    await account.readStatus(ev);
    const posts = count(POST, '/remotes');
    assert.equal((await account.send(ev, { kind: 'refresh' }).done).result, 'Success');
    assert.equal(count(POST, '/remotes') - posts, 1, 'one POST');
  });

  it('at or above the threshold: sent; the threshold is the config\'s, and 0 turns the guard off', async () => {
    h.sim.control.setVehicle(ev, { battery12v: 50 });
    const account = h.account();
    await account.start();
    const count = callsSince(h.sim);
    assert.equal((await account.send(ev, { kind: 'refresh' }).done).result, 'Success', '50 % is not under 50 %');
    assert.equal(count(POST, '/remotes'), 1);
    await account.stop();

    h.sim.control.setVehicle(ev, { battery12v: 15 });
    const strict = h.account({ config: { lowAuxBatteryPercent: 20 } });
    await strict.start();
    const refused = await strict.send(ev, { kind: 'refresh' }).done;
    assert.equal(refused.result, 'Rejected');
    assert.match(refused.explanation ?? '', /12 V battery at 15 %, lowAuxBatteryPercent 20 %/);
    await strict.stop();

    const off = h.account({ config: { lowAuxBatteryPercent: 0 } });
    await off.start();
    assert.equal(off.stateOf(ev).battery12v?.level, 15);
    assert.equal((await off.send(ev, { kind: 'refresh' }).done).result, 'Success', 'guard off');
    assert.equal(count(POST, '/remotes'), 2);
  });

  it('an unknown 12 V level (no status read yet) lets the refresh through', async () => {
    h.sim.control.setVehicle(ev, { battery12v: 10 });
    // Every call fails during start: no callback, hence no status read; the registration is retried much later.
    h.sim.control.failNext(1000, 503);
    const account = h.account({ options: { registrationRetryMs: 600_000 } });
    await account.start();
    h.sim.control.failNext(0);
    assert.equal(account.stateOf(ev).battery12v, undefined, 'the 12 V level is unknown');
    const count = callsSince(h.sim);
    assert.equal((await account.send(ev, { kind: 'refresh' }).done).result, 'Success');
    assert.equal(count(POST, '/remotes'), 1);
  });
});
