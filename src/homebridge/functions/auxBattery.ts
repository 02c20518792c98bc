/**
 * The 12 V battery of a thermal car as a Service.Battery "Car 12V Battery": its level, not
 * chargeable from HomeKit, low under lowAuxBatteryPercent (the level under which a refresh is
 * refused). Electric and plug-in cars show it through the low battery flag of their traction
 * Battery service instead (battery.ts), since the Home app shows one battery per accessory.
 * Read only; added once the car has reported a 12 V level.
 */
import type { Service } from 'homebridge';
import type { VehicleState } from '../../stellantis/vehicleState';
import { CHARGING_STATE, LOW_BATTERY, auxBatteryLevelOf, auxBatteryLow } from '../hapValues';
import { type FunctionContext, type VehicleFunction, ensureService } from '../serviceKit';

export class AuxBattery implements VehicleFunction {
  readonly service: Service;

  constructor(
    private readonly ctx: FunctionContext,
    name: string,
    private readonly lowThreshold: number,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.Battery, 'auxBattery', name);
    const level = this.service.getCharacteristic(Characteristic.BatteryLevel);
    level.onGet(() => auxBatteryLevelOf(this.state()) ?? level.value ?? 0);
    this.service.getCharacteristic(Characteristic.ChargingState).onGet(() => CHARGING_STATE.NOT_CHARGEABLE);
    this.service.getCharacteristic(Characteristic.StatusLowBattery).onGet(() => this.low(this.state()));
    this.update(this.state());
  }

  update(state: VehicleState): void {
    const { Characteristic } = this.ctx.api.hap;
    const level = auxBatteryLevelOf(state);
    if (level !== undefined) this.service.updateCharacteristic(Characteristic.BatteryLevel, level);
    this.service.updateCharacteristic(Characteristic.ChargingState, CHARGING_STATE.NOT_CHARGEABLE);
    this.service.updateCharacteristic(Characteristic.StatusLowBattery, this.low(state));
  }

  private low(state: VehicleState): number {
    return auxBatteryLow(state, this.lowThreshold) ? LOW_BATTERY.LOW : LOW_BATTERY.NORMAL;
  }

  private state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }
}
