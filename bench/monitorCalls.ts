/**
 * API calls counted on the simulator (issue 14), before (no monitors: a status read after each remote and
 * every statusIntervalMs) and after (the monitor plan): per user command, per car per simulated day idle,
 * and a fleet of 1,000 cars at start and per interval, with the time to ready and the heap per car.
 * `npx tsx bench/monitorCalls.ts`. Every figure is a count of calls the simulator answered.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, type RunningSimulator } from '../src/simulator';
import { validateAccountConfig } from '../src/config/validate';
import { StellantisAccount } from '../src/engine/stellantisAccount';
import { accountKeyOf } from '../src/engine/storageFiles';
import { FileTokenStore } from '../src/stellantis/tokenStore';
import { silentLogger } from '../src/util/logger';

const DAY_INTERVALS = 48; // 30-minute reads in a day
const INTERVAL_MS = 100; // one simulated half hour

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function account(sim: RunningSimulator, extra: Record<string, unknown>, statusIntervalMs: number): Promise<{ account: StellantisAccount; close(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-monitors-'));
  const result = validateAccountConfig(
    {
      simulator: true, brand: 'peugeot', clientId: sim.account.clientId, clientSecret: sim.account.clientSecret, realm: sim.account.realm,
      baseUrl: sim.b2cBaseUrl, oauthUrl: sim.oauthUrl, requestTimeoutMs: 60_000, webhook: { host: '127.0.0.1', port: 0 },
      vehicles: sim.vehicles.map((v) => ({ id: v.id })), ...extra,
    },
    { checkFiles: false },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const tokens = sim.issueTokens();
  await new FileTokenStore(dir, accountKeyOf(result.config)).save({ accessToken: tokens.access_token, refreshToken: tokens.refresh_token, expiresAt: Date.now() + 3_600_000 });
  const a = new StellantisAccount({ config: result.config, storageDir: dir, logger: silentLogger, webhook: { mode: 'listen' }, options: { statusIntervalMs, statusAfterSuccessDelayMs: 0 } });
  await a.start();
  return { account: a, close: async () => { await a.stop(); await fs.rm(dir, { recursive: true, force: true }); } };
}

const statusReads = (sim: RunningSimulator, from: number) => sim.calls.slice(from).filter((c) => c.method === 'GET' && c.path.endsWith('/status')).length;

async function perCommandAndIdle(monitors: boolean): Promise<{ command: number; commandReads: number; idleReads: number; startup: number }> {
  const idleReads = await idleDay(monitors);
  const sim = await startSimulator({ vehicles: 1, timeScale: 0.001, autoSleepSeconds: 0, rateLimit: { perSecond: 10_000 } });
  const from = sim.calls.length;
  // No periodic read while the command is counted.
  const { account: a, close } = await account(sim, { webhook: { host: '127.0.0.1', port: 0, monitors } }, 3_600_000);
  const startup = sim.calls.length - from;
  const ev = sim.vehicles[0].id;
  sim.control.setVehicle(ev, { locked: false });
  await sleep(100);
  // A command: counted from its POST until the calls it causes are over.
  const before = sim.calls.length;
  await a.send(ev, { kind: 'lock' }).done;
  await sleep(200);
  const command = sim.calls.length - before;
  const commandReads = statusReads(sim, before);
  await close();
  await sim.stop();
  return { command, commandReads, idleReads, startup };
}

/** Status reads of one idle car during 48 intervals (a simulated day). */
async function idleDay(monitors: boolean): Promise<number> {
  const sim = await startSimulator({ vehicles: 1, timeScale: 0.001, autoSleepSeconds: 0, rateLimit: { perSecond: 10_000 } });
  const { close } = await account(sim, { webhook: { host: '127.0.0.1', port: 0, monitors } }, INTERVAL_MS);
  const from = sim.calls.length;
  await sleep(INTERVAL_MS * DAY_INTERVALS + INTERVAL_MS / 2);
  const reads = statusReads(sim, from);
  await close();
  await sim.stop();
  return reads;
}

async function fleet(cars: number): Promise<void> {
  const sim = await startSimulator({ vehicles: cars, timeScale: 0.001, autoSleepSeconds: 0, rateLimit: { perSecond: 100_000 } });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const from = sim.calls.length;
  const started = Date.now();
  const { account: a, close } = await account(
    sim,
    { flavour: 'b2b', baseUrl: sim.b2bBaseUrl, fleetId: sim.account.fleetId, username: sim.account.username, password: sim.account.password },
    60_000,
  );
  const ready = Date.now() - started;
  const calls = sim.calls.slice(from);
  const pages = calls.filter((c) => c.path.endsWith(`/fleets/${sim.account.fleetId}/status`)).length;
  const perCar = calls.filter((c) => /\/vehicles\/[^/]+\/status$/.test(c.path)).length;
  global.gc?.();
  const heapPerCar = (process.memoryUsage().heapUsed - heapBefore) / cars;
  console.log(`fleet ${cars} cars: start-up ${calls.length} calls (status: ${pages} fleet pages, ${perCar} per-car reads; the rest: callbacks and one vehicle read per car for its capabilities)`);
  console.log(`fleet ${cars} cars: status calls per interval ${pages} (before: ${cars}, one per car); per day at 30 min ${pages * DAY_INTERVALS} (before: ${cars * DAY_INTERVALS})`);
  console.log(`fleet ${cars} cars: ready in ${ready} ms; heap per car ~${Math.round(heapPerCar / 1024)} KiB (engine and simulator in one process)`);
  void a;
  await close();
  await sim.stop();
}

async function main(): Promise<void> {
  const before = await perCommandAndIdle(false);
  const after = await perCommandAndIdle(true);
  console.log(`per lock command: before ${before.command} calls (${before.commandReads} status read), after ${after.command} calls (${after.commandReads} status reads)`);
  console.log(`status reads per car per simulated day idle: before ${before.idleReads}, after ${after.idleReads}`);
  console.log(`start-up calls for one car: before ${before.startup}, after ${after.startup} (monitors listed and created once)`);
  await fleet(1000);
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
