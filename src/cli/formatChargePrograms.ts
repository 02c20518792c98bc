/** Charging programs as the terminal shows them: "1: Mon-Fri 22:30-06:30 (enabled); 2: ...", or "none". */
import type { ChargeProgramState } from '../stellantis/vehicleState';

const WEEK = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Mon,Tue,Wed,Thu,Fri -> Mon-Fri; runs of three days or more as ranges. */
export function daysText(days: readonly string[]): string {
  const known = WEEK.filter((d) => days.includes(d));
  const other = days.filter((d) => !WEEK.includes(d));
  if (known.length === 7) return ['every day', ...other].join(',');
  const parts: string[] = [];
  for (let i = 0; i < known.length; ) {
    let j = i;
    while (j + 1 < known.length && WEEK.indexOf(known[j + 1]) === WEEK.indexOf(known[j]) + 1) j++;
    parts.push(j - i >= 2 ? `${known[i]}-${known[j]}` : known.slice(i, j + 1).join(','));
    i = j + 1;
  }
  return [...parts, ...other].join(',') || 'no day';
}

export function chargeProgramText(p: ChargeProgramState): string {
  const window = p.end !== undefined ? `${p.start ?? '?'}-${p.end}` : `from ${p.start ?? '?'}${p.chargeUntilFull ? ' until full' : ''}`;
  return `${p.slot}: ${daysText(p.days)} ${window} (${p.enabled ? 'enabled' : 'disabled'})`;
}

export function chargeProgramsText(programs: readonly ChargeProgramState[]): string {
  return programs.length === 0 ? 'none' : programs.map(chargeProgramText).join('; ');
}
