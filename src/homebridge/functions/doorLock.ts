/**
 * Doors as a LockMechanism. The target is taken at once and the action sent; the current state moves
 * only when the car confirms (the engine's state after Done). Unknown stays UNKNOWN. A failure puts
 * the target back to the current state (or to what it was, when the current state is unknown).
 */
import type { CharacteristicValue, Service } from 'homebridge';
import type { VehicleState } from '../../stellantis/vehicleState';
import { LOCK, type LockTarget, lockCurrentOf, lockTargetOf } from '../hapValues';
import { type FunctionContext, type VehicleFunction, ensureService, setFault } from '../serviceKit';

export class DoorLock implements VehicleFunction {
  readonly service: Service;
  private running = false;
  /** Number of the latest write: only its end may settle the target. */
  private writes = 0;

  constructor(
    private readonly ctx: FunctionContext,
    name: string,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.LockMechanism, 'doors', name);
    this.service.getCharacteristic(Characteristic.LockCurrentState).onGet(() => lockCurrentOf(this.state()));
    this.service.getCharacteristic(Characteristic.LockTargetState).onSet((value) => this.onTarget(value));
    setFault(ctx, this.service, false);
    this.update(this.state());
  }

  update(state: VehicleState): void {
    const { Characteristic } = this.ctx.api.hap;
    this.service.updateCharacteristic(Characteristic.LockCurrentState, lockCurrentOf(state));
    // Locked or unlocked by other means (key, app): the target follows, unless we are the ones moving it.
    const target = lockTargetOf(state);
    if (!this.running && target !== undefined) this.service.updateCharacteristic(Characteristic.LockTargetState, target);
  }

  private state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }

  private onTarget(value: CharacteristicValue): void {
    const { Characteristic } = this.ctx.api.hap;
    const target: LockTarget = value === LOCK.SECURED ? LOCK.SECURED : LOCK.UNSECURED;
    const before = this.service.getCharacteristic(Characteristic.LockTargetState).value;
    const previous: LockTarget = before === LOCK.SECURED ? LOCK.SECURED : LOCK.UNSECURED;
    const write = ++this.writes;
    this.running = true;
    setFault(this.ctx, this.service, false);
    const lock = target === LOCK.SECURED;
    this.ctx.runner.start({
      action: { kind: lock ? 'lock' : 'unlock' },
      label: this.service.displayName,
      verb: lock ? 'lock the doors' : 'unlock the doors',
      onEnd: (end, failed) => {
        if (write !== this.writes) return; // a newer write owns the target now
        this.running = false;
        if (failed) {
          setFault(this.ctx, this.service, true);
          this.service.updateCharacteristic(Characteristic.LockTargetState, lockTargetOf(this.state()) ?? previous);
        } else if (end.result !== 'Superseded') {
          this.update(this.state());
        }
      },
    });
  }
}
