/**
 * One car over Matter: one bridged Matter accessory per function (a device each in Google Home,
 * Alexa, SmartThings and Apple Home, named as over HAP: "Car Doors", "Car Climate"...). Which
 * functions appear follows the same rules as HAP: the vehicle's features, plug-in cars only for
 * charging, fleet only for immobilization and stolen, one switch per navigation destination.
 * The read-only sensors too: boot and windows (features), at home (vehicles[].home), plugged in
 * (with charging). The alarm has no Matter device type (Matter has no security system), so it
 * stays on HAP only. The traction battery rides on the charging switch (or the doors, without charging) as a
 * PowerSource where Homebridge allows it (2.4 and later).
 */
import type { ResolvedVehicleConfig } from '../../config/validate';
import type { RemoteAction } from '../../stellantis/actions';
import type { Flavour } from '../../stellantis/wire';
import type { VehicleState } from '../../stellantis/vehicleState';
import { verbPhrase } from '../../vocabulary/actionPhrases';
import { chargingOn, isElectric, preconditioningOn } from '../hapValues';
import { carFunctions } from '../carFunctions';
import { homeKitName } from '../serviceKit';
import { PLUGIN_NAME } from '../settings';
import type { MatterAccessory, MatterContext } from './matterApi';
import { type MatterFunctionContext, type MatterIdentity, MatterControl } from './matterControl';
import { MatterChargeLimit } from './matterChargeLimit';
import { MatterDoorLock } from './matterDoorLock';
import { contactSensor, occupancySensor } from './matterSensors';
import { MatterMomentary, MatterToggle } from './matterSwitches';
import { powerSourceOf } from './matterValues';

export interface MatterVehicleSetup {
  vehicle: ResolvedVehicleConfig;
  flavour: Flavour;
  manufacturer: string;
  firmwareRevision: string;
  lowBatteryThreshold: number;
  severalVehicles: boolean;
  /** Homebridge composes a PowerSource on this device type (2.4+). */
  powerSource: boolean;
  /** Cached accessories Homebridge restored, by UUID. */
  cached: ReadonlyMap<string, MatterAccessory>;
}

/** Matter limits names and serial numbers to 32 characters. */
const MATTER_TEXT = 32;

export function matterUuid(ctx: Pick<MatterFunctionContext, 'matter'>, vehicleId: string, fn: string): string {
  return ctx.matter.uuid.generate(`${PLUGIN_NAME}:${vehicleId}:matter:${fn}`);
}

export class MatterVehicle {
  private readonly controls = new Map<string, MatterControl>();
  private kind: MatterContext['kind'];

  constructor(
    private readonly ctx: MatterFunctionContext,
    private readonly setup: MatterVehicleSetup,
  ) {
    this.kind = this.kindOf(ctx.account.stateOf(ctx.vehicleId)) ?? this.cachedKind();
  }

  /** The accessories this car has now (created on first call, kept after). */
  accessories(): MatterControl[] {
    const wanted = this.wanted();
    for (const fn of [...this.controls.keys()]) if (!wanted.has(fn)) this.controls.delete(fn);
    for (const [fn, create] of wanted) if (!this.controls.has(fn)) this.controls.set(fn, create());
    return [...this.controls.values()];
  }

  /** The charge limit changed (set, cleared, or the file changed): the fan follows. */
  chargeLimitChanged(): void {
    this.controls.get('chargeLimit')?.update(this.ctx.account.stateOf(this.ctx.vehicleId));
  }

  /** The car's state changed; true when its kind became known (the set of accessories may change). */
  update(state: VehicleState): boolean {
    const kind = this.kindOf(state);
    const changed = kind !== undefined && kind !== this.kind;
    if (changed) this.kind = kind;
    for (const control of this.controls.values()) {
      if (kind) control.accessory.context.kind = kind;
      control.update(state);
    }
    return changed;
  }

  private kindOf(state: VehicleState): MatterContext['kind'] {
    const electric = isElectric(state);
    return electric === undefined ? undefined : electric ? 'electric' : 'thermal';
  }

  private cachedKind(): MatterContext['kind'] {
    for (const a of this.setup.cached.values()) {
      if (a.context.vehicleId === this.ctx.vehicleId && a.context.kind) return a.context.kind;
    }
    return undefined;
  }

