/**
 * The platform with a real-account config (no `simulator` flag), pointed at the simulator serving
 * HTTPS with mutual TLS: certificate files relative to Homebridge's storage folder, the tokens that
 * `stellantis login` stores under it, notifications to the public HTTPS URL of the listener.
 */
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../src/simulator';
import { freePort } from '../helpers/ports';
import { callsMatching } from '../helpers/simulator';
import { type HomebridgeRun, hap, homeKitWrite, removeTempDirs, startHomebridge, waitFor } from './harness';
import { realAccountConfig, SERVER_CERTIFICATE, startRealAccount } from './realAccountSetUp';

const EV = 'VEH-REAL-0001';

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
    const started = await startRealAccount('real', [{ id: EV, kind: 'electric' }], { serverCertificate: true });
    sim = started.sim;
    const storagePath = started.storagePath;
    const port = await freePort();
    const config = realAccountConfig(sim, {
      webhook: { publicUrl: `https://127.0.0.1:${port}/stellantis/webhook`, host: '127.0.0.1', port, https: SERVER_CERTIFICATE },
      vehicles: [{ id: EV, name: 'Car' }],
    });

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
