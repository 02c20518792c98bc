import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatProblems, likelyTypoOf, validateAccountConfig, type ConfigProblem, type ResolvedAccountConfig } from '../../src/config/validate';
import { BRAND_INFO, DEFAULT_BASE_URLS } from '../../src/stellantis/brands';

let dir: string;

function ok(input: unknown, opts: Parameters<typeof validateAccountConfig>[1] = { baseDir: dir }): ResolvedAccountConfig {
  const result = validateAccountConfig(input, opts);
  if (!result.ok) assert.fail(`expected a valid config, got:\n${formatProblems(result.problems)}`);
  return result.config;
}

function problemsOf(input: unknown, opts: Parameters<typeof validateAccountConfig>[1] = { baseDir: dir }): ConfigProblem[] {
  const result = validateAccountConfig(input, opts);
  if (result.ok) assert.fail('expected problems, the config was accepted');
  return result.problems;
}

function minimalB2c(): Record<string, unknown> {
  return {
    brand: 'peugeot',
    clientId: 'my-client-id',
    clientSecret: 'my-client-secret',
    certificate: { cert: 'client.pem', key: 'client.key', ca: 'ca.pem' },
    vehicles: [{ id: 'veh-1' }],
  };
}

describe('config/validate', () => {
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stellantis-config-'));
    for (const f of ['client.pem', 'client.key', 'ca.pem', 'listener.pem', 'listener.key']) fs.writeFileSync(path.join(dir, f), 'PEM\n');
    fs.mkdirSync(path.join(dir, 'folder.pem'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('fills every default for a minimal b2c config', () => {
    const config = ok({ ...minimalB2c(), platform: 'Stellantis', name: 'Stellantis', _bridge: { username: 'x' } });
    assert.equal(config.flavour, 'b2c');
    assert.equal(config.baseUrl, 'https://api.groupe-psa.com/connectedcar/v4');
    assert.equal(config.realm, 'clientsB2CPeugeot');
    assert.equal(config.oauthUrl, 'https://idpcvs.peugeot.com/am/oauth2');
    assert.deepEqual(config.webhook, { host: '127.0.0.1', port: 8765, path: '/stellantis/webhook', label: 'homebridge-stellantis', monitors: true });
    assert.equal(config.requestTimeoutMs, 15000);
    assert.equal(config.statusIntervalMinutes, 30);
    assert.equal(config.simulator, false);
    assert.deepEqual(config.vehicles, [{
      id: 'veh-1',
      name: 'Car',
      features: {
        doors: true, preconditioning: true, charging: true, lights: true, horn: true, refresh: true, battery: true,
        boot: true, windows: true, auxBattery: true, alarm: true, chargeLimit: true, immobilization: false, stolen: false,
      },
      destinations: [],
    }]);
    assert.deepEqual(config.certificate, { cert: 'client.pem', key: 'client.key', ca: 'ca.pem' });
    assert.equal((config as unknown as Record<string, unknown>).platform, undefined, 'host keys are not carried over');
  });

  it('names several vehicles by their id, keeps given names, vins and switches', () => {
    const config = ok({ ...minimalB2c(), vehicles: [{ id: 'a' }, { id: 'b', name: 'Blue e-208', vin: 'vr3uhzkxzlt000001', features: { horn: false } }] });
    assert.deepEqual(config.vehicles.map((v) => v.name), ['a', 'Blue e-208']);
    assert.equal(config.vehicles[1].vin, 'VR3UHZKXZLT000001');
    assert.equal(config.vehicles[1].features.horn, false);
    assert.equal(config.vehicles[1].features.doors, true);
  });

  it('derives realm and OAuth server from every brand, accepting case and accents', () => {
    for (const [input, brand] of [['Citroën', 'citroen'], ['DS', 'ds'], ['opel', 'opel'], ['Vauxhall', 'vauxhall']] as const) {
      const config = ok({ ...minimalB2c(), brand: input });
      assert.equal(config.brand, brand);
      assert.equal(config.realm, BRAND_INFO[brand].realm);
      assert.equal(config.oauthUrl, BRAND_INFO[brand].oauthUrl);
    }
    const custom = ok({ ...minimalB2c(), realm: 'clientsB2CPeugeot/OTPPeugeot', oauthUrl: 'https://idp.example.com/am/oauth2/' });
    assert.equal(custom.realm, 'clientsB2CPeugeot/OTPPeugeot');
    assert.equal(custom.oauthUrl, 'https://idp.example.com/am/oauth2');
  });

  it('reports every mistake at once, each naming its key and what to do', () => {
    const problems = problemsOf({
      flavour: 'b2c',
      brand: 'pugeot',
      clientSecret: 'x',
      certificate: { cert: 'missing.pem', key: '/nonexistent/key.pem', ca: 'folder.pem' },
      webhook: { publicUrl: 'http://my.example.com/hook', port: 70000, path: 'hook', secret: 'short' },
      vehicles: [
        { id: 'car-1', features: { stolen: true } },
        { name: 'no id' },
        { id: 'car-1', destinations: [{ name: 'Home', points: [{ lat: 95, lon: 2 }] }, { name: 'Far', points: Array.from({ length: 11 }, () => ({ lat: 1, lon: 1 })) }, { points: [] }] },
      ],
      requestTimeoutMs: 'fast',
      statusIntervalMinutes: 5,
      clientid: 'typo',
    });
    const text = formatProblems(problems);
    const expected = [
      "brand: 'pugeot' is not one of peugeot, citroen, ds, opel, vauxhall",
      `certificate.cert: file ${path.join(dir, 'missing.pem')} not found`,
      'certificate.key: file /nonexistent/key.pem not found',
      `certificate.ca: ${path.join(dir, 'folder.pem')} is a folder, not a file`,
      'webhook.publicUrl: must be an https:// URL (http is allowed only with simulator: true)',
      'webhook.port: 70000 is out of range; use 0 to 65535 port',
      "webhook.path: 'hook' must start with /",
      'webhook.secret: is too short',
      'vehicles[0].features.stolen: stolen is only available with the fleet (b2b) API; set flavour: b2b',
      'vehicles[1].id: missing; copy it from `stellantis vehicles`',
      "vehicles[2].id: 'car-1' is used twice (also vehicles[0].id)",
      'vehicles[2].destinations[0].points[0].lat: 95 is not a latitude; send a number from -90 to 90',
      'vehicles[2].destinations[1].points: 11 points; the car takes at most 10',
      'vehicles[2].destinations[2].name: missing',
      'vehicles[2].destinations[2].points: missing',
      "requestTimeoutMs: must be a whole number of ms from 1000 to 300000, not 'fast'",
      'statusIntervalMinutes: 5 is out of range; use 30 to 1440 minutes',
      "clientid: unknown key; did you mean 'clientId'?",
      "clientId: missing; copy your application's client id",
    ];
    for (const line of expected) assert.ok(text.includes(line), `missing problem:\n  ${line}\nin:\n${text}`);
    assert.equal(problems.length, expected.length, text);
  });

  it('requires fleetId, username and password for b2b, and uses the fleet base', () => {
    const problems = problemsOf({ flavour: 'b2b', clientId: 'c', certificate: { cert: 'client.pem', key: 'client.key' } });
    assert.deepEqual(problems.map((p) => p.key).sort(), ['fleetId', 'password', 'username']);
    assert.equal(problems.find((p) => p.key === 'fleetId')?.message, 'required when flavour is b2b; copy it from your fleet contract or GET /fleets');
    const config = ok({ flavour: 'b2b', fleetId: 'f1', username: 'u', password: 'p', clientId: 'c', certificate: { cert: 'client.pem', key: 'client.key' },
      vehicles: [{ id: 'v1', features: { stolen: true, immobilization: true } }] });
    assert.equal(config.baseUrl, DEFAULT_BASE_URLS.b2b);
    assert.equal(config.baseUrl, 'https://api-cert.groupe-psa.com/connectedcar/v3');
    assert.equal(config.vehicles[0].features.stolen, true);
    assert.equal(config.vehicles[0].features.immobilization, true);
    assert.equal(config.clientSecret, undefined);
  });

  it('needs brand, clientId, clientSecret and certificate for b2c', () => {
    const problems = problemsOf({});
    assert.deepEqual(problems.map((p) => p.key).sort(), ['brand', 'certificate', 'clientId', 'clientSecret']);
  });

  it('relaxes the rules with simulator: true', () => {
    const config = ok({ simulator: true, baseUrl: 'http://127.0.0.1:4010/connectedcar/v4', webhook: { publicUrl: 'http://127.0.0.1:8765/stellantis/webhook', port: 0 },
      statusIntervalMinutes: 1 });
    assert.equal(config.simulator, true);
    assert.equal(config.clientId, 'simulator');
    assert.equal(config.baseUrl, 'http://127.0.0.1:4010/connectedcar/v4');
    assert.equal(config.webhook.publicUrl, 'http://127.0.0.1:8765/stellantis/webhook');
    assert.equal(config.webhook.port, 0);
    assert.equal(config.statusIntervalMinutes, 1);
    assert.equal(config.realm, 'clientsB2CPeugeot');
    assert.equal(config.certificate, undefined);
  });

  it('never repeats secret values in messages', () => {
    const secretNumber = 987654321;
    const problems = problemsOf({
      ...minimalB2c(),
      clientSecret: secretNumber,
      password: { value: 'pa55word-xyz' },
      webhook: { secret: 'tiny-s3cret' },
      certificate: { cert: 'client.pem', key: 'client.key', passphrase: 424242 },
    });
    const text = formatProblems(problems);
    assert.match(text, /clientSecret: must be text, not a number/);
    assert.match(text, /password: must be text, not an object/);
    assert.match(text, /webhook\.secret: is too short/);
    assert.match(text, /certificate\.passphrase: must be text, not a number/);
    for (const secret of [String(secretNumber), 'pa55word-xyz', 'tiny-s3cret', '424242']) assert.ok(!text.includes(secret), `secret ${secret} leaked:\n${text}`);
  });

  it('skips the file checks with checkFiles: false and resolves relative paths against baseDir', () => {
    ok({ ...minimalB2c(), certificate: { cert: 'nope.pem', key: 'nope.key' } }, { checkFiles: false });
    const problems = problemsOf({ ...minimalB2c(), certificate: { cert: 'client.pem', key: 'client.key' } }, { baseDir: path.join(dir, 'elsewhere') });
    assert.deepEqual(problems.map((p) => p.message), [
      `file ${path.join(dir, 'elsewhere', 'client.pem')} not found`,
      `file ${path.join(dir, 'elsewhere', 'client.key')} not found`,
    ]);
  });

  it('reports an unreadable file', function () {
    if (process.getuid?.() === 0) this.skip(); // root reads everything
    const file = path.join(dir, 'locked.key');
    fs.writeFileSync(file, 'x', { mode: 0o000 });
    const problems = problemsOf({ ...minimalB2c(), certificate: { cert: 'client.pem', key: file } });
    assert.deepEqual(problems, [{ key: 'certificate.key', message: `file ${file} is not readable; check its permissions` }]);
  });

  it('checks the listener TLS files, trustProxy and the required public URL', () => {
    const problems = problemsOf({ ...minimalB2c(), webhook: { https: { cert: 'listener.pem' }, trustProxy: [1] } }, { baseDir: dir, requireWebhook: true });
    assert.deepEqual(problems.map((p) => p.key).sort(), ['webhook.https.key', 'webhook.publicUrl', 'webhook.trustProxy']);
    const config = ok({ ...minimalB2c(), webhook: { publicUrl: 'https://car.example.com/hook/', https: { cert: 'listener.pem', key: 'listener.key' }, trustProxy: 1, monitors: false } },
      { baseDir: dir, requireWebhook: true });
    assert.equal(config.webhook.publicUrl, 'https://car.example.com/hook');
    assert.deepEqual(config.webhook.https, { cert: 'listener.pem', key: 'listener.key' });
    assert.equal(config.webhook.monitors, false);
  });

  it('keeps valid destinations and the redirect URI as written', () => {
    const config = ok({ ...minimalB2c(), redirectUri: 'https://example.com/cb/', vehicles: [{ id: 'v', destinations: [{ name: 'Work', points: [{ lat: 48.1, lon: 11.5 }] }] }] });
    assert.deepEqual(config.vehicles[0].destinations, [{ name: 'Work', points: [{ lat: 48.1, lon: 11.5 }] }]);
    assert.equal(config.redirectUri, 'https://example.com/cb/');
  });

  it('rejects what is not an object, and wrong types in place of lists and objects', () => {
    assert.deepEqual(problemsOf('config.json').map((p) => p.key), ['(config)']);
    const problems = problemsOf({ ...minimalB2c(), vehicles: { id: 'x' }, webhook: 'https://x', flavour: 'fleet' });
    assert.deepEqual(problems.map((p) => p.key).sort(), ['flavour', 'vehicles', 'webhook']);
  });

  it('only flags unknown keys that are clearly typos', () => {
    assert.equal(likelyTypoOf('clientid', ['clientId']), 'clientId');
    assert.equal(likelyTypoOf('vehicels', ['vehicles']), 'vehicles');
    assert.equal(likelyTypoOf('platform', ['flavour', 'brand']), undefined);
    assert.equal(likelyTypoOf('_bridge', ['brand']), undefined);
    assert.equal(likelyTypoOf('name', ['realm']), undefined);
    const problems = problemsOf({ ...minimalB2c(), webhook: { publicurl: 'https://x.example' }, vehicles: [{ id: 'v', feature: { horn: false } }] });
    assert.deepEqual(problems.map((p) => `${p.key}: ${p.message}`), [
      "webhook.publicurl: unknown key; did you mean 'publicUrl'?",
      "vehicles[0].feature: unknown key; did you mean 'features'?",
    ]);
  });

  it('issue 13: lowAuxBatteryPercent (default 50, 0..100) and the boot, windows and auxBattery switches', () => {
    assert.equal(ok(minimalB2c()).lowAuxBatteryPercent, 50);
    const config = ok({ ...minimalB2c(), lowAuxBatteryPercent: 0, vehicles: [{ id: 'veh-1', features: { boot: false, auxBattery: false } }] });
    assert.equal(config.lowAuxBatteryPercent, 0, '0 turns the guard off');
    assert.deepEqual([config.vehicles[0].features.boot, config.vehicles[0].features.windows, config.vehicles[0].features.auxBattery], [false, true, false]);
    const problems = problemsOf({ ...minimalB2c(), lowAuxBatteryPercent: 120, vehicles: [{ id: 'veh-1', features: { windows: 'yes', auxBatery: false } }] });
    assert.deepEqual(problems.map((p) => `${p.key}: ${p.message}`), [
      "vehicles[0].features.auxBatery: unknown key; did you mean 'auxBattery'?",
      "vehicles[0].features.windows: must be true or false, not 'yes'",
      'lowAuxBatteryPercent: 120 is out of range; use 0 to 100 percent',
    ]);
    assert.match(problemsOf({ ...minimalB2c(), lowAuxBatteryPercent: 'low' })[0].message, /must be a whole number of percent from 0 to 100/);
  });

  it('formatProblems gives one line per problem', () => {
    assert.equal(formatProblems([{ key: 'a', message: 'x' }, { key: 'b.c', message: 'y' }]), 'a: x\nb.c: y');
    assert.equal(formatProblems([]), '');
  });

  describe('issue 11: webhook listener settings', () => {
    const withHook = (webhook: Record<string, unknown>): Record<string, unknown> => ({ ...minimalB2c(), webhook });

    it('point 1: webhook.trustProxy takes what Express takes (hop count, loopback, addresses/CIDRs as text or a list, boolean)', () => {
      for (const trustProxy of [1, 0, true, false, 'loopback', 'loopback, 10.0.0.0/8', '10.0.0.2', ['loopback', '10.0.0.2', 'fd00::/8'], '2']) {
        assert.deepEqual(ok(withHook({ trustProxy })).webhook.trustProxy, trustProxy, JSON.stringify(trustProxy));
      }
    });

    it('point 1: webhook.trustProxy names what it cannot read, with the forms it takes, at validation time', () => {
      for (const [trustProxy, why] of [
        ['proxy.local', /'proxy\.local' is not an IP address/],
        ['loopback, 10.0.0.0/33', /'10\.0\.0\.0\/33' is not an IP address/],
        [['loopback', 'my-proxy'], /'my-proxy' is not an IP address/],
        [[1], /must be 'loopback' \(a proxy on this machine\)/],
        [1.5, /hop count must be a whole number/],
        [{ proxy: true }, /must be 'loopback'/],
      ] as Array<[unknown, RegExp]>) {
        const problems = problemsOf(withHook({ trustProxy }));
        assert.equal(problems.length, 1, JSON.stringify(problems));
        assert.equal(problems[0].key, 'webhook.trustProxy');
        assert.match(problems[0].message, why, `${JSON.stringify(trustProxy)}: ${problems[0].message}`);
        assert.match(problems[0].message, /'loopback'/, 'says what to write instead');
      }
    });

    it('point 2: the plain-HTTP listener defaults to loopback; any other interface only when webhook.host says so', () => {
      assert.equal(ok(minimalB2c()).webhook.host, '127.0.0.1');
      assert.equal(ok(withHook({ host: '0.0.0.0' })).webhook.host, '0.0.0.0');
      assert.equal(ok(withHook({ host: '192.168.1.20' })).webhook.host, '192.168.1.20');
      // HTTPS does not carry the secret in clear: an HTTPS listener may face the network.
      assert.equal(ok(withHook({ https: { cert: 'listener.pem', key: 'listener.key' } })).webhook.host, '0.0.0.0');
      assert.equal(ok(withHook({ host: '127.0.0.1', https: { cert: 'listener.pem', key: 'listener.key' } })).webhook.host, '127.0.0.1');
    });

    it('point 9: webhook.secret takes visible ASCII only (at least 16 characters), with a clear error and no echo of the value', () => {
      for (const secret of ['abcdefghijklmnopqrstuvwxyz0123456789', 'A!#$%&()*+,-./:;<=>?@[]^_`{|}~"\\\'1', 'x'.repeat(16)]) {
        assert.equal(ok(withHook({ secret })).webhook.secret, secret);
      }
      for (const secret of [' padded-secret-value-123 ', 'inner space secret value', 'clé-secrète-très-longue', 'tab\tseparated-secret-value', 'emoji-secret-value-\u{1F697}', 'nul\u0000-in-the-secret-value']) {
        const problems = problemsOf(withHook({ secret }));
        assert.deepEqual(problems.map((p) => p.key), ['webhook.secret'], JSON.stringify(secret));
        assert.match(problems[0].message, /visible ASCII/);
        assert.ok(!problems[0].message.includes(secret.trim()), 'the secret is not repeated');
      }
      assert.match(problemsOf(withHook({ secret: 'short' }))[0].message, /too short/);
    });
  });
});
