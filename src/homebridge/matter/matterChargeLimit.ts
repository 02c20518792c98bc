/**
 * The charge limit over Matter: a Fan "Car Charge Limit" (device type 0x2b), as over HAP (a fan, not
 * a light: "turn off all the lights" and lighting scenes would silently remove the limit; see
 * docs/charging.md). percentSetting is the limit (0 = no limit), fanMode Off when none is kept and
 * High while one is. The account keeps the limit (charging preferences or a monitor threshold):
 * this accessory only sets and shows it, and never reads or wakes the car.
 *
 * Homebridge calls percentSettingChange / fanModeChange on every change of those attributes, ours
 * included (updateAccessoryState sets them on the endpoint): a value equal to the account's is
 * therefore ignored, so a push never becomes a write.
 */
import { MAX_CHARGE_LIMIT, MIN_CHARGE_LIMIT } from '../../engine/chargeLimit';
import type { RemoteHandle } from '../../engine/types';
import { errorText } from '../../util/errorText';
import { isFailure } from '../accessoryRemoteSender';
import { DEFAULT_CHARGE_LIMIT } from '../functions/chargeLimit';
import { inHomebridgeTerms } from '../homebridgeTerms';
import { type MatterFunctionContext, type MatterIdentity, MatterControl } from './matterControl';
import { FAN_MODE, FAN_MODE_SEQUENCE_OFF_HIGH, chargeLimitAsked, matterFanOf } from './matterValues';

/** A controller switching the fan on often writes the percentage right after: a bare "on" waits this long for it. */
const MODE_SETTLE_MS = 150;

export class MatterChargeLimit extends MatterControl {
  private shown: string;
  private pendingOn: NodeJS.Timeout | undefined;

  constructor(ctx: MatterFunctionContext, identity: MatterIdentity) {
    super(ctx, identity, 'chargeLimit', ctx.matter.deviceTypes.Fan);
    const values = matterFanOf(this.percent());
    this.shown = JSON.stringify(values);
    this.accessory.clusters = { fanControl: { ...values, fanModeSequence: FAN_MODE_SEQUENCE_OFF_HIGH } };
    this.accessory.handlers = {
      fanControl: {
        percentSettingChange: (args) => this.onPercent(args),
        fanModeChange: (args) => this.onMode(args),
      },
    };
  }

  /** The limit changes only by our writes or the account's `chargeLimit` event: shown on each (no call). */
  update(): void {
    this.show(false);
  }

  protected resync(): void {
    this.show(true);
  }

  private percent(): number | undefined {
    return this.ctx.account.chargeLimitOf(this.ctx.vehicleId)?.percent;
  }

  private show(always: boolean): void {
    const values = matterFanOf(this.percent());
    const key = JSON.stringify(values);
    if (!always && key === this.shown) return;
    this.shown = key;
    this.push('fanControl', values);
  }

  private onPercent(args: unknown): void {
    const asked = chargeLimitAsked(field(args, 'percentSetting'), MIN_CHARGE_LIMIT, MAX_CHARGE_LIMIT);
    if (asked === undefined) return;
    this.cancelPendingOn();
    this.apply(asked);
  }

  private onMode(args: unknown): void {
    const mode = field(args, 'fanMode');
    if (typeof mode !== 'number') return;
    this.cancelPendingOn();
    if (mode === FAN_MODE.OFF) {
      this.apply(null);
      return;
    }
    if (this.percent() !== undefined) {
      this.show(true); // on already: back to what it shows (High, the limit)
      return;
    }
    this.pendingOn = setTimeout(() => {
      this.pendingOn = undefined;
      if (this.percent() === undefined) this.apply(this.accessory.context.chargeLimit ?? DEFAULT_CHARGE_LIMIT);
    }, MODE_SETTLE_MS);
  }

  private cancelPendingOn(): void {
    if (this.pendingOn) clearTimeout(this.pendingOn);
    this.pendingOn = undefined;
  }

  private apply(percent: number | null): void {
    const name = this.accessory.displayName;
    if (percent === (this.percent() ?? null)) {
      this.show(true); // e.g. 10 % asked, 20 % kept: the controller sees 20
      return;
    }
    if (percent !== null) this.accessory.context.chargeLimit = percent;
    let handle: RemoteHandle | undefined;
    try {
      handle = this.ctx.account.setChargeLimit(this.ctx.vehicleId, percent);
    } catch (err) {
      this.ctx.log.error(`${name}: could not set the charge limit: ${inHomebridgeTerms(errorText(err))}`);
      this.show(true);
      return;
    }
    const info = this.ctx.account.chargeLimitOf(this.ctx.vehicleId);
    this.ctx.log.info(`${name}: ${percent === null ? 'no charge limit' : `${percent} %, ${info?.text ?? ''}`}`);
    this.show(true);
    handle?.done
      .then((end) => {
        if (isFailure(end)) this.ctx.log.error(`${name}: the car did not take its charging preferences: ${inHomebridgeTerms(end.explanation ?? end.failureCause ?? end.result)}`);
      })
      .catch((err: unknown) => this.ctx.log.error(`${name}: internal error: ${errorText(err)}`));
  }
}

function field(args: unknown, key: string): unknown {
  return typeof args === 'object' && args !== null ? (args as Record<string, unknown>)[key] : undefined;
}
