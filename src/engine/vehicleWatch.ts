/**
 * Watching the vehicles: the first status read, each car's monitor plan applied (found again by
 * label at each start, updated when the plan changed), a status read every statusIntervalMs where
 * monitors are unavailable (B2B: one paged fleet status read for every car), and the background
 * retry of a callback registration that failed for a passing reason.
 */
import type { RemoteAction } from '../stellantis/actions';
import { readVehicleStatus, type VehicleState } from '../stellantis/vehicleState';
import type { AccountContext } from './accountContext';
import { explainError } from './errorMeaning';
import { withHome } from './homeZone';
import { planFor, type CoveredPart, type MonitorPlan, type PlanExtra } from './monitorPlan';
import { ensureMonitors } from './monitors';
import type { NotificationIntake } from './notificationIntake';

interface VehicleRuntime {
  electric: boolean;
  pollTimer?: NodeJS.Timeout;
  plan?: MonitorPlan;
  /** Parts kept current by monitors now running. */
  covered: ReadonlySet<CoveredPart>;
}

/** The part of the state a successful remote changes (none: horn, lights, navigation...). */
export function partChangedBy(action: RemoteAction): CoveredPart | undefined {
  switch (action.kind) {
    case 'lock':
    case 'unlock':
      return 'doors';
    case 'charge':
    case 'charge-at':
    case 'charge-preferences':
      return 'charging';
    case 'precondition':
    case 'precondition-programs':
      return 'preconditioning';
    default:
      return undefined;
  }
}

export class VehicleWatch {
  private readonly vehicles = new Map<string, VehicleRuntime>();

  constructor(
    private readonly ctx: AccountContext,
    private readonly intake: NotificationIntake,
    /** Triggers features ask for, per car (see monitorPlan.ts). */
    private readonly extrasOf: (vehicleId: string) => readonly PlanExtra[] = () => [],
  ) {}

  /** One status read (never wakes the car); the state follows it. */
  async readStatus(vehicleId: string, opts: { raw?: boolean } = {}): Promise<{ state: VehicleState; raw?: unknown }> {
    const raw = await this.ctx.client.getVehicleStatus(vehicleId);
    const state = withHome(readVehicleStatus(raw), this.homeOf(vehicleId));
    this.ctx.states.fromStatus(vehicleId, state);
    return opts.raw ? { state, raw } : { state };
  }

  /** The plan of a car as last applied (undefined before the monitors were set up). */
  planOf(vehicleId: string): MonitorPlan | undefined {
    return this.vehicles.get(vehicleId)?.plan;
  }

  /**
   * After a remote that changes what a status shows succeeded: a status read only when no monitor
   * of ours keeps that part current (its event carries the status).
   */
  afterSuccess(vehicleId: string, action: RemoteAction): void {
    const part = partChangedBy(action);
    if (part !== undefined && this.vehicles.get(vehicleId)?.covered.has(part)) return;
    this.ctx.later(this.ctx.options.statusAfterSuccessDelayMs, () => this.backgroundStatus(vehicleId));
  }

  private homeOf(vehicleId: string) {
    return this.ctx.config.vehicles?.find((v) => v.id === vehicleId)?.home;
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
    const runtime: VehicleRuntime = this.vehicles.get(vehicleId) ?? { electric: false, covered: new Set() };
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
    const vehicle = ctx.config.vehicles?.find((v) => v.id === vehicleId);
    if (useMonitors && vehicle) {
      const capabilities = ctx.states.capabilitiesOf(vehicleId);
      const electric = runtime.electric || capabilities?.charging.supported === true;
      const plan = planFor({ vehicle, capabilities, electric }, this.extrasOf(vehicleId), ctx.labelPrefix);
      runtime.plan = plan;
      try {
        const result = await ensureMonitors(ctx.client, vehicleId, callbackId, ctx.labelPrefix, plan.monitors);
        this.intake.setMonitors(vehicleId, result.monitors);
        runtime.covered = new Set([...result.monitors.values()].flatMap((d) => d.covers));
        const changes = [`${result.created} created`, `${result.updated} updated`, `${result.deleted} deleted`].filter((c) => !c.startsWith('0 '));
        if (changes.length > 0) ctx.logger.info(`${vehicleId}: monitors ${changes.join(', ')}`);
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
