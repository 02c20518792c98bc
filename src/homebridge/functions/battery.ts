/**
 * The traction battery as a Service.Battery (level, charging state, low under the configured
 * threshold). Read only. Until the car reports a level the last shown one is kept and never flagged low.
 */
import type { Service } from 'homebridge';
import type { VehicleState } from '../../stellantis/vehicleState';
import { batteryLevelOf, chargingStateOf, lowBatteryOf } from '../hapValues';
import { type FunctionContext, type VehicleFunction, ensureService } from '../serviceKit';

export class TractionBattery implements VehicleFunction {
  readonly service: Service;

  constructor(
    private readonly ctx: FunctionContext,
    name: string,
    private readonly lowThreshold: number,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.Battery, 'battery', name);
    const level = this.service.getCharacteristic(Characteristic.BatteryLevel);
    level.onGet(() => batteryLevelOf(this.state()) ?? level.value ?? 0);
    this.service.getCharacteristic(Characteristic.ChargingState).onGet(() => chargingStateOf(this.state()));
    this.service.getCharacteristic(Characteristic.StatusLowBattery).onGet(() => lowBatteryOf(this.state(), this.lowThreshold));
    this.update(this.state());
  }

  update(state: VehicleState): void {
    const { Characteristic } = this.ctx.api.hap;
    const level = batteryLevelOf(state);
    if (level !== undefined) this.service.updateCharacteristic(Characteristic.BatteryLevel, level);
    this.service.updateCharacteristic(Characteristic.ChargingState, chargingStateOf(state));
    this.service.updateCharacteristic(Characteristic.StatusLowBattery, lowBatteryOf(state, this.lowThreshold));
  }

  private state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }
}
