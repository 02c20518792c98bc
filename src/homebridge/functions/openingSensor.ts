/**
 * An opening as a ContactSensor (read only): "Car Boot" (the Trunk) and "Car Windows" (any window or
 * the roof). Open is NOT_DETECTED (no contact), as for a door sensor at home, so the Home app shows
 * "Open" and can notify and trigger automations. Until the car reports the opening the sensor shows
 * closed with StatusActive false (HomeKit's "not reporting"), never a guessed open.
 */
import type { Service } from 'homebridge';
import type { VehicleState } from '../../stellantis/vehicleState';
import { contactOf } from '../hapValues';
import { type FunctionContext, type VehicleFunction, ensureService } from '../serviceKit';

export interface OpeningSensorSpec {
  subtype: string;
  name: string;
  /** Open, closed, or undefined when the car did not report it. */
  read: (state: VehicleState) => boolean | undefined;
}

export class OpeningSensor implements VehicleFunction {
  readonly service: Service;

  constructor(
    private readonly ctx: FunctionContext,
    private readonly spec: OpeningSensorSpec,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.ContactSensor, spec.subtype, spec.name);
    this.service.getCharacteristic(Characteristic.ContactSensorState).onGet(() => contactOf(spec.read(this.state())));
    this.service.getCharacteristic(Characteristic.StatusActive).onGet(() => spec.read(this.state()) !== undefined);
    this.update(this.state());
  }

  update(state: VehicleState): void {
    const { Characteristic } = this.ctx.api.hap;
    const open = this.spec.read(state);
    this.service.updateCharacteristic(Characteristic.ContactSensorState, contactOf(open));
    this.service.updateCharacteristic(Characteristic.StatusActive, open !== undefined);
  }

  private state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }
}
