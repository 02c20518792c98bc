import { strict as assert } from 'node:assert';
import { promises as fsp } from 'node:fs';
import { specFor, type SpecFlavour } from '../helpers/spec';
import { until } from '../helpers/until';
import type { RecordedCall } from '../../src/simulator';
import { cli, closedPort, secretsOf, setup, type Setup } from './support';

const B2C_BASE = '/connectedcar/v4';
const B2B_BASE = '/connectedcar/v3';

function lastRemotePost(calls: RecordedCall[]): RecordedCall {
  const post = [...calls].reverse().find((c) => c.method === 'POST' && c.path.endsWith('/remotes'));
  assert.ok(post, 'a remote was posted');
  return post;
}

function isDoneOf(message: unknown, remoteActionId: string): boolean {
  const ev = (message as { remoteEvent?: { remoteActionId?: string; eventStatus?: { type?: string } } }).remoteEvent;
  return ev?.remoteActionId === remoteActionId && ev.eventStatus?.type === 'Done';
}

function specProblems(flavour: SpecFlavour, call: RecordedCall): string[] {
  const base = flavour === 'b2c' ? B2C_BASE : B2B_BASE;
  return specFor(flavour).validateRequest(call.method, call.path.slice(base.length), call.query, call.body);
}

describe('stellantis send', () => {
  let s: Setup;
  let config: string;
  before(async () => {
    s = await setup();
    await s.storeTokens();
    config = await s.writeConfig();
  });
  after(async () => {
    await s.close();
  });

  describe('every action: the body the simulator receives conforms to the official spec', () => {
    const b2c: Array<{ argv: string[]; expect: (body: Record<string, unknown>) => void }> = [
      { argv: ['lock'], expect: (b) => assert.deepEqual(b.door, { state: 'Locked' }) },
      { argv: ['unlock'], expect: (b) => assert.deepEqual(b.door, { state: 'Unlocked' }) },
      { argv: ['horn'], expect: (b) => assert.deepEqual(b.horn, { state: 'Activated' }) },
      { argv: ['lights'], expect: (b) => assert.deepEqual(b.lights, { on: true }) },
      { argv: ['precondition-on'], expect: (b) => assert.deepEqual(b.preconditioning, { airConditioning: { immediate: true } }) },
      { argv: ['precondition-off'], expect: (b) => assert.deepEqual(b.preconditioning, { airConditioning: { immediate: false } }) },
      { argv: ['charge-start'], expect: (b) => assert.deepEqual(b.charging, { immediate: true }) },
      { argv: ['charge-stop'], expect: (b) => assert.deepEqual(b.charging, { immediate: false }) },
      {
        argv: ['charge-at', '23:30'],
        expect: (b) => {
          const at = (b.charging as { schedule: { nextDelayedTime: string } }).schedule.nextDelayedTime;
          const t = Date.parse(at);
          assert.ok(t > Date.now() && t <= Date.now() + 24 * 3600_000, `${at} is the next 23:30`);
        },
      },
      {
        argv: ['charge-at', '2030-01-31T23:30:00Z'],
        expect: (b) => assert.equal(Date.parse((b.charging as { schedule: { nextDelayedTime: string } }).schedule.nextDelayedTime), Date.parse('2030-01-31T23:30:00Z')),
      },
      { argv: ['refresh'], expect: (b) => assert.deepEqual(b.wakeUp, { action: 'WakeUp' }) },
      {
        argv: ['navigate', '48.8584,2.2945', '-33.8568,151.2153'],
        expect: (b) =>
          assert.deepEqual(b.navigation, {
            positions: [
              { type: 'Point', coordinates: [2.2945, 48.8584] },
              { type: 'Point', coordinates: [151.2153, -33.8568] },
            ],
          }),
      },
      {
        argv: ['program-set', '--slot', '2', '--days', 'mon,Tue,FRI', '--start', '07:30'],
        expect: (b) =>
          assert.deepEqual((b.preconditioning as { airConditioning: { programs: unknown[] } }).airConditioning.programs, [
            { slot: 2, enabled: true, recurrence: 'Daily', start: 'PT7H30M', occurence: { day: ['Mon', 'Tue', 'Fri'] }, actionsType: 'Set' },
          ]),
      },
      {
        argv: ['program-set', '--slot', '4', '--days', 'Sun', '--start', '18:05', '--disabled'],
        expect: (b) => {
          const [p] = (b.preconditioning as { airConditioning: { programs: Array<{ enabled: boolean; start: string }> } }).airConditioning.programs;
          assert.equal(p.enabled, false);
          assert.equal(p.start, 'PT18H5M');
        },
      },
      {
        argv: ['program-delete', '--slot', '3'],
        expect: (b) => assert.deepEqual((b.preconditioning as { airConditioning: { programs: unknown[] } }).airConditioning.programs, [{ slot: 3, actionsType: 'Delete', start: 'PT0H0M' }]),
      },
    ];
    for (const { argv, expect } of b2c) {
      it(`b2c ${argv.join(' ')}`, async () => {
        const before = s.sim.callCount({ method: 'POST', pathIncludes: '/remotes' });
        const run = await cli(['send', 'Zoe', ...argv, ...s.args(config)]);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(s.sim.callCount({ method: 'POST', pathIncludes: '/remotes' }) - before, 1);
        const post = lastRemotePost(s.sim.calls);
        assert.equal(post.status, 202);
        const problems = specProblems('b2c', post);
        // program-delete included: its body carries a start, so the schema and the prose both accept it
        assert.deepEqual(problems, []);
        expect(post.body as Record<string, unknown>);
        assert.match((post.body as { label: string }).label, /^cli-test\/cli-[0-9a-f]+$/);
        const rid = /Remote action id: (\S+)/.exec(run.stdout)?.[1];
        assert.ok(rid, run.stdout);
        assert.ok(s.sim.calls.length > 0);
      });
    }

    const fleet: Array<[string, Record<string, unknown>]> = [
      ['immobilize', { immobilization: { activate: true } }],
      ['mobilize', { immobilization: { activate: false } }],
      ['stolen-on', { stolen: { stolen: true } }],
      ['stolen-off', { stolen: { stolen: false } }],
    ];
    for (const [word, expected] of fleet) {
      it(`b2b ${word}`, async () => {
        const cfg = await s.writeConfig(s.b2bConfig());
        const run = await cli(['send', 'Clio', word, ...s.args(cfg)]);
        assert.equal(run.code, 0, run.stderr);
        const post = lastRemotePost(s.sim.calls);
        assert.ok(post.path.startsWith(`${B2B_BASE}/fleets/${s.sim.account.fleetId}/vehicles/`));
        assert.ok(post.hasBasic);
        assert.deepEqual(specProblems('b2b', post), []);
        const { label: _label, ...action } = post.body as Record<string, unknown>;
        assert.deepEqual(action, expected);
        for (const secret of secretsOf(s.sim)) assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret));
        // The CLI returns once the action is accepted; the simulated car ends it a moment later. Let it,
        // or a stolen-on ending after afterEach's reset would make the next tests' actions refused.
        const rid = /Remote action id: (\S+)/.exec(run.stdout)?.[1];
        assert.ok(rid, run.stdout);
        await until(() => s.sim.deliveries.some((d) => d.messages.some((m) => isDoneOf(m, rid))), 5000, `the end of ${word}`);
      });
    }
  });

  it('registers the callback once across runs (found again by its label, never a new one per run)', async () => {
    const storage = `${s.dir}/once`;
    const tokensArgs = ['--access-token', s.sim.issueTokens().access_token];
    const cfg = await s.writeConfig({ webhook: { host: '127.0.0.1', port: 0, label: 'once-label' } });
    const posts = () => s.sim.calls.filter((c) => c.method === 'POST' && /\/user\/callbacks$/.test(c.path)).length;
    const puts = () => s.sim.callCount({ method: 'PUT', pathIncludes: '/callbacks' });
    const [p0, u0] = [posts(), puts()];
    for (let i = 0; i < 2; i++) {
      const run = await cli(['send', 'Zoe', 'horn', '--config', cfg, '--storage', storage, ...tokensArgs]);
      assert.equal(run.code, 0, run.stderr);
    }
    assert.equal(posts() - p0, 1, 'one callback created');
    assert.equal(puts() - u0, 0, 'and not updated');
    // Even with a fresh storage folder (saved id lost, another generated secret), our label finds it again,
    // and the CLI, which does not listen, leaves it as it is (updating it would lock out the listening installation).
    const run = await cli(['send', 'Zoe', 'horn', '--config', cfg, '--storage', `${s.dir}/once-again`, ...tokensArgs]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(posts() - p0, 1);
    assert.equal(puts() - u0, 0, 'the existing callback is adopted, not updated');
    // The callback the remotes went to is the one created.
    const created = s.sim.calls.filter((c) => c.method === 'POST' && /\/user\/callbacks$/.test(c.path)).pop();
    assert.deepEqual(specProblems('b2c', created as RecordedCall), []);
  });

  describe('bad input: exit code and message, before any call', () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['Zoe', 'lokc'], 2, /unknown action 'lokc'; one of: lock, unlock, horn/],
      [['Zoe'], 2, /send needs a <vehicle> and an <action>/],
      [['Zoe', 'navigate'], 2, /navigate needs at least one destination/],
      [['Zoe', 'navigate', '48.8,abc'], 2, /navigate: '48.8,abc' is not a lat,lon pair/],
      [['Zoe', 'navigate', '95,2.3'], 2, /points\[0\]\.lat/],
      [['Zoe', 'navigate', '48,200'], 2, /points\[0\]\.lon/],
      [['Zoe', 'navigate', ...Array.from({ length: 11 }, () => '48,2')], 2, /points.*10/],
      [['Zoe', 'charge-at', '25:99'], 2, /at/],
      [['Zoe', 'charge-at'], 2, /charge-at needs exactly one value/],
      [['Zoe', 'lock', 'now'], 2, /lock takes no value/],
      [['Zoe', 'program-set', '--slot', '5', '--days', 'Mon', '--start', '07:30'], 2, /slot/],
      [['Zoe', 'program-set', '--slot', '1', '--days', 'Mon,Funday', '--start', '07:30'], 2, /--days: 'Funday' is not a day/],
      [['Zoe', 'program-set', '--slot', '1', '--days', 'Mon'], 2, /program-set needs --start/],
      [['Zoe', 'program-delete'], 2, /program-delete needs --slot/],
      [['Zoe', 'stolen-on'], 2, /only available with the fleet \(b2b\) API; set flavour: b2b/],
      [['Zoe', 'immobilize'], 2, /only available with the fleet \(b2b\) API/],
      [['Megane', 'lock'], 2, /unknown vehicle 'Megane'/],
      [['Zoe', 'lock', '--timeout', '5'], 2, /--timeout goes with --wait/],
      [['Zoe', 'lock', '--wait', '--timeout', '0'], 2, /--timeout: '0' is not a number between 1 and 3600/],
    ];
    for (const [argv, code, message] of cases) {
      it(`send ${argv.join(' ')}`, async () => {
        const before = s.sim.callCount();
        const run = await cli(['send', ...argv, ...s.args(config)]);
        assert.equal(run.code, code, run.stderr);
        assert.match(run.stderr, message);
        assert.equal(run.stdout, '');
        assert.ok(!run.stderr.includes('    at '));
        assert.equal(s.sim.callCount(), before, 'no call made');
      });
    }

    it('an invalid configuration: exit 1, every problem, no call', async () => {
      const bad = await s.writeConfig({ vehicles: [{ id: 'a' }, { id: 'a' }], webhook: { port: -1 } });
      const before = s.sim.callCount();
      const run = await cli(['send', 'a', 'lock', ...s.args(bad)]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /vehicles\[1\]\.id/);
      assert.match(run.stderr, /webhook\.port/);
      assert.equal(s.sim.callCount(), before);
    });

    it('a real account without webhook.publicUrl: says what to set, no call', async () => {
      const [cert, key] = [`${s.dir}/cert.pem`, `${s.dir}/key.pem`];
      await fsp.writeFile(cert, 'not checked before the first call');
      await fsp.writeFile(key, 'not checked before the first call');
      const real = await s.writeConfig({
        simulator: false,
        baseUrl: 'https://api.invalid/connectedcar/v4',
        oauthUrl: 'https://idp.invalid/am/oauth2',
        certificate: { cert, key },
        webhook: { label: 'real' },
      });
      const run = await cli(['send', 'Zoe', 'lock', ...s.args(real)]);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /webhook\.publicUrl: missing/);
    });
  });

  describe('--wait', () => {
    let listening: string;
    before(async () => {
      // No publicUrl: with the simulator, the callback target is the CLI's own listener.
      listening = await s.writeConfig({ webhook: { host: '127.0.0.1', port: 0, label: 'cli-listening' } });
    });
    const doorsOpen = (id: string) => s.sim.control.setVehicle(id, { locked: false, doorsOpen: true, asleep: false });
    const doorsClosed = (id: string, locked: boolean) => s.sim.control.setVehicle(id, { locked, doorsOpen: false });

    it('through the webhook (the engine listens): every step, then Success', async () => {
      const id = s.sim.vehicles[0].id;
      doorsClosed(id, false);
      s.sim.control.setVehicle(id, { asleep: true });
      const deliveries = s.sim.deliveries.length;
      const run = await cli(['send', 'Zoe', 'lock', '--wait', ...s.args(listening)]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /Following it through the webhook/);
      assert.match(run.stdout, /Remote action id: \S+\n[\s\S]*Accepted: accepted by Stellantis\n\s+WakingUpVehicle: waking the car up[\s\S]*SentToVehicle: sent to the car/);
      assert.match(run.stdout, /Result: lock: done\n$/);
      assert.ok(s.sim.deliveries.length > deliveries, 'notifications were delivered to the CLI');
      assert.equal(s.sim.vehicle(id).locked, true);
    });

    it('a problem of the engine is logged once: Stellantis failing the callback registration is one line on stderr', async () => {
      const id = s.sim.vehicles[0].id;
      doorsClosed(id, false);
      // What the car can do is saved by a first run, so the command reads nothing before the account starts;
      // then every attempt at listing the callbacks (3) fails: the engine starts anyway and reports it.
      assert.equal((await cli(['send', 'Zoe', 'horn', '--wait', ...s.args(listening)])).code, 0);
      s.sim.control.failNext(3, 503);
      const run = await cli(['send', 'Zoe', 'lock', '--wait', ...s.args(listening)]);
      const lines = run.stderr.split('\n').filter((l) => l.includes('could not register the webhook callback yet'));
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], /server error.*retrying in the background/);
      assert.equal(run.code, 0, run.stderr);
    });

    it('through the webhook: Failed DoorsOpen with the plain explanation, exit 1', async () => {
      const id = s.sim.vehicles[0].id;
      doorsOpen(id);
      const run = await cli(['send', 'Zoe', 'lock', '--wait', ...s.args(listening)]);
      doorsClosed(id, true);
      assert.equal(run.code, 1);
      assert.match(run.stdout, /Failed \(DoorsOpen\)/);
      assert.match(run.stdout, /Result: lock: failed: a door \(or the boot\) is open; close the doors and the boot, then try again\n$/);
    });

    describe('webhook not reachable from here (its health check fails): reads the remote back', () => {
      let unreachable: string;
      before(async () => {
        const port = await closedPort();
        unreachable = await s.writeConfig({ webhook: { host: '127.0.0.1', port: 0, label: 'cli-unreachable', publicUrl: `http://127.0.0.1:${port}/nobody-listens` } });
      });

      it('Success, with each new status printed once', async () => {
        const id = s.sim.vehicles[1].id;
        doorsClosed(id, true);
        const before = s.sim.callCount({ method: 'GET', pathIncludes: '/remotes/' });
        const run = await cli(['send', 'Clio', 'unlock', '--wait', ...s.args(unreachable)]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stderr, /note: the webhook is not reachable: http:\/\/127\.0\.0\.1:\d+\/nobody-listens\/health did not answer \(ECONNREFUSED\)/);
        assert.match(run.stdout, /Following it by reading it back/);
        assert.match(run.stdout, /\n {2}Success\nResult: unlock: done\n$/);
        const statuses = run.stdout.split('\n').filter((l) => /^ {2}\w/.test(l));
        assert.equal(new Set(statuses).size, statuses.length, 'no status printed twice');
        assert.ok(s.sim.callCount({ method: 'GET', pathIncludes: '/remotes/' }) - before >= 1);
        assert.equal(s.sim.vehicle(id).locked, false);
      });

      it('Failed DoorsOpen, explained', async () => {
        const id = s.sim.vehicles[1].id;
        doorsOpen(id);
        const run = await cli(['send', 'Clio', 'lock', '--wait', ...s.args(unreachable)]);
        doorsClosed(id, true);
        assert.equal(run.code, 1);
        assert.match(run.stdout, / {2}Failed \(DoorsOpen\)\nResult: lock: failed: a door \(or the boot\) is open; close the doors/);
      });

      it('a target that answers, but not as our listener: falls back too', async () => {
        const run = await cli(['send', 'Clio', 'horn', '--wait', ...s.args(config)]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stderr, /note: the webhook is not reachable: .*\/sink\/health answered HTTP 404/);
        assert.match(run.stdout, /Result: horn: done\n$/);
      });
    });

    it('bounded by --timeout: ends Timeout, exit 1, says the action may still run', async () => {
      const slow = await setup({ timeScale: 1 });
      try {
        await slow.storeTokens();
        const cfg = await slow.writeConfig({ webhook: { host: '127.0.0.1', port: 0, label: 'cli-slow', publicUrl: `http://127.0.0.1:${await closedPort()}/nobody` } });
        slow.sim.control.setVehicle(slow.sim.vehicles[0].id, { asleep: true, locked: false });
        const started = Date.now();
        const run = await cli(['send', 'Zoe', 'lock', '--wait', '--timeout', '1', ...slow.args(cfg)], { tuning: { readBackBackoffMs: [200], healthTimeoutMs: 500 } });
        const took = Date.now() - started;
        assert.equal(run.code, 1);
        assert.match(run.stdout, /Result: lock: timeout: no end within 1 s \(--timeout\); .*check the car's state before sending it again/);
        assert.ok(took >= 1000 && took < 4000, `took ${took} ms`);
      } finally {
        await slow.close();
      }
    });
  });
});
