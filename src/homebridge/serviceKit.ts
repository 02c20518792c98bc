/**
 * What every vehicle function shares: the context it runs in, a valid HomeKit name, services found
 * or added by subtype with their name set once (a rename in the Home app is kept), and StatusFault.
 */
import type { API, Characteristic, Logging, Service, WithUUID } from 'homebridge';
import type { AccountHandle } from '../engine/types';
import type { VehicleState } from '../stellantis/vehicleState';
import type { VehiclePlatformAccessory } from './accessoryContext';
import { STATUS_FAULT } from './hapValues';
import type { AccessoryRemoteSender } from './accessoryRemoteSender';

export interface FunctionContext {
  api: API;
  log: Logging;
  account: AccountHandle;
  vehicleId: string;
  accessory: VehiclePlatformAccessory;
  sender: AccessoryRemoteSender;
}

/** One function of the car exposed as one HomeKit service (the battery is the exception: no action). */
export interface VehicleFunction {
  readonly service: Service;
  /** Pushes the values the new state implies (HomeKit gets events for the ones that changed). */
  update(state: VehicleState): void;
}

/**
 * HomeKit names: letters, digits, spaces and apostrophes, starting and ending with a letter or a
 * digit (HAP-NodeJS 1.x warns otherwise, and Siri matches them best).
 */
export function homeKitName(text: string, fallback = 'Car'): string {
  const cleaned = text
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .slice(0, 64)
    .replace(/[^\p{L}\p{N}]+$/gu, '');
  return cleaned === '' ? fallback : cleaned;
}

type ServiceType = WithUUID<typeof Service>;

/**
 * The service of this type and subtype, added when missing. Name and ConfiguredName are set when the
 * service is new, and updated later only while ConfiguredName still holds the name we gave it.
 */
export function ensureService(ctx: FunctionContext, type: ServiceType, subtype: string, name: string): Service {
  const { Characteristic } = ctx.api.hap;
  const accessory = ctx.accessory;
  const existing = accessory.getServiceById(type, subtype);
  const service = existing ?? accessory.addService(type, name, subtype);
  const names = (accessory.context.serviceNames ??= {});
  if (!service.testCharacteristic(Characteristic.ConfiguredName)) {
    service.addOptionalCharacteristic(Characteristic.ConfiguredName);
  }
  const configured = service.getCharacteristic(Characteristic.ConfiguredName);
  const given = names[subtype];
  if (existing === undefined || given === undefined || configured.value === given || !configured.value) {
    configured.updateValue(name);
  }
  service.getCharacteristic(Characteristic.Name).updateValue(name);
  service.displayName = name;
  names[subtype] = name;
  return service;
}

/** StatusFault is not among these services' optional characteristics in HAP; declared so HAP-NodeJS accepts it quietly. */
export function faultCharacteristic(ctx: FunctionContext, service: Service): Characteristic {
  const { Characteristic } = ctx.api.hap;
  if (!service.testCharacteristic(Characteristic.StatusFault)) {
    service.addOptionalCharacteristic(Characteristic.StatusFault);
  }
  return service.getCharacteristic(Characteristic.StatusFault);
}

export function setFault(ctx: FunctionContext, service: Service, fault: boolean): void {
  faultCharacteristic(ctx, service).updateValue(fault ? STATUS_FAULT.GENERAL_FAULT : STATUS_FAULT.NO_FAULT);
}
