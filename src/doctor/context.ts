/** What the checks share while the doctor runs: the results so far and what they found. */
import type { ResolvedAccountConfig } from '../config/validate';
import type { ApiVehicle, StellantisClient } from '../stellantis/client';
import type { LoadedClientTls } from '../stellantis/tls';
import type { UserCallback } from '../stellantis/wire';
import type { DoctorCalls, DoctorCheck, DoctorCheckId, DoctorOptions } from './types';

export interface DoctorContext {
  readonly opts: DoctorOptions;
  /** The configuration as given. */
  readonly input: unknown;
  /** Values that must never be shown (scrubbed from every detail and fix). */
  readonly secrets: Set<string>;
  readonly calls: DoctorCalls;
  readonly now: () => number;
  config?: ResolvedAccountConfig;
  tls?: LoadedClientTls;
  /** The access token obtained by the token check (b2c). */
  accessToken?: string;
  client?: StellantisClient;
  /** The account's vehicles (all pages). */
  vehicles?: ApiVehicle[];
  /** Our callback, when found. */
  callback?: UserCallback;
}

/** A check's outcome before the runner adds its id and title. */
export type CheckOutcome = Omit<DoctorCheck, 'id' | 'title'>;

export interface CheckDefinition {
  id: DoctorCheckId;
  title: string;
  /** Checks that must have passed (or been not applicable) for this one to run. */
  needs: readonly DoctorCheckId[];
  run(ctx: DoctorContext): Promise<CheckOutcome>;
}

export function passed(detail: string): CheckOutcome {
  return { ok: true, detail };
}

export function failed(detail: string, fix: string): CheckOutcome {
  return { ok: false, detail, fix };
}

export function notApplicable(detail: string): CheckOutcome {
  return { ok: 'skipped', detail };
}

/** Config key → what to run after fixing, for messages: `stellantis <cmd> --config ... --storage ...`. */
export function cliHint(ctx: DoctorContext, command: string): string {
  return `\`stellantis ${command} --config <file.json> --storage ${ctx.opts.storageDir}\``;
}
