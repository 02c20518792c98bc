/**
 * ONE ACCESSORY PER VEHICLE, ONE SERVICE PER FUNCTION.
 *
 * Why not one accessory per function: a car is one thing in the house, and HomeKit treats an
 * accessory as one device — one room, one "Not Responding", one set of information (VIN, model).
 * Splitting it would give 8 or more accessories per car, each to place in a room and to keep
 * together by hand, and 20 cars would pass HAP's limit of 149 accessories on a bridge. A Battery
 * service also only shows inside an accessory that does something else (it has no tile of its own).
 *
 * The cost of one accessory is naming: since iOS 16 the Home app shows a service without
 * ConfiguredName under the accessory's name, so every function would be called "Car". So every
 * service gets Name and ConfiguredName, set once when created ("Car Doors", "Car Climate",
 * "Car Charging", "Car Battery", "Car Lights", "Car Horn", "Car Refresh", "Car Immobilizer",
 * "Car Stolen", "Navigate to Work"); a rename in the Home app is kept (we only update a name that
 * still is the one we gave). The vehicle name is part of each service name because Siri matches
 * service names across the whole home: "Hey Siri, lock Car Doors", "turn on Car Climate",
 * "turn on Car Horn" stay unambiguous with two cars. Navigation switches read as commands
 * ("Hey Siri, turn on Navigate to Work") and get the vehicle name only when several vehicles are
 * configured ("Navigate Car to Work"). iOS shows the services of one accessory grouped in one tile
 * by default; "Show as Separate Tiles" in the accessory settings splits them, each with its name.
 * The door lock is the primary service, so the grouped tile is the lock. Names keep only letters,
 * digits, spaces and apostrophes, as HAP-NodeJS 1.x (Homebridge 2) requires: "e-208" becomes "e 208".
 *
 * Immobilization is a Switch "Car Immobilizer" (on = immobilized), not a LockMechanism: as a lock it
 * would be caught by "Hey Siri, unlock everything" / "lock all the doors" and by lock scenes and the
 * lock notifications of the Home app, and a car with two lock services answers "lock the Car" twice.
 * A switch is only ever changed by name. Stolen (fleet only) is a Switch too.
 *
 * Charging (Switch) and the Battery service are for electric and plug-in cars only: they appear
 * while the car's kind is unknown or electric and are removed once its status shows fuel only.
 * The boot and "a window or the roof" are ContactSensors "Car Boot" and "Car Windows" (read only,
 * open = no contact). The 12 V battery is the traction Battery's low flag on a plug-in car, and a
 * Battery "Car 12V Battery" of its own on a thermal car once it has reported a 12 V level.
 *
 * The car's own capabilities (onboardCapabilities, read by the account) decide too: a function the
 * car says it cannot do has no service (removed from a cached accessory once that is known), the
 * charging switch included. A car that says nothing keeps every configured service, and
 * vehicles[].features still switches any of them off (carFunctions.ts: the same rule for Matter).
 */
import type { API, Logging, Service } from 'homebridge';
import type { ResolvedVehicleConfig } from '../config/validate';
import type { AccountHandle } from '../engine/types';
import type { RemoteAction } from '../stellantis/actions';
import type { Flavour } from '../stellantis/wire';
import type { VehicleState } from '../stellantis/vehicleState';
import { verbPhrase } from '../vocabulary/actionPhrases';
import type { VehicleKind, VehiclePlatformAccessory } from './accessoryContext';
import { isElectric, chargingOn, bootOpen, windowsOpen } from './hapValues';
import { TractionBattery } from './functions/battery';
import { AuxBattery } from './functions/auxBattery';
import { ChargeLimitControl } from './functions/chargeLimit';
import { OpeningSensor } from './functions/openingSensor';
import { atHome, CarAlarm, PresenceSensor, pluggedIn } from './functions/senseSensors';
import { Preconditioning } from './functions/preconditioning';
import { DoorLock } from './functions/doorLock';
import { MomentarySwitch, ToggleSwitch } from './functions/switches';
import { AccessoryRemoteSender } from './accessoryRemoteSender';
import { carFunctions } from './carFunctions';
import { type FunctionContext, type VehicleFunction, homeKitName } from './serviceKit';
import { pluginVersion } from './pluginVersion';

