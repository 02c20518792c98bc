/**
 * The car's other functions as Matter on/off switches.
 * - MatterToggle (preconditioning, charging, immobilizer, stolen): on/off is a state of the car; while
 *   the action runs the switch shows what was asked, a failure puts back the car's state (or what it
 *   was). States the status does not report are remembered in the accessory's context.
 * - MatterMomentary (horn, lights, refresh, navigation): on sends the action; the switch returns to
 *   off when the action ends, whatever the result.
 */
import type { RemoteAction } from '../../stellantis/actions';
import type { VehicleState } from '../../stellantis/vehicleState';
import { LatestWrite } from '../targetWrite';
import { type MatterFunctionContext, type MatterIdentity, MatterControl } from './matterControl';

export interface MatterToggleOptions {
  fn: string;
  action(on: boolean): RemoteAction;
  /** The car's state for this switch; undefined when the car does not report it. */
  read?(state: VehicleState): boolean | undefined;
  /** Extra clusters on the same endpoint (the traction battery's PowerSource), refreshed with the car. */
  extra?(state: VehicleState): Record<string, Record<string, unknown>>;
}

export class MatterToggle extends MatterControl {
  private readonly writer: LatestWrite;
  private shown: boolean;

  constructor(
    ctx: MatterFunctionContext,
    identity: MatterIdentity,
    private readonly options: MatterToggleOptions,
  ) {
    super(ctx, identity, options.fn, ctx.matter.deviceTypes.OnOffSwitch);
    this.writer = new LatestWrite(ctx.sender);
    this.shown = this.known(this.state()) ?? this.accessory.context.on === true;
    this.accessory.clusters = { ...options.extra?.(this.state()), onOff: { onOff: this.shown } };
    this.accessory.handlers = { onOff: { on: () => this.command(true), off: () => this.command(false) } };
  }

  update(state: VehicleState): void {
    const extra = this.options.extra?.(state);
    for (const [cluster, attributes] of Object.entries(extra ?? {})) this.push(cluster, attributes);
    if (this.writer.running) return;
    const known = this.known(state);
    if (known !== undefined) this.show(known);
  }

  protected resync(state: VehicleState): void {
    this.update(state);
    if (!this.writer.running) this.show(this.known(state) ?? this.shown, true);
  }

  private known(state: VehicleState): boolean | undefined {
    return this.options.read?.(state);
  }

  private command(on: boolean): void {
    const before = this.shown;
    this.shown = on; // Homebridge sets onOff itself once this handler returns
    this.writer.send(this.options.action(on), this.accessory.displayName, {
      failed: () => this.show(this.known(this.state()) ?? before, true),
      succeeded: () => {
        this.accessory.context.on = on;
        this.show(this.known(this.state()) ?? on, true);
      },
    });
  }

  private show(on: boolean, always = false): void {
    if (!always && on === this.shown) return;
    this.shown = on;
    this.push('onOff', { onOff: on });
  }
}

export interface MatterMomentaryOptions {
  fn: string;
  action: RemoteAction;
  verb: string;
}

export class MatterMomentary extends MatterControl {
  private running = 0;

  constructor(
    ctx: MatterFunctionContext,
    identity: MatterIdentity,
    private readonly options: MatterMomentaryOptions,
  ) {
    super(ctx, identity, options.fn, ctx.matter.deviceTypes.OnOffSwitch);
    this.accessory.clusters = { onOff: { onOff: false } };
    this.accessory.handlers = { onOff: { on: () => this.press(), off: () => this.release() } };
  }

  update(): void {
    // Nothing of the car's state is shown: the switch only reflects a running action.
  }

  protected resync(): void {
    this.push('onOff', { onOff: this.running > 0 });
  }

  private press(): void {
    this.running++;
    this.ctx.sender.start({
      action: this.options.action,
      label: this.accessory.displayName,
      verb: this.options.verb,
      onEnd: () => {
        this.running = Math.max(0, this.running - 1);
        if (this.running === 0) this.push('onOff', { onOff: false });
      },
    });
  }

  private release(): void {
    // Switching off cannot cancel an action already sent: show it still running.
    if (this.running > 0) this.push('onOff', { onOff: true });
  }
}
