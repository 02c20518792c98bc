/**
 * Small, forgiving readers of the raw status JSON: values of the wrong type read as undefined,
 * and every block's time comes from its updatedAt or createdAt.
 */
import type { StatePart } from './vehicleStateTypes';

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

/** "PT1H30M" (also days and seconds) -> whole minutes. */
export function isoDurationMinutes(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().length <= 2 || /T$/i.test(text.trim())) return undefined;
  const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((v) => (v === undefined ? 0 : Number(v)));
  return Math.round(d * 1440 + h * 60 + min + s / 60);
}

export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
