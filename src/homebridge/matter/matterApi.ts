/**
 * The part of Homebridge 2's `api.matter` this plugin uses, declared here because the project
 * builds against Homebridge 1's types (which have no Matter). The shapes are those of Homebridge
 * 2.1–2.4's `dist/api.d.ts` and `dist/matter/types.d.ts` (MatterAPI, MatterAccessory); device types
 * are matter.js endpoint types, opaque to the plugin. Nothing here is a runtime import of Homebridge.
 */
import type { API } from 'homebridge';

/** A matter.js endpoint type (api.matter.deviceTypes.*), passed through untouched. */
export type MatterDeviceType = object;

/** A matter.js cluster behaviour; `with(...features)` picks its features (unknown names are ignored). */
export interface MatterBehavior {
  with(...features: string[]): MatterBehavior;
}

/** A matter.js endpoint type whose cluster features the plugin picks (MutableEndpoint). */
export interface MatterComposableType {
  with(...behaviors: MatterBehavior[]): MatterDeviceType;
  readonly requirements?: { readonly OccupancySensingServer?: MatterBehavior };
}

export type MatterCommandHandler = (args?: unknown) => Promise<void> | void;

/** What this plugin keeps in a Matter accessory's context (Homebridge caches it between runs). */
export interface MatterContext {
  vehicleId?: string;
  /** The car function this accessory is ('doors', 'climate', 'charging', 'horn', ...). */
  fn?: string;
  /** Learnt from the first status that tells, as for HAP: charging is for plug-in cars. */
  kind?: 'electric' | 'thermal';
  /** Toggles whose state the car does not report (immobilizer, stolen): the last known one. */
  on?: boolean;
  /** The last charge limit set, restored when the fan is switched on again without a percentage. */
  chargeLimit?: number;
}

/** Homebridge's MatterAccessory (registered, cached and restored through configureMatterAccessory). */
export interface MatterAccessory {
  UUID: string;
  displayName: string;
  deviceType: MatterDeviceType;
  serialNumber: string;
  manufacturer: string;
  model: string;
  firmwareRevision?: string;
  context: MatterContext;
  clusters?: Record<string, Record<string, unknown>>;
  handlers?: Record<string, Record<string, MatterCommandHandler>>;
}

export interface MatterApi {
  readonly uuid: { generate(data: string): string };
  readonly deviceTypes: {
    readonly DoorLock: MatterDeviceType;
    readonly OnOffSwitch: MatterDeviceType;
    readonly ContactSensor: MatterDeviceType;
    /** matter.js's FanDevice (0x2b): the charge limit. */
    readonly Fan: MatterDeviceType;
    /** matter.js's OccupancySensor (0x107), whatever Homebridge calls it. */
    readonly MotionSensor: MatterDeviceType & MatterComposableType;
  };
  /** Homebridge 2.4+: the requirements behind the feature-gated device types. */
  readonly deviceRequirements?: { readonly MotionSensor?: { readonly OccupancySensingServer?: MatterBehavior } };
  registerPlatformAccessories(plugin: string, platform: string, accessories: MatterAccessory[]): Promise<void>;
  updatePlatformAccessories(accessories: MatterAccessory[]): Promise<void>;
  unregisterPlatformAccessories(plugin: string, platform: string, accessories: MatterAccessory[]): Promise<void>;
  updateAccessoryState(uuid: string, cluster: string, attributes: Record<string, unknown>): Promise<void>;
}

interface MatterCapableApi {
  isMatterEnabled?: () => boolean;
  matter?: MatterApi;
}

/** api.matter when this bridge has Matter enabled; undefined on Homebridge 1.x or with Matter off. */
export function matterOf(api: API): MatterApi | undefined {
  const capable = api as API & MatterCapableApi;
  if (typeof capable.isMatterEnabled !== 'function' || !capable.isMatterEnabled()) return undefined;
  return capable.matter;
}

const occupancyTypes = new WeakMap<MatterApi, MatterDeviceType>();

/**
 * The OccupancySensor for the car's senses (at home, plugged in). Since Matter 1.4 its
 * OccupancySensing cluster must say how it senses: PhysicalContact (the nearest to a plug and to a
 * zone the car reports; Matter has no geofence kind), plus OccupancyEvent where matter.js knows it
 * (0.17.9, Homebridge 2.4: the OccupancyChanged event; 0.17.1 ignores the name). Homebridge 2.1
 * gives the bare type (matter.js logs an error without features), 2.4 one with PassiveInfrared.
 */
export function occupancySensorType(matter: MatterApi): MatterDeviceType {
  const known = occupancyTypes.get(matter);
  if (known) return known;
  const base = matter.deviceTypes.MotionSensor;
  const server = matter.deviceRequirements?.MotionSensor?.OccupancySensingServer ?? base.requirements?.OccupancySensingServer;
  const type = server && typeof base.with === 'function' ? base.with(server.with('PhysicalContact', 'OccupancyEvent')) : base;
  occupancyTypes.set(matter, type);
  return type;
}

/**
 * Homebridge composes a PowerSource (battery) on any device type from 2.4 on; 2.1 does it for robot
 * vacuums only, and a PowerSource elsewhere fails the registration.
 */
export function powerSourceAllowed(api: API): boolean {
  return api.versionGreaterOrEqual?.('2.4.0') === true;
}
