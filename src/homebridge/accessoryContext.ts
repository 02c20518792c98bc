/**
 * What this plugin keeps in a cached accessory's context (Homebridge saves it between runs). One
 * type for every field, so each function reads and writes its part without a cast.
 */
import type { PlatformAccessory } from 'homebridge';

export type VehicleKind = 'electric' | 'thermal';

export interface VehicleContext {
  vehicleId?: string;
  /** Learnt from the first status that tells: charging and battery services are for electric cars. */
  kind?: VehicleKind;
  /** Learnt from the first status with a 12 V level: a thermal car then gets its 12 V Battery service. */
  auxBattery?: boolean;
  /** The names we gave each service, by subtype, so a later rename in the Home app is left alone. */
  serviceNames?: Record<string, string>;
  /** Toggle switches' last known state, by subtype (the status does not report them all). */
  switches?: Record<string, boolean>;
  /** The preconditioning thermostat's values the car has not, kept for the Home app only (key as saved in caches). */
  climate?: { targetTemperature?: number; temperatureUnits?: number };
  /** The charge limit last set from HomeKit, shown while none is kept (switching it on again restores it). */
  chargeLimit?: number;
}

export type VehiclePlatformAccessory = PlatformAccessory<VehicleContext>;
