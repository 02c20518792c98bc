/**
 * runDoctor against the simulator and a real StellantisAccount whose router is mounted on a host
 * web server reached through its public URL. Every failure gives its fix; call counts are exact.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import { doctorChecks, type DoctorReport } from '../../src/doctor';
import { doctorMessage } from '../../src/doctor/checks/listener';
import type { WebhookMessage } from '../../src/stellantis/wire';
import { testPki } from '../helpers/certs';
import { webhookSpec } from '../helpers/spec';
import { apiCallsSince, bench, check, outline, type Bench } from './harness';
import { sleep } from '../helpers/simulator';
import { perTest } from '../helpers/perTest';

const B2C_KEY = (b: Bench): string => accountKeyOf({ flavour: 'b2c', clientId: b.sim.account.clientId, realm: b.sim.account.realm });

/** Every secret the bench holds right now: none may appear in a report. */
async function secretsOf(b: Bench, key = B2C_KEY(b)): Promise<string[]> {
  const out = [b.sim.account.clientSecret, b.sim.account.password];
  for (const file of await fs.readdir(b.storage).catch(() => [] as string[])) {
    const text = await fs.readFile(path.join(b.storage, file), 'utf8');
    if (file.startsWith('tokens-')) {
      const t = JSON.parse(text) as { accessToken: string; refreshToken: string };
      out.push(t.accessToken, t.refreshToken);
    }
  }
  const secretFile = storageFile(b.storage, 'webhook-secret', key);
  const saved = await fs.readFile(secretFile, 'utf8').catch(() => undefined);
  if (saved) out.push((JSON.parse(saved) as { secret: string }).secret);
  return out;
}

async function assertNoSecret(b: Bench, report: DoctorReport, extra: string[] = [], key?: string): Promise<void> {
  const text = JSON.stringify(report);
  for (const secret of [...(await secretsOf(b, key)), ...extra]) {
    assert.ok(!text.includes(secret), `a secret appears in the report: ...${secret.slice(-4)}`);
  }
}

function failing(report: DoctorReport): string[] {
  return report.checks.filter((c) => c.ok === false).map((c) => c.id);
}

