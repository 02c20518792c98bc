/**
 * The car's senses in HomeKit (read only, pushed by the monitors):
 * - "Car at Home" and "Car Plugged In": OccupancySensors, so "when the car arrives home, open the
 *   garage" and "when the car is plugged in after 22:00" are plain Home automations (detected /
 *   not detected), with StatusActive false until the car has said.
 * - "Car Alarm": a SecuritySystem. It is the service the Home app treats as an alarm: a trigger
 *   (ALARM_TRIGGERED) raises a Home notification that cannot be missed, and armed / disarmed shows
 *   beside it. The car's alarm cannot be armed through the API, so the target state is read only.
 *   A trigger counts as going off for ALARM_TRIGGER_HOLD_MS, while the alarm stays armed.
 */
import type { Service } from 'homebridge';
import type { VehicleState } from '../../stellantis/vehicleState';
import { type FunctionContext, type VehicleFunction, ensureService } from '../serviceKit';

export const ALARM_TRIGGER_HOLD_MS = 10 * 60_000;

export interface OccupancySpec {
  subtype: string;
  name: string;
  read: (state: VehicleState) => boolean | undefined;
}

export class PresenceSensor implements VehicleFunction {
  readonly service: Service;

  constructor(
    private readonly ctx: FunctionContext,
    private readonly spec: OccupancySpec,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.OccupancySensor, spec.subtype, spec.name);
    this.service.getCharacteristic(Characteristic.OccupancyDetected).onGet(() => this.value(this.state()));
    this.service.getCharacteristic(Characteristic.StatusActive).onGet(() => spec.read(this.state()) !== undefined);
    this.update(this.state());
  }

  update(state: VehicleState): void {
    const { Characteristic } = this.ctx.api.hap;
    this.service.updateCharacteristic(Characteristic.OccupancyDetected, this.value(state));
    this.service.updateCharacteristic(Characteristic.StatusActive, this.spec.read(state) !== undefined);
  }

  private value(state: VehicleState): number {
    const { Characteristic } = this.ctx.api.hap;
    return this.spec.read(state) === true ? Characteristic.OccupancyDetected.OCCUPANCY_DETECTED : Characteristic.OccupancyDetected.OCCUPANCY_NOT_DETECTED;
  }

  private state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }
}

export const atHome = (state: VehicleState): boolean | undefined => state.home?.inside;
export const pluggedIn = (state: VehicleState): boolean | undefined => state.charging?.plugged;

/** Going off: armed, and a trigger within the hold time. */
export function alarmGoingOff(state: VehicleState, now = Date.now()): boolean {
  const trigger = state.alarm?.trigger;
  return state.alarm?.armed === true && trigger !== undefined && now - Date.parse(trigger.at) < ALARM_TRIGGER_HOLD_MS;
}

export class CarAlarm implements VehicleFunction {
  readonly service: Service;

  constructor(
    private readonly ctx: FunctionContext,
    name: string,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.SecuritySystem, 'alarm', name);
    const target = this.service.getCharacteristic(Characteristic.SecuritySystemTargetState);
    target.setProps({ perms: [ctx.api.hap.Perms.PAIRED_READ, ctx.api.hap.Perms.NOTIFY] });
    target.onGet(() => this.values(this.state()).target);
    this.service.getCharacteristic(Characteristic.SecuritySystemCurrentState).onGet(() => this.values(this.state()).current);
    this.update(this.state());
  }

  update(state: VehicleState): void {
    const { Characteristic } = this.ctx.api.hap;
    const { current, target } = this.values(state);
    this.service.updateCharacteristic(Characteristic.SecuritySystemTargetState, target);
    this.service.updateCharacteristic(Characteristic.SecuritySystemCurrentState, current);
  }

  private values(state: VehicleState): { current: number; target: number } {
    const { SecuritySystemCurrentState: Current, SecuritySystemTargetState: Target } = this.ctx.api.hap.Characteristic;
    const armed = state.alarm?.armed === true;
    const target = armed ? Target.AWAY_ARM : Target.DISARM;
    if (alarmGoingOff(state)) return { current: Current.ALARM_TRIGGERED, target };
    return { current: armed ? Current.AWAY_ARM : Current.DISARMED, target };
  }

  private state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }
}
