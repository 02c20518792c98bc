/**
 * The charge limit from HomeKit on real Homebridge and HAP objects: the Fan "Car Charge Limit", its
 * RotationSpeed set to 80 as Siri does ("set Car Charge Limit to 80 percent"). On an EV that keeps
 * the limit itself, one preferences POST (spec-valid); on a plug-in hybrid without preferences, the
 * monitor plan gets the threshold and nothing is sent to the car. Never a status read or a wake-up.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type RunningSimulator, VEHICLE_PRESETS, startSimulator } from '../../src/simulator';
import { testPki } from '../helpers/certs';
import { callsMatching, REMOTE_POSTS, seedTokens } from '../helpers/simulator';
import { specFor } from '../helpers/spec';
import { type HomebridgeRun, hap, homeKitRead, homeKitWrite, removeTempDirs, startHomebridge, tempDir, waitFor } from './harness';

const EV = 'VEH-EV-LIMIT';
const PHEV = 'VEH-PHEV-LIMIT';
const { Characteristic: C, Service: S } = hap;
const STATUS_READS = { method: 'GET', path: /\/status$/ };
const MONITOR_WRITES = { path: /\/monitors(\/[^/]+)?$/ };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function specProblems(c: { method: string; path: string; query: Record<string, string>; body: unknown }): string[] {
  return specFor('b2c').validateRequest(c.method, c.path.replace(/^\/connectedcar\/v4/, ''), c.query, c.body);
}

describe('Homebridge: the charge limit set by voice', function () {
  this.timeout(30000);
  let sim: RunningSimulator;
  let run: HomebridgeRun | undefined;
  let storagePath: string;
  let config: Record<string, unknown>;

  beforeEach(async () => {
    const pki = await testPki();
    sim = await startSimulator({
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestClientCert: true },
      webhookCa: pki.ca.cert,
      vehicles: [
        { ...VEHICLE_PRESETS.ev, id: EV, level: 60, plugged: true },
        { ...VEHICLE_PRESETS.phev, id: PHEV, level: 60, plugged: true },
      ],
      timeScale: 0.002,
    });
    storagePath = tempDir('charge-limit');
    fs.mkdirSync(path.join(storagePath, 'certs'));
    const files = { 'client.crt': pki.client.cert, 'client.key': pki.client.key, 'ca.pem': pki.ca.cert, 'server.crt': pki.server.cert, 'server.key': pki.server.key };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(storagePath, 'certs', name), text);
    const port = await freePort();
    config = {
      brand: 'peugeot',
      clientId: sim.account.clientId,
      clientSecret: sim.account.clientSecret,
      baseUrl: sim.b2cBaseUrl,
      oauthUrl: sim.oauthUrl,
      certificate: { cert: 'certs/client.crt', key: 'certs/client.key', ca: 'certs/ca.pem' },
      webhook: { publicUrl: `https://127.0.0.1:${port}/stellantis/webhook`, host: '127.0.0.1', port, https: { cert: 'certs/server.crt', key: 'certs/server.key' } },
      vehicles: [{ id: EV, name: 'Car' }, { id: PHEV, name: 'Hybrid' }],
    };
    await seedTokens(sim, path.join(storagePath, 'stellantis'));
  });

  afterEach(async () => {
    const warnings = run?.hapWarnings ?? [];
    await run?.stop();
    run = undefined;
    await sim.stop();
    assert.deepEqual(warnings, [], 'no HAP-NodeJS warning');
  });
  after(() => removeTempDirs());

  it('80 % on an EV: the car keeps it (one preferences POST, spec-valid); on a PHEV: a monitor threshold, nothing sent', async () => {
    run = await startHomebridge({ storageDir: storagePath, config });
    assert.deepEqual(run.log.at('error'), []);
    const account = run.platform.account!;
    await waitFor('the monitors', () => [EV, PHEV].every((id) => (account.monitorsOf?.(id).monitors ?? []).every((m) => m.monitorId !== undefined)), 10000);
    const evLimit = run.service(EV, S.Fanv2, 'chargeLimit');
    const phevLimit = run.service(PHEV, S.Fanv2, 'chargeLimit');
    assert.equal(evLimit.getCharacteristic(C.ConfiguredName).value, 'Car Charge Limit');
    assert.equal(await homeKitRead(evLimit, C.Active), 0, 'no limit yet');

    const from = sim.calls.length;
    await homeKitWrite(evLimit, C.Active, 1);
    await homeKitWrite(evLimit, C.RotationSpeed, 80);
    assert.equal(account.chargeLimitOf(EV)?.percent, 80);
    assert.equal(account.chargeLimitOf(EV)?.method, 'preferences');
    await waitFor('the preferences remote', () => sim.vehicle(EV).chargingType === 'Partial');
    await new Promise((r) => setTimeout(r, 300));
    const posts = callsMatching(sim, REMOTE_POSTS, from);
    assert.equal(posts.length, 1, 'Active and the percentage together: one POST');
    assert.deepEqual((posts[0].body as { charging?: unknown }).charging, { preferences: { type: 'Partial' } });
    assert.deepEqual(specProblems(posts[0]), []);
    assert.equal(await homeKitRead(evLimit, C.Active), 1);
    assert.equal(await homeKitRead(evLimit, C.RotationSpeed), 80);

    const phevFrom = sim.calls.length;
    await homeKitWrite(phevLimit, C.RotationSpeed, 80);
    assert.equal(account.chargeLimitOf(PHEV)?.method, 'monitor');
    await waitFor('the threshold monitor', () => account.monitorsOf?.(PHEV).monitors.some((m) => m.key === 'chargeLimit' && m.monitorId !== undefined) === true, 10000);
    const writes = callsMatching(sim, MONITOR_WRITES, phevFrom).filter((c) => c.method !== 'GET');
    assert.equal(writes.length, 1);
    assert.match(JSON.stringify(writes[0].body), /"op":"greaterThan","value":\["80"\]/);
    assert.deepEqual(specProblems(writes[0]), []);
    assert.equal(callsMatching(sim, REMOTE_POSTS, phevFrom).length, 0, 'nothing sent to the car');
    assert.equal(callsMatching(sim, STATUS_READS, from).length, 0, 'never a status read');
    assert.equal(callsMatching(sim, REMOTE_POSTS, from).filter((c) => JSON.stringify(c.body).includes('wakeUp')).length, 0, 'never a wake-up');

    // Off from HomeKit: the threshold goes, the Fan shows inactive.
    await homeKitWrite(phevLimit, C.Active, 0);
    assert.equal(account.chargeLimitOf(PHEV), undefined);
    assert.equal(await homeKitRead(phevLimit, C.Active), 0);
    assert.deepEqual(run.log.at('error'), []);
  });
});
