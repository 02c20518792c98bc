/**
 * The one client factory and what the faces get instead of the client: the handle's vehicle list,
 * an engine logged in through a given token store, the simulator's account config and token seeding.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateAccountConfig, type ResolvedAccountConfig } from '../../src/config/validate';
import { accountTokenStore, createAccountClient } from '../../src/engine/clients';
import { StellantisAccount } from '../../src/engine/stellantisAccount';
import { seedSimulatorTokens, simulatedAccountConfig, simulatorTokenStore } from '../../src/simulator';
import { harnessPerTest, FAST, callsSince, type Harness } from './harness';

function resolved(input: Record<string, unknown>): ResolvedAccountConfig {
  const result = validateAccountConfig(input, { checkFiles: false });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

describe('engine: client factory and the handle', function () {
  this.timeout(15_000);
  let h: Harness;
  const dirs: string[] = [];

  harnessPerTest({}, (started) => (h = started));
  afterEach(async () => {
    for (const d of dirs.splice(0)) await fs.rm(d, { recursive: true, force: true });
  });

  async function freshDir(): Promise<string> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'clients-'));
    dirs.push(dir);
    return dir;
  }

  it('listVehicles() on the handle: the account\'s vehicles from the API, one call', async () => {
    const account = h.account();
    await account.start();
    const count = callsSince(h.sim);
    const listed = await account.listVehicles();
    assert.deepEqual(listed.map((v) => v.id).sort(), h.sim.vehicles.map((v) => v.id).sort());
    assert.equal(count('GET', '/vehicles'), 1);
    assert.equal(count(), 1);
  });

  it('an engine given a token store logs in with it and writes no token file', async () => {
    const dir = await freshDir();
    const account = new StellantisAccount({
      config: h.config,
      storageDir: dir,
      logger: h.logger,
      tokenStore: simulatorTokenStore(h.sim),
      webhook: { mode: 'listen' },
      options: FAST,
    });
    try {
      await account.start();
      assert.ok(account.callbackId, 'the callback is registered with the given login');
      assert.equal(await accountTokenStore(h.config, dir).load(), undefined);
    } finally {
      await account.stop();
    }
  });

  it('B2C: the client reads the tokens seeded into the account\'s token file, with a bearer token', async () => {
    const dir = await freshDir();
    const config = resolved({ simulator: true, ...simulatedAccountConfig(h.sim), vehicles: [] });
    await seedSimulatorTokens(h.sim, accountTokenStore(config, dir));
    const client = createAccountClient(config, { storageDir: dir });
    try {
      const count = callsSince(h.sim);
      assert.equal((await client.listVehicles()).length, h.sim.vehicles.length);
      assert.equal(count(), 1);
      assert.ok(h.sim.calls.at(-1)?.hasBearer);
    } finally {
      client.close();
    }
  });

  it('B2B: the simulator\'s fleet account signs in with Basic auth, whatever token store is offered', async () => {
    const config = resolved({ simulator: true, ...simulatedAccountConfig(h.sim, 'b2b'), vehicles: [] });
    const client = createAccountClient(config, { store: simulatorTokenStore(h.sim) });
    try {
      assert.equal((await client.listVehicles()).length, h.sim.vehicles.length);
      const last = h.sim.calls.at(-1);
      assert.ok(last?.hasBasic && !last.hasBearer);
    } finally {
      client.close();
    }
  });

  it('B2C without a login: the factory makes no client and says why', () => {
    const config = resolved({ simulator: true, ...simulatedAccountConfig(h.sim), vehicles: [] });
    assert.throws(() => createAccountClient(config), /needs a token provider/);
  });
});
