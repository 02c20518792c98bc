/**
 * Starts the simulator and a StellantisAccount on a fresh storage folder, wired like a real run:
 * the account's own listener on a loopback port, tokens in the file token store, the real client.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator';
import { validateAccountConfig, type ResolvedAccountConfig } from '../../src/config/validate';
import { StellantisAccount, type AccountTimings, type WebhookMode } from '../../src/engine/stellantisAccount';
import { accountKeyOf } from '../../src/engine/storageFiles';
import type { RemoteEnd, RemoteHandle, RemoteProgress } from '../../src/engine/types';
import type { Logger } from '../../src/util/logger';
import { StellantisClient } from '../../src/stellantis/client';
import { OAuthTokenProvider } from '../../src/stellantis/auth';
import { MemoryTokenStore } from '../../src/stellantis/tokenStore';
import { perTest } from '../helpers/perTest';
import { loginTokens, seedTokens, simulatorAccountConfig } from '../helpers/simulator';
import { DEFAULT_SECRET_HEADER } from '../../src/webhook';

export interface Harness {
  sim: RunningSimulator;
  dir: string;
  config: ResolvedAccountConfig;
  /** Lines logged by the accounts (warn and error only). */
  logged: string[];
  logger: Logger;
  account(opts?: { options?: AccountTimings; webhook?: WebhookMode; config?: Partial<ResolvedAccountConfig> }): StellantisAccount;
  /** A client of our own on the same simulator account (to look at what the engine did); closed by cleanup(). */
  inspector(): StellantisClient;
  cleanup(): Promise<void>;
}

/** Fast engine timings for tests. */
export const FAST: AccountTimings = {
  noNotificationTimeoutMs: 3000,
  readBackBackoffMs: [50, 100],
  statusAfterSuccessDelayMs: 0,
};

export async function harness(
  opts: { sim?: SimulatorOptions; config?: Record<string, unknown>; vehicles?: number } = {},
): Promise<Harness> {
  const sim = await startSimulator({ timeScale: 0.001, autoSleepSeconds: 0, rateLimit: { perSecond: 1000 }, ...opts.sim });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'engine-'));
  const vehicles = sim.vehicles.slice(0, opts.vehicles ?? sim.vehicles.length).map((v) => ({ id: v.id, name: v.model }));
  const result = validateAccountConfig(
    {
      simulator: true,
      ...simulatorAccountConfig(sim),
      realm: sim.account.realm,
      webhook: { host: '127.0.0.1', port: 0 },
      vehicles,
      ...opts.config,
    },
    { checkFiles: false },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const config = result.config;
  await seedTokens(sim, dir, accountKeyOf(config));
  const logged: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (m) => logged.push(`warn: ${m}`),
    error: (m) => logged.push(`error: ${m}`),
  };
  const accounts: StellantisAccount[] = [];
  const clients: StellantisClient[] = [];
  return {
    sim,
    dir,
    config,
    logged,
    logger,
    account(a = {}) {
      const account = new StellantisAccount({
        config: { ...config, ...a.config },
        storageDir: dir,
        logger,
        webhook: a.webhook ?? { mode: 'listen' },
        options: { ...FAST, ...a.options },
      });
      accounts.push(account);
      return account;
    },
    inspector() {
      const provider = new OAuthTokenProvider({
        oauth: { oauthUrl: sim.oauthUrl, clientId: sim.account.clientId, clientSecret: sim.account.clientSecret, realm: sim.account.realm },
        store: new MemoryTokenStore({ ...loginTokens(sim), expiresAt: Date.now() + 3_600_000 }),
      });
      const client = new StellantisClient(config, { tokens: provider });
      clients.push(client);
      return client;
    },
    async cleanup() {
      for (const a of accounts) await a.stop();
      for (const c of clients) c.close();
      await sim.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh harness for each test of the describe block, cleaned up after it: `started` takes it
 * (and whatever the file reads of it, its cars...) before the test runs.
 */
export function harnessPerTest(opts: Parameters<typeof harness>[0], started: (h: Harness) => void): void {
  perTest(() => harness(opts), (h) => h.cleanup(), started);
}

/** POSTs a notification to the account's webhook as Stellantis does (JSON, the secret header); the status, body read. */
export async function postWebhook(target: string, secret: string, body: unknown): Promise<number> {
  const res = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [DEFAULT_SECRET_HEADER]: secret },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Every progress of a handle, and its end. */
export async function collect(handle: RemoteHandle): Promise<{ steps: RemoteProgress[]; end: RemoteEnd }> {
  const steps: RemoteProgress[] = [];
  handle.on('progress', (p) => steps.push(p));
  const end = await handle.done;
  return { steps, end };
}

export { until } from '../helpers/until';

export { callsSince, sleep } from '../helpers/simulator';

/** The calls after a point, as "METHOD path-tail status" lines (for assertion messages). */
export function describeCalls(sim: RunningSimulator, from = 0): string {
  return sim.calls
    .slice(from)
    .map((c) => `${c.method} ${c.path.replace(/^.*\/user/, '/user')} ${c.status}`)
    .join('\n');
}