describe('doctor', function () {
  this.timeout(20_000);
  let b: Bench;

  perTest(() => bench(), (x) => x.close(), (x) => (b = x));

  it('all green: every check passes, exactly 1 token request, GET /user, 1 vehicles list, 1 callbacks list, no remote', async () => {
    await b.storeTokens();
    const account = await b.startAccount(b.config());
    const notifications: WebhookMessage[] = [];
    const remotes: unknown[] = [];
    account.on('notification', (m: WebhookMessage) => notifications.push(m));
    account.on('remote', (p: unknown) => remotes.push(p));
    const listenerCalls: string[] = [];
    const countingFetch: typeof fetch = (input, init) => {
      listenerCalls.push(`${init?.method ?? 'GET'} ${String(input)}`);
      return fetch(input, init);
    };
    const calls = apiCallsSince(b.sim);
    const tokensBefore = b.tokenCalls();

    const report = await b.doctor(b.config(), { fetchImpl: countingFetch });

    assert.deepEqual(outline(report), [
      'config:true', 'certificate:skipped', 'token:true', 'api:true', 'vehicles:true', 'callback:true', 'listener:true', 'wakeups:true', 'monitors:true',
    ]);
    assert.equal(report.ok, true);
    assert.equal(report.exitCode, 0);
    assert.deepEqual(calls().byPath, ['GET /user', 'GET /user/vehicles', 'GET /user/callbacks']);
    assert.equal(b.tokenCalls() - tokensBefore, 1, 'one token refresh');
    assert.deepEqual(report.calls, { token: 1, api: 3, listener: 2 });
    assert.deepEqual(listenerCalls, [`GET ${b.publicUrl}/health`, `POST ${b.publicUrl}`]);
    // The test notification went through the public URL into the engine, which did nothing with it.
    assert.equal(notifications.length, 1);
    assert.match(notifications[0].remoteEvent?.remoteActionId ?? '', /^doctor-[0-9a-f]{12}$/);
    assert.equal(notifications[0].callbackId, account.callbackId);
    assert.equal(remotes.length, 0);
    assert.equal(calls().total, 3, 'the engine made no call because of the test notification');
    await assertNoSecret(b, report);
  });

  it('the test notification is a valid webhook Message (official template)', () => {
    assert.deepEqual(webhookSpec().validateMessage(doctorMessage('cb-1', Date.now())), []);
  });

  it('streams the checks in order as they finish', async () => {
    const ids: string[] = [];
    const run = doctorChecks({ nonsense: true }, { storageDir: b.storage });
    let next = await run.next();
    while (!next.done) {
      ids.push(next.value.id);
      next = await run.next();
    }
    assert.deepEqual(ids, ['config', 'certificate', 'token', 'api', 'vehicles', 'callback', 'listener', 'wakeups', 'monitors']);
    assert.equal(next.value.exitCode, 1);
  });

  it('bad configuration: every problem at once, everything else skipped, no call, no secret', async () => {
    const calls = apiCallsSince(b.sim);
    const secret = 'super-secret-client-secret-value';
    const report = await b.doctor({
      brand: 'pugeot',
      clientSecret: secret,
      certificate: { cert: 'c.pem', key: 'k.pem' },
      webhook: { publicUrl: 'ftp://example.invalid/x', secret: 'short' },
      vehicles: [{ name: 'no id' }],
    });
    const config = check(report, 'config');
    assert.equal(config.ok, false);
    for (const key of ['brand', 'clientId', 'webhook.publicUrl', 'webhook.secret', 'vehicles[0].id']) {
      assert.match(config.detail, new RegExp(`^${key.replace(/[.[\]]/g, '\\$&')}: `, 'm'), `problem for ${key}`);
    }
    assert.match(config.fix ?? '', /correct each key/);
    assert.deepEqual(outline(report).slice(1), [
      'certificate:skipped', 'token:skipped', 'api:skipped', 'vehicles:skipped', 'callback:skipped', 'listener:skipped', 'wakeups:skipped', 'monitors:skipped',
    ]);
    assert.match(check(report, 'api').detail, /needs Configuration/);
    assert.equal(report.exitCode, 1);
    assert.equal(calls().total, 0);
    assert.equal(b.tokenCalls(), 0);
    await assertNoSecret(b, report, [secret, 'short']);
  });

  it('issue 11 points 1 and 2: warns about trustProxy true and a plain-HTTP listener open beyond loopback, without failing', async () => {
    const calm = check(await b.doctor(b.config()), 'config');
    assert.equal(calm.ok, true);
    assert.doesNotMatch(calm.detail, /warning/);

    const hook = { publicUrl: b.publicUrl, label: 'doctor-test' };
    const report = await b.doctor(b.config({ webhook: { ...hook, host: '0.0.0.0', trustProxy: true } }));
    const config = check(report, 'config');
    assert.equal(config.ok, true, 'unsafe, but it works: a warning, not a failure');
    const warnings = config.detail.split('\n').filter((l) => l.startsWith('warning: '));
    assert.equal(warnings.length, 2, config.detail);
    assert.match(warnings[0], /webhook\.host 0\.0\.0\.0 opens the plain-HTTP listener beyond this machine.*in clear/);
    assert.match(warnings[1], /webhook\.trustProxy true believes any X-Forwarded-For.*set it to 'loopback'/);

    for (const safe of [{ host: '127.0.0.1', trustProxy: 'loopback' }, { host: '::1', trustProxy: 1 }, { host: 'localhost', trustProxy: ['10.0.0.2'] }]) {
      assert.doesNotMatch(check(await b.doctor(b.config({ webhook: { ...hook, ...safe } })), 'config').detail, /warning/, JSON.stringify(safe));
    }
    const lanHttps = check(await b.doctor(b.config({ webhook: { ...hook, trustProxy: 'true', https: { cert: 'l.pem', key: 'l.key' } } })), 'config');
    assert.deepEqual(lanHttps.detail.split('\n').filter((l) => l.startsWith('warning: ')).map((l) => l.slice(9, 27)), ['webhook.trustProxy'],
      'an HTTPS listener on every interface carries no secret in clear; trustProxy "true" is still warned about');
  });

  it('missing certificate file: named with the key and the fix; the API is not tried', async () => {
    await b.storeTokens();
    const calls = apiCallsSince(b.sim);
    const report = await b.doctor(b.config({ certificate: { cert: 'nowhere/client.pem', key: 'nowhere/client.key' } }));
    const cert = check(report, 'certificate');
    assert.equal(cert.ok, false);
    assert.match(cert.detail, /^certificate\.cert: file .*nowhere\/client\.pem not found/);
    assert.match(cert.fix ?? '', /certificate\.cert/);
    assert.equal(check(report, 'api').ok, 'skipped');
    assert.match(check(report, 'api').detail, /Client certificate/);
    assert.equal(report.exitCode, 1);
    assert.equal(calls().total, 0);
  });

  it('certificate and key that belong together pass; a key from another certificate fails with its fix', async () => {
    const pki = await testPki();
    await fs.writeFile(path.join(b.dir, 'client.pem'), pki.client.cert);
    await fs.writeFile(path.join(b.dir, 'client.key'), pki.client.key);
    await fs.writeFile(path.join(b.dir, 'other.key'), pki.stranger.key);
    await fs.writeFile(path.join(b.dir, 'ca.pem'), pki.ca.cert);
    const good = await b.doctor(b.config({ certificate: { cert: 'client.pem', key: 'client.key', ca: 'ca.pem' } }));
    assert.equal(check(good, 'certificate').ok, true);
    assert.match(check(good, 'certificate').detail, /valid until \d{4}-\d\d-\d\d, key matches; CA bundle readable/);
    const bad = await b.doctor(b.config({ certificate: { cert: 'client.pem', key: 'other.key' } }));
    const cert = check(bad, 'certificate');
    assert.equal(cert.ok, false);
    assert.match(cert.detail, /does not match the certificate/);
    assert.match(cert.fix ?? '', /certificate\.key/);
    assert.equal(bad.exitCode, 1);
  });

  it('no tokens stored: not logged in, fix is `stellantis login`; no token or API call', async () => {
    const calls = apiCallsSince(b.sim);
    const report = await b.doctor(b.config());
    const token = check(report, 'token');
    assert.equal(token.ok, false);
    assert.match(token.detail, /not logged in/);
    assert.match(token.fix ?? '', /stellantis login --config <file.json> --storage /);
    assert.deepEqual(failing(report), ['token', 'listener']);
    assert.equal(check(report, 'callback').ok, 'skipped');
    assert.equal(report.calls.token, 0);
    assert.equal(b.tokenCalls(), 0);
    assert.equal(calls().total, 0);
    assert.equal(report.exitCode, 1);
  });

  it('revoked refresh token: log in again; one token request, no API call', async () => {
    await b.storeTokens();
    b.sim.control.revokeRefreshTokens();
    const calls = apiCallsSince(b.sim);
    const report = await b.doctor(b.config());
    const token = check(report, 'token');
    assert.equal(token.ok, false);
    assert.match(token.detail, /refused by the login server/);
    assert.match(token.fix ?? '', /log in again with `stellantis login/);
    assert.equal(report.calls.token, 1);
    assert.equal(b.tokenCalls(), 1);
    assert.equal(calls().total, 0);
    assert.equal(report.exitCode, 1);
    await assertNoSecret(b, report);
  });

  it('API down: one GET /user (no retry), the fix says to try later, dependants skipped', async () => {
    await b.storeTokens();
    await b.startAccount(b.config());
    const calls = apiCallsSince(b.sim);
    b.sim.control.failNext(1, 503);
    const report = await b.doctor(b.config());
    const api = check(report, 'api');
    assert.equal(api.ok, false);
    assert.match(api.detail, /GET \/user: HTTP 503/);
    assert.match(api.fix ?? '', /having trouble.*again in a few minutes/);
    assert.equal(check(report, 'vehicles').ok, 'skipped');
    assert.equal(check(report, 'callback').ok, 'skipped');
    assert.equal(check(report, 'listener').ok, true, 'the listener does not depend on the API');
    assert.deepEqual(calls().byPath, ['GET /user']);
    assert.equal(report.exitCode, 1);
  });

  it('an unknown vehicle id: listed, with the account ids and the fix', async () => {
    await b.storeTokens();
    await b.startAccount(b.config());
    const calls = apiCallsSince(b.sim);
    const vehicles = [...(b.config().vehicles as unknown[]), { id: 'VR-NOT-MINE', name: 'Ghost' }];
    const report = await b.doctor(b.config({ vehicles }));
    const v = check(report, 'vehicles');
    assert.equal(v.ok, false);
    assert.match(v.detail, /not in this account: VR-NOT-MINE \('Ghost'\)/);
    for (const known of b.sim.vehicles) assert.ok(v.detail.includes(known.id), `lists ${known.id}`);
    assert.match(v.fix ?? '', /vehicles\[\]\.id.*stellantis vehicles/);
    assert.deepEqual(failing(report), ['vehicles']);
    assert.equal(report.exitCode, 1);
    assert.deepEqual(calls().byPath, ['GET /user', 'GET /user/vehicles', 'GET /user/callbacks']);
  });

  it('callback missing: says so and how it gets registered', async () => {
    await b.storeTokens();
    const account = await b.startAccount(b.config());
    assert.equal(await account.removeCallback(), true);
    const report = await b.doctor(b.config());
    const cb = check(report, 'callback');
    assert.equal(cb.ok, false);
    assert.match(cb.detail, /no callback labelled 'doctor-test'/);
    assert.match(cb.fix ?? '', /registers its callback/);
    assert.deepEqual(failing(report), ['callback']);
    assert.equal(report.exitCode, 1);
  });

  it('callback pointing elsewhere: names both addresses and the fix', async () => {
    await b.storeTokens();
    const elsewhere = 'http://127.0.0.1:9/old/webhook';
    const account = await b.startAccount(b.config({ webhook: { publicUrl: elsewhere, label: 'doctor-test' } }));
    const report = await b.doctor(b.config());
    const cb = check(report, 'callback');
    assert.equal(cb.ok, false);
    assert.ok(cb.detail.includes(`points at ${elsewhere}, not at webhook.publicUrl ${b.publicUrl}`), cb.detail);
    assert.ok((cb.fix ?? '').includes(`stellantis callbacks delete ${account.callbackId ?? '?'}`));
    assert.equal(check(report, 'listener').ok, true);
    assert.equal(report.exitCode, 1);
  });

  it('a secret that differs from the listener: the callback check and the listener (401) both say so', async () => {
    await b.storeTokens();
    await b.startAccount(b.config());
    const other = 'another-secret-0123456789abcdef';
    const report = await b.doctor(b.config({ webhook: { publicUrl: b.publicUrl, label: 'doctor-test', secret: other } }));
    assert.match(check(report, 'callback').detail, /different secret than the listener's \(from webhook\.secret\)/);
    const listener = check(report, 'listener');
    assert.equal(listener.ok, false);
    assert.match(listener.detail, /refused our secret header \(HTTP 401\)/);
    assert.match(listener.fix ?? '', /--storage/);
    await assertNoSecret(b, report, [other]);
  });

  it('listener not reachable at the public URL: nothing answers, with the fix', async () => {
    await b.storeTokens();
    const dead = await b.deadUrl();
    await b.startAccount(b.config({ webhook: { publicUrl: dead, label: 'doctor-test' } }));
    const report = await b.doctor(b.config({ webhook: { publicUrl: dead, label: 'doctor-test' } }));
    assert.equal(check(report, 'callback').ok, true);
    const listener = check(report, 'listener');
    assert.equal(listener.ok, false);
    assert.ok(listener.detail.startsWith(`nothing answers at ${dead}/health (ECONNREFUSED)`), listener.detail);
    assert.match(listener.fix ?? '', /Homebridge\/Node-RED runs.*reverse proxy or tunnel forwards/);
    assert.deepEqual(failing(report), ['listener']);
    assert.equal(report.calls.listener, 1);
    assert.equal(report.exitCode, 1);
  });

  it('a public URL whose certificate is not publicly trusted: says Stellantis would refuse it too, not "nothing answers"', async () => {
    const pki = await testPki(); // its CA is trusted by nobody but the tests
    const front = https.createServer({ cert: pki.server.cert, key: pki.server.key }, (_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    try {
      const publicUrl = `https://127.0.0.1:${(front.address() as AddressInfo).port}/stellantis/webhook`;
      await b.storeTokens();
      await b.startAccount(b.config({ webhook: { publicUrl, label: 'doctor-test' } }));
      const report = await b.doctor(b.config({ webhook: { publicUrl, label: 'doctor-test' } }));
      const listener = check(report, 'listener');
      assert.equal(listener.ok, false);
      assert.match(listener.detail, /^https:\/\/127\.0\.0\.1:\d+\/stellantis\/webhook\/health answers with a certificate that is not trusted \([A-Z_]+\)$/);
      assert.match(listener.fix ?? '', /self-signed certificate cannot work.*Let's Encrypt/);
      assert.deepEqual(failing(report), ['listener']);
    } finally {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  });

  it('a public URL that reaches a server but not the listener path: 404 with the path fix', async () => {
    await b.storeTokens();
    const wrong = b.publicUrl.replace('/stellantis/webhook', '/somewhere/else');
    await b.startAccount(b.config({ webhook: { publicUrl: wrong, label: 'doctor-test' } }));
    const report = await b.doctor(b.config({ webhook: { publicUrl: wrong, label: 'doctor-test' } }));
    const listener = check(report, 'listener');
    assert.equal(listener.ok, false);
    assert.match(listener.detail, /reached a server, but not the listener \(HTTP 404\)/);
    assert.match(listener.fix ?? '', /webhook\.path \/stellantis\/webhook/);
  });

  it('wake-up cap hit (TooManyWakeUpsOverMonth, persisted by the engine): fails with the explanation', async () => {
    await b.storeTokens();
    const account = await b.startAccount(b.config());
    const ev = b.sim.vehicles[0].id;
    b.sim.control.setVehicle(ev, { asleep: true });
    b.sim.control.exhaustWakeUps(ev);
    const end = await account.send(ev, { kind: 'refresh' }).done;
    assert.equal(end.failureCause, 'TooManyWakeUpsOverMonth');
    const file = storageFile(b.storage, 'wake-ups', B2C_KEY(b));
    for (let i = 0; i < 200 && !(await fs.readFile(file, 'utf8').catch(() => '')).includes('blockedUntil'); i++) {
      await sleep(10);
    }
    const report = await b.doctor(b.config());
    const wake = check(report, 'wakeups');
    assert.equal(wake.ok, false);
    assert.match(wake.detail, /'Zoe': monthly wake-up cap reached; 1 wake-up this month, none left: the car answered TooManyWakeUpsOverMonth; no refresh before /);
    assert.match(wake.detail, /'Clio': 0 wake-ups this month, about 20 left \(assumed cap 20\); 0 of 6 in the last 20 min/);
    assert.match(wake.fix ?? '', /next month/);
    assert.deepEqual(failing(report), ['wakeups']);
    assert.equal(report.exitCode, 1);
  });

  it('wake-ups used in the window are counted', async () => {
    await b.storeTokens();
    const account = await b.startAccount(b.config());
    const ev = b.sim.vehicles[0].id;
    assert.equal((await account.send(ev, { kind: 'refresh' }).done).result, 'Success');
    await account.stop();
    const report = await b.doctor(b.config());
    assert.match(check(report, 'wakeups').detail, /'Zoe': 1 wake-up this month, about 19 left \(assumed cap 20\); 1 of 6 in the last 20 min/);
    assert.equal(check(report, 'wakeups').ok, true);
  });

  it('this month\'s wake-ups against the assumed cap (wakeUpsPerMonth): refreshes and remotes that woke the car, as far as we can tell', async () => {
    await b.storeTokens();
    const account = await b.startAccount(b.config({ wakeUpsPerMonth: 10 }));
    const ev = b.sim.vehicles[0].id;
    assert.equal((await account.send(ev, { kind: 'refresh' }).done).result, 'Success');
    b.sim.control.setVehicle(ev, { asleep: true, locked: false });
    assert.equal((await account.send(ev, { kind: 'lock' }).done).result, 'Success');
    await account.stop();
    const calls = b.sim.calls.length;
    const wake = check(await b.doctor(b.config({ wakeUpsPerMonth: 10 })), 'wakeups');
    assert.equal(wake.ok, true);
    assert.match(wake.detail, /'Zoe': 2 wake-ups this month, about 8 left \(assumed cap 10\)/);
    assert.match(wake.detail, /'Clio': 0 wake-ups this month, about 10 left \(assumed cap 10\)/);
    assert.match(wake.detail, /as far as we can tell: wake-ups by other apps \(MyPeugeot/);
    assert.ok(b.sim.calls.slice(calls).every((c) => !c.path.includes('/remotes')), 'the doctor sends no remote');
  });

  it('lists each car\'s monitors and what they cover, from the saved files (no call)', async () => {
    await b.storeTokens();
    const account = await b.startAccount(b.config());
    await account.stop();
    const report = await b.doctor(b.config());
    const monitors = check(report, 'monitors');
    assert.equal(monitors.ok, true);
    assert.match(monitors.detail, /'Zoe': 4 of 5: state \(doors, openings, charging, battery, preconditioning\); alarm \(alarm\); motion \(motion, position\); charging \(battery\)/);
    assert.doesNotMatch(monitors.detail, /not set up yet/);
    assert.match(monitors.detail, /'Clio': 3 of 5: state/);
  });

  it('simulator without webhook.publicUrl: the callback target is the address tested', async () => {
    await b.storeTokens();
    const config = b.config({ webhook: { label: 'doctor-test' } });
    await b.startAccount(config);
    const report = await b.doctor(config);
    assert.equal(report.exitCode, 0, JSON.stringify(report.checks, null, 1));
    assert.ok(check(report, 'callback').detail.includes(`(simulator: target ${b.publicUrl})`));
    assert.ok(check(report, 'listener').detail.includes(`answers at ${b.publicUrl}`));
  });

  it('fleet (b2b): no token request; one vehicles list and one callbacks list; all green', async () => {
    await b.startAccount(b.b2bConfig());
    const calls = apiCallsSince(b.sim);
    const report = await b.doctor(b.b2bConfig());
    assert.deepEqual(outline(report), [
      'config:true', 'certificate:skipped', 'token:skipped', 'api:true', 'vehicles:true', 'callback:true', 'listener:true', 'wakeups:true', 'monitors:true',
    ]);
    assert.equal(report.exitCode, 0);
    const fleet = b.sim.account.fleetId;
    assert.deepEqual(calls().byPath, [`GET /fleets/${fleet}/vehicles`, `GET /fleets/${fleet}/remote/callbacks`]);
    assert.equal(report.calls.token, 0);
    const key = accountKeyOf({ flavour: 'b2b', clientId: b.sim.account.clientId, fleetId: fleet });
    await assertNoSecret(b, report, [], key);
  });
});
