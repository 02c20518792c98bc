/**
 * The car's functions as HomeKit Switches.
 * - ToggleSwitch (charging, immobilizer, stolen): on/off is a state of the car. While the action runs
 *   the switch shows what was asked; on failure it goes back to the car's state (or what it was).
 *   States the status does not report (immobilization, stolen) are remembered in the accessory context.
 * - MomentarySwitch (lights, horn, refresh, navigation): on sends the action; it turns itself off when
 *   the action ends, whatever the result.
 */
import type { CharacteristicValue, Service } from 'homebridge';
import type { RemoteAction } from '../../stellantis/actions';
import type { VehicleState } from '../../stellantis/vehicleState';
import { type FunctionContext, type VehicleFunction, ensureService, setFault } from '../serviceKit';
import { TargetWriter } from '../targetWrite';

export interface ToggleOptions {
  subtype: string;
  name: string;
  action(on: boolean): RemoteAction;
  /** The car's state for this switch; undefined when the car does not report it. */
  read?(state: VehicleState): boolean | undefined;
}

export class ToggleSwitch implements VehicleFunction {
  readonly service: Service;
  private readonly writer: TargetWriter;

  constructor(
    private readonly ctx: FunctionContext,
    private readonly options: ToggleOptions,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.Switch, options.subtype, options.name);
    this.writer = new TargetWriter(ctx, this.service);
    const on = this.service.getCharacteristic(Characteristic.On);
    on.updateValue(this.remembered());
    on.onGet(() => (this.writer.running ? Boolean(on.value) : this.known(this.state()) ?? this.remembered()));
    on.onSet((value) => this.onWrite(value));
    setFault(ctx, this.service, false);
    this.update(this.state());
  }

  update(state: VehicleState): void {
    const known = this.known(state);
    if (!this.writer.running && known !== undefined) {
      this.remember(known);
      this.service.updateCharacteristic(this.ctx.api.hap.Characteristic.On, known);
    }
  }

  private known(state: VehicleState): boolean | undefined {
    return this.options.read?.(state);
  }

  private state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }

  private switches(): Record<string, boolean> {
    return (this.ctx.accessory.context.switches ??= {});
  }

  private remembered(): boolean {
    return this.switches()[this.options.subtype] === true;
  }

  private remember(on: boolean): void {
    this.switches()[this.options.subtype] = on;
  }

  private onWrite(value: CharacteristicValue): void {
    const { Characteristic } = this.ctx.api.hap;
    const on = value === true || value === 1;
    const before = Boolean(this.service.getCharacteristic(Characteristic.On).value);
    this.writer.send({
      action: this.options.action(on),
      target: Characteristic.On,
      before,
      known: () => this.known(this.state()),
      onSuccess: () => {
        this.remember(on);
        this.update(this.state());
      },
    });
  }
}

export interface MomentaryOptions {
  subtype: string;
  name: string;
  action: RemoteAction;
  verb: string;
}

export class MomentarySwitch implements VehicleFunction {
  readonly service: Service;
  private running = 0;

  constructor(
    private readonly ctx: FunctionContext,
    private readonly options: MomentaryOptions,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.Switch, options.subtype, options.name);
    const on = this.service.getCharacteristic(Characteristic.On);
    on.updateValue(false);
    on.onGet(() => this.running > 0);
    on.onSet((value) => this.onWrite(value));
    setFault(ctx, this.service, false);
  }

  update(): void {
    // Nothing of the vehicle's state is shown: the switch only reflects a running action.
  }

  private onWrite(value: CharacteristicValue): void {
    const { Characteristic } = this.ctx.api.hap;
    if (value !== true && value !== 1) {
      // Switching off cannot cancel an action already sent: show it still running.
      if (this.running > 0) setImmediate(() => this.service.updateCharacteristic(Characteristic.On, true));
      return;
    }
    this.running++;
    setFault(this.ctx, this.service, false);
    this.ctx.sender.start({
      action: this.options.action,
      label: this.service.displayName,
      verb: this.options.verb,
      onEnd: (_end, failed) => {
        this.running = Math.max(0, this.running - 1);
        if (failed) setFault(this.ctx, this.service, true);
        if (this.running === 0) this.service.updateCharacteristic(Characteristic.On, false);
      },
    });
  }
}
