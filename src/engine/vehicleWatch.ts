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
import { vehicleOfStatus } from './fleetStatus';
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
    case 'charge-programs':
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
    // The list sent replaces the car's, so the expected state already holds it: nothing to read.
    if (action.kind === 'charge-programs') return;
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

  /** B2B: every car's status from the fleet's paged status (one call per page); the cars read. */
  async readFleetStatus(): Promise<Set<string>> {
    const { ctx } = this;
    const seen = new Set<string>();
    for (const raw of await ctx.client.listFleetStatus()) {
      const vehicleId = vehicleOfStatus(raw, ctx.config.vehicles ?? []);
      if (!vehicleId || seen.has(vehicleId)) continue;
      seen.add(vehicleId);
      const state = withHome(readVehicleStatus(raw), this.homeOf(vehicleId));
      const runtime = this.runtimeOf(vehicleId);
      runtime.electric = state.battery !== undefined || state.charging !== undefined;
      ctx.states.fromStatus(vehicleId, state);
    }
    return seen;
  }

  /** First status, monitors, polling fallback: for every vehicle, on our current callback. */
  async setUp(opts: { readStatus: boolean } = { readStatus: true }): Promise<void> {
    if (this.ctx.config.flavour === 'b2b') return this.setUpFleet(opts.readStatus);
    this.intake.listingStarted();
    try {
      await Promise.all(this.ctx.vehicleIds.map((id) => this.setUpVehicle(id, opts.readStatus)));
    } finally {
      this.intake.listingEnded();
    }
    if (this.ctx.isStopped()) return;
    await this.intake.monitorsKnown();
  }

  /**
   * A feature's extra changed (the charge limit set, moved or removed): this car's plan applied again,
   * monitors only (one list call, then only what differs); never a status read, never a wake-up.
   */
  async replan(vehicleId: string): Promise<void> {
    if (this.ctx.config.flavour === 'b2b' || !this.ctx.vehicleIds.includes(vehicleId)) return;
    this.intake.listingStarted();
    try {
      await this.setUpVehicle(vehicleId, false);
    } finally {
      this.intake.listingEnded();
    }
    if (!this.ctx.isStopped()) await this.intake.monitorsKnown();
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
    if (this.fleetTimer) clearInterval(this.fleetTimer);
  }

  private fleetTimer: NodeJS.Timeout | undefined;

  /** B2B: one paged fleet status read at start and every statusIntervalMs, never one per car. */
  private async setUpFleet(readStatus: boolean): Promise<void> {
    const { ctx } = this;
    const readAll = () =>
      this.readFleetStatus()
        .then((seen) => {
          const missing = ctx.vehicleIds.filter((id) => !seen.has(id));
          if (missing.length > 0) ctx.problems.report(`the fleet status has no status for ${missing.join(', ')}: check vehicles[].id (or vin)`);
        })
        .catch((err: unknown) => ctx.problems.report(`could not read the fleet status: ${explainError(err)}`));
    if (readStatus) await readAll();
    if (!ctx.isStopped() && !this.fleetTimer) {
      this.fleetTimer = setInterval(() => void (ctx.isStopped() ? undefined : readAll()), ctx.options.statusIntervalMs);
      this.fleetTimer.unref();
    }
  }

  private runtimeOf(vehicleId: string): VehicleRuntime {
    const runtime = this.vehicles.get(vehicleId) ?? { electric: false, covered: new Set<CoveredPart>() };
    this.vehicles.set(vehicleId, runtime);
    return runtime;
  }

  private async setUpVehicle(vehicleId: string, readStatus: boolean): Promise<void> {
    const { ctx } = this;
    const runtime = this.runtimeOf(vehicleId);
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
