/**
 * homebridge-ui/server.js as the Homebridge UI runs it: a forked child speaking the
 * @homebridge/plugin-ui-utils IPC protocol ({action:'request'} in, {action:'response'} out).
 * Covers what the browser test does not: every refusal in plain words, no secret in any answer,
 * `simulator: true` with no URLs (the page logs in to a simulator of its own).
 */
import { strict as assert } from 'node:assert';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type RunningSimulator, startSimulator } from '../../src/simulator';
import { simulatorPlatformBlock } from '../helpers/simulator';
import { ensureBuilt, PROJECT_ROOT } from './realUi';

interface Answer { success: boolean; data: Record<string, unknown> }

class UiServerProcess {
  private next = 0;
  private readonly waiting = new Map<string, (a: Answer) => void>();
  readonly ready: Promise<unknown>;
  readonly output: string[] = [];

  constructor(readonly child: ChildProcess) {
    this.ready = new Promise((resolve) => {
      child.on('message', (msg: { action?: string; payload?: { requestId?: string; success: boolean; data: Record<string, unknown> } }) => {
        if (msg.action === 'ready') resolve(msg.payload);
        if (msg.action === 'response' && msg.payload?.requestId) {
          this.waiting.get(msg.payload.requestId)?.({ success: msg.payload.success, data: msg.payload.data });
          this.waiting.delete(msg.payload.requestId);
        }
      });
    });
    child.stdout?.on('data', (d: Buffer) => this.output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => this.output.push(d.toString()));
  }

  request(p: string, body: unknown): Promise<Answer> {
    const requestId = `r${++this.next}`;
    return new Promise((resolve) => {
      this.waiting.set(requestId, resolve);
      this.child.send({ action: 'request', requestId, path: p, body });
    });
  }

  async ok(p: string, body: unknown): Promise<Record<string, unknown>> {
    const answer = await this.request(p, body);
    assert.ok(answer.success, `${p} failed: ${String(answer.data.message)}`);
    return answer.data;
  }

  async refused(p: string, body: unknown): Promise<string> {
    const answer = await this.request(p, body);
    assert.equal(answer.success, false, `${p} should have been refused`);
    return String(answer.data.message);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.disconnect(); // what the Homebridge UI does when the settings close
    await exited;
  }
}

function startServer(storagePath: string): UiServerProcess {
  const child = fork(path.join(PROJECT_ROOT, 'homebridge-ui/server.js'), [], {
    silent: true,
    env: { ...process.env, HOMEBRIDGE_STORAGE_PATH: storagePath, HOMEBRIDGE_CONFIG_PATH: path.join(storagePath, 'config.json') },
  });
  return new UiServerProcess(child);
}

/** What the user does in the login tab: submit the simulator's login form (demo account filled in). */
async function logInAt(authorizeUrl: string, password: string, username = 'driver@simulator.invalid'): Promise<string> {
  const url = new URL(authorizeUrl);
  const form = new URLSearchParams(url.searchParams);
  form.set('username', username);
  form.set('password', password);
  const res = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(res.status, 302);
  return res.headers.get('location') ?? '';
}

