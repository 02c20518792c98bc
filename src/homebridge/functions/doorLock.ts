/**
 * Doors as a LockMechanism. The target is taken at once and the action sent; the current state moves
 * only when the car confirms (the engine's state after Done). Unknown stays UNKNOWN. A failure puts
 * the target back to the current state (or to what it was, when the current state is unknown).
 */
import type { CharacteristicValue, Service } from 'homebridge';
import type { VehicleState } from '../../stellantis/vehicleState';
import { LOCK, type LockTarget, lockCurrentOf, lockTargetOf } from '../hapValues';
import { type FunctionContext, type VehicleFunction, ensureService, setFault } from '../serviceKit';
import { TargetWriter } from '../targetWrite';

export class DoorLock implements VehicleFunction {
  readonly service: Service;
  private readonly writer: TargetWriter;

  constructor(
    private readonly ctx: FunctionContext,
    name: string,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.LockMechanism, 'doors', name);
    this.service.getCharacteristic(Characteristic.LockCurrentState).onGet(() => lockCurrentOf(this.state()));
    this.writer = new TargetWriter(ctx, this.service);
    this.service.getCharacteristic(Characteristic.LockTargetState).onSet((value) => this.onTarget(value));
    setFault(ctx, this.service, false);
    this.update(this.state());
  }

  update(state: VehicleState): void {
    const { Characteristic } = this.ctx.api.hap;
    this.service.updateCharacteristic(Characteristic.LockCurrentState, lockCurrentOf(state));
    // Locked or unlocked by other means (key, app): the target follows, unless we are the ones moving it.
    const target = lockTargetOf(state);
    if (!this.writer.running && target !== undefined) this.service.updateCharacteristic(Characteristic.LockTargetState, target);
  }

  private state(): VehicleState {
    return this.ctx.account.stateOf(this.ctx.vehicleId);
  }

  private onTarget(value: CharacteristicValue): void {
    const { Characteristic } = this.ctx.api.hap;
    const target: LockTarget = value === LOCK.SECURED ? LOCK.SECURED : LOCK.UNSECURED;
    const before = this.service.getCharacteristic(Characteristic.LockTargetState).value;
    const previous: LockTarget = before === LOCK.SECURED ? LOCK.SECURED : LOCK.UNSECURED;
    this.writer.send({
      action: { kind: target === LOCK.SECURED ? 'lock' : 'unlock' },
      target: Characteristic.LockTargetState,
      before: previous,
      known: () => lockTargetOf(this.state()),
      onSuccess: () => this.update(this.state()),
    });
  }
}
