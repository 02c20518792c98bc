/**
 * The doctor's test bench: the simulator, a storage folder, and a host web server (like Node-RED's
 * httpNode) where a real StellantisAccount mounts its webhook router, so the public URL is known
 * before the account starts.
 */
import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import express, { type Router } from 'express';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator';
import { validateAccountConfig } from '../../src/config/validate';
import { StellantisAccount } from '../../src/engine/stellantisAccount';
import { runDoctor } from '../../src/doctor';
import type { DoctorCheck, DoctorCheckId, DoctorOptions, DoctorReport } from '../../src/doctor';
import { silentLogger } from '../../src/util/logger';
import { callsMatching, seedTokens, simulatorAccountConfig, simulatorFleetConfig } from '../helpers/simulator';

export type RawConfig = Record<string, unknown>;

export interface Bench {
  sim: RunningSimulator;
  dir: string;
  storage: string;
  /** Where the host serves the mounted router, e.g. http://127.0.0.1:1234/stellantis/webhook. */
  publicUrl: string;
  config(patch?: RawConfig): RawConfig;
  b2bConfig(patch?: RawConfig): RawConfig;
  storeTokens(config?: RawConfig): Promise<void>;
  /** Starts an account (mounted on the host) with this configuration; stopped by close(). */
  startAccount(config: RawConfig): Promise<StellantisAccount>;
  doctor(config: unknown, opts?: Partial<DoctorOptions>): Promise<DoctorReport>;
  /** Token requests the simulator's login server answered (grant refresh_token). */
  tokenCalls(): number;
  /** A loopback URL where nothing listens. */
  deadUrl(): Promise<string>;
  close(): Promise<void>;
}

export async function bench(simOptions: SimulatorOptions = {}): Promise<Bench> {
  const oauthLines: string[] = [];
  const sim = await startSimulator({
    timeScale: 0.001,
    autoSleepSeconds: 0,
    rateLimit: { perSecond: 1000 },
    logger: (line) => {
      if (line.startsWith('oauth POST /access_token')) oauthLines.push(line);
    },
    ...simOptions,
  });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'doctor-'));
  const storage = path.join(dir, 'storage');

  let mounted: Router | undefined;
  const app = express();
  app.use((req, res, next) => (mounted ? mounted(req, res, next) : next()));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hostUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const publicUrl = `${hostUrl}/stellantis/webhook`;

  const a = sim.account;
  const vehicles = [
    { id: sim.vehicles[0].id, name: 'Zoe' },
    { id: sim.vehicles[1].id, name: 'Clio' },
  ];
  const accounts: StellantisAccount[] = [];
  return {
    sim,
    dir,
    storage,
    publicUrl,
    config: (patch = {}) => ({
      simulator: true,
      ...simulatorAccountConfig(sim),
      realm: a.realm,
      webhook: { publicUrl, label: 'doctor-test' },
      vehicles,
      ...patch,
    }),
    b2bConfig: (patch = {}) => ({
      simulator: true,
      ...simulatorFleetConfig(sim),
      webhook: { publicUrl, label: 'doctor-test-fleet' },
      vehicles,
      ...patch,
    }),
    storeTokens: () => seedTokens(sim, storage),
    async startAccount(raw) {
      const result = validateAccountConfig(raw, { checkFiles: false });
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      const account = new StellantisAccount({
        config: result.config,
        storageDir: storage,
        logger: silentLogger,
        webhook: { mode: 'mount', mount: (r) => (mounted = r), unmount: () => (mounted = undefined), url: publicUrl },
        options: { noNotificationTimeoutMs: 3000, readBackBackoffMs: [50, 100], statusAfterSuccessDelayMs: 0 },
      });
      accounts.push(account);
      await account.start();
      return account;
    },
    doctor: (config, opts = {}) => runDoctor(config, { storageDir: storage, baseDir: dir, listenerTimeoutMs: 2000, ...opts }),
    tokenCalls: () => oauthLines.filter((l) => l.includes('grant=refresh_token')).length,
    async deadUrl() {
      const probe = http.createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const port = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      return `http://127.0.0.1:${port}/stellantis/webhook`;
    },
    async close() {
      for (const account of accounts) await account.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sim.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export function check(report: DoctorReport, id: DoctorCheckId): DoctorCheck {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in the report`);
  return found;
}

/** "id:ok" for every check, for compact assertions, e.g. ['config:true', 'certificate:skipped', ...]. */
export function outline(report: DoctorReport): string[] {
  return report.checks.map((c) => `${c.id}:${String(c.ok)}`);
}

/** API calls after this point: total and by "METHOD path-tail" (path after the API base). */
export function apiCallsSince(sim: RunningSimulator): () => { total: number; byPath: string[] } {
  const from = sim.calls.length;
  return () => {
    const calls = callsMatching(sim, {}, from);
    return { total: calls.length, byPath: calls.map((c) => `${c.method} ${c.path.replace(/^\/connectedcar\/v\d/, '')}`) };
  };
}
