/**
 * The part of Homebridge 2's `api.matter` this plugin uses, declared here because the project
 * builds against Homebridge 1's types (which have no Matter). The shapes are those of Homebridge
 * 2.1–2.4's `dist/api.d.ts` and `dist/matter/types.d.ts` (MatterAPI, MatterAccessory); device types
 * are matter.js endpoint types, opaque to the plugin. Nothing here is a runtime import of Homebridge.
 */
import type { API } from 'homebridge';

/** A matter.js endpoint type (api.matter.deviceTypes.*), passed through untouched. */
export type MatterDeviceType = object;

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
  readonly deviceTypes: { readonly DoorLock: MatterDeviceType; readonly OnOffSwitch: MatterDeviceType };
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

/**
 * Homebridge composes a PowerSource (battery) on any device type from 2.4 on; 2.1 does it for robot
 * vacuums only, and a PowerSource elsewhere fails the registration.
 */
export function powerSourceAllowed(api: API): boolean {
  return api.versionGreaterOrEqual?.('2.4.0') === true;
}
