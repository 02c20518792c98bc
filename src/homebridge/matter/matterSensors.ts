/**
 * The car's read-only sensors over Matter, each a bridged accessory of its own that follows the
 * account's state (what the monitors push, or a status read): the boot and the windows as
 * ContactSensors (BooleanState, true = contact = closed), at home and plugged in as
 * OccupancySensors (occupied = at home / plugged in). No handlers: Matter offers no command on them.
 * A value is pushed only when it changes, and once after registration (a cache may hold an old one).
 */
import type { VehicleState } from '../../stellantis/vehicleState';
import { type MatterDeviceType, occupancySensorType } from './matterApi';
import { type MatterFunctionContext, type MatterIdentity, MatterControl } from './matterControl';
import { type MatterOpening, type MatterSense, matterContactOf, matterOccupancyOf } from './matterValues';

export interface MatterSensorSpec {
  fn: string;
  deviceType: MatterDeviceType;
  cluster: string;
  /** The cluster's attributes for the car's state; always valid (unknown is the quiet value). */
  values(state: VehicleState): Record<string, unknown>;
}

export class MatterSensor extends MatterControl {
  private shown: string;

  constructor(
    ctx: MatterFunctionContext,
    identity: MatterIdentity,
    private readonly spec: MatterSensorSpec,
  ) {
    super(ctx, identity, spec.fn, spec.deviceType);
    const values = spec.values(this.state());
    this.shown = JSON.stringify(values);
    this.accessory.clusters = { [spec.cluster]: values };
  }

  update(state: VehicleState): void {
    this.show(state, false);
  }

  protected resync(state: VehicleState): void {
    this.show(state, true);
  }

  private show(state: VehicleState, always: boolean): void {
    const values = this.spec.values(state);
    const key = JSON.stringify(values);
    if (!always && key === this.shown) return;
    this.shown = key;
    this.push(this.spec.cluster, values);
  }
}

/** "Car Boot" / "Car Windows": a ContactSensor (device type 0x15), open = no contact. */
export function contactSensor(ctx: MatterFunctionContext, identity: MatterIdentity, opening: MatterOpening): MatterSensor {
  return new MatterSensor(ctx, identity, {
    fn: opening,
    deviceType: ctx.matter.deviceTypes.ContactSensor,
    cluster: 'booleanState',
    values: (state) => ({ stateValue: matterContactOf(state, opening) }),
  });
}

/** "Car at Home" / "Car Plugged In": an OccupancySensor (device type 0x107). */
export function occupancySensor(ctx: MatterFunctionContext, identity: MatterIdentity, sense: MatterSense): MatterSensor {
  return new MatterSensor(ctx, identity, {
    fn: sense,
    deviceType: occupancySensorType(ctx.matter),
    cluster: 'occupancySensing',
    values: (state) => ({ occupancy: matterOccupancyOf(state, sense) }),
  });
}
