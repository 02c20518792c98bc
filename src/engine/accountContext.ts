/**
 * What the parts of one account share (the remotes' life, the intake of notifications, the watch
 * of the vehicles): built once by the façade, StellantisAccount.
 */
import type { ResolvedAccountConfig } from '../config/validate';
import type { StellantisClient } from '../stellantis/client';
import type { Logger } from '../util/logger';
import { DEFAULT_WAKE_UP_GUARD } from '../remotes/wakeUpGuard';
import type { CallbackRegistration } from './callbackRegistration';
import type { ProblemReporter } from './problemReporter';
import type { VehicleStates } from './vehicleStates';

/** How long a StellantisAccount waits and how often it may wake a car (tests shorten them). */
export interface AccountTimings {
  /** Silence after which a remote is read back. Default 180 000 ms. */
  noNotificationTimeoutMs?: number;
  /** Delays between the read-backs that follow the silence. Default [5000, 10000, 20000, 40000]. */
  readBackBackoffMs?: readonly number[];
  /** Status read interval when monitors are unavailable. Default config.statusIntervalMinutes (30 min). */
  statusIntervalMs?: number;
  /** Refresh limit per vehicle. Default 6 per 20 minutes. */
  wakeUpGuard?: { max: number; windowMs: number };
  /** Delay of the status read that follows a successful remote. Default 3000 ms. */
  statusAfterSuccessDelayMs?: number;
  /** First delay before retrying a callback registration that failed for a passing reason. Default 60 000 ms. */
  registrationRetryMs?: number;
}

export type ResolvedAccountTimings = Required<Omit<AccountTimings, 'readBackBackoffMs'>> & { readBackBackoffMs: readonly number[] };

const DEFAULT_BACKOFF = [5000, 10000, 20000, 40000] as const;

export function resolveAccountTimings(o: AccountTimings = {}, config: Pick<ResolvedAccountConfig, 'statusIntervalMinutes'>): ResolvedAccountTimings {
  return {
    noNotificationTimeoutMs: o.noNotificationTimeoutMs ?? 180_000,
    readBackBackoffMs: o.readBackBackoffMs ?? DEFAULT_BACKOFF,
    statusIntervalMs: o.statusIntervalMs ?? (config.statusIntervalMinutes ?? 30) * 60_000,
    wakeUpGuard: o.wakeUpGuard ?? DEFAULT_WAKE_UP_GUARD,
    statusAfterSuccessDelayMs: o.statusAfterSuccessDelayMs ?? 3000,
    registrationRetryMs: o.registrationRetryMs ?? 60_000,
  };
}

export interface AccountContext {
  readonly config: ResolvedAccountConfig;
  readonly client: StellantisClient;
  readonly logger: Logger;
  readonly options: ResolvedAccountTimings;
  readonly problems: ProblemReporter;
  readonly states: VehicleStates;
  readonly callbacks: CallbackRegistration;
  readonly vehicleIds: readonly string[];
  /** Our callback's label, and the prefix of our monitors' and remotes' labels. */
  readonly labelPrefix: string;
  /** True once stop() began: nothing new starts, late answers change nothing. */
  isStopped(): boolean;
  /** Runs `fn` after `ms` unless the account stops first. */
  later(ms: number, fn: () => void): void;
}
