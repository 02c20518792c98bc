/**
 * The Homebridge dynamic platform: reads the config (one line per problem, nothing started when it
 * is invalid or empty), restores cached accessories, creates one accessory per new vehicle (one
 * batch), removes those of vehicles no longer configured (one batch), and hands each car's state
 * changes to its accessory. It never throws into Homebridge: every error is caught and logged.
 */
import * as path from 'node:path';
import type { API, DynamicPlatformPlugin, Logging, PlatformConfig } from 'homebridge';
import type { ResolvedAccountConfig } from '../config/validate';
import { StellantisAccount } from '../engine/stellantisAccount';
import type { ChargeLimitEvent, VehicleCapabilitiesChange, VehicleStateChange } from '../engine/types';
import type { RunningSimulator } from '../simulator';
import { BRAND_INFO } from '../stellantis/brands';
import { errorText } from '../util/errorText';
import type { Logger } from '../util/logger';
import type { VehicleContext, VehiclePlatformAccessory } from './accessoryContext';
import { type BuiltInSimulator, startBuiltInSimulator } from './builtInSimulator';
import { inHomebridgeTerms } from './homebridgeTerms';
import type { MatterAccessory } from './matter/matterApi';
import { MatterBridge } from './matter/matterBridge';
import { type PlatformSettings, readPlatformConfig } from './platformConfig';
import { homeKitName } from './serviceKit';
import { PLATFORM_NAME, PLUGIN_NAME, STORAGE_SUBDIR } from './settings';
import { VehicleAccessory } from './vehicleAccessory';

export class StellantisPlatform implements DynamicPlatformPlugin {
  /** Accessories restored from Homebridge's cache, by UUID. */
  private readonly cached = new Map<string, VehiclePlatformAccessory>();
  private readonly vehicles = new Map<string, VehicleAccessory>();
  private readonly settings?: PlatformSettings;
  private readonly coreLog: Logger;
  private running?: StellantisAccount;
  private sim?: RunningSimulator;
  private stopping = false;
  private stopped?: Promise<void>;
  private launched: Promise<void> = Promise.resolve();
  /** The cars over Matter too, when the bridge has Matter enabled (Homebridge 2). */
  private readonly matter?: MatterBridge;

  constructor(
    private readonly log: Logging,
    config: PlatformConfig,
    private readonly api: API,
  ) {
    this.coreLog = {
      debug: (m) => log.debug('%s', inHomebridgeTerms(m)),
      info: (m) => log.info('%s', inHomebridgeTerms(m)),
      warn: (m) => log.warn('%s', inHomebridgeTerms(m)),
      error: (m) => log.error('%s', inHomebridgeTerms(m)),
    };
    const read = safely(() => readPlatformConfig(config, api.user.storagePath()), (err) => {
      log.error(`could not read the configuration: ${errorText(err)}`);
    });
    if (read?.kind === 'unconfigured') {
      log.warn('not configured yet: open the plugin settings and enter your Stellantis API access and vehicles, or turn on "Simulator" to try it with a simulated car');
    } else if (read?.kind === 'invalid') {
      for (const p of read.problems) log.error(`config ${p.key}: ${inHomebridgeTerms(p.message)}`);
      log.error(`nothing started: fix the ${read.problems.length === 1 ? 'problem' : `${read.problems.length} problems`} above in the plugin settings, then restart Homebridge`);
    } else if (read?.kind === 'ready') {
      this.settings = read.settings;
    }
    this.matter = safely(() => MatterBridge.of(api, log), (err) => log.error(`Matter: ${errorText(err)}`));
    api.on('didFinishLaunching', () => {
      this.launched = this.launch().catch((err: unknown) => log.error(`could not start: ${inHomebridgeTerms(errorText(err))}`));
    });
    api.on('shutdown', () => {
      this.shutdown().catch((err: unknown) => log.error(`error while stopping: ${errorText(err)}`));
    });
  }

  /** Homebridge restores each cached accessory here, before didFinishLaunching. */
  configureAccessory(accessory: VehiclePlatformAccessory): void {
    this.cached.set(accessory.UUID, accessory);
  }

  /** Homebridge 2 restores each cached Matter accessory here (only on bridges with Matter enabled). */
  configureMatterAccessory(accessory: MatterAccessory): void {
    this.matter?.configure(accessory);
  }

  /** The Matter face, when the bridge has Matter enabled. */
  get matterBridge(): MatterBridge | undefined {
    return this.matter;
  }

  /** Settles once the launch that follows didFinishLaunching is over (tests and diagnostics). */
  whenLaunched(): Promise<void> {
    return this.launched;
  }

  /** The account in use once launched. */
  get account(): StellantisAccount | undefined {
    return this.running;
  }

  /** The built-in simulator, when `simulator: true`. */
  get simulator(): RunningSimulator | undefined {
    return this.sim;
  }

  /** Stops the account (remotes in flight stay saved and are followed after a restart) and the simulator. */
  shutdown(): Promise<void> {
    this.stopped ??= this.stop();
    return this.stopped;
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    await this.launched;
    const account = this.running;
    const sim = this.sim;
    this.running = undefined;
    this.sim = undefined;
    // The account's stop closes its API client too.
    if (account) await account.stop();
    if (sim) await sim.stop();
  }

