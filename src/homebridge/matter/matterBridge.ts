/**
 * The cars over Matter, beside HAP, when the bridge has Matter enabled (Homebridge 2). Cached Matter
 * accessories are restored through configureMatterAccessory, every wanted one is (re-)registered
 * with its handlers in one batch (Homebridge keeps handlers out of its cache), the others are
 * unregistered in one batch, again whenever a car's kind or capabilities change. The cars' state changes reach them from the same account as HAP's.
 * Nothing here throws into Homebridge or stops HAP: errors are logged.
 */
import type { API, Logging } from 'homebridge';
import type { ResolvedAccountConfig } from '../../config/validate';
import type { AccountHandle, VehicleStateChange } from '../../engine/types';
import { errorText } from '../../util/errorText';
import { AccessoryRemoteSender } from '../accessoryRemoteSender';
import { pluginVersion } from '../pluginVersion';
import { PLATFORM_NAME, PLUGIN_NAME } from '../settings';
import { type MatterAccessory, type MatterApi, matterOf, powerSourceAllowed } from './matterApi';
import type { MatterControl } from './matterControl';
import { MatterVehicle } from './matterVehicle';

export interface MatterSyncSetup {
  config: ResolvedAccountConfig;
  manufacturer: string;
  lowBatteryThreshold: number;
  isStopping(): boolean;
}

export class MatterBridge {
  private readonly cached = new Map<string, MatterAccessory>();
  private readonly cars = new Map<string, MatterVehicle>();
  /** What is on the bridge now, by UUID. */
  private readonly registered = new Map<string, MatterControl>();
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    private readonly api: API,
    private readonly matter: MatterApi,
    private readonly log: Logging,
  ) {}

  /** The Matter face, or undefined on Homebridge 1.x and on bridges without Matter. */
  static of(api: API, log: Logging): MatterBridge | undefined {
    const matter = matterOf(api);
    return matter ? new MatterBridge(api, matter, log) : undefined;
  }

  /** Homebridge restores each cached Matter accessory here. */
  configure(accessory: MatterAccessory): void {
    this.cached.set(accessory.UUID, accessory);
  }

  /** Builds every car's accessories, registers them and removes the cached ones no longer wanted. */
  sync(account: AccountHandle, setup: MatterSyncSetup): Promise<void> {
    try {
      this.createCars(account, setup);
    } catch (err) {
      this.log.error(`Matter: could not set up the accessories: ${errorText(err)}`);
      return Promise.resolve();
    }
    return this.reconcile();
  }

  private createCars(account: AccountHandle, setup: MatterSyncSetup): void {
    const { config } = setup;
    for (const vehicle of config.vehicles) {
      const ctx = {
        matter: this.matter,
        log: this.log,
        account,
        vehicleId: vehicle.id,
        sender: new AccessoryRemoteSender(account, vehicle.id, this.log, setup.isStopping),
      };
      this.cars.set(vehicle.id, new MatterVehicle(ctx, {
        vehicle,
        flavour: config.flavour,
        manufacturer: setup.manufacturer,
        firmwareRevision: pluginVersion(),
        lowBatteryThreshold: setup.lowBatteryThreshold,
        severalVehicles: config.vehicles.length > 1,
        powerSource: powerSourceAllowed(this.api),
        cached: this.cached,
      }));
    }
  }

  /** A car's state changed: its accessories follow, and appear or go when its kind became known. */
  update(change: VehicleStateChange): void {
    const car = this.cars.get(change.vehicleId);
    if (!car) return;
    try {
      if (car.update(change.state)) void this.reconcile();
    } catch (err) {
      this.log.error(`${change.vehicleId}: could not update Matter: ${errorText(err)}`);
    }
  }

  /** What the car can do became known or changed: its accessories it cannot use go, the others (re)appear. */
  capabilitiesChanged(vehicleId: string): void {
    if (this.cars.has(vehicleId)) void this.reconcile();
  }

  /** The car's charge limit changed: its fan follows. */
  chargeLimitChanged(vehicleId: string): void {
    try {
      this.cars.get(vehicleId)?.chargeLimitChanged();
    } catch (err) {
      this.log.error(`${vehicleId}: could not update Matter: ${errorText(err)}`);
    }
  }

  /** Settles once the registrations asked so far are done (tests and diagnostics). */
  whenSettled(): Promise<void> {
    return this.queue;
  }

  private reconcile(): Promise<void> {
    this.queue = this.queue.then(() => this.apply()).catch((err: unknown) => this.log.error(`Matter: ${errorText(err)}`));
    return this.queue;
  }

  private async apply(): Promise<void> {
    const wanted = new Map<string, MatterControl>();
    for (const car of this.cars.values()) for (const control of car.accessories()) wanted.set(control.uuid, control);
    const added = [...wanted.values()].filter((c) => !this.registered.has(c.uuid));
    const stale = [
      ...[...this.registered.values()].filter((c) => !wanted.has(c.uuid)).map((c) => c.accessory),
      ...[...this.cached.values()].filter((a) => !wanted.has(a.UUID) && !this.registered.has(a.UUID)),
    ];
    if (stale.length > 0) {
      await this.matter.unregisterPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, stale);
      for (const a of stale) {
        this.cached.delete(a.UUID);
        this.registered.delete(a.UUID);
      }
      this.log.info(`Matter: removed ${stale.map((a) => a.displayName).join(', ')} (no longer configured, or the car cannot do it)`);
    }
    if (added.length > 0) {
      await this.matter.registerPlatformAccessories(PLUGIN_NAME, PLATFORM_NAME, added.map((c) => c.accessory));
      for (const c of added) {
        this.registered.set(c.uuid, c);
        c.registered();
      }
      const restored = added.filter((c) => this.cached.has(c.uuid)).length;
      this.log.info(`Matter: ${added.map((c) => c.accessory.displayName).join(', ')}${restored > 0 ? ` (${restored} restored from the cache)` : ''}`);
    }
  }
}