export interface VehicleSetup {
  vehicle: ResolvedVehicleConfig;
  flavour: Flavour;
  manufacturer: string;
  lowBatteryThreshold: number;
  /** The account's lowAuxBatteryPercent: the 12 V level shown low (and under which a refresh is refused). */
  lowAuxBatteryPercent: number;
  /** More than one vehicle configured: navigation switches carry the vehicle name. */
  severalVehicles: boolean;
  /** Homebridge is shutting down: actions cut short are not reported as failures. */
  isStopping(): boolean;
}

export class VehicleAccessory {
  private readonly functions = new Map<string, VehicleFunction>();
  private readonly ctx: FunctionContext;

  constructor(
    private readonly api: API,
    private readonly log: Logging,
    account: AccountHandle,
    readonly accessory: VehiclePlatformAccessory,
    private readonly setup: VehicleSetup,
  ) {
    const vehicleId = setup.vehicle.id;
    this.ctx = { api, log, account, vehicleId, accessory, sender: new AccessoryRemoteSender(account, vehicleId, log, setup.isStopping) };
    accessory.context.vehicleId = vehicleId;
    this.setInformation();
    this.learnKind(account.stateOf(vehicleId));
    this.build();
  }

  get vehicleId(): string {
    return this.setup.vehicle.id;
  }

  /** The car's state changed: refresh every characteristic (and the services, if its kind became known). */
  update(state: VehicleState): void {
    const kindLearnt = this.learnKind(state);
    if (this.learnAuxBattery(state) || kindLearnt) this.build();
    for (const fn of this.functions.values()) fn.update(state);
  }

  private get name(): string {
    return homeKitName(this.setup.vehicle.name);
  }

  private setInformation(): void {
    const { Service, Characteristic } = this.api.hap;
    const v = this.setup.vehicle;
    const info = this.accessory.getService(Service.AccessoryInformation) ?? this.accessory.addService(Service.AccessoryInformation);
    info
      .setCharacteristic(Characteristic.Manufacturer, this.setup.manufacturer)
      .setCharacteristic(Characteristic.Model, v.model ?? 'Connected car')
      .setCharacteristic(Characteristic.SerialNumber, v.vin ?? v.id)
      .setCharacteristic(Characteristic.FirmwareRevision, pluginVersion());
  }

  /** What the car can do became known or changed: services it cannot use go, the others (re)appear. */
  capabilitiesChanged(): void {
    this.build();
  }

  /** Records the car's kind once its status tells; true when it changed. */
  private learnKind(state: VehicleState): boolean {
    const electric = isElectric(state);
    if (electric === undefined) return false;
    const context = this.accessory.context;
    const kind: VehicleKind = electric ? 'electric' : 'thermal';
    if (context.kind === kind) return false;
    context.kind = kind;
    return true;
  }

  /** Records that the car reports a 12 V level (a thermal car's 12 V Battery service waits for it); true when new. */
  private learnAuxBattery(state: VehicleState): boolean {
    if (state.battery12v?.level === undefined || this.accessory.context.auxBattery === true) return false;
    this.accessory.context.auxBattery = true;
    return true;
  }