describe('homebridge-ui/server.js (plugin-ui-utils IPC, as the Homebridge UI runs it)', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let storagePath: string;
  let server: UiServerProcess;
  let config: Record<string, unknown>;

  before(async () => {
    ensureBuilt();
    sim = await startSimulator({ timeScale: 0.01 });
  });

  after(async () => {
    await sim?.stop();
  });

  beforeEach(async () => {
    storagePath = fs.mkdtempSync(path.join(os.tmpdir(), 'stellantis-ui-server-'));
    server = startServer(storagePath);
    assert.deepEqual(await server.ready, { server: true });
    config = simulatorPlatformBlock(sim);
  });

  afterEach(async () => {
    await server.stop();
    fs.rmSync(storagePath, { recursive: true, force: true });
  });

  it('reports the brands and that nobody is logged in yet', async () => {
    const setup = await server.ok('/setup', { config });
    assert.deepEqual((setup.brands as Array<{ id: string }>).map((b) => b.id), ['peugeot', 'citroen', 'ds', 'opel', 'vauxhall']);
    assert.equal(setup.storageDir, path.join(storagePath, 'stellantis'));
    const login = setup.login as { needed: boolean; loggedIn: boolean; tokenFile: string };
    assert.equal(login.needed, true);
    assert.equal(login.loggedIn, false);
    assert.equal(path.dirname(login.tokenFile), path.join(storagePath, 'stellantis'));
  });

  it('refuses to start a login while the account settings are incomplete, naming each key, without echoing secrets', async () => {
    const secret = 'very-secret-client-value';
    const bad = { platform: 'Stellantis', brand: 'pugeot', clientSecret: secret, redirectUri: 'not a url' };
    const message = await server.refused('/login/start', { config: bad });
    assert.match(message, /^Fix these settings before logging in:/);
    assert.match(message, /clientId: missing/);
    assert.match(message, /brand: 'pugeot' is not one of peugeot/);
    assert.match(message, /redirectUri: /);
    assert.doesNotMatch(message, /certificate/, 'the certificate is not needed to log in');
    assert.ok(!message.includes(secret));
    const setup = await server.ok('/setup', { config: bad });
    assert.match(String((setup.login as { blockedBy: string }).blockedBy), /clientId: missing/);
  });

  it('checks the pasted address: login error, other attempt, nothing pasted, login not started', async () => {
    assert.match(await server.refused('/login/finish', { config, pasted: `${sim.account.redirectUri}?code=abc&state=zzz` }), /started too long ago|press/);
    await server.ok('/login/start', { config });
    assert.match(await server.refused('/login/finish', { config, pasted: `${sim.account.redirectUri}?code=abc&state=zzz` }), /another login attempt/);
    assert.match(await server.refused('/login/finish', { config, pasted: '   ' }), /nothing pasted/);
    assert.match(await server.refused('/login/finish', { config, pasted: `${sim.account.redirectUri}?error=access_denied` }), /refused the login: access_denied/);
    assert.equal(fs.existsSync(path.join(storagePath, 'stellantis')), false, 'nothing stored');
  });

  it('checks the state of a pasted address whose key is percent-encoded (?%63ode=…)', async () => {
    const redirectUri = sim.account.redirectUri;
    // No login started here: an address is refused however its keys are spelt.
    assert.match(await server.refused('/login/finish', { config, pasted: `${redirectUri}?%63ode=abc` }), /started too long ago/);
    const { url } = (await server.ok('/login/start', { config })) as { url: string };
    const landing = new URL(await logInAt(url, sim.account.password));
    const code = encodeURIComponent(landing.searchParams.get('code') ?? '');
    const state = encodeURIComponent(landing.searchParams.get('state') ?? '');
    assert.match(await server.refused('/login/finish', { config, pasted: `${redirectUri}?%63ode=${code}` }), /another login attempt/);
    assert.match(await server.refused('/login/finish', { config, pasted: `${redirectUri}?%63ode=${code}&state=someone-else` }), /another login attempt/);
    assert.equal(fs.existsSync(path.join(storagePath, 'stellantis')), false, 'nothing stored');
    // The same code with the state of this login is the user's own: accepted.
    const login = await server.ok('/login/finish', { config, pasted: `${redirectUri}?%63ode=${code}&state=${state}` });
    assert.equal(login.loggedIn, true);
  });

  it('a wrong client secret is reported in plain words, and the secret is not in the message', async () => {
    const wrong = { ...config, clientSecret: 'wrong-secret-abcdef' };
    const { url } = await server.ok('/login/start', { config: wrong }) as { url: string };
    const redirected = await logInAt(url, sim.account.password);
    const message = await server.refused('/login/finish', { config: wrong, pasted: redirected });
    assert.match(message, /refused the client credentials.*check clientId and clientSecret/);
    assert.ok(!message.includes('wrong-secret-abcdef'));
  });

  it('logs in, stores tokens 0600 under <storage>/stellantis, lists vehicles, logs out', async () => {
    const { url } = await server.ok('/login/start', { config }) as { url: string };
    const login = await server.ok('/login/finish', { config, pasted: await logInAt(url, sim.account.password) });
    assert.equal(login.loggedIn, true);
    const file = String(login.tokenFile);
    assert.equal(path.dirname(file), path.join(storagePath, 'stellantis'));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const { vehicles } = await server.ok('/vehicles', { config }) as { vehicles: Array<{ id: string; configured: boolean }> };
    assert.deepEqual(vehicles.map((v) => v.id).sort(), sim.vehicles.map((v) => v.id).sort());
    assert.ok(vehicles.every((v) => v.configured === false));
    const withOne = { ...config, vehicles: [{ id: sim.vehicles[1].id }] };
    const again = await server.ok('/vehicles', { config: withOne }) as { vehicles: Array<{ id: string; configured: boolean }> };
    assert.deepEqual(again.vehicles.filter((v) => v.configured).map((v) => v.id), [sim.vehicles[1].id]);
    sim.control.expireAccessTokens();
    sim.control.revokeRefreshTokens();
    assert.equal(await server.refused('/vehicles', { config }), 'The stored login was refused (expired or revoked): log in again with the step “Log in” above.');
    const out = await server.ok('/logout', { config });
    assert.equal(out.loggedIn, false);
    assert.equal(fs.existsSync(file), false);
    assert.equal(await server.refused('/vehicles', { config }), 'Not logged in yet: log in with the step “Log in” above first.');
  });

  it('simulator: true without addresses: the login page is a simulator the server starts, and the walk-through works', async () => {
    const demo = { platform: 'Stellantis', name: 'Stellantis', simulator: true };
    const { url, redirectUri } = await server.ok('/login/start', { config: demo }) as { url: string; redirectUri: string };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/am\/oauth2\/authorize\?/);
    assert.ok(!url.startsWith(sim.url));
    // Its demo password is on its login page (filled in for the user).
    const page = await (await fetch(url)).text();
    const password = /name="password" type="password" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(password);
    const redirected = await logInAt(url, password);
    assert.ok(redirected.startsWith(redirectUri));
    assert.equal((await server.ok('/login/finish', { config: demo, pasted: redirected })).loggedIn, true);
    const { vehicles } = await server.ok('/vehicles', { config: demo }) as { vehicles: unknown[] };
    assert.equal(vehicles.length, 2);
  });

  it('runs the doctor and returns its JSON report', async () => {
    const report = await server.ok('/doctor', { config }) as { checks: Array<{ id: string; ok: unknown; fix?: string }>; exitCode: number };
    assert.deepEqual(report.checks.map((c) => c.id), ['config', 'certificate', 'token', 'api', 'vehicles', 'callback', 'listener', 'wakeups', 'monitors']);
    const token = report.checks.find((c) => c.id === 'token');
    assert.equal(token?.ok, false, 'not logged in yet');
    assert.ok(token?.fix && token.fix.length > 0);
    assert.equal(report.exitCode, 1);
    assert.ok(!JSON.stringify(report).includes(sim.account.clientSecret));
  });

  it('ends when the Homebridge UI closes the settings (IPC disconnect)', async () => {
    const exited = once(server.child, 'exit');
    server.child.disconnect();
    await exited;
    assert.ok(server.child.exitCode !== null || server.child.signalCode !== null);
  });
});
