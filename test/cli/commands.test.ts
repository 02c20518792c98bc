import { strict as assert } from 'node:assert';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../src/cli/run';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import { cli, secretsOf, setup, type Setup } from './support';

describe('stellantis commands', () => {
  let s: Setup;
  let config: string;
  let accessToken: string;
  before(async () => {
    s = await setup();
    await s.storeTokens();
    config = await s.writeConfig();
    accessToken = s.sim.issueTokens().access_token;
  });
  after(async () => {
    await s.close();
  });

  describe('help and usage', () => {
    it('prints the main help with --help (0) and without a command (2, on stderr)', async () => {
      const help = await cli(['--help']);
      assert.equal(help.code, 0);
      for (const name of Object.keys(COMMANDS)) assert.match(help.stdout, new RegExp(`\\b${name}\\b`));
      const none = await cli([]);
      assert.equal(none.code, 2);
      assert.equal(none.stdout, '');
      assert.match(none.stderr, /Usage: stellantis <command>/);
    });

    for (const name of ['login', 'vehicles', 'status', 'send', 'callbacks', 'simulate']) {
      it(`${name} --help explains the command without any call`, async () => {
        const before = s.sim.callCount();
        const run = await cli([name, '--help']);
        assert.equal(run.code, 0);
        assert.match(run.stdout, new RegExp(`Usage: stellantis ${name}`));
        const viaHelp = await cli(['help', name]);
        assert.equal(viaHelp.stdout, run.stdout);
        assert.equal(s.sim.callCount(), before);
      });
    }

    it('unknown command, unknown option, option of another command, missing value → 2 with the reason', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['lokc'], /unknown command 'lokc'; one of: login, vehicles/],
        [['vehicles', '--frobnicate'], /unknown option --frobnicate/],
        [['vehicles', '--raw', ...s.args(config)], /--raw is not an option of 'vehicles'/],
        [['status', 'Zoe', '--config'], /--config needs a value/],
        [['vehicles'], /missing --config <file.json>/],
        [['simulate', '--port', 'abc'], /--port: 'abc' is not a whole number between 0 and 65535/],
      ];
      for (const [argv, message] of cases) {
        const run = await cli(argv);
        assert.equal(run.code, 2, argv.join(' '));
        assert.match(run.stderr, message);
        assert.match(run.stderr, /--help' for usage/);
        assert.ok(!run.stderr.includes('    at '), 'no stack trace');
      }
    });
  });

  describe('vehicles', () => {
    it('lists id, VIN, brand/model and whether each is configured: one call', async () => {
      const before = s.sim.callCount();
      const run = await cli(['vehicles', ...s.args(config)]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(s.sim.callCount() - before, 1);
      const lines = run.stdout.split('\n');
      assert.match(lines[0], /^ID\s+VIN\s+BRAND\/MODEL\s+IN CONFIG$/);
      for (const [i, v] of s.sim.vehicles.entries()) {
        const line = lines.find((l) => l.startsWith(v.id));
        assert.ok(line, `a line for ${v.id}`);
        assert.ok(line.includes(v.vin) && line.includes(v.model) && line.includes(v.brand));
        assert.ok(line.includes(`configured as '${i === 0 ? 'Zoe' : 'Clio'}'`));
      }
    });

    it('tells how to add a vehicle that is not configured yet', async () => {
      const bare = await s.writeConfig({ vehicles: [] });
      const run = await cli(['vehicles', ...s.args(bare)]);
      assert.equal(run.code, 0);
      assert.match(run.stdout, /not configured/);
      assert.match(run.stdout, /"vehicles": \[\{"id": "<ID>"/);
    });

    it('works with --access-token (used as is, nothing refreshed)', async () => {
      const empty = path.join(s.dir, 'no-login');
      const run = await cli(['vehicles', '--config', config, '--storage', empty, '--access-token', accessToken]);
      assert.equal(run.code, 0, run.stderr);
      assert.ok(!run.stdout.includes(accessToken));
      const bad = await cli(['vehicles', '--config', config, '--storage', empty, '--access-token', 'not-a-valid-token-1234']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /--access-token was refused/);
      assert.ok(!bad.stderr.includes('not-a-valid-token-1234'));
    });

    it('without a login: says to run `stellantis login`', async () => {
      const before = s.sim.callCount();
      const run = await cli(['vehicles', '--config', config, '--storage', path.join(s.dir, 'nobody')]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /not logged in .*stellantis login/);
      assert.equal(s.sim.callCount(), before);
    });

    it('--base-url overrides the configured base', async () => {
      const before = s.sim.callCount();
      const run = await cli(['vehicles', ...s.args(config), '--base-url', `${s.sim.url}/nowhere/v4`]);
      assert.equal(run.code, 1);
      assert.ok(s.sim.callCount() === before, 'the simulator API was not called at its real base');
      assert.match(run.stderr, /\/user\/vehicles: HTTP 404|not found/);
    });
  });

  describe('home', () => {
    it('--here writes the car\'s position into vehicles[].home of the config file (one status read), then validates', async () => {
      const file = await s.writeConfig({}, 'home.json');
      const ev = s.sim.vehicles[0];
      s.sim.control.setVehicle(ev.id, { position: { lat: 45.5, lon: 4.25 } });
      const before = s.sim.callCount();
      const run = await cli(['home', 'Zoe', '--here', '--radius', '300', ...s.args(file)]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(s.sim.callCount() - before, 1, 'one status read');
      const written = JSON.parse(await fsp.readFile(file, 'utf8')) as { vehicles: Array<{ id: string; home?: unknown }> };
      assert.deepEqual(written.vehicles.find((v) => v.id === ev.id)?.home, { lat: 45.5, lon: 4.25, radiusM: 300 });
      const bad = await cli(['home', 'Zoe', '--here', '--radius', '5', ...s.args(file)]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /--radius: '5' is not a number between 50 and 50000/);
    });
  });

  describe('status', () => {
    it('shows the normalized state by id or by name (case-insensitive), one call each', async () => {
      const ev = s.sim.vehicles[0];
      const before = s.sim.callCount({ pathIncludes: '/status' });
      const byName = await cli(['status', 'zOE', ...s.args(config)]);
      const byId = await cli(['status', ev.id, ...s.args(config)]);
      assert.equal(byName.code, 0, byName.stderr);
      assert.equal(s.sim.callCount({ pathIncludes: '/status' }) - before, 2);
      const strip = (t: string) => t.replace(/\(\d+ s ago\)/g, '');
      assert.equal(strip(byName.stdout), strip(byId.stdout));
      const state = s.sim.vehicle(ev.id);
      assert.match(byName.stdout, new RegExp(`Doors:\\s+${state.locked ? 'locked' : 'unlocked'}`));
      assert.match(byName.stdout, new RegExp(`Battery:\\s+${state.level} %`));
      assert.match(byName.stdout, new RegExp(`Outside:\\s+${state.outsideTemp} °C`));
      assert.match(byName.stdout, /Updated:/);
    });

    it('--raw prints the API JSON as is', async () => {
      const run = await cli(['status', 'Clio', '--raw', ...s.args(config)]);
      assert.equal(run.code, 0);
      const raw = JSON.parse(run.stdout) as { energies: Array<{ type: string; level: number }> };
      assert.equal(raw.energies[0].type, 'Fuel');
      assert.equal(raw.energies[0].level, s.sim.vehicle(s.sim.vehicles[1].id).level);
    });

    it('reflects a change of the car', async () => {
      const id = s.sim.vehicles[0].id;
      s.sim.control.setVehicle(id, { locked: false, doorsOpen: true });
      const run = await cli(['status', 'Zoe', ...s.args(config)]);
      assert.match(run.stdout, /Doors:\s+unlocked, open:/);
      s.sim.control.setVehicle(id, { locked: true, doorsOpen: false });
    });

    it('issue 13: shows battery health, each opening, the alarm, the 12 V battery and "none" for no deferred charge', async () => {
      const id = s.sim.vehicles[0].id;
      s.sim.control.setVehicle(id, { openings: { Trunk: true, RoofWindow: true }, alarmActive: true, battery12v: 64, batteryHealth: { capacity: 96, resistance: 91 } });
      const before = s.sim.callCount();
      const run = await cli(['status', 'Zoe', ...s.args(config)]);
      s.sim.control.setVehicle(id, { openings: { Trunk: false, RoofWindow: false }, alarmActive: false, battery12v: 92 });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(s.sim.callCount() - before, 1, 'one status read');
      assert.match(run.stdout, /Battery health:\s+capacity 96 %, resistance 91 %/);
      assert.match(run.stdout, /Openings:\s+open: boot, roof; closed: driver door, passenger door, rear left door, rear right door, rear window/);
      assert.match(run.stdout, /Alarm:\s+armed \(Active\)/);
      assert.match(run.stdout, /12 V battery:\s+64 %/);
      assert.match(run.stdout, /Charging:.*deferred charge: none/);
      assert.doesNotMatch(run.stdout, /PT0S/);
    });

    it('unknown vehicle → 2, names the configured ones, no call', async () => {
      const before = s.sim.callCount();
      const run = await cli(['status', 'Megane', ...s.args(config)]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /unknown vehicle 'Megane'.*Zoe \(.*\), Clio \(.*stellantis vehicles/);
      assert.equal(s.sim.callCount(), before);
    });

    it('a vehicle of another account: the API error in plain words', async () => {
      const cfg = await s.writeConfig({ vehicles: [{ id: s.sim.foreignVehicleId, name: 'Borrowed' }] });
      const run = await cli(['status', 'borrowed', ...s.args(cfg)]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /HTTP 403.*not in this account/);
    });
  });

  describe('callbacks', () => {
    let ours: string;
    let foreign: string;
    before(async () => {
      // One of ours (registered by a send) and one of another tool.
      const sent = await cli(['send', 'Zoe', 'horn', ...s.args(config)]);
      assert.equal(sent.code, 0, sent.stderr);
      const token = s.sim.issueTokens().access_token;
      const res = await fetch(`${s.sim.b2cBaseUrl}/user/callbacks?client_id=${s.sim.account.clientId}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-introspect-realm': s.sim.account.realm, 'content-type': 'application/json' },
        body: JSON.stringify({ label: 'other-tool', type: ['Remote'], callback: { webhook: { name: 'x', target: 'https://example.invalid/hook' } } }),
      });
      assert.ok(res.ok, `callback created (${res.status})`);
      foreign = ((await res.json()) as { callbackId: string }).callbackId;
      const saved = JSON.parse(
        await fsp.readFile(storageFile(s.storage, 'callback', accountKeyOf({ flavour: 'b2c', clientId: s.sim.account.clientId, realm: s.sim.account.realm })), 'utf8'),
      ) as { callbackId: string };
      ours = saved.callbackId;
    });

    it('lists every callback, marks ours, never shows attribute values (the webhook secret)', async () => {
      const run = await cli(['callbacks', 'list', ...s.args(config)]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`${ours}  Running  label 'cli-test'  \\(ours\\)`));
      assert.match(run.stdout, new RegExp(`${foreign}  Running  label 'other-tool'\\n`));
      assert.match(run.stdout, /attributes Header x-stellantis-webhook-secret\n/);
      const secretFile = storageFile(s.storage, 'webhook-secret', accountKeyOf({ flavour: 'b2c', clientId: s.sim.account.clientId, realm: s.sim.account.realm }));
      const { secret } = JSON.parse(await fsp.readFile(secretFile, 'utf8')) as { secret: string };
      assert.ok(!run.stdout.includes(secret));
      const defaultList = await cli(['callbacks', ...s.args(config)]);
      assert.equal(defaultList.stdout, run.stdout);
    });

    it('delete --all-ours deletes only ours and forgets its saved id; delete <id> deletes that one', async () => {
      const keyFile = storageFile(s.storage, 'callback', accountKeyOf({ flavour: 'b2c', clientId: s.sim.account.clientId, realm: s.sim.account.realm }));
      const before = s.sim.callCount({ method: 'DELETE' });
      const run = await cli(['callbacks', 'delete', '--all-ours', ...s.args(config)]);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`Deleted callback ${ours}`));
      assert.equal(s.sim.callCount({ method: 'DELETE' }) - before, 1);
      await assert.rejects(fsp.stat(keyFile));
      const again = await cli(['callbacks', 'delete', '--all-ours', ...s.args(config)]);
      assert.match(again.stdout, /nothing to delete/);
      const one = await cli(['callbacks', 'delete', foreign, ...s.args(config)]);
      assert.equal(one.code, 0);
      const list = await cli(['callbacks', ...s.args(config)]);
      assert.match(list.stdout, /No callback registered/);
      const missing = await cli(['callbacks', 'delete', foreign, ...s.args(config)]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /HTTP 404/);
    });

    it('usage mistakes → 2, no call', async () => {
      const before = s.sim.callCount();
      for (const argv of [['callbacks', 'delete'], ['callbacks', 'remove', 'x'], ['callbacks', 'delete', 'a', '--all-ours'], ['callbacks', 'list', 'x']]) {
        const run = await cli([...argv, ...s.args(config)]);
        assert.equal(run.code, 2, argv.join(' '));
      }
      assert.equal(s.sim.callCount(), before);
    });
  });

  describe('errors', () => {
    it('an invalid configuration: every problem at once, exit 1, no call, no secret echoed', async () => {
      const bad = await s.writeConfig({
        brand: 'pugeot',
        clientSecret: 12345678,
        requestTimeoutMs: 'soon',
        webhook: { port: 99999 },
        vehicles: [{ name: 'no id' }],
      });
      const before = s.sim.callCount();
      const run = await cli(['vehicles', ...s.args(bad)]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /has problems:/);
      for (const key of ['brand:', 'clientSecret:', 'requestTimeoutMs:', 'webhook.port:', 'vehicles\\[0\\].id:']) {
        assert.match(run.stderr, new RegExp(`\\n  ${key}`), key);
      }
      assert.ok(!run.stderr.includes('12345678'));
      assert.equal(s.sim.callCount(), before);
    });

    it('a config file missing or not JSON: says which file', async () => {
      const missing = await cli(['vehicles', '--config', path.join(s.dir, 'nope.json')]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /--config: file .*nope\.json not found/);
      const notJson = path.join(s.dir, 'broken.json');
      await fsp.writeFile(notJson, '{"clientId": ');
      const broken = await cli(['vehicles', '--config', notJson]);
      assert.equal(broken.code, 1);
      assert.match(broken.stderr, /broken\.json is not valid JSON/);
    });

    it('a stack trace only with --debug, and never a secret either way', async () => {
      const ghost = await s.writeConfig({ vehicles: [{ id: 'no-such-vehicle', name: 'Ghost' }] });
      const plain = await cli(['status', 'Ghost', ...s.args(ghost)]);
      const debug = await cli(['status', 'Ghost', ...s.args(ghost), '--debug']);
      for (const run of [plain, debug]) {
        assert.equal(run.code, 1);
        assert.match(run.stderr, /HTTP 404.*not known to the API.*stellantis vehicles/);
      }
      assert.ok(!plain.stderr.includes('    at '));
      assert.match(debug.stderr, /\n\s+at /);
      const tokenFile = (await fsp.readdir(s.storage)).find((f) => f.startsWith('tokens-')) ?? '';
      const tokens = JSON.parse(await fsp.readFile(path.join(s.storage, tokenFile), 'utf8')) as { accessToken: string; refreshToken: string };
      for (const secret of secretsOf(s.sim, [tokens.accessToken, tokens.refreshToken])) {
        for (const run of [plain, debug]) assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret));
      }
    });
  });
});
