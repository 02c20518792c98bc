/**
 * Watching the vehicles: the first status read, our monitors on each vehicle (created once, found
 * again at each start), a status read every statusIntervalMs where monitors are unavailable, and
 * the background retry of a callback registration that failed for a passing reason.
 */
import { readVehicleStatus, type VehicleState } from '../stellantis/vehicleState';
import type { AccountContext } from './accountContext';
import { explainError } from './errorMeaning';
import { ensureMonitors, wantedMonitors, type ExtraMonitorTrigger } from './monitors';
import type { NotificationIntake } from './notificationIntake';

interface VehicleRuntime {
  electric: boolean;
  pollTimer?: NodeJS.Timeout;
}

export class VehicleWatch {
  private readonly vehicles = new Map<string, VehicleRuntime>();

  constructor(
    private readonly ctx: AccountContext,
    private readonly intake: NotificationIntake,
    /** A feature's triggers for a vehicle (the charge limit's threshold), within the five monitors. */
    private readonly extraTriggers: (vehicleId: string) => ExtraMonitorTrigger[] = () => [],
  ) {}

  /** One status read (never wakes the car); the state follows it. */
  async readStatus(vehicleId: string, opts: { raw?: boolean } = {}): Promise<{ state: VehicleState; raw?: unknown }> {
    const raw = await this.ctx.client.getVehicleStatus(vehicleId);
    const state = readVehicleStatus(raw);
    this.ctx.states.fromStatus(vehicleId, state);
    return opts.raw ? { state, raw } : { state };
  }

  /** A status read nobody waits for (never wakes the car). */
  backgroundStatus(vehicleId: string): void {
    if (this.ctx.isStopped()) return;
    this.readStatus(vehicleId).catch((err: unknown) => this.ctx.problems.report(`could not read the status: ${explainError(err)}`, vehicleId));
  }

  /** First status, monitors, polling fallback: for every vehicle, on our current callback. */
  async setUp(opts: { readStatus: boolean } = { readStatus: true }): Promise<void> {
    this.intake.listingStarted();
    try {
      await Promise.all(this.ctx.vehicleIds.map((id) => this.setUpVehicle(id, opts.readStatus)));
    } finally {
      this.intake.listingEnded();
    }
    if (this.ctx.isStopped()) return;
    await this.intake.monitorsKnown();
  }

  retryRegistration(delayMs: number): void {
    this.ctx.later(delayMs, () => {
      this.ctx.callbacks
        .ensure()
        .then(() => this.setUp())
        .catch((err: unknown) => {
          this.ctx.problems.report(`could not register the webhook callback yet (${explainError(err)}); retrying in the background`);
          this.retryRegistration(Math.min(delayMs * 2, 30 * 60_000));
        });
    });
  }

  stop(): void {
    for (const v of this.vehicles.values()) if (v.pollTimer) clearInterval(v.pollTimer);
  }

  private async setUpVehicle(vehicleId: string, readStatus: boolean): Promise<void> {
    const { ctx } = this;
    const runtime: VehicleRuntime = this.vehicles.get(vehicleId) ?? { electric: false };
    this.vehicles.set(vehicleId, runtime);
    if (readStatus) {
      try {
        const { state } = await this.readStatus(vehicleId);
        runtime.electric = state.battery !== undefined || state.charging !== undefined;
      } catch (err) {
        ctx.problems.report(`could not read the status: ${explainError(err)}`, vehicleId);
      }
    }
    if (ctx.isStopped()) return;
    const callbackId = ctx.callbacks.callbackId;
    const useMonitors = ctx.config.webhook?.monitors !== false && ctx.config.flavour === 'b2c' && callbackId;
    const every = `reading the status every ${Math.round(ctx.options.statusIntervalMs / 60_000)} min instead`;
    let complete = false;
    if (useMonitors) {
      const features = ctx.config.vehicles?.find((v) => v.id === vehicleId)?.features;
      try {
        const result = await ensureMonitors(ctx.client, vehicleId, callbackId, ctx.labelPrefix, wantedMonitors({ electric: runtime.electric, features, extra: this.extraTriggers(vehicleId) }));
        this.intake.setMonitors(vehicleId, result.monitors);
        if (result.created > 0) ctx.logger.info(`${vehicleId}: ${result.created} monitor(s) created`);
        for (const r of result.refused) ctx.problems.report(`monitor '${r.key}' refused by Stellantis (${r.reason}); ${every}`, vehicleId);
        complete = result.refused.length === 0;
      } catch (err) {
        ctx.problems.report(`monitors unavailable (${explainError(err)}); ${every}`, vehicleId);
      }
    }
    if (!complete && !ctx.isStopped() && !runtime.pollTimer) {
      runtime.pollTimer = setInterval(() => this.backgroundStatus(vehicleId), ctx.options.statusIntervalMs);
      runtime.pollTimer.unref();
    }
  }
}
