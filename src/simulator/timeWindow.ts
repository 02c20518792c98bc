/**
 * Time triggers (`TimeTrigger.times[]`, each a `TimeTriggerEntry`): a `Daily` entry is a window
 * starting at a time of day (`PT22H`) for `duration`, on the days of `occurence.day` (every day
 * when absent), in `timeZone`; a `None` entry starts at an absolute RFC 3339 time and lasts
 * `duration` (open-ended without one).
 */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export type Day = (typeof DAYS)[number];

export type TimeEntry =
  | { recurrence: 'Daily'; startMinutes: number; durationMinutes: number; days: Day[] }
  | { recurrence: 'None'; startAt: number; durationMs?: number };

const DURATION = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** An ISO 8601 duration (days, hours, minutes, seconds) in ms, or undefined when it is not one. */
export function durationMs(text: unknown): number | undefined {
  if (typeof text !== 'string' || text === 'P' || text.endsWith('T')) return undefined;
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const [d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0));
  return ((d * 24 + h) * 60 + min) * 60_000 + s * 1000;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the time zone is one Intl knows (`Europe/Paris`). */
export function knownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function localTime(at: number, timeZone: string): { day: number; minutes: number } {
  const parts = formatter(timeZone).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: DAYS.indexOf(get('weekday') as Day), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

export function isDay(x: unknown): x is Day {
  return DAYS.includes(x as Day);
}

/** Whether `at` falls within one of the entries. */
export function withinTimes(entries: readonly TimeEntry[], timeZone: string, at: number): boolean {
  let local: { day: number; minutes: number } | undefined;
  return entries.some((e) => {
    if (e.recurrence === 'None') return at >= e.startAt && (e.durationMs === undefined || at < e.startAt + e.durationMs);
    local ??= localTime(at, timeZone);
    // A window may run past midnight: look at the windows opened on the previous days too.
    const daysBack = Math.ceil((e.startMinutes + e.durationMinutes) / 1440);
    for (let k = 0; k < daysBack; k++) {
      const day = DAYS[(local.day - k + 7 * 8) % 7];
      const minutes = local.minutes + k * 1440;
      if (e.days.includes(day) && minutes >= e.startMinutes && minutes < e.startMinutes + e.durationMinutes) return true;
    }
    return false;
  });
}
