/**
 * Runs the checks in order. A check whose prerequisite failed is 'skipped' with the reason; every
 * text is scrubbed of the secrets met on the way. The doctor makes at most one token request,
 * GET /user, one vehicles list and one callbacks list (with their pages), and never sends a remote.
 */
import { scrubSecrets } from '../stellantis/errors';
import { apiCheck } from './checks/api';
import { callbackCheck } from './checks/callback';
import { certificateCheck } from './checks/certificate';
import { configCheck } from './checks/config';
import { listenerCheck } from './checks/listener';
import { tokenCheck } from './checks/token';
import { vehiclesCheck } from './checks/vehicles';
import { wakeUpsCheck } from './checks/wakeUps';
import { monitorsCheck } from './checks/monitors';
import type { CheckDefinition, CheckOutcome, DoctorContext } from './context';
import type { DoctorCheck, DoctorCheckId, DoctorOptions, DoctorReport } from './types';
import { errorText } from '../util/errorText';

export const DOCTOR_CHECKS: readonly CheckDefinition[] = [
  configCheck,
  certificateCheck,
  tokenCheck,
  apiCheck,
  vehiclesCheck,
  callbackCheck,
  listenerCheck,
  wakeUpsCheck,
  monitorsCheck,
];

const SECRET_KEYS = ['clientSecret', 'password'] as const;

/** Secret values of the configuration as given, even when it does not validate. */
function secretsOf(input: unknown): string[] {
  if (typeof input !== 'object' || input === null) return [];
  const o = input as Record<string, unknown>;
  const nested = (key: string, sub: string): unknown => {
    const v = o[key];
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[sub] : undefined;
  };
  return [...SECRET_KEYS.map((k) => o[k]), nested('webhook', 'secret'), nested('certificate', 'passphrase')].filter(
    (v): v is string => typeof v === 'string' && v !== '',
  );
}

/** The checks one by one, as they finish (for faces that show progress). Returns the report. */
export async function* doctorChecks(config: unknown, opts: DoctorOptions): AsyncGenerator<DoctorCheck, DoctorReport> {
  const now = opts.now ?? Date.now;
  const started = now();
  const ctx: DoctorContext = { opts, input: config, secrets: new Set(secretsOf(config)), calls: { token: 0, api: 0, listener: 0 }, now };
  /** Checks that failed, or were skipped because something they need failed. */
  const blocked = new Map<DoctorCheckId, string>();
  const checks: DoctorCheck[] = [];
  try {
    for (const def of DOCTOR_CHECKS) {
      const missing = def.needs.filter((id) => blocked.has(id));
      let outcome: CheckOutcome;
      if (missing.length > 0) {
        const titles = missing.map((id) => blocked.get(id) ?? id).join(', ');
        outcome = { ok: 'skipped', detail: `skipped: needs ${titles}, which did not pass` };
        blocked.set(def.id, def.title);
      } else {
        try {
          outcome = await def.run(ctx);
        } catch (err) {
          outcome = { ok: false, detail: `unexpected error: ${errorText(err)}`, fix: 'run the doctor again; if it persists, report it' };
        }
        if (outcome.ok === false) blocked.set(def.id, def.title);
      }
      const check = scrubbed({ id: def.id, title: def.title, ...outcome }, ctx.secrets);
      checks.push(check);
      yield check;
    }
  } finally {
    ctx.client?.close();
  }
  const ok = checks.every((c) => c.ok !== false);
  return { ok, exitCode: ok ? 0 : 1, checks, calls: { ...ctx.calls }, startedAt: new Date(started).toISOString(), durationMs: now() - started };
}

/** Runs every check and resolves with the JSON-friendly report. `onCheck` sees each check as it finishes. */
export async function runDoctor(config: unknown, opts: DoctorOptions & { onCheck?: (check: DoctorCheck) => void }): Promise<DoctorReport> {
  const run = doctorChecks(config, opts);
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
    opts.onCheck?.(next.value);
  }
}

function scrubbed(check: DoctorCheck, secrets: ReadonlySet<string>): DoctorCheck {
  const list = [...secrets];
  const out: DoctorCheck = { ...check, detail: scrubSecrets(check.detail, list) };
  if (check.fix !== undefined) out.fix = scrubSecrets(check.fix, list);
  return out;
}
