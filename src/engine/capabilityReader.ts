/**
 * What each car can do, read from the car itself: one `GET .../vehicles/{id}?extension=onboardCapabilities`
 * per car at start (the fleet vehicle for B2B, the same schema), kept with the vehicle states (so a
 * read that fails at start uses the saved one), and read again only when a remote fails with a cause
 * saying the car cannot do it. Never read per command.
 */
import { readCapabilities, type VehicleCapabilities } from '../stellantis/capabilities';
import { StellantisApiError } from '../stellantis/errors';
import type { AccountContext } from './accountContext';
import { explainError } from './errorMeaning';
import type { VehicleCapabilitiesChange } from './types';

/** Failure causes (notifications) and API answers that say the car cannot do the action. */
export function saysCarCannot(failure: { failureCause?: string } | unknown): boolean {
  if (failure instanceof StellantisApiError) return failure.status === 400 && /not support|onboardCapabilities/i.test(failure.apiMessage ?? '');
  const cause = typeof failure === 'object' && failure !== null ? (failure as { failureCause?: unknown }).failureCause : undefined;
  return cause === 'WrongCommand';
}

export class CapabilityReader {
  /** One read at a time per car: refusals that arrive together cost one call. */
  private readonly reading = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: AccountContext,
    private readonly onChange: (c: VehicleCapabilitiesChange) => void,
  ) {}

  capabilitiesOf(vehicleId: string): VehicleCapabilities | undefined {
    return this.ctx.states.capabilitiesOf(vehicleId);
  }

  /** The capabilities saved at the last run, announced before the first read. */
  announceRestored(): void {
    for (const vehicleId of this.ctx.vehicleIds) {
      const capabilities = this.capabilitiesOf(vehicleId);
      if (capabilities) this.onChange({ vehicleId, capabilities, source: 'restore' });
    }
  }

  /** One read per configured car (at start), but for the cars whose capabilities the caller just read. */
  async readAll(alreadyRead: Readonly<Record<string, VehicleCapabilities | null>> = {}): Promise<void> {
    await Promise.all(
      this.ctx.vehicleIds.map((id) => {
        if (!Object.hasOwn(alreadyRead, id)) return this.read(id, 'start');
        this.keep(id, alreadyRead[id] ?? undefined);
        return undefined;
      }),
    );
  }

  /** A remote failed with a cause saying the car cannot do it: what it can do may have changed. */
  afterRefusal(vehicleId: string): void {
    if (!this.ctx.isStopped()) void this.read(vehicleId, 'refusal');
  }

  private read(vehicleId: string, why: 'start' | 'refusal'): Promise<void> {
    const running = this.reading.get(vehicleId);
    if (running) return running;
    const done = this.readOnce(vehicleId, why).finally(() => this.reading.delete(vehicleId));
    this.reading.set(vehicleId, done);
    return done;
  }

  private async readOnce(vehicleId: string, why: 'start' | 'refusal'): Promise<void> {
    const { ctx } = this;
    let body: unknown;
    try {
      body = await ctx.client.getVehicle(vehicleId, ['onboardCapabilities']);
    } catch (err) {
      if (ctx.isStopped()) return;
      const kept = this.capabilitiesOf(vehicleId) ? 'the ones saved at the last run are used' : 'every control stays offered';
      ctx.problems.report(`could not read what the car can do (${explainError(err)}); ${kept}`, vehicleId);
      return;
    }
    if (ctx.isStopped()) return;
    const capabilities = readCapabilities(body);
    if (!capabilities) ctx.logger.debug(`${vehicleId}: the vehicle gives no onboard capabilities; every control stays offered`);
    if (this.keep(vehicleId, capabilities) && why === 'refusal') ctx.logger.info(`${vehicleId}: the car's capabilities changed after it refused an action`);
  }

  /** Keeps what the car said it can do; true (and announced) when it changed. */
  private keep(vehicleId: string, capabilities: VehicleCapabilities | undefined): boolean {
    if (!this.ctx.states.setCapabilities(vehicleId, capabilities)) return false;
    this.onChange({ vehicleId, capabilities, source: 'vehicle' });
    return true;
  }
}
