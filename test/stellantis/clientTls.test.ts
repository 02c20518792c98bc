import { strict as assert } from 'node:assert';
import { StellantisClient } from '../../src/stellantis/client';
import { NetworkError, StellantisApiError } from '../../src/stellantis/errors';
import { testPki, writeTempFiles, type TestPki } from '../helpers/certs';
import { rejection, startHarness, type Harness } from './clientHarness';

describe('stellantis/client: mutual TLS against the simulator (HTTPS, client certificate required)', () => {
  let pki: TestPki;
  let files: ReturnType<typeof writeTempFiles>;
  let h: Harness;

  before(async () => {
    pki = await testPki();
    files = writeTempFiles({
      'client.crt': pki.client.cert,
      'client.key': pki.client.key,
      'enc.crt': pki.clientEncrypted.cert,
      'enc.key': pki.clientEncrypted.key,
      'stranger.crt': pki.stranger.cert,
      'stranger.key': pki.stranger.key,
      'ca.pem': pki.ca.cert,
    });
    h = await startHarness({
      sim: { tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestClientCert: true } },
      config: { certificate: { cert: 'client.crt', key: 'client.key', ca: 'ca.pem' } },
      client: { baseDir: files.dir },
    });
  });
  after(async () => {
    await h.close();
    files.remove();
  });

  function clientWith(certificate: { cert: string; key: string; ca?: string; passphrase?: string } | undefined): StellantisClient {
    return new StellantisClient({ ...h.config, certificate }, { tokens: h.tokens, baseDir: files.dir, retry: { baseDelayMs: 5 } });
  }

  async function withClient(client: StellantisClient, fn: (c: StellantisClient) => Promise<void>): Promise<void> {
    try {
      await fn(client);
    } finally {
      client.close();
    }
  }

  it('works with the right certificate, key and CA', async () => {
    assert.match(h.config.baseUrl ?? '', /^https:/);
    const before = h.sim.calls.length;
    const vehicles = await h.client.listVehicles();
    assert.equal(vehicles.length, 2);
    assert.equal(h.sim.calls.length - before, 1);
    assert.equal(h.sim.calls[h.sim.calls.length - 1].status, 200);
  });

  it('works with an encrypted key and its passphrase', async () => {
    await withClient(clientWith({ cert: 'enc.crt', key: 'enc.key', ca: 'ca.pem', passphrase: pki.clientEncrypted.passphrase }), async (c) => {
      assert.equal((await c.listVehicles()).length, 2);
    });
  });

  it('fails clearly without a client certificate', async () => {
    const client = new StellantisClient(h.config.certificate ? { ...h.config, certificate: undefined } : h.config, {
      tokens: h.tokens,
      tls: { ca: pki.ca.cert },
    });
    await withClient(client, async (c) => {
      const err = await rejection(() => c.listVehicles());
      assert.ok(err instanceof StellantisApiError, err.message);
      assert.equal(err.status, 403);
      assert.match(err.explanation, /client certificate was refused \(check certificate\.cert, certificate\.key and certificate\.ca\)/);
    });
  });

  it('fails clearly with a certificate from another CA', async () => {
    await withClient(clientWith({ cert: 'stranger.crt', key: 'stranger.key', ca: 'ca.pem' }), async (c) => {
      const err = await rejection(() => c.getVehicle(h.sim.vehicles[0].id));
      assert.ok(err instanceof StellantisApiError);
      assert.equal(err.status, 403);
      assert.match(err.explanation, /client certificate was refused/);
    });
  });

  it('fails clearly (and at once) when the server certificate is not trusted', async () => {
    await withClient(clientWith({ cert: 'client.crt', key: 'client.key' }), async (c) => {
      const err = await rejection(() => c.listVehicles());
      assert.ok(err instanceof NetworkError, err.message);
      assert.match(err.message, /server certificate of 127\.0\.0\.1:\d+ is not trusted \(\w+\): check certificate\.ca/);
      assert.equal(c.callCount, 1, 'a certificate problem is not retried');
    });
  });
});
