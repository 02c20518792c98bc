/** A StellantisAccount on a fresh storage folder, started against a simulator. */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { validateAccountConfig, type ResolvedAccountConfig } from '../src/config/validate';
import { StellantisAccount, type AccountTimings } from '../src/engine/stellantisAccount';
import { accountKeyOf } from '../src/engine/storageFiles';
import { FileTokenStore } from '../src/stellantis/tokenStore';
import { silentLogger } from '../src/util/logger';
import { DEFAULT_SECRET_HEADER } from '../src/webhook';

export const SECRET = 'bench-secret-0123456789abcdef0123456789';
export const SECRET_HEADER = DEFAULT_SECRET_HEADER;

export interface SimEndpoints {
  b2cBaseUrl: string;
  oauthUrl: string;
  account: { clientId: string; clientSecret: string; realm: string };
  vehicles: Array<{ id: string }>;
  tokens: { access_token: string; refresh_token: string; expires_in: number };
}

export interface BenchAccount {
  account: StellantisAccount;
  config: ResolvedAccountConfig;
  dir: string;
  close(): Promise<void>;
}

export async function startAccount(sim: SimEndpoints, opts: { monitors: boolean; options?: AccountTimings }): Promise<BenchAccount> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-engine-'));
  const result = validateAccountConfig(
    {
      simulator: true,
      brand: 'peugeot',
      clientId: sim.account.clientId,
      clientSecret: sim.account.clientSecret,
      realm: sim.account.realm,
      baseUrl: sim.b2cBaseUrl,
      oauthUrl: sim.oauthUrl,
      requestTimeoutMs: 60_000,
      webhook: { host: '127.0.0.1', port: 0, secret: SECRET, monitors: opts.monitors },
      vehicles: sim.vehicles.map((v) => ({ id: v.id })),
    },
    { checkFiles: false },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const config = result.config;
  await new FileTokenStore(dir, accountKeyOf(config)).save({
    accessToken: sim.tokens.access_token,
    refreshToken: sim.tokens.refresh_token,
    expiresAt: Date.now() + sim.tokens.expires_in * 1000,
  });
  const account = new StellantisAccount({ config, storageDir: dir, logger: silentLogger, webhook: { mode: 'listen' }, options: opts.options });
  await account.start();
  return {
    account,
    config,
    dir,
    async close() {
      await account.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** The id of our state monitor on a vehicle (it watches the doors) (monitor messages need a monitor the engine knows). */
export async function doorsMonitorId(account: StellantisAccount, vehicleId: string): Promise<string> {
  const monitors = await account.client.listMonitors(vehicleId, account.callbackId ?? '');
  const id = monitors.find((m) => m.monitor?.label?.includes(':state:'))?.monitorId;
  if (!id) throw new Error('no doors monitor');
  return id;
}

/** A monitor message as Stellantis sends it. */
export function monitorMessage(callbackId: string, monitorId: string, literalValue: string, date = new Date().toISOString()) {
  return {
    callbackId,
    type: 'Monitor',
    date,
    monitorEvent: {
      monitorId,
      values: [{ data: 'vehicle.doorsState.lockedState', value: { type: 'string', body: { literalValue } } }],
      refresh: false,
    },
  };
}
