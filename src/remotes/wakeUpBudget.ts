/**
 * The wake-up budget of a car for the calendar month, as far as we can tell: what the plugin
 * spent (refreshes sent, remotes that woke the car) against a cap Stellantis does not publish
 * (config wakeUpsPerMonth). Wake-ups spent by other apps (MyPeugeot, MyCitroën...) are not seen.
 */

export interface WakeUpBudget {
  /** The calendar month counted, 'YYYY-MM' (host local time). */
  month: string;
  /** Wake-ups the plugin spent this month. */
  used: number;
  /** The assumed monthly cap (wakeUpsPerMonth). */
  assumedCap: number;
  /** max(0, assumedCap - used); 0 once the car answered TooManyWakeUpsOverMonth. */
  left: number;
  /** Set once the car answered TooManyWakeUpsOverMonth: no refresh before this instant (the next month's first day). */
  blockedUntil?: number;
}

/** 'YYYY-MM' of an instant, host local time (the month the guard's block also uses). */
export function monthKeyOf(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** What other apps spend is invisible to us; said next to every figure. */
export const BUDGET_CAVEAT =
  'as far as we can tell: wake-ups by other apps (MyPeugeot, MyCitroën...) are not seen, and the cap is an assumption (wakeUpsPerMonth)';

/** One line: "3 wake-ups this month, about 17 left (assumed cap 20)", or the cap reached with its date. */
export function describeWakeUpBudget(b: WakeUpBudget): string {
  const used = `${b.used} wake-up${b.used === 1 ? '' : 's'} this month`;
  if (b.blockedUntil !== undefined) {
    return `${used}, none left: the car answered TooManyWakeUpsOverMonth; no refresh before ${new Date(b.blockedUntil).toLocaleDateString()}`;
  }
  return `${used}, about ${b.left} left (assumed cap ${b.assumedCap})`;
}