  /**
   * The functions configured now, by subtype (a factory each, so existing ones are kept as they are).
   * The subtypes are what cached accessories were saved with ('climate' for preconditioning,
   * 'immobilizer' for immobilization): renaming one would orphan the user's HomeKit service.
   */
  private wanted(): Map<string, () => VehicleFunction> {
    const ctx = this.ctx;
    const v = this.setup.vehicle;
    const f = carFunctions(v, ctx.account.capabilitiesOf(v.id));
    const name = this.name;
    const plugIn = this.accessory.context.kind !== 'thermal';
    const fleet = this.setup.flavour === 'b2b';
    const wanted = new Map<string, () => VehicleFunction>();
    const momentary = (subtype: string, label: string, action: RemoteAction, verb = verbPhrase(action)): void => {
      wanted.set(subtype, () => new MomentarySwitch(ctx, { subtype, name: label, action, verb }));
    };

    if (f.doors) wanted.set('doors', () => new DoorLock(ctx, `${name} Doors`));
    if (f.preconditioning) wanted.set('climate', () => new Preconditioning(ctx, `${name} Climate`));
    if (f.charging && plugIn) {
      wanted.set('charging', () => new ToggleSwitch(ctx, {
        subtype: 'charging',
        name: `${name} Charging`,
        action: (on) => ({ kind: 'charge', on }),
        read: chargingOn,
      }));
    }
    const auxLow = this.setup.lowAuxBatteryPercent;
    if (f.battery && plugIn) {
      wanted.set('battery', () => new TractionBattery(ctx, `${name} Battery`, this.setup.lowBatteryThreshold, f.auxBattery ? auxLow : undefined));
    }
    if (f.auxBattery && !plugIn && this.accessory.context.auxBattery === true) {
      wanted.set('auxBattery', () => new AuxBattery(ctx, `${name} 12V Battery`, auxLow));
    }
    if (f.boot) wanted.set('boot', () => new OpeningSensor(ctx, { subtype: 'boot', name: `${name} Boot`, read: bootOpen }));
    if (f.windows) wanted.set('windows', () => new OpeningSensor(ctx, { subtype: 'windows', name: `${name} Windows`, read: windowsOpen }));
    if (v.home) wanted.set('home', () => new PresenceSensor(ctx, { subtype: 'home', name: `${name} at Home`, read: atHome }));
    if (f.charging && plugIn) wanted.set('plugged', () => new PresenceSensor(ctx, { subtype: 'plugged', name: `${name} Plugged In`, read: pluggedIn }));
    if (f.alarm) wanted.set('alarm', () => new CarAlarm(ctx, `${name} Alarm`));
    if (f.chargeLimit && plugIn) wanted.set('chargeLimit', () => new ChargeLimitControl(ctx, `${name} Charge Limit`));
    if (f.lights) momentary('lights', `${name} Lights`, { kind: 'lights' });
    if (f.horn) momentary('horn', `${name} Horn`, { kind: 'horn' });
    if (f.refresh) momentary('refresh', `${name} Refresh`, { kind: 'refresh' });
    if (f.immobilization && fleet) {
      wanted.set('immobilizer', () => new ToggleSwitch(ctx, {
        subtype: 'immobilizer',
        name: `${name} Immobilizer`,
        action: (on) => ({ kind: 'immobilize', on }),
      }));
    }
    if (f.stolen && fleet) {
      wanted.set('stolen', () => new ToggleSwitch(ctx, {
        subtype: 'stolen',
        name: `${name} Stolen`,
        action: (on) => ({ kind: 'stolen', on }),
      }));
    }
    for (const destination of f.destinations) {
      let subtype = `navigate:${destination.name.toLowerCase()}`;
      for (let i = 2; wanted.has(subtype); i++) subtype = `navigate:${destination.name.toLowerCase()}#${i}`;
      const label = homeKitName(destination.name, 'Destination');
      const action: RemoteAction = { kind: 'navigate', points: destination.points };
      momentary(subtype, this.setup.severalVehicles ? `Navigate ${name} to ${label}` : `Navigate to ${label}`, action, verbPhrase(action, destination.name));
    }
    return wanted;
  }

  /** Creates the configured functions missing so far, and removes every other service. */
  private build(): void {
    const wanted = this.wanted();
    for (const subtype of [...this.functions.keys()]) {
      if (!wanted.has(subtype)) this.functions.delete(subtype);
    }
    for (const [subtype, create] of wanted) {
      if (!this.functions.has(subtype)) this.functions.set(subtype, create());
    }
    const services = [...this.functions.values()].map((fn) => fn.service);
    this.removeOtherServices(new Set(services));
    const primary = services[0];
    if (primary && !primary.isPrimaryService) primary.setPrimaryService(true);
  }

  private removeOtherServices(keep: ReadonlySet<Service>): void {
    const { Service } = this.api.hap;
    for (const service of [...this.accessory.services]) {
      if (service.UUID === Service.AccessoryInformation.UUID || keep.has(service)) continue;
      this.log.debug(`${this.name}: removing the service "${service.displayName}" (no longer configured, or the car cannot do it)`);
      this.accessory.removeService(service);
      const names = this.accessory.context.serviceNames;
      if (names && service.subtype !== undefined) delete names[service.subtype];
    }
  }
}
