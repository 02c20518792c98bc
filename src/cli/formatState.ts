/** The normalized VehicleState as a few aligned lines for a terminal. */
import type { AlarmState, Battery12vState, BatteryHealthState, BatteryLoadState, OpeningsState, StatePart, VehicleState } from '../stellantis/vehicleState';
import { partAgeMs } from '../stellantis/vehicleState';
import { chargeProgramsText } from './formatChargePrograms';

export function formatAge(ms: number | undefined): string {
  if (ms === undefined) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s ago`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

function level(part: { level?: number; rangeKm?: number }): string {
  const bits: string[] = [];
  if (part.level !== undefined) bits.push(`${part.level} %`);
  if (part.rangeKm !== undefined) bits.push(`${part.rangeKm} km range`);
  return bits.join(', ') || 'unknown';
}

function minutes(total: number): string {
  const h = Math.floor(total / 60);
  const m = total % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

const OPENING_NAMES: Record<string, string> = {
  Driver: 'driver door',
  Passenger: 'passenger door',
  RearLeft: 'rear left door',
  RearRight: 'rear right door',
  Trunk: 'boot',
  RearWindow: 'rear window',
  RoofWindow: 'roof',
};

/** "open: boot, roof; closed: driver door, ..." (each opening the car reported, in its order). */
function openings(o: OpeningsState): string {
  const entries = Object.entries(o.byId);
  const named = (position: string): string[] => entries.filter(([, p]) => p === position).map(([id]) => OPENING_NAMES[id] ?? id);
  const open = named('open');
  const closed = named('closed');
  if (entries.length === 0) return 'none reported';
  if (open.length === 0) return `all closed (${closed.join(', ')})`;
  return closed.length > 0 ? `open: ${open.join(', ')}; closed: ${closed.join(', ')}` : `open: ${open.join(', ')}`;
}

function health(h: BatteryHealthState): string {
  const bits: string[] = [];
  if (h.capacityPercent !== undefined) bits.push(`capacity ${h.capacityPercent} %`);
  if (h.resistancePercent !== undefined) bits.push(`resistance ${h.resistancePercent} %`);
  return bits.join(', ') || 'unknown';
}

function load(l: BatteryLoadState): string {
  if (l.residualKwh !== undefined && l.capacityKwh !== undefined) return `${l.residualKwh} of ${l.capacityKwh} kWh`;
  if (l.residualKwh !== undefined) return `${l.residualKwh} kWh left`;
  return l.capacityKwh !== undefined ? `${l.capacityKwh} kWh usable` : 'unknown';
}

function aux(b: Battery12vState): string {
  const bits = [b.level !== undefined ? `${b.level} %` : 'level unknown'];
  if (b.current !== undefined) bits.push(`${b.current} A`);
  return bits.join(', ');
}

function alarm(a: AlarmState): string {
  if (a.armed === undefined) return `unknown (${a.activation})`;
  return `${a.armed ? 'armed' : 'not armed'} (${a.activation})`;
}

/** A duration from midnight as HH:MM (a day or more wraps). */
export function clockOf(ms: number): string {
  const total = Math.round(ms / 60_000) % (24 * 60);
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

export function formatVehicleState(state: VehicleState, now: Date = new Date()): string[] {
  const rows: Array<[string, string, StatePart | undefined]> = [];
  const { doors, battery, fuel, charging, preconditioning: pre } = state;
  if (doors) {
    const lock = doors.superLocked ? 'locked (deadlocked)' : doors.lock;
    const opening = doors.open === undefined ? '' : doors.open ? `, open: ${doors.openDoors.join(', ') || 'yes'}` : ', all closed';
    rows.push(['Doors', `${lock}${opening}`, doors]);
  }
  if (battery) rows.push(['Battery', level(battery), battery]);
  if (state.batteryHealth) rows.push(['Battery health', health(state.batteryHealth), state.batteryHealth]);
  if (state.batteryLoad) rows.push(['Battery energy', load(state.batteryLoad), state.batteryLoad]);
  if (fuel) rows.push(['Fuel', level(fuel), fuel]);
  if (charging) {
    const bits = [charging.plugged === undefined ? 'plug unknown' : charging.plugged ? 'plugged in' : 'not plugged in'];
    if (charging.status) bits.push(charging.status + (charging.mode && charging.mode !== 'No' ? ` (${charging.mode})` : ''));
    if (charging.remainingMinutes !== undefined && charging.status === 'InProgress') bits.push(`${minutes(charging.remainingMinutes)} to full`);
    if (charging.rateKmPerHour !== undefined && charging.status === 'InProgress') bits.push(`${charging.rateKmPerHour} km/h`);
    // PT0S (no deferred charge) is read as no `nextDelayed`, the text kept as sent.
    // Read as the start counted from midnight (docs/vehicle-state.md), so shown as a time of day.
    if (charging.nextDelayed) bits.push(`deferred charge: ${clockOf(charging.nextDelayed.ms)} (${charging.nextDelayedTime ?? ''} from midnight)`);
    else if (charging.nextDelayedTime !== undefined) bits.push('deferred charge: none');
    rows.push(['Charging', bits.join(', '), charging]);
    if (charging.programs) rows.push(['Charging programs', chargeProgramsText(charging.programs), undefined]);
  }
  if (pre) {
    const on = pre.on === undefined ? 'unknown' : pre.on ? 'on' : 'off';
    const bits = [pre.status ? `${on} (${pre.status})` : on];
    if (pre.failureCause) bits.push(`failure: ${pre.failureCause}`);
    rows.push(['Preconditioning', bits.join(', '), pre]);
    for (const p of pre.programs ?? []) {
      const when = p.time ?? p.start ?? '?';
      rows.push([`  program ${p.slot ?? '?'}`, `${p.enabled ? 'enabled' : 'disabled'}, ${when} on ${p.days.join(',') || 'no day'}`, undefined]);
    }
  }
  if (state.openings) rows.push(['Openings', openings(state.openings), state.openings]);
  if (state.alarm) rows.push(['Alarm', alarm(state.alarm), state.alarm]);
  if (state.battery12v) rows.push(['12 V battery', aux(state.battery12v), state.battery12v]);
  if (state.outsideTemperature) rows.push(['Outside', `${state.outsideTemperature.celsius} °C`, state.outsideTemperature]);
  if (state.ignition) rows.push(['Ignition', state.ignition.on ? `on (${state.ignition.state})` : 'off', state.ignition]);
  if (state.motion?.moving !== undefined) {
    const speed = state.motion.speedKmh !== undefined && state.motion.moving ? ` at ${state.motion.speedKmh} km/h` : '';
    rows.push(['Moving', state.motion.moving ? `yes${speed}` : 'no', state.motion]);
  }
  if (state.odometer) rows.push(['Odometer', `${state.odometer.km} km`, state.odometer]);
  if (state.position) rows.push(['Position', `${state.position.lat}, ${state.position.lon}`, state.position]);
  if (state.privacy) rows.push(['Privacy', state.privacy.state, state.privacy]);
  if (rows.length === 0) rows.push(['Status', 'the car sent no data yet', undefined]);
  if (state.updatedAt) rows.push(['Updated', state.updatedAt, { at: state.updatedAt }]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value, part]) => {
    const age = formatAge(partAgeMs(part, now));
    return `${`${label}:`.padEnd(width)}${value}${age ? `  (${age})` : ''}`;
  });
}
