import { strict as assert } from 'assert';
import { startSimulator } from '../../src/simulator';
import { runSimulatorCommand } from '../../src/simulator';
import { Client, finished, Receiver, sleep, waitFor } from './harness';

function handles(): string[] {
  return process.getActiveResourcesInfo().filter((x) => x !== 'TTYWrap' && x !== 'FSReqCallback');
}

function countOf(list: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of list) out[x] = (out[x] ?? 0) + 1;
  return out;
}

describe('simulator: lifecycle, CLI and logs', () => {
  it('stop() leaves nothing running: timers, sockets, retries, charging, hung requests', async () => {
    await sleep(20);
    const before = countOf(handles());
    const sim = await startSimulator({ timeScale: 0.01 });
    const receiver = await new Receiver().start();
    const client = new Client(sim);
    const cbid = await client.createCallback(receiver.url);
    receiver.answer = 500; // deliveries keep retrying
    const ev = sim.vehicles[0].id;
    sim.control.setVehicle(ev, { plugged: true, charging: true }); // charging ticks
    sim.control.setVehicle(sim.vehicles[1].id, { asleep: true });
    await client.remote(sim.vehicles[1].id, cbid, { door: { state: 'Unlocked' } }); // waking, mid-flight
    sim.control.hangNext(1);
    const hung = client.b2c('GET', '/user').catch(() => 'closed');
    await sleep(50);
    await sim.stop();
    await sim.stop(); // idempotent
    assert.equal(await hung, 'closed');
    await receiver.stop();
    const deliveries = sim.deliveries.length;
    await sleep(60);
    assert.equal(sim.deliveries.length, deliveries, 'no delivery after stop');
    const after = countOf(handles());
    assert.deepEqual(after, before, `resources left: ${JSON.stringify(after)} vs ${JSON.stringify(before)}`);
  });

  it('runSimulatorCommand prints URLs, credentials, vehicles and a ready line', async () => {
    const lines: string[] = [];
    const sim = await runSimulatorCommand({ port: 0, vehicles: 3, timeScale: 0.01 }, (l) => lines.push(l));
    try {
      const text = lines.join('\n');
      assert.match(text, new RegExp(`B2C API: +${sim.b2cBaseUrl}`));
      assert.ok(text.includes(sim.account.clientId));
      assert.ok(text.includes(sim.account.clientSecret), 'the demo prints the credentials it accepts');
      assert.equal(sim.vehicles.length, 3);
      for (const v of sim.vehicles) assert.ok(text.includes(v.id));
      assert.equal(lines.at(-1), `Simulator ready at ${sim.url}`);
      const page = await fetch(text.match(/login page: (\S+)\)/)?.[1] ?? '');
      assert.equal(page.status, 200);
    } finally {
      await sim.stop();
    }
  });

  it('debug log: one line per request and notification, never a token, secret, password or header value', async () => {
    const lines: string[] = [];
    const sim = await startSimulator({ timeScale: 0.001, logger: (l) => lines.push(l) });
    const receiver = await new Receiver().start();
    try {
      const client = new Client(sim);
      const cbid = await client.createCallback(receiver.url);
      const res = await client.remote(sim.vehicles[0].id, cbid, { horn: { state: 'Activated' } });
      await finished(receiver, res.body.remoteActionId);
      const basic = Buffer.from(`${sim.account.clientId}:${sim.account.clientSecret}`).toString('base64');
      const t = sim.issueTokens();
      await fetch(`${sim.oauthUrl}/access_token?realm=${sim.account.realm}`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: `grant_type=refresh_token&refresh_token=${t.refresh_token}`,
      });
      await client.b2b('GET', `/fleets/${sim.account.fleetId}/vehicles`);
      await waitFor(() => lines.filter((l) => l.startsWith('notify')).length >= 1, 'notify lines');
      assert.ok(lines.some((l) => l.startsWith('B2C POST /connectedcar/v4/user/callbacks -> 200')));
      assert.ok(lines.some((l) => l.startsWith('B2B GET')));
      assert.ok(lines.some((l) => l.startsWith('oauth POST /access_token grant=refresh_token -> 200')));
      const all = lines.join('\n');
      for (const secret of [client.token, t.access_token, t.refresh_token, sim.account.clientSecret, sim.account.password, 'top-secret', basic]) {
        assert.ok(!all.includes(secret), `log leaks ${secret.slice(0, 6)}…`);
      }
    } finally {
      await sim.stop();
      await receiver.stop();
    }
  });

  it('refuses bad options with a message naming the option', async () => {
    await assert.rejects(startSimulator({ timeScale: 0 }), /timeScale/);
    await assert.rejects(startSimulator({ vehicles: 0 }), /vehicles/);
    await assert.rejects(startSimulator({ port: 70000 }), /port/);
    await assert.rejects(startSimulator({ vehicles: [{ kind: 'hydrogen' as 'electric' }] }), /vehicles\[0\]\.kind/);
    await assert.rejects(startSimulator({ vehicles: [{ kind: 'electric', id: 'a' }, { kind: 'thermal', id: 'a' }] }), /share the id/);
  });

  it('seeds: custom vehicles with their own ids and state; default ids are stable across runs', async () => {
    const a = await startSimulator({ vehicles: [{ kind: 'thermal', id: 'car-1', locked: false, level: 10, asleep: true }] });
    const b = await startSimulator();
    const c = await startSimulator();
    try {
      assert.deepEqual(a.vehicles.map((v) => [v.id, v.kind]), [['car-1', 'thermal']]);
      assert.equal(a.vehicle('car-1').locked, false);
      assert.equal(a.vehicle('car-1').asleep, true);
      assert.deepEqual(b.vehicles.map((v) => v.id), c.vehicles.map((v) => v.id));
      assert.deepEqual(b.vehicles.map((v) => v.kind), ['electric', 'thermal']);
      assert.match(b.vehicles[0].vin, /^[A-Z0-9]{17}$/);
      assert.throws(() => b.vehicle('nope'), /no vehicle with id "nope"/);
      assert.throws(() => b.control.setVehicle(b.vehicles[0].id, { id: 'x' } as never), /cannot be set/);
    } finally {
      await Promise.all([a.stop(), b.stop(), c.stop()]);
    }
  });
});
