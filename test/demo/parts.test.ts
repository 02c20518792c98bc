/**
 * The demo's parts that need no Homebridge or Node-RED: options (every mistake names the option),
 * busy-port detection, the HTTPS webhook entry forwarding to the right local listener, the example
 * flows rewired to the demo's account on disabled tabs, and the bridge identity kept across runs.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureDemoPki, type DemoPki } from '../../src/demo/certs';
import { bridgeIdentity } from '../../src/demo/homebridgeSetup';
import { DEMO_IDS, exampleTabs } from '../../src/demo/nodeRedSetup';
import { DemoUsageError, parseDemoArgs } from '../../src/demo/options';
import { busyPorts } from '../../src/demo/ports';
import { httpRequest } from '../../src/demo/readiness';
import { startWebhookFront, type RunningFront } from '../../src/demo/webhookFront';

const ROOT = '/project';

describe('demo parts', function () {
  this.timeout(20_000);
  const dirs: string[] = [];
  const temp = (): string => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'stellantis-demo-parts-'));
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  describe('options', () => {
    it('defaults, flags over environment, and --config resolved', () => {
      const o = parseDemoArgs([], {}, ROOT);
      assert.deepEqual([o.homekitPort, o.noderedPort, o.simulatorPort, o.webhookPort, o.timeScale, o.scene], [51826, 1880, 7700, 8765, 0.1, true]);
      assert.equal(o.demoDir, '/project/.demo');
      assert.equal(o.configFile, undefined);
      const p = parseDemoArgs(['--homekit-port', '5000', '--nodered-port=5001', '--no-scene', '--config', 'a.json'],
        { DEMO_HOMEKIT_PORT: '6000', DEMO_WEBHOOK_PORT: '6001', DEMO_TIME_SCALE: '0.5' }, ROOT);
      assert.deepEqual([p.homekitPort, p.noderedPort, p.webhookPort, p.timeScale, p.scene], [5000, 5001, 6001, 0.5, false]);
      assert.equal(p.configFile, path.resolve('a.json'));
      assert.equal(parseDemoArgs([], { STELLANTIS_CONFIG: '/x/acc.json' }, ROOT).configFile, '/x/acc.json');
    });

    it('every mistake names the option or variable to fix', () => {
      const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
        [['--homekit-port', '70000'], {}, /^--homekit-port: '70000' is not a port/],
        [[], { DEMO_NODERED_PORT: 'abc' }, /^DEMO_NODERED_PORT: 'abc' is not a port/],
        [['--time-scale', '0'], {}, /^--time-scale: '0' is not a time scale/],
        [['--webhook-port', '1880'], {}, /--webhook-port and --nodered-port are both 1880/],
        [['--simulator-port'], {}, /--simulator-port needs a value/],
        [['--frobnicate'], {}, /unknown option '--frobnicate'/],
      ];
      for (const [argv, env, message] of cases) {
        assert.throws(() => parseDemoArgs(argv, env, ROOT), (err: unknown) => err instanceof DemoUsageError && message.test(err.message));
      }
    });
  });

  it('reports each busy port with its option and leaves the free ones alone', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const opts = parseDemoArgs(['--simulator-port', String(port), '--homekit-port', '1', '--nodered-port', '2', '--webhook-port', '3'], {}, ROOT);
      const free = { ...opts, homekitPort: 0, noderedPort: 0, webhookPort: 0 };
      const problems = await busyPorts(free, true);
      assert.deepEqual(problems, [`port ${port} is already in use: choose another with --simulator-port N (or DEMO_SIMULATOR_PORT=N)`]);
      assert.deepEqual(await busyPorts(free, false), [], 'without the simulator its port is not needed');
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  describe('HTTPS webhook entry', () => {
    let pki: DemoPki;
    let front: RunningFront | undefined;
    const servers: http.Server[] = [];
    before(async function () {
      this.timeout(30_000);
      pki = await ensureDemoPki(temp());
    });
    after(async () => {
      await front?.close();
      for (const s of servers) s.closeAllConnections();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    });

    function listener(name: string, got: Array<{ name: string; url: string; secret: unknown; body: string }>): Promise<string> {
      const s = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          got.push({ name, url: req.url ?? '', secret: req.headers['x-secret'], body });
          res.writeHead(name === 'b' ? 500 : 200).end('ok');
        });
      });
      servers.push(s);
      return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(s.address() as net.AddressInfo).port}`)));
    }

    it('forwards each POST unchanged to the listener of its path, answers its status, and reports the messages', async () => {
      const got: Array<{ name: string; url: string; secret: unknown; body: string }> = [];
      const seen: Array<{ route: string; body: unknown; status: number }> = [];
      const [a, b] = await Promise.all([listener('a', got), listener('b', got)]);
      front = await startWebhookFront({
        port: 0,
        cert: pki.serverCert,
        key: pki.serverKey,
        routes: [{ prefix: '/hooks/a', name: 'a', target: a }, { prefix: '/hooks/b', name: 'b', target: b }],
        onMessage: (route, body, status) => seen.push({ route: route.name, body, status }),
      });
      const message = { remoteEvent: { remoteActionId: 'r1', eventStatus: { type: 'Done', status: 'Success' } } };
      const toA = await httpRequest(`${front.url}/hooks/a?x=1`, { method: 'POST', body: message, ca: pki.ca });
      const toB = await httpRequest(`${front.url}/hooks/b/sub`, { method: 'POST', body: [message, message], ca: pki.ca });
      const nowhere = await httpRequest(`${front.url}/hooks/abc`, { method: 'POST', body: message, ca: pki.ca });
      assert.deepEqual([toA.status, toB.status, nowhere.status], [200, 500, 404]);
      assert.deepEqual(got.map((g) => [g.name, g.url, JSON.parse(g.body)]), [['a', '/hooks/a?x=1', message], ['b', '/hooks/b/sub', [message, message]]]);
      assert.deepEqual(seen.map((s) => [s.route, s.status]), [['a', 200], ['b', 500]]);
      // TLS is the demo CA's: a client that does not trust it is refused.
      await assert.rejects(httpRequest(`${front.url}/hooks/a`, { method: 'POST', body: message }), /self-signed|unable to verify|certificate/i);
    });
  });

  it('puts each example on a disabled tab of its own, wired to the demo account', () => {
    const dir = temp();
    const flow = [
      { id: 'acc1', type: 'stellantis-account', name: 'sim', simulator: true },
      { id: 'inj', type: 'inject', x: 10, y: 10, wires: [['rem']] },
      { id: 'rem', type: 'stellantis-remote', account: 'acc1', x: 20, y: 10, wires: [[], []] },
      { id: 'cfg', type: 'mqtt-broker', broker: 'x' },
    ];
    fs.writeFileSync(path.join(dir, 'Lock it.json'), JSON.stringify(flow));
    fs.writeFileSync(path.join(dir, 'broken.json'), '{');
    const warnings: string[] = [];
    const nodes = exampleTabs(dir, (l) => warnings.push(l));
    assert.match(warnings.join('\n'), /examples\/broken\.json skipped: not valid JSON/);
    const tab = nodes.find((n) => n.type === 'tab');
    assert.deepEqual([tab?.label, tab?.disabled], ['Example: Lock it', true]);
    const byType = new Map(nodes.map((n) => [n.type, n]));
    assert.equal(byType.has('stellantis-account'), false, 'the example account is replaced by the demo account');
    assert.equal(byType.get('stellantis-remote')?.account, DEMO_IDS.account);
    assert.deepEqual(byType.get('inject')?.wires, [[`${tab?.id}-rem`]]);
    assert.equal(byType.get('inject')?.z, tab?.id);
    assert.equal(byType.get('mqtt-broker')?.z, undefined, 'config nodes stay global');
    assert.deepEqual(exampleTabs(path.join(dir, 'missing'), () => undefined), []);
  });

  it('keeps the bridge identity across runs and replaces an unusable one', () => {
    const dir = temp();
    const first = bridgeIdentity(dir);
    assert.match(first.username, /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/);
    assert.match(first.pin, /^\d{3}-\d{2}-\d{3}$/);
    assert.deepEqual(bridgeIdentity(dir), first);
    fs.writeFileSync(path.join(dir, 'demo-bridge.json'), JSON.stringify({ username: 'x', pin: '123-45-678' }));
    const replaced = bridgeIdentity(dir);
    assert.notEqual(replaced.pin, '123-45-678');
    assert.equal((fs.statSync(path.join(dir, 'demo-bridge.json')).mode & 0o777).toString(8), '600');
  });
});
