/**
 * What every Matter accessory of a car shares: its definition (device type, information, initial
 * clusters, handlers), the state it pushes to Homebridge once registered, and the car's state it
 * follows. Handlers return at once (the car can take a minute to wake); the end of the action comes
 * back through the same AccessoryRemoteSender as for HAP, so the log says the same thing in the same
 * words. Pushes wait a tick: Homebridge sets the commanded value itself when a handler returns, and
 * updateAccessoryState must not run inside a handler.
 */
import type { Logging } from 'homebridge';
import type { AccountHandle } from '../../engine/types';
import type { VehicleState } from '../../stellantis/vehicleState';
import { errorText } from '../../util/errorText';
import type { AccessoryRemoteSender } from '../accessoryRemoteSender';
import type { MatterAccessory, MatterApi, MatterContext, MatterDeviceType } from './matterApi';

export interface MatterFunctionContext {
  matter: MatterApi;
  log: Logging;
  account: AccountHandle;
  vehicleId: string;
  sender: AccessoryRemoteSender;
}

/** The fixed part of one accessory: identity and information. */
export interface MatterIdentity {
  uuid: string;
  name: string;
  serialNumber: string;
  manufacturer: string;
  model: string;
  firmwareRevision: string;
  /** The cached context, when Homebridge restored this accessory. */
  context?: MatterContext;
}

export abstract class MatterControl {
  readonly accessory: MatterAccessory;
  private live = false;

  constructor(
    protected readonly ctx: MatterFunctionContext,
    identity: MatterIdentity,
    fn: string,
    deviceType: MatterDeviceType,
  ) {
    this.accessory = {
      UUID: identity.uuid,
      displayName: identity.name,
      deviceType,
      serialNumber: identity.serialNumber,
      manufacturer: identity.manufacturer,
      model: identity.model,
      firmwareRevision: identity.firmwareRevision,
      context: { ...identity.context, vehicleId: ctx.vehicleId, fn },
    };
  }

  get uuid(): string {
    return this.accessory.UUID;
  }

  /** Homebridge has the accessory on the bridge: from now on state is pushed. */
  registered(): void {
    this.live = true;
    this.resync(this.state());
  }

  /** The car's state changed. */
  abstract update(state: VehicleState): void;

  /** Pushes every value this accessory shows (a cache may have restored older ones). */
  protected abstract resync(state: VehicleState): void;

  protected state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }

  protected push(cluster: string, attributes: Record<string, unknown>): void {
    if (!this.live) return;
    setImmediate(() => {
      this.ctx.matter.updateAccessoryState(this.uuid, cluster, attributes).catch((err: unknown) => {
        this.ctx.log.debug(`${this.accessory.displayName}: could not update Matter ${cluster}: ${errorText(err)}`);
      });
    });
  }
}
