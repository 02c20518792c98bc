/**
 * The platform with a real-account config (no `simulator` flag), pointed at the simulator serving
 * HTTPS with mutual TLS: certificate files relative to Homebridge's storage folder, the tokens that
 * `stellantis login` stores under it, notifications to the public HTTPS URL of the listener.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { type RunningSimulator, startSimulator } from '../../src/simulator';
import { testPki } from '../helpers/certs';
import { callsMatching, seedTokens } from '../helpers/simulator';
import { type HomebridgeRun, hap, homeKitWrite, removeTempDirs, startHomebridge, tempDir, waitFor } from './harness';

const EV = 'VEH-REAL-0001';

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Homebridge platform with a real-account config (simulator behind mutual TLS)', function () {
  this.timeout(20000);
  let sim: RunningSimulator | undefined;
  let run: HomebridgeRun | undefined;

  after(async () => {
    await run?.stop();
    await sim?.stop();
    removeTempDirs();
  });

  it('uses the stored login and the client certificate, and follows a lock over HTTPS notifications', async () => {
    const pki = await testPki();
    sim = await startSimulator({
      tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestClientCert: true },
      webhookCa: pki.ca.cert,
      vehicles: [{ id: EV, kind: 'electric' }],
      timeScale: 0.002,
    });
    const storagePath = tempDir('real');
    fs.mkdirSync(path.join(storagePath, 'certs'));
    const files = { 'client.crt': pki.client.cert, 'client.key': pki.client.key, 'ca.pem': pki.ca.cert, 'server.crt': pki.server.cert, 'server.key': pki.server.key };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(storagePath, 'certs', name), text);
    const port = await freePort();
    const config = {
      brand: 'peugeot',
      clientId: sim.account.clientId,
      clientSecret: sim.account.clientSecret,
      baseUrl: sim.b2cBaseUrl,
      oauthUrl: sim.oauthUrl,
      certificate: { cert: 'certs/client.crt', key: 'certs/client.key', ca: 'certs/ca.pem' },
      webhook: {
        publicUrl: `https://127.0.0.1:${port}/stellantis/webhook`,
        host: '127.0.0.1',
        port,
        https: { cert: 'certs/server.crt', key: 'certs/server.key' },
      },
      vehicles: [{ id: EV, name: 'Car' }],
    };
    // What `stellantis login` leaves under the storage folder.
    await seedTokens(sim, path.join(storagePath, 'stellantis'));

    run = await startHomebridge({ storageDir: storagePath, config });
    assert.equal(run.platform.simulator, undefined, 'no built-in simulator');
    assert.deepEqual(run.log.at('error'), []);
    const lock = run.service(EV, hap.Service.LockMechanism, 'doors');
    await waitFor('the first status', () => lock.getCharacteristic(hap.Characteristic.LockCurrentState).value === hap.Characteristic.LockCurrentState.SECURED);
    const callbacks = callsMatching(sim, { method: 'POST', path: /\/user\/callbacks$/ });
    assert.equal(callbacks.length, 1);
    assert.match(JSON.stringify(callbacks[0].body), new RegExp(`https://127.0.0.1:${port}/stellantis/webhook`));

    const before = sim.callCount({ method: 'POST', pathIncludes: '/remotes' });
    await homeKitWrite(lock, hap.Characteristic.LockTargetState, hap.Characteristic.LockTargetState.UNSECURED);
    await waitFor('the car to unlock', () => lock.getCharacteristic(hap.Characteristic.LockCurrentState).value === hap.Characteristic.LockCurrentState.UNSECURED);
    assert.equal(sim.callCount({ method: 'POST', pathIncludes: '/remotes' }) - before, 1);
    assert.ok(sim.deliveries.some((d) => d.target.startsWith('https://') && d.status === 200), 'notifications delivered over HTTPS');
    assert.ok(sim.calls.every((c) => c.hasBearer), 'every call with the stored access token');
  });
});
