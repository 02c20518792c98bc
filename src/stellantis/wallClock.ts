/**
 * Wall-clock maths of the remote bodies: "HH:MM" and ISO 8601 day durations for programs, the next
 * occurrence of a time of day in an IANA time zone (DST included), RFC 3339 instants.
 */
import { InvalidActionError } from './actionChecks';

const HH_MM = /^(\d{1,2}):(\d{2})$/;
const ISO_DAY_DURATION = /^PT(?:(\d{1,2})H)?(?:(\d{1,2})M)?(?:(\d{1,2})S)?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function parseHhMm(text: string): { h: number; m: number } | undefined {
  const m = HH_MM.exec(text.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h <= 23 && min <= 59 ? { h, m: min } : undefined;
}

/** "07:30" or "PT7H30M" (minutes since midnight, below 24 h) -> "PT7H30M". */
export function normalizeProgramStart(start: unknown, field: string): string {
  const hint = 'send "HH:MM" such as "07:30", or an ISO 8601 duration from midnight such as "PT7H30M"';
  if (typeof start !== 'string') throw new InvalidActionError(field, `missing; ${hint}`);
  const text = start.trim();
  const clock = parseHhMm(text);
  if (clock) return `PT${clock.h}H${clock.m}M`;
  const d = ISO_DAY_DURATION.exec(text.toUpperCase());
  if (d && text.length > 2 && (d[1] ?? d[2] ?? d[3]) !== undefined) {
    const seconds = Number(d[1] ?? 0) * 3600 + Number(d[2] ?? 0) * 60 + Number(d[3] ?? 0);
    if (seconds < 24 * 3600 && seconds % 60 === 0) {
      const minutes = seconds / 60;
      return `PT${Math.floor(minutes / 60)}H${minutes % 60}M`;
    }
    throw new InvalidActionError(field, `'${start}' must be whole minutes between 00:00 and 23:59; ${hint}`);
  }
  throw new InvalidActionError(field, `'${start}' is not a time; ${hint}`);
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (positive east of Greenwich). */
function zoneOffsetMs(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The UTC instant of wall-clock y-m-d h:m in `timeZone` (DST gaps move forward, like clocks do). */
function wallClockToUtc(y: number, mo: number, d: number, h: number, m: number, timeZone: string): number {
  const guess = Date.UTC(y, mo, d, h, m);
  const first = guess - zoneOffsetMs(guess, timeZone);
  return guess - zoneOffsetMs(first, timeZone);
}

export function toRfc3339Utc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Next occurrence (strictly after `now`) of "HH:MM" in `timeZone`, as an RFC 3339 UTC instant. */
export function nextOccurrence(hhmm: { h: number; m: number }, now: Date, timeZone: string): string {
  const offset = zoneOffsetMs(now.getTime(), timeZone);
  const local = new Date(now.getTime() + offset);
  for (let addDays = 0; addDays <= 2; addDays++) {
    const at = wallClockToUtc(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + addDays, hhmm.h, hhmm.m, timeZone);
    if (at > now.getTime()) return toRfc3339Utc(at);
  }
  throw new Error('unreachable: no next occurrence within two days');
}

export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    throw new InvalidActionError('timeZone', `'${timeZone}' is not a known time zone; send an IANA name such as "Europe/Paris"`);
  }
}

/** The instant of an RFC 3339 date-time in ms, or undefined when it is not one (or not a real date). */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  const ms = m ? Date.parse(text.replace(/^(.{10})[t ]/, '$1T')) : NaN;
  const real = m !== null && !Number.isNaN(ms) && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) <= new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate()
    && Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 59;
  return real ? ms : undefined;
}
