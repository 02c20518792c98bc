/**
 * `npm start` end to end: the demo's main job as a child process on free ports, waited for until its
 * READY line; then HomeKit (paired with the printed setup code, the car's Lock service found and
 * driven), Node-RED (flows and the stellantis node types loaded), the simulator (state) and the
 * scripted scene are checked; SIGINT leaves no process and no port behind. A busy port is refused
 * up front with a message naming the option, and nothing is left running.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { HttpClient } from 'hap-controller';
import { httpRequest } from '../../src/demo/readiness';
import { freePorts } from '../helpers/ports';
import { sleep } from '../helpers/simulator';

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'dist', 'src', 'demo', 'main.js');
const LOCK_MECHANISM = '45';
const LOCK_CURRENT = '1D';
const LOCK_TARGET = '1E';

interface HapCharacteristic { type: string; iid: number; value?: unknown }
interface HapService { type: string; iid: number; characteristics: HapCharacteristic[] }
interface HapAccessory { aid: number; services: HapService[] }

function short(type: string): string {
  return type.replace(/^0+/, '').replace(/-0000-1000-8000-0026BB765291$/i, '').toUpperCase();
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds when dist is missing or older than a source file (Homebridge and Node-RED load dist). */
function ensureBuilt(): void {
  const outputs = [MAIN, path.join(ROOT, 'dist/src/index.js'), path.join(ROOT, 'dist/nodes/src/stellantis-account.js')];
  const built = Math.min(...outputs.map((f) => (fs.existsSync(f) ? fs.statSync(f).mtimeMs : 0)));
  if (built > Math.max(newestMtime(path.join(ROOT, 'src')), newestMtime(path.join(ROOT, 'nodes', 'src')))) return;
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8' });
  assert.ok(fs.existsSync(MAIN), `the build produced no ${MAIN}: ${tsc.stdout}${tsc.stderr}`);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ESRCH');
    return false;
  }
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

interface DemoProcess {
  child: ChildProcess;
  lines: string[];
  errors: string[];
  exit: Promise<number | null>;
}

function runDemo(args: string[]): DemoProcess {
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const errors: string[] = [];
  readline.createInterface({ input: child.stdout! }).on('line', (l) => lines.push(l));
  readline.createInterface({ input: child.stderr! }).on('line', (l) => errors.push(l));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, errors, exit };
}

function tail(p: DemoProcess): string {
  return [...p.lines.slice(-40), ...p.errors.slice(-10)].join('\n');
}

