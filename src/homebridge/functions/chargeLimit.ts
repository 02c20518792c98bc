/**
 * The charge limit as a Fan (Fanv2) "Car Charge Limit": RotationSpeed is the limit in percent, Active
 * whether a limit is kept. Siri sets it by voice ("set Car Charge Limit to 80 percent"), the Home app
 * shows a slider. A fan rather than the Lightbulb brightness other plugins use: a light is switched off
 * by "turn off all the lights" and by lighting scenes, which would silently remove the limit.
 *
 * The account keeps the limit (charging preferences where the car supports them, else a monitor
 * threshold): this service only sets and shows it, and never reads or wakes the car.
 */
import type { CharacteristicValue, Service } from 'homebridge';
import { MAX_CHARGE_LIMIT, MIN_CHARGE_LIMIT } from '../../engine/chargeLimit';
import type { RemoteHandle } from '../../engine/types';
import { isFailure } from '../accessoryRemoteSender';
import { inHomebridgeTerms } from '../homebridgeTerms';
import { type FunctionContext, type VehicleFunction, ensureService } from '../serviceKit';
import { errorText } from '../../util/errorText';

export const ACTIVE = { INACTIVE: 0, ACTIVE: 1 } as const;
/** The limit a fan switched on without a percentage starts with (the usual advice for battery life). */
export const DEFAULT_CHARGE_LIMIT = 80;
/** Siri and the Home app write Active and RotationSpeed together: a bare "on" waits this long for the percentage. */
const ACTIVE_SETTLE_MS = 150;

export class ChargeLimitControl implements VehicleFunction {
  readonly service: Service;
  private pendingOn: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: FunctionContext,
    private readonly name: string,
  ) {
    const { Service, Characteristic } = ctx.api.hap;
    this.service = ensureService(ctx, Service.Fanv2, 'chargeLimit', name);
    const active = this.service.getCharacteristic(Characteristic.Active);
    active.onGet(() => (this.percent() === undefined ? ACTIVE.INACTIVE : ACTIVE.ACTIVE));
    active.onSet((value) => this.onActive(value));
    if (!this.service.testCharacteristic(Characteristic.RotationSpeed)) this.service.addCharacteristic(Characteristic.RotationSpeed);
    const speed = this.service.getCharacteristic(Characteristic.RotationSpeed);
    speed.setProps({ minValue: 0, maxValue: MAX_CHARGE_LIMIT, minStep: 1 });
    speed.onGet(() => this.shownPercent());
    speed.onSet((value) => this.onPercent(value));
    this.update();
  }

  /** The limit changes only by our writes or the account's `chargeLimit` event: refreshed on each state too (no call). */
  update(): void {
    const { Characteristic } = this.ctx.api.hap;
    this.service.updateCharacteristic(Characteristic.Active, this.percent() === undefined ? ACTIVE.INACTIVE : ACTIVE.ACTIVE);
    this.service.updateCharacteristic(Characteristic.RotationSpeed, this.shownPercent());
  }

  private percent(): number | undefined {
    return this.ctx.account.chargeLimitOf(this.ctx.vehicleId)?.percent;
  }

  /** The limit, or while none is kept the last one set (so switching it on again restores it). */
  private shownPercent(): number {
    return this.percent() ?? this.ctx.accessory.context.chargeLimit ?? DEFAULT_CHARGE_LIMIT;
  }

  private onActive(value: CharacteristicValue): void {
    if (this.pendingOn) clearTimeout(this.pendingOn);
    this.pendingOn = undefined;
    if (Number(value) === ACTIVE.INACTIVE) {
      this.apply(null);
      return;
    }
    if (this.percent() !== undefined) return;
    this.pendingOn = setTimeout(() => {
      this.pendingOn = undefined;
      if (this.percent() === undefined) this.apply(this.shownPercent());
    }, ACTIVE_SETTLE_MS);
  }

  private onPercent(value: CharacteristicValue): void {
    if (this.pendingOn) clearTimeout(this.pendingOn);
    this.pendingOn = undefined;
    const asked = Math.round(Number(value));
    // The Home app's slider at 0 switches the fan off; below the lowest limit, the lowest limit.
    this.apply(asked <= 0 ? null : Math.min(MAX_CHARGE_LIMIT, Math.max(MIN_CHARGE_LIMIT, asked)));
  }

  private apply(percent: number | null): void {
    if (percent === (this.percent() ?? null)) {
      this.update();
      return;
    }
    if (percent !== null) this.ctx.accessory.context.chargeLimit = percent;
    let handle: RemoteHandle | undefined;
    try {
      handle = this.ctx.account.setChargeLimit(this.ctx.vehicleId, percent);
    } catch (err) {
      this.ctx.log.error(`${this.name}: could not set the charge limit: ${inHomebridgeTerms(errorText(err))}`);
      setImmediate(() => this.update());
      return;
    }
    const info = this.ctx.account.chargeLimitOf(this.ctx.vehicleId);
    this.ctx.log.info(`${this.name}: ${percent === null ? 'no charge limit' : `${percent} %, ${info?.text ?? ''}`}`);
    // HAP stores the written value after this handler: the values the account now holds follow.
    setImmediate(() => this.update());
    handle?.done
      .then((end) => {
        if (isFailure(end)) this.ctx.log.error(`${this.name}: the car did not take its charging preferences: ${inHomebridgeTerms(end.explanation ?? end.failureCause ?? end.result)}`);
      })
      .catch((err: unknown) => this.ctx.log.error(`${this.name}: internal error: ${errorText(err)}`));
  }
}
