/**
 * The write every control with a car state goes through (door lock, preconditioning, toggle switches):
 * the target shows what was asked at once and the action is sent; only the latest write settles
 * it. On failure the target goes back to the car's state (or to what it was before, when the car
 * does not tell) with StatusFault set; on success the control refreshes from the car's state.
 */
import type { Characteristic, CharacteristicValue, Service, WithUUID } from 'homebridge';
import type { RemoteAction } from '../stellantis/actions';
import { verbPhrase } from '../vocabulary/actionPhrases';
import { type FunctionContext, setFault } from './serviceKit';

export interface TargetWrite {
  action: RemoteAction;
  /** The characteristic holding the target. */
  target: WithUUID<new () => Characteristic>;
  /** Its value before this write, put back on failure when the car's state does not tell. */
  before: CharacteristicValue;
  /** The car's value for the target, when its state reports one. */
  known(): CharacteristicValue | undefined;
  /** After the car did it (or already was so). */
  onSuccess(): void;
}

export class TargetWriter {
  private writes = 0;
  private active = false;

  constructor(
    private readonly ctx: FunctionContext,
    private readonly service: Service,
  ) {}

  /** One of our actions moves the target: the car's state must not move it back meanwhile. */
  get running(): boolean {
    return this.active;
  }

  send(write: TargetWrite): void {
    const number = ++this.writes;
    this.active = true;
    setFault(this.ctx, this.service, false);
    this.ctx.sender.start({
      action: write.action,
      label: this.service.displayName,
      verb: verbPhrase(write.action),
      onEnd: (end, failed) => {
        if (number !== this.writes) return; // a newer write owns the target now
        this.active = false;
        if (failed) {
          setFault(this.ctx, this.service, true);
          this.service.updateCharacteristic(write.target, write.known() ?? write.before);
        } else if (end.result !== 'Superseded') {
          write.onSuccess();
        }
      },
    });
  }
}
