/**
 * The write every control with a car state goes through (door lock, preconditioning, toggle switches):
 * the target shows what was asked at once and the action is sent; only the latest write settles
 * it. On failure the target goes back to the car's state (or to what it was before, when the car
 * does not tell) with StatusFault set; on success the control refreshes from the car's state.
 */
import type { Characteristic, CharacteristicValue, Service, WithUUID } from 'homebridge';
import type { RemoteAction } from '../stellantis/actions';
import { verbPhrase } from '../vocabulary/actionPhrases';
import type { AccessoryRemoteSender } from './accessoryRemoteSender';
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

/**
 * The write sequence HAP and Matter controls share: each write goes through the accessory's sender
 * (one log line per end, in plain words), and only the latest write settles the control.
 */
export class LatestWrite {
  private writes = 0;
  private active = false;

  constructor(private readonly sender: AccessoryRemoteSender) {}

  /** One of our actions moves the target: the car's state must not move it back meanwhile. */
  get running(): boolean {
    return this.active;
  }

  send(action: RemoteAction, label: string, settle: { failed(): void; succeeded(): void }): void {
    const number = ++this.writes;
    this.active = true;
    this.sender.start({
      action,
      label,
      verb: verbPhrase(action),
      onEnd: (end, failed) => {
        if (number !== this.writes) return; // a newer write owns the target now
        this.active = false;
        if (failed) settle.failed();
        else if (end.result !== 'Superseded') settle.succeeded();
      },
    });
  }
}

export class TargetWriter {
  private readonly latest: LatestWrite;

  constructor(
    private readonly ctx: FunctionContext,
    private readonly service: Service,
  ) {
    this.latest = new LatestWrite(ctx.sender);
  }

  /** One of our actions moves the target: the car's state must not move it back meanwhile. */
  get running(): boolean {
    return this.latest.running;
  }

  send(write: TargetWrite): void {
    setFault(this.ctx, this.service, false);
    this.latest.send(write.action, this.service.displayName, {
      failed: () => {
        setFault(this.ctx, this.service, true);
        this.service.updateCharacteristic(write.target, write.known() ?? write.before);
      },
      succeeded: () => write.onSuccess(),
    });
  }
}
