/**
 * `simulator: true`: the built-in simulator runs in the Homebridge process and the account is logged
 * in to it at once (tokens issued directly, kept in a memory store the account is given), so a user
 * without API access sees the whole thing work. The configured vehicles become simulated cars with
 * the same ids; with none configured, the simulator's two demo cars (stable ids) are used.
 */
import { CONFIG_DEFAULTS, type ResolvedAccountConfig, type ResolvedVehicleConfig } from '../config/validate';
import type { StellantisAccountOptions } from '../engine/stellantisAccount';
import { type RunningSimulator, type SimVehicleSeed, simulatedAccountConfig, simulatorTokenStore, startSimulator } from '../simulator';
import type { Logger } from '../util/logger';
import type { PlatformSettings } from './platformConfig';

export interface BuiltInSimulator {
  sim: RunningSimulator;
  config: ResolvedAccountConfig;
  /** B2C: the login to the simulator, for the account (none for B2B: Basic auth). */
  tokenStore?: StellantisAccountOptions['tokenStore'];
}

function seedOf(v: ResolvedVehicleConfig): SimVehicleSeed {
  const electric = v.features.charging || v.features.battery;
  const seed: SimVehicleSeed = { id: v.id, kind: electric ? 'electric' : 'thermal' };
  if (v.vin !== undefined) seed.vin = v.vin;
  if (v.model !== undefined) seed.model = v.model;
  return seed;
}

export async function startBuiltInSimulator(settings: PlatformSettings, logger: Logger): Promise<BuiltInSimulator> {
  const configured = settings.accountConfig.vehicles;
  const sim = await startSimulator({
    host: '127.0.0.1',
    port: 0,
    timeScale: settings.simulatorTimeScale,
    vehicles: configured.length > 0 ? configured.map(seedOf) : 2,
    logger: (line) => logger.debug(`simulator: ${line}`),
  });
  try {
    const fleet = settings.accountConfig.flavour === 'b2b';
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
      ...settings.accountConfig.webhook,
      host: settings.webhookHostGiven ? settings.accountConfig.webhook.host : '127.0.0.1',
      port: settings.webhookPortGiven ? settings.accountConfig.webhook.port : 0,
    };
    const config: ResolvedAccountConfig = {
      ...settings.accountConfig,
      ...simulatedAccountConfig(sim, settings.accountConfig.flavour),
      webhook,
      vehicles,
      simulator: true,
    };
    delete config.certificate;
    return fleet ? { sim, config } : { sim, config, tokenStore: simulatorTokenStore(sim) };
  } catch (err) {
    await sim.stop();
    throw err;
  }
}