  private identity(fn: string, label: string): MatterIdentity {
    const v = this.setup.vehicle;
    const uuid = matterUuid(this.ctx, v.id, fn);
    const suffix = fn.replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
    return {
      uuid,
      name: label.slice(0, MATTER_TEXT).trim(),
      serialNumber: `${(v.vin ?? v.id).slice(0, MATTER_TEXT - suffix.length - 1)}-${suffix}`,
      manufacturer: this.setup.manufacturer.slice(0, MATTER_TEXT),
      model: (v.model ?? 'Connected car').slice(0, MATTER_TEXT),
      firmwareRevision: this.setup.firmwareRevision,
      context: { ...this.setup.cached.get(uuid)?.context, ...(this.kind ? { kind: this.kind } : {}) },
    };
  }

  private wanted(): Map<string, () => MatterControl> {
    const ctx = this.ctx;
    const v = this.setup.vehicle;
    const f = carFunctions(v, ctx.account.capabilitiesOf(v.id));
    const name = homeKitName(v.name);
    const plugIn = this.kind !== 'thermal';
    const fleet = this.setup.flavour === 'b2b';
    const wanted = new Map<string, () => MatterControl>();
    const charging = f.charging && plugIn;
    const battery = f.battery && plugIn && this.setup.powerSource;
    const powerSource = (state: VehicleState): Record<string, Record<string, unknown>> => ({
      powerSource: powerSourceOf(state, this.setup.lowBatteryThreshold, `${name} Battery`.slice(0, 60)),
    });
    const toggle = (fn: string, label: string, action: (on: boolean) => RemoteAction, read?: (s: VehicleState) => boolean | undefined, withBattery = false): void => {
      wanted.set(fn, () => new MatterToggle(ctx, this.identity(fn, label), { fn, action, ...(read ? { read } : {}), ...(withBattery ? { extra: powerSource } : {}) }));
    };
    const momentary = (fn: string, label: string, action: RemoteAction, verb = verbPhrase(action)): void => {
      wanted.set(fn, () => new MatterMomentary(ctx, this.identity(fn, label), { fn, action, verb }));
    };

    if (f.doors) {
      const extra = battery && !charging ? powerSource(ctx.account.stateOf(v.id)) : {};
      wanted.set('doors', () => new MatterDoorLock(ctx, this.identity('doors', `${name} Doors`), extra));
    }
    // Preconditioning is an on/off switch, not a Thermostat: the car takes on/off only, no temperature
    // and no mode, so a thermostat's setpoint and heat/cool modes would offer controls that do nothing.
    if (f.preconditioning) toggle('climate', `${name} Climate`, (on) => ({ kind: 'precondition', on }), preconditioningOn);
    if (charging) toggle('charging', `${name} Charging`, (on) => ({ kind: 'charge', on }), chargingOn, battery);
    if (f.boot) wanted.set('boot', () => contactSensor(ctx, this.identity('boot', `${name} Boot`), 'boot'));
    if (f.windows) wanted.set('windows', () => contactSensor(ctx, this.identity('windows', `${name} Windows`), 'windows'));
    if (v.home) wanted.set('home', () => occupancySensor(ctx, this.identity('home', `${name} at Home`), 'home'));
    if (charging) wanted.set('plugged', () => occupancySensor(ctx, this.identity('plugged', `${name} Plugged In`), 'plugged'));
    if (f.chargeLimit && plugIn) wanted.set('chargeLimit', () => new MatterChargeLimit(ctx, this.identity('chargeLimit', `${name} Charge Limit`)));
    // features.alarm: nothing here (no Matter device type for an alarm; see docs/homebridge.md).
    if (f.lights) momentary('lights', `${name} Lights`, { kind: 'lights' });
    if (f.horn) momentary('horn', `${name} Horn`, { kind: 'horn' });
    if (f.refresh) momentary('refresh', `${name} Refresh`, { kind: 'refresh' });
    if (f.immobilization && fleet) toggle('immobilizer', `${name} Immobilizer`, (on) => ({ kind: 'immobilize', on }));
    if (f.stolen && fleet) toggle('stolen', `${name} Stolen`, (on) => ({ kind: 'stolen', on }));
    for (const destination of f.destinations) {
      let fn = `navigate:${destination.name.toLowerCase()}`;
      for (let i = 2; wanted.has(fn); i++) fn = `navigate:${destination.name.toLowerCase()}#${i}`;
      const label = homeKitName(destination.name, 'Destination');
      const action: RemoteAction = { kind: 'navigate', points: destination.points };
      momentary(fn, this.setup.severalVehicles ? `Navigate ${name} to ${label}` : `Navigate to ${label}`, action, verbPhrase(action, destination.name));
    }
    return wanted;
  }
}
