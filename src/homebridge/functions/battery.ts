/**
 * The traction battery as a Service.Battery (level, charging state, low under the configured
 * threshold). Read only. Until the car reports a level the last shown one is kept and never flagged low.
 * With the 12 V battery shown (features.auxBattery), low also while the 12 V level is under
 * lowAuxBatteryPercent: the Home app shows one battery per accessory, and its low flag is where an
 * owner looks; the log and `stellantis status` tell which battery it is.
 */
import type { Service } from 'homebridge';
import type { VehicleState } from '../../stellantis/vehicleState';
import { LOW_BATTERY, auxBatteryLow, batteryLevelOf, chargingStateOf, lowBatteryOf } from '../hapValues';
import { type FunctionContext, type VehicleFunction, ensureService } from '../serviceKit';

export class TractionBattery implements VehicleFunction {
  readonly service: Service;

  constructor(
    private readonly ctx: FunctionContext,
    name: string,
    private readonly lowThreshold: number,
    /** lowAuxBatteryPercent, or undefined when the 12 V battery is not shown. */
    private readonly auxLowThreshold?: number,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.Battery, 'battery', name);
    const level = this.service.getCharacteristic(Characteristic.BatteryLevel);
    level.onGet(() => batteryLevelOf(this.state()) ?? level.value ?? 0);
    this.service.getCharacteristic(Characteristic.ChargingState).onGet(() => chargingStateOf(this.state()));
    this.service.getCharacteristic(Characteristic.StatusLowBattery).onGet(() => this.low(this.state()));
    this.update(this.state());
  }

  update(state: VehicleState): void {
    const { Characteristic } = this.ctx.api.hap;
    const level = batteryLevelOf(state);
    if (level !== undefined) this.service.updateCharacteristic(Characteristic.BatteryLevel, level);
    this.service.updateCharacteristic(Characteristic.ChargingState, chargingStateOf(state));
    this.service.updateCharacteristic(Characteristic.StatusLowBattery, this.low(state));
  }

  private low(state: VehicleState): number {
    const aux = this.auxLowThreshold !== undefined && auxBatteryLow(state, this.auxLowThreshold);
    return aux ? LOW_BATTERY.LOW : lowBatteryOf(state, this.lowThreshold);
  }

  private state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }
}
