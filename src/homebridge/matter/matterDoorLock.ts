/**
 * Doors as a Matter DoorLock. Lock/unlock return at once; Homebridge shows what was asked, and the
 * car's answer settles it: on success the lock state follows the car, on failure it goes back to the
 * car's state (or to what it was, when the car has not told). Unknown stays null (Matter's "unknown").
 */
import type { VehicleState } from '../../stellantis/vehicleState';
import { LatestWrite } from '../targetWrite';
import type { MatterIdentity, MatterFunctionContext } from './matterControl';
import { MatterControl } from './matterControl';
import { LOCK_STATE, LOCK_TYPE_OTHER, OPERATING_MODE_NORMAL, type MatterLockState, matterLockStateOf } from './matterValues';

export class MatterDoorLock extends MatterControl {
  private readonly writer: LatestWrite;
  /** What Matter shows now (Homebridge sets it itself after a command). */
  private shown: MatterLockState | null;

  constructor(ctx: MatterFunctionContext, identity: MatterIdentity, extraClusters: Record<string, Record<string, unknown>> = {}) {
    super(ctx, identity, 'doors', ctx.matter.deviceTypes.DoorLock);
    this.writer = new LatestWrite(ctx.sender);
    this.shown = matterLockStateOf(this.state());
    this.accessory.clusters = {
      ...extraClusters,
      doorLock: { lockState: this.shown, lockType: LOCK_TYPE_OTHER, actuatorEnabled: true, operatingMode: OPERATING_MODE_NORMAL },
    };
    this.accessory.handlers = {
      doorLock: {
        lockDoor: () => this.command(LOCK_STATE.LOCKED),
        unlockDoor: () => this.command(LOCK_STATE.UNLOCKED),
      },
    };
  }

  update(state: VehicleState): void {
    if (this.writer.running) return; // our own action moves it; the car's answer settles it
    this.show(matterLockStateOf(state));
  }

  protected resync(state: VehicleState): void {
    if (!this.writer.running) this.show(matterLockStateOf(state) ?? this.shown, true);
  }

  private command(target: typeof LOCK_STATE.LOCKED | typeof LOCK_STATE.UNLOCKED): void {
    const before = this.shown;
    this.shown = target; // Homebridge sets lockState to the target once this handler returns
    this.writer.send({ kind: target === LOCK_STATE.LOCKED ? 'lock' : 'unlock' }, this.accessory.displayName, {
      failed: () => this.show(matterLockStateOf(this.state()) ?? before, true),
      succeeded: () => this.show(matterLockStateOf(this.state()) ?? target, true),
    });
  }

  private show(value: MatterLockState | null, always = false): void {
    if (!always && value === this.shown) return;
    this.shown = value;
    this.push('doorLock', { lockState: value });
  }
}