describe('npm start (the one-terminal demo)', function () {
  this.timeout(150_000);
  const tempDirs: string[] = [];
  const leftovers: number[] = [];
  let demo: DemoProcess | undefined;

  before(function () {
    this.timeout(120_000);
    ensureBuilt();
  });

  after(async () => {
    if (demo && demo.child.exitCode === null) {
      demo.child.kill('SIGINT');
      await Promise.race([demo.exit, new Promise((r) => setTimeout(r, 20_000))]);
    }
    for (const pid of leftovers) {
      if (!alive(pid)) continue;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  function tempDemoDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stellantis-demo-'));
    tempDirs.push(dir);
    return dir;
  }

  it('brings up the simulator, Homebridge and Node-RED on one car, plays the scene, and stops everything on SIGINT', async () => {
    const [homekit, nodered, simulator, webhook] = await freePorts(4);
    const demoDir = tempDemoDir();
    demo = runDemo([
      '--demo-dir', demoDir, '--homekit-port', String(homekit), '--nodered-port', String(nodered),
      '--simulator-port', String(simulator), '--webhook-port', String(webhook), '--time-scale', '0.02',
    ]);
    const d = demo;
    await waitFor('the READY line', () => d.lines.some((l) => l.startsWith('READY ')) || d.child.exitCode !== null, 90_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${tail(d)}`);
    });
    const ready = d.lines.find((l) => l.startsWith('READY '));
    assert.ok(ready, `no READY line:\n${tail(d)}`);
    assert.equal(ready, `READY homekit=${homekit} nodered=http://127.0.0.1:${nodered} simulator=https://127.0.0.1:${simulator}`);

    const pidLine = d.lines.find((l) => l.startsWith('Processes '));
    assert.ok(pidLine, 'the pids are printed');
    const pids = [...pidLine.matchAll(/(homebridge|node-red) pid (\d+)/g)].map((m) => Number(m[2]));
    assert.equal(pids.length, 2);
    leftovers.push(...pids);
    for (const pid of pids) assert.ok(alive(pid));
    const pin = /setup code (\d{3}-\d{2}-\d{3})/.exec(d.lines.join('\n'))?.[1];
    assert.ok(pin, 'the setup code is printed');
    assert.ok(d.lines.some((l) => l.includes('X-HM://')), 'the setup URI is printed');
    assert.ok(d.lines.some((l) => l.includes(`https://127.0.0.1:${webhook}/stellantis/homebridge`)), 'the webhook URLs are printed');

    // The scene: Node-RED unlocks then locks the car; each step arrives through the webhook.
    await waitFor('the scene', () => d.lines.some((l) => l.startsWith('[scene] done')) || d.lines.some((l) => l.includes('[scene] stopped')), 60_000);
    const scene = d.lines.filter((l) => l.startsWith('[scene]') || l.startsWith('[webhook'));
    assert.ok(scene.some((l) => l === '[webhook → node-red] Doors Done Success'), scene.join('\n'));
    assert.ok(scene.some((l) => l.includes('[scene] Node-RED: locked (Success)')), scene.join('\n'));
    assert.ok(scene.some((l) => l === '[webhook → homebridge] monitor vehicle.doorsState.lockedState = Locked'), 'Homebridge got the monitor');

    // The simulator answers (its TLS is the demo's own CA).
    const ca = fs.readFileSync(path.join(demoDir, 'certs', 'ca.pem'), 'utf8');
    const state = await httpRequest(`https://127.0.0.1:${simulator}/_simulator/state`, { ca });
    assert.equal(state.status, 200);
    const simState = JSON.parse(state.body) as { vehicles: Array<{ id: string; state: { locked: boolean } }>; counters: { callbacks: number } };
    assert.equal(simState.counters.callbacks, 2, 'one callback per face');
    const ev = simState.vehicles[0];
    assert.equal(ev.state.locked, true);

    // Node-RED: the flows hold the stellantis nodes, and their types are loaded (not "unknown").
    const flows = await httpRequest(`http://127.0.0.1:${nodered}/flows`);
    assert.equal(flows.status, 200);
    const types = new Set((JSON.parse(flows.body) as Array<{ type: string }>).map((n) => n.type));
    for (const t of ['stellantis-account', 'stellantis-remote', 'stellantis-events', 'stellantis-status']) assert.ok(types.has(t), `flows have ${t}`);
    const nodes = await httpRequest(`http://127.0.0.1:${nodered}/nodes`, { timeoutMs: 5000 });
    assert.equal(nodes.status, 200);
    assert.match(nodes.body, /stellantis-remote/);

    // HomeKit: pair with the printed code, find the car's lock (locked by the scene), unlock it from HomeKit.
    const identity = JSON.parse(fs.readFileSync(path.join(demoDir, 'homebridge', 'demo-bridge.json'), 'utf8')) as { username: string };
    const hap = new HttpClient(identity.username, '127.0.0.1', homekit);
    try {
      await hap.pairSetup(pin);
      const { accessories } = (await hap.getAccessories()) as unknown as { accessories: HapAccessory[] };
      const locks = accessories.flatMap((a) => a.services.filter((s) => short(s.type) === LOCK_MECHANISM).map((s) => ({ aid: a.aid, s })));
      assert.equal(locks.length, 2, 'one Lock service per simulated car');
      const target = locks.map(({ aid, s }) => ({ aid, current: s.characteristics.find((c) => short(c.type) === LOCK_CURRENT)!, target: s.characteristics.find((c) => short(c.type) === LOCK_TARGET)! }));
      assert.ok(target.every((t) => t.current.value === 1), 'HomeKit shows the cars locked');
      const first = target[0];
      await hap.setCharacteristics({ [`${first.aid}.${first.target.iid}`]: 0 });
      await waitFor('a car unlocked from HomeKit', async () => {
        const s = JSON.parse((await httpRequest(`https://127.0.0.1:${simulator}/_simulator/state`, { ca })).body) as typeof simState;
        return s.vehicles.some((v) => !v.state.locked);
      }, 20_000);
      await waitFor('HomeKit showing it unlocked', async () => {
        const read = await hap.getCharacteristics([`${first.aid}.${first.current.iid}`]);
        return read.characteristics[0].value === 0;
      }, 20_000);
    } finally {
      await hap.close();
    }

    d.child.kill('SIGINT');
    const code = await Promise.race([d.exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
    assert.equal(code, 0, tail(d));
    assert.ok(d.lines.some((l) => l.startsWith('Demo stopped')));
    for (const pid of [...pids, d.child.pid!]) assert.equal(alive(pid), false, `pid ${pid} is gone`);
    for (const port of [homekit, nodered, simulator, webhook]) assert.ok(await portIsFree(port), `port ${port} is free again`);
  });

  it('refuses a port already taken, naming the option to change, and leaves nothing running', async () => {
    // The busy port first, held: the three free ones cannot be it (nor each other).
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const nodered = (taken.address() as net.AddressInfo).port;
    const [homekit, simulator, webhook] = await freePorts(3);
    try {
      const p = runDemo([
        '--demo-dir', tempDemoDir(), '--homekit-port', String(homekit), '--nodered-port', String(nodered),
        '--simulator-port', String(simulator), '--webhook-port', String(webhook),
      ]);
      const code = await Promise.race([p.exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
      assert.notEqual(code, 0);
      assert.notEqual(code, 'timeout');
      const err = p.errors.join('\n');
      assert.match(err, new RegExp(`port ${nodered} is already in use: choose another with --nodered-port N \\(or DEMO_NODERED_PORT=N\\)`));
      assert.ok(!p.lines.some((l) => l.startsWith('READY')));
      assert.ok(!p.lines.some((l) => l.startsWith('[homebridge]') || l.startsWith('[node-red]')), 'nothing was started');
      for (const port of [homekit, simulator, webhook]) assert.ok(await portIsFree(port), `port ${port} stays free`);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('with --config, checks the real account first: every problem named, nothing started', async () => {
    const dir = tempDemoDir();
    const file = path.join(dir, 'account.json');
    fs.writeFileSync(file, JSON.stringify({ brand: 'peugot', clientId: 'abc', certificate: { cert: 'missing.pem', key: 'missing-key.pem' } }));
    const p = runDemo(['--demo-dir', dir, '--config', file]);
    const code = await Promise.race([p.exit, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
    assert.equal(code, 2);
    const err = p.errors.join('\n');
    assert.match(err, /brand: 'peugot' is not one of/);
    assert.match(err, /clientSecret: missing/);
    assert.match(err, /certificate\.cert: file .*missing\.pem not found/);
    assert.match(err, /webhook\.publicUrl: missing/);
    assert.ok(!p.lines.some((l) => l.startsWith('[homebridge]') || l.startsWith('[node-red]')), 'nothing was started');
  });
});
