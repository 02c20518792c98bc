/**
 * Preconditioning as a Thermostat. The car only has on/off, so the target states offered are OFF and
 * AUTO. The current state comes from the car's preconditioning status, the current temperature from
 * the outside temperature (20 until the car reports one, clamped to HAP's range). The target
 * temperature is kept valid and stored for the Home app, never sent: the API takes no temperature.
 */
import type { CharacteristicValue, Service } from 'homebridge';
import type { VehicleState } from '../../stellantis/vehicleState';
import {
  HEATING_COOLING,
  TARGET_TEMPERATURE,
  currentTemperatureOf,
  heatingCoolingCurrentOf,
  heatingCoolingTargetOf,
  targetTemperatureOf,
} from '../hapValues';
import type { VehicleContext } from '../accessoryContext';
import { type FunctionContext, type VehicleFunction, ensureService, setFault } from '../serviceKit';
import { TargetWriter } from '../targetWrite';

export class Preconditioning implements VehicleFunction {
  readonly service: Service;
  private readonly writer: TargetWriter;

  constructor(
    private readonly ctx: FunctionContext,
    name: string,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    const stored = this.stored();
    // 'climate': the subtype cached accessories were saved with (renaming it would orphan their service).
    this.service = ensureService(ctx, Service.Thermostat, 'climate', name);
    const s = this.service;
    this.writer = new TargetWriter(ctx, s);

    s.getCharacteristic(Characteristic.TargetHeatingCoolingState)
      .setProps({ validValues: [HEATING_COOLING.OFF, HEATING_COOLING.AUTO] })
      .onSet((value) => this.onTarget(value));
    const target = s.getCharacteristic(Characteristic.TargetHeatingCoolingState);
    if (target.value !== HEATING_COOLING.OFF && target.value !== HEATING_COOLING.AUTO) target.updateValue(HEATING_COOLING.OFF);

    s.getCharacteristic(Characteristic.CurrentHeatingCoolingState).onGet(() =>
      heatingCoolingCurrentOf(this.state(), this.targetTemperature()),
    );
    s.getCharacteristic(Characteristic.CurrentTemperature).onGet(() => this.currentTemperature(this.state()));

    stored.targetTemperature = this.targetTemperature();
    s.getCharacteristic(Characteristic.TargetTemperature)
      .setProps({ minValue: TARGET_TEMPERATURE.min, maxValue: TARGET_TEMPERATURE.max, minStep: TARGET_TEMPERATURE.step })
      .updateValue(stored.targetTemperature)
      .onSet((value) => {
        stored.targetTemperature = targetTemperatureOf(value);
        this.update(this.state());
      });

    const units = stored.temperatureUnits === 1 ? 1 : 0;
    s.getCharacteristic(Characteristic.TemperatureDisplayUnits)
      .updateValue(units)
      .onSet((value) => {
        stored.temperatureUnits = value === 1 ? 1 : 0;
      });

    setFault(ctx, s, false);
    this.update(this.state());
  }

  update(state: VehicleState): void {
    const { Characteristic } = this.ctx.api.hap;
    this.service.updateCharacteristic(Characteristic.CurrentHeatingCoolingState, heatingCoolingCurrentOf(state, this.targetTemperature()));
    this.service.updateCharacteristic(Characteristic.CurrentTemperature, this.currentTemperature(state));
    const target = heatingCoolingTargetOf(state);
    if (!this.writer.running && target !== undefined) this.service.updateCharacteristic(Characteristic.TargetHeatingCoolingState, target);
  }

  private state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }

  private stored(): NonNullable<VehicleContext['climate']> {
    return (this.ctx.accessory.context.climate ??= {});
  }

  private targetTemperature(): number {
    return targetTemperatureOf(this.stored().targetTemperature);
  }

  private currentTemperature(state: VehicleState): number {
    const props = this.service.getCharacteristic(this.ctx.api.hap.Characteristic.CurrentTemperature).props;
    return currentTemperatureOf(state, props.minValue ?? -270, props.maxValue ?? 100);
  }

  private onTarget(value: CharacteristicValue): void {
    const { Characteristic } = this.ctx.api.hap;
    const on = value !== HEATING_COOLING.OFF;
    const before = this.service.getCharacteristic(Characteristic.TargetHeatingCoolingState).value;
    this.writer.send({
      action: { kind: 'precondition', on },
      target: Characteristic.TargetHeatingCoolingState,
      before: before === HEATING_COOLING.AUTO ? HEATING_COOLING.AUTO : HEATING_COOLING.OFF,
      known: () => heatingCoolingTargetOf(this.state()),
      onSuccess: () => this.update(this.state()),
    });
  }
}
