/**
 * `simulator: true`: the built-in simulator runs in the Homebridge process and the account is logged
 * in to it at once (tokens issued directly, kept in memory), so a user without API access sees the
 * whole thing work. The configured vehicles become simulated cars with the same ids; with none
 * configured, the simulator's two demo cars (stable ids) are used.
 */
import { CONFIG_DEFAULTS, type ResolvedAccountConfig, type ResolvedVehicleConfig } from '../config/validate';
import { type RunningSimulator, type SimVehicleSeed, startSimulator } from '../simulator';
import { OAuthTokenProvider } from '../stellantis/auth';
import { StellantisClient } from '../stellantis/client';
import { MemoryTokenStore } from '../stellantis/tokenStore';
import type { Logger } from '../util/logger';
import type { PlatformSettings } from './platformConfig';

export interface BuiltInSimulator {
  sim: RunningSimulator;
  account: ResolvedAccountConfig;
  client: StellantisClient;
}

function seedOf(v: ResolvedVehicleConfig): SimVehicleSeed {
  const electric = v.features.charging || v.features.battery;
  const seed: SimVehicleSeed = { id: v.id, kind: electric ? 'electric' : 'thermal' };
  if (v.vin !== undefined) seed.vin = v.vin;
  if (v.model !== undefined) seed.model = v.model;
  return seed;
}

export async function startBuiltInSimulator(settings: PlatformSettings, logger: Logger): Promise<BuiltInSimulator> {
  const configured = settings.account.vehicles;
  const sim = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    timeScale: settings.simulatorTimeScale,
    vehicles: configured.length > 0 ? configured.map(seedOf) : 2,
    logger: (line) => logger.debug(`simulator: ${line}`),
  });
  try {
    const fleet = settings.account.flavour === 'b2b';
    const vehicles: ResolvedVehicleConfig[] = configured.length > 0
      ? configured
      : sim.vehicles.map((v) => ({
          id: v.id,
          vin: v.vin,
          model: v.model,
          name: `${v.brand} ${v.model}`,
          features: { ...CONFIG_DEFAULTS.vehicleFeatures },
          destinations: [],
        }));
    const webhook = {
      ...settings.account.webhook,
      host: settings.webhookHostGiven ? settings.account.webhook.host : '127.0.0.1',
      port: settings.webhookPortGiven ? settings.account.webhook.port : 0,
    };
    const account: ResolvedAccountConfig = {
      ...settings.account,
      baseUrl: fleet ? sim.b2bBaseUrl : sim.b2cBaseUrl,
      oauthUrl: sim.oauthUrl,
      realm: sim.account.realm,
      brand: sim.account.brand,
      clientId: sim.account.clientId,
      clientSecret: sim.account.clientSecret,
      redirectUri: sim.account.redirectUri,
      webhook,
      vehicles,
      simulator: true,
    };
    delete account.certificate;
    if (fleet) {
      account.fleetId = sim.account.fleetId;
      account.username = sim.account.username;
      account.password = sim.account.password;
    }
    return { sim, account, client: clientFor(sim, account, logger) };
  } catch (err) {
    await sim.stop();
    throw err;
  }
}

function clientFor(sim: RunningSimulator, account: ResolvedAccountConfig, logger: Logger): StellantisClient {
  if (account.flavour === 'b2b') return new StellantisClient(account, { logger });
  const issued = sim.issueTokens();
  const store = new MemoryTokenStore({
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token,
    expiresAt: Date.now() + issued.expires_in * 1000,
  });
  const tokens = new OAuthTokenProvider({
    oauth: { oauthUrl: sim.oauthUrl, clientId: account.clientId, clientSecret: account.clientSecret ?? '', realm: account.realm },
    store,
    logger,
  });
  return new StellantisClient(account, { tokens, logger });
}