  private async launch(): Promise<void> {
    const settings = this.settings;
    if (!settings) return; // already explained; cached accessories stay as they are
    const storageDir = path.join(this.api.user.storagePath(), STORAGE_SUBDIR);
    let config = settings.accountConfig;
    let manufacturer = config.brand ? BRAND_INFO[config.brand].manufacturer : 'Stellantis';
    let tokenStore: BuiltInSimulator['tokenStore'];
    if (config.simulator) {
      const built = await startBuiltInSimulator(settings, this.coreLog);
      this.sim = built.sim;
      config = built.config;
      tokenStore = built.tokenStore;
      manufacturer = BRAND_INFO.peugeot.manufacturer;
      this.log.info(`simulator running at ${built.sim.url} with ${config.vehicles.length} simulated vehicle(s); nothing is sent to Stellantis`);
    }
    if (this.stopping) {
      await this.sim?.stop();
      this.sim = undefined;
      return;
    }

    const account = new StellantisAccount({
      config,
      storageDir,
      logger: this.coreLog,
      ...(tokenStore ? { tokenStore } : {}),
      webhook: { mode: 'listen' },
    });
    this.running = account;
    account.on('state', (change: VehicleStateChange) => {
      this.matter?.update(change);
      const vehicle = this.vehicles.get(change.vehicleId);
      if (!vehicle) return;
      safely(() => vehicle.update(change.state), (err) => this.log.error(`${change.vehicleId}: could not update HomeKit: ${errorText(err)}`));
    });

    account.on('chargeLimit', (e: ChargeLimitEvent) => {
      const vehicle = this.vehicles.get(e.vehicleId);
      if (e.kind === 'stopped') this.log.info(`${e.vehicleId}: ${e.text}`);
      if (e.kind === 'not-stopped') this.log.warn(`${e.vehicleId}: ${e.text}`);
      this.matter?.chargeLimitChanged(e.vehicleId);
      if (vehicle) safely(() => vehicle.update(account.stateOf(e.vehicleId)), (err) => this.log.error(`${e.vehicleId}: could not update HomeKit: ${errorText(err)}`));
    });

    account.on('capabilities', (change: VehicleCapabilitiesChange) => {
      this.matter?.capabilitiesChanged(change.vehicleId);
      const vehicle = this.vehicles.get(change.vehicleId);
      if (!vehicle) return;
      safely(() => vehicle.capabilitiesChanged(), (err) => this.log.error(`${change.vehicleId}: could not update HomeKit: ${errorText(err)}`));
    });

    this.syncAccessories(account, config, settings, manufacturer);
    try {
      await account.start();
    } finally {
      // Matter once the account has started: the saved states and charge limits and what each car can
      // do are known, so the first registration is the right set (Homebridge adds the accessories one
      // by one after registerPlatformAccessories returns: one removed at once would be missed).
      if (!this.stopping) void this.matter?.sync(account, { config, manufacturer, lowBatteryThreshold: settings.lowBatteryThreshold, isStopping: () => this.stopping });
    }
    this.log.info(`ready: ${config.vehicles.length} vehicle(s), notifications at ${account.webhookTarget}`);
  }

  /** Cached accessories bound to their vehicle, new ones registered in one batch, stale ones removed in one batch. */
  private syncAccessories(account: StellantisAccount, config: ResolvedAccountConfig, settings: PlatformSettings, manufacturer: string): void {
    const created: VehiclePlatformAccessory[] = [];
    const restored: VehiclePlatformAccessory[] = [];
    const wanted = new Set<string>();
    for (const vehicle of config.vehicles) {
      const uuid = this.api.hap.uuid.generate(`${PLUGIN_NAME}:${vehicle.id}`);
      wanted.add(uuid);
      const name = homeKitName(vehicle.name);
      let accessory = this.cached.get(uuid);
      if (accessory) {
        restored.push(accessory);
        if (accessory.displayName !== name) accessory.updateDisplayName(name);
      } else {
        accessory = new this.api.platformAccessory<VehicleContext>(name, uuid, this.api.hap.Categories.OTHER);
        created.push(accessory);
      }
      const bound = safely(
        () => new VehicleAccessory(this.api, this.log, account, accessory, {
          vehicle,
          flavour: config.flavour,
          manufacturer,
          lowBatteryThreshold: settings.lowBatteryThreshold,
          lowAuxBatteryPercent: settings.accountConfig.lowAuxBatteryPercent,
          severalVehicles: config.vehicles.length > 1,
          isStopping: () => this.stopping,
        }),
        (err) => this.log.error(`${vehicle.name}: could not set up the accessory: ${errorText(err)}`),
      );
      if (bound) this.vehicles.set(vehicle.id, bound);
    }
    const stale = [...this.cached.values()].filter((a) => !wanted.has(a.UUID));
    if (created.length > 0) {
      this.api.registerPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, created);
      this.log.info(`added ${created.map((a) => a.displayName).join(', ')}`);
    }
    if (restored.length > 0) this.api.updatePlatformAccessories(restored);
    if (stale.length > 0) {
      this.api.unregisterPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, stale);
      for (const a of stale) this.cached.delete(a.UUID);
      this.log.info(`removed ${stale.map((a) => a.displayName).join(', ')} (no longer configured)`);
    }
  }
}

function safely<T>(fn: () => T, onError: (err: unknown) => void): T | undefined {
  try {
    return fn();
  } catch (err) {
    onError(err);
    return undefined;
  }
}
