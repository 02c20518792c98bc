/**
 * Small, forgiving readers of the raw status JSON: values of the wrong type read as undefined,
 * and every block's time comes from its updatedAt or createdAt.
 */
import type { IsoDuration, StatePart } from './vehicleStateTypes';

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim().replace(',', '.'));
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Age in ms of a part at `now` (undefined when the part has no time). */
export function partAgeMs(part: StatePart | undefined, now: Date = new Date()): number | undefined {
  const ms = part?.at === undefined ? NaN : Date.parse(part.at);
  return Number.isNaN(ms) ? undefined : Math.max(0, now.getTime() - ms);
}

/** The time of a block: its updatedAt when present and valid, else its createdAt. */
export function timeOf(block: Json | undefined, now: Date): StatePart {
  for (const key of ['updatedAt', 'createdAt']) {
    const text = str(block?.[key]);
    if (text !== undefined && !Number.isNaN(Date.parse(text))) return { at: text, ageMs: partAgeMs({ at: text }, now) };
  }
  return {};
}

const ISO_DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** "PT1H30M" (also days and seconds) -> milliseconds; undefined when it is not such a duration. */
export function isoDurationMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const m = ISO_DURATION.exec(trimmed);
  if (!m || trimmed.length <= 2 || /T$/i.test(trimmed)) return undefined;
  const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((v) => (v === undefined ? 0 : Number(v)));
  return Math.round(((d * 24 + h) * 60 + min) * 60_000 + s * 1000);
}

/** "PT1H30M" (also days and seconds) -> whole minutes. */
export function isoDurationMinutes(text: string | undefined): number | undefined {
  const ms = isoDurationMs(text);
  return ms === undefined ? undefined : Math.round(ms / 60_000);
}

/** A duration field of the status: undefined when absent, unreadable or zero (`PT0S` means none). */
export function readIsoDuration(value: unknown): IsoDuration | undefined {
  const iso = str(value)?.trim();
  const ms = isoDurationMs(iso);
  return iso === undefined || ms === undefined || ms === 0 ? undefined : { iso, ms };
}

/**
 * The candidate with the newest `at` (the same reading carried by two blocks, e.g. `energies[]`
 * and the legacy `energy[]`). A timed candidate beats an untimed one; on a tie the first wins.
 */
export function newestOf<T extends StatePart>(candidates: ReadonlyArray<T | undefined>): T | undefined {
  let best: T | undefined;
  let bestMs = -Infinity;
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    const ms = candidate.at === undefined ? NaN : Date.parse(candidate.at);
    const rank = Number.isNaN(ms) ? -Infinity : ms;
    if (best === undefined || rank > bestMs) {
      best = candidate;
      bestMs = rank;
    }
  }
  return best;
}

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
