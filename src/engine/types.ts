/**
 * The engine both faces share: one `StellantisAccount` per configured account. Homebridge and
 * Node-RED only call what is declared here; they never talk to the API client directly.
 *
 * Data path: face -> account.send(vehicleId, action) -> queue -> API POST -> notifications at the
 * webhook -> the remote's state machine -> one RemoteProgress event -> face.
 */
import type { EventEmitter } from 'node:events';
import type { RemoteAction } from '../stellantis/actions';
import type { WebhookMessage } from '../stellantis/wire';
import type { RemoteHandle, RemoteProgress } from '../remotes/types';
import type { VehicleState } from '../stellantis/vehicleState';
import type { ApiVehicle } from '../stellantis/client';
import type { VehicleCapabilities } from '../stellantis/capabilities';
import type { VehicleSense } from './senses';
import type { CoveredPart } from './monitorPlan';
import type { ChargeLimitEvent, ChargeLimitInfo } from './chargeLimit';
import type { WakeUpBudget } from '../remotes/wakeUpBudget';
import type { ChargeProgramEdit } from '../stellantis/chargePrograms';

export type { SenseKind, VehicleSense } from './senses';
export type { CoveredPart } from './monitorPlan';

/** One monitor of a car's plan: its key, what it keeps current, and its id once it runs at Stellantis. */
export interface VehicleMonitorInfo {
  key: string;
  covers: readonly CoveredPart[];
  monitorId?: string;
}

/** A car's monitors as planned and as running (`dropped`: wanted, left out to stay within five). */
export interface VehicleMonitors {
  monitors: VehicleMonitorInfo[];
  dropped: string[];
  /** The parts no monitor keeps current (a status read covers them). */
  uncovered: CoveredPart[];
}

export type { ApiVehicle } from '../stellantis/client';
export type { VehicleCapabilities } from '../stellantis/capabilities';
export type { ChargeLimitEvent, ChargeLimitInfo, ChargeLimitMethod } from './chargeLimit';
export type { ChargeProgramEdit } from '../stellantis/chargePrograms';
export type { RemoteEnd, RemoteEndResult, RemoteHandle, RemotePhase, RemoteProgress } from '../remotes/types';

export interface VehicleStateChange {
  vehicleId: string;
  state: VehicleState;
  /** What caused the change. */
  source: 'status' | 'monitor' | 'remote' | 'restore';
  at: number;
}

/** What a car can do became known or changed (undefined: the car gives none; every control stays). */
export interface VehicleCapabilitiesChange {
  vehicleId: string;
  capabilities: VehicleCapabilities | undefined;
  /** 'restore': saved at the last run; 'vehicle': read from the car now. */
  source: 'restore' | 'vehicle';
}

export interface AccountEvents {
  remote: (p: RemoteProgress) => void;
  state: (c: VehicleStateChange) => void;
  capabilities: (c: VehicleCapabilitiesChange) => void;
  /**
   * Every notification received (remote and monitor), as received (unknown fields kept), with the
   * vehicle it is about when the engine knows it (one of its remotes or monitors).
   */
  notification: (m: WebhookMessage, meta: { vehicleId?: string }) => void;
  /** A moment of the car (arrived or left home, alarm, plugged in or out, driving or parked): see senses.ts. */
  sense: (s: VehicleSense) => void;
  /** Problems worth one log line (already de-duplicated and explained). */
  problem: (p: { message: string; vehicleId?: string }) => void;
  /** The charge limit was set or cleared, stopped a charge, or could not (and why). */
  chargeLimit: (e: ChargeLimitEvent) => void;
}

/** AccountEvents as the argument lists of a typed node:events EventEmitter. */
export type AccountEventArgs = { [E in keyof AccountEvents]: Parameters<AccountEvents[E]> };

export interface AccountHandle extends EventEmitter<AccountEventArgs> {
  /** Configured vehicles (id, display name, features). */
  readonly vehicleIds: readonly string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  send(vehicleId: string, action: RemoteAction): RemoteHandle;
  /** Last known state, at once, never an API call. */
  stateOf(vehicleId: string): VehicleState;
  /**
   * What the car says it can do (read once at start, kept with the states), never an API call;
   * undefined while unknown or when the car gives none: every action is then tried.
   */
  capabilitiesOf(vehicleId: string): VehicleCapabilities | undefined;
  /** One status read (never wakes the car). */
  readStatus(vehicleId: string, opts?: { raw?: boolean }): Promise<{ state: VehicleState; raw?: unknown }>;
  /** Every vehicle of the account, as the API lists them (one call per page). */
  listVehicles(): Promise<ApiVehicle[]>;
  /** The car's monitor plan and which of its monitors run (never an API call). */
  monitorsOf?(vehicleId: string): VehicleMonitors;
  /**
   * Sets the car's charge limit (percent, 20..100; null removes it): kept by the car's charging
   * preferences where it supports them (their remote is returned), else by a monitor threshold.
   * Throws InvalidActionError for a bad percentage.
   */
  setChargeLimit(vehicleId: string, percent: number | null): RemoteHandle | undefined;
  /** The car's charge limit and how it is enforced, never an API call. */
  chargeLimitOf(vehicleId: string): ChargeLimitInfo | undefined;
  /** This month's wake-ups against the assumed cap (wakeUpsPerMonth), as far as we can tell; never an API call. */
  wakeUpBudgetOf?(vehicleId: string): WakeUpBudget;
  /**
   * Sets (with a program) or deletes (without) one charging program: merged into the list the
   * account knows (one status read only when it knows none), then the whole list sent.
   * Rejects with InvalidActionError for a bad slot or program, or when the car's list is unknown.
   */
  editChargeProgram(vehicleId: string, edit: ChargeProgramEdit): Promise<RemoteHandle>;
}
