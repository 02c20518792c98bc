/**
 * The settings page server's car view (/car): this month's wake-ups per car from the engine's file,
 * against the cap the page's settings give (wakeUpsPerMonth), with no call to Stellantis.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateAccountConfig } from '../../src/config/validate';
import { StellantisAccount } from '../../src/engine/stellantisAccount';
import { STORAGE_SUBDIR } from '../../src/homebridge/settings';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { seedTokens, simulatorPlatformBlock } from '../helpers/simulator';
import { accountKeyOf } from '../../src/engine/storageFiles';

// Plain CommonJS over the compiled package, as the Homebridge UI runs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StellantisUiActions } = require('../../homebridge-ui/uiActions') as {
  StellantisUiActions: new (o: { storagePath: string }) => { routes(): Record<string, (body: unknown) => Promise<unknown>>; stop(): Promise<void> };
};

interface MonthView { used: number; left: number; assumedCap: number; blockedUntil?: number }

describe('settings page server: the wake-up budget of the car view', function () {
  this.timeout(20000);
  let sim: RunningSimulator;
  let storagePath: string;
  let platform: Record<string, unknown>;

  before(async () => {
    sim = await startSimulator({ timeScale: 0.001, autoSleepSeconds: 0, rateLimit: { perSecond: 1000 } });
    storagePath = await fs.mkdtemp(path.join(os.tmpdir(), 'ui-wakeups-'));
    platform = {
      ...simulatorPlatformBlock(sim),
      realm: sim.account.realm,
      webhook: { host: '127.0.0.1', port: 0 },
      vehicles: sim.vehicles.slice(0, 2).map((v) => ({ id: v.id, name: v.model })),
    };
  });
  after(async () => {
    await sim.stop();
    await fs.rm(storagePath, { recursive: true, force: true });
  });

  it('counts what the engine stored against the page\'s wakeUpsPerMonth, per car, without a call', async () => {
    const { platform: _p, ...input } = platform;
    const resolved = validateAccountConfig(input, { checkFiles: false });
    assert.ok(resolved.ok, JSON.stringify(!resolved.ok && resolved.problems));
    const storageDir = path.join(storagePath, STORAGE_SUBDIR);
    await seedTokens(sim, storageDir, accountKeyOf(resolved.config));
    const account = new StellantisAccount({
      config: resolved.config,
      storageDir,
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
      webhook: { mode: 'listen' },
    });
    await account.start();
    const [first, second] = sim.vehicles;
    try {
      assert.equal((await account.send(first.id, { kind: 'refresh' }).done).result, 'Success');
      assert.equal((await account.send(first.id, { kind: 'refresh' }).done).result, 'Success');
    } finally {
      await account.stop();
    }
    const actions = new StellantisUiActions({ storagePath });
    try {
      const calls = sim.calls.length;
      const view = (await actions.routes()['/car']({ config: { ...platform, wakeUpsPerMonth: 7 }, lang: 'fr' })) as {
        vehicles: Array<{ id: string; wakeUps: { month: MonthView } }>;
      };
      const month = (id: string) => view.vehicles.find((v) => v.id === id)?.wakeUps.month;
      assert.deepEqual(month(first.id), { used: 2, left: 5, assumedCap: 7, blockedUntil: undefined });
      assert.deepEqual(month(second.id), { used: 0, left: 7, assumedCap: 7, blockedUntil: undefined });
      const byDefault = (await actions.routes()['/car']({ config: platform })) as { vehicles: Array<{ id: string; wakeUps: { month: MonthView } }> };
      assert.equal(byDefault.vehicles.find((v) => v.id === first.id)?.wakeUps.month.assumedCap, 20);
      assert.equal(sim.calls.length, calls, 'no call to Stellantis');
      await assert.rejects(actions.routes()['/car']({ config: { ...platform, wakeUpsPerMonth: 'lots' } }), /wakeUpsPerMonth/);
    } finally {
      await actions.stop();
    }
  });
});
