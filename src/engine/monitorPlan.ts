/**
 * The monitor plan of one car: which monitors it should have, within the API's five per vehicle
 * and client, each a compound trigger (`triggerParam.triggers` joined by `boolExp`) with the latest
 * full status attached (`extendedEventParam: ['vehicle.status', ...]`), so one event refreshes every
 * part of the state, not just the value that fired. Pure: no API call; `monitors.ts` applies it.
 *
 * ## API for features that need a trigger (stable)
 *
 *   planFor({ vehicle, capabilities, electric, home }, extras?: PlanExtra[]): MonitorPlan
 *
 * A feature (e.g. a charge limit) asks for one monitor of its own by passing a `PlanExtra`:
 *
 *   { key: 'chargeLimit',                        // [a-zA-Z]+, unique; the label is `<prefix>:chargeLimit:<hash>`
 *     triggers: [{ name: 'level', data: { data: 'vehicle.energy.electric.level', op: 'greaterThan', value: ['80'] } },
 *                { name: 'charging', data: { data: 'vehicle.energy.charging.status', op: 'equalsTo', value: ['InProgress'] } }],
 *     boolExp: 'level & charging',
 *     covers: ['battery'] }                       // optional: parts its events keep current
 *
 * Its events reach the account like any monitor's: the attached status updates the state, and the
 * `notification` event carries the message (its `monitorEvent.monitorId` is `plan.monitors[i]` once
 * set up: `account.monitorsOf(vehicleId)` lists them with their key). Extras come right after the
 * car's state monitor in priority (then arrive, leave, alarm, motion, charging); what does not fit
 * in five is listed in `plan.dropped`.
 * Changing an extra's triggers changes its label hash: the monitor is updated, never duplicated.
 */
import { createHash } from 'node:crypto';
import type { MonitorParameter } from '../stellantis/client';
import type { VehicleCapabilities } from '../stellantis/capabilities';
import type { ResolvedVehicleConfig } from '../config/resolved';
import type { HomeZone } from '../config/account';

export type { HomeZone } from '../config/account';

export const MAX_MONITORS_PER_VEHICLE = 5;

/** A part of the vehicle state a monitor keeps current (its events carry the latest status). */
export type CoveredPart = 'doors' | 'openings' | 'battery' | 'charging' | 'preconditioning' | 'alarm' | 'motion' | 'position' | 'home';

export interface PlanTrigger {
  /** Letters only (the spec's pattern), unique in its monitor. */
  name: string;
  data?: { data: string; op: 'onChange' | 'equalsTo' | 'greaterThan' | 'lowerThan' | 'includedIn'; value?: string[] };
  zone?: { transition: 'In' | 'Out'; place: { radius: number; center: { latitude: number; longitude: number } } };
}

export interface PlanExtra {
  key: string;
  triggers: PlanTrigger[];
  boolExp: string;
  covers?: CoveredPart[];
  /** Reminder events every so many seconds while the condition holds (at least 60). */
  refreshSeconds?: number;
}

export interface PlannedMonitor {
  /** Stable name of the monitor in the plan ('state', 'arrive', 'leave', 'alarm', 'motion', 'charging', or an extra's key). */
  key: string;
  /** `<prefix>:<key>:<hash of the body>`: found by `<prefix>:<key>:`, updated when the hash differs. */
  label: string;
  body: MonitorParameter;
  covers: CoveredPart[];
}

export interface MonitorPlan {
  monitors: PlannedMonitor[];
  /** Keys wanted but left out to stay within five monitors. */
  dropped: string[];
}

export interface PlanInput {
  vehicle: Pick<ResolvedVehicleConfig, 'features' | 'home'>;
  capabilities?: VehicleCapabilities;
  /** The car has a traction battery (from its status or capabilities). */
  electric: boolean;
}

/** Reminder period of the charging monitor: the level while charging, from the attached status. */
export const CHARGING_REMINDER_SECONDS = 1800;

interface Candidate {
  key: string;
  triggers: PlanTrigger[];
  boolExp?: string;
  extensions: string[];
  covers: CoveredPart[];
  refreshSeconds?: number;
}

const onChange = (name: string, data: string): PlanTrigger => ({ name, data: { data, op: 'onChange' } });

/** The API's zone radius is whole kilometres: the zone is the smallest circle around the home that holds it. */
export function zoneRadiusKm(radiusM: number): number {
  return Math.max(1, Math.ceil(radiusM / 1000));
}

function stateMonitor(input: PlanInput): Candidate | undefined {
  const f = input.vehicle.features;
  const caps = input.capabilities;
  const triggers: PlanTrigger[] = [];
  const covers: CoveredPart[] = [];
  if (f.doors !== false && caps?.door.supported !== false) {
    triggers.push(onChange('locked', 'vehicle.doorsState.lockedState'));
    covers.push('doors');
  }
  if (f.doors !== false || f.boot !== false || f.windows !== false) {
    triggers.push(onChange('opening', 'vehicle.doorsState.opening'));
    covers.push('openings');
  }
  const charging = input.electric && f.charging !== false && caps?.charging.supported !== false;
  if (charging) {
    triggers.push(onChange('charging', 'vehicle.energy.charging.status'), onChange('plugged', 'vehicle.energy.charging.plugged'));
    covers.push('charging', 'battery');
  }
  if (f.preconditioning !== false && caps?.preconditioning.supported !== false) {
    triggers.push(onChange('climate', 'vehicle.preconditioning.airConditioning'));
    covers.push('preconditioning');
  }
  return triggers.length === 0 ? undefined : { key: 'state', triggers, extensions: ['vehicle.status'], covers };
}

/**
 * Two monitors, one per transition: a zone trigger holds while the car is in (or out of) the circle,
 * so `arrive | leave` would always be true (refused) and one of them alone says nothing of the other.
 */
function homeMonitors(home: HomeZone | undefined): Candidate[] {
  if (!home) return [];
  const place = { radius: zoneRadiusKm(home.radiusM), center: { latitude: home.lat, longitude: home.lon } };
  const extensions = ['vehicle.status', 'vehicle.position'];
  return [
    { key: 'arrive', triggers: [{ name: 'arrive', zone: { transition: 'In', place } }], extensions, covers: ['home', 'position'] },
    { key: 'leave', triggers: [{ name: 'leave', zone: { transition: 'Out', place } }], extensions, covers: ['home', 'position'] },
  ];
}

const ALARM: Candidate = {
  key: 'alarm',
  triggers: [onChange('triggered', 'vehicle.alarm.trigger.type'), onChange('armed', 'vehicle.alarm.status.activation')],
  extensions: ['vehicle.status', 'vehicle.alarm'],
  covers: ['alarm'],
};

const MOTION: Candidate = {
  key: 'motion',
  triggers: [onChange('moving', 'vehicle.kinetic.moving'), onChange('tripStart', 'vehicle.trip.start'), onChange('tripStop', 'vehicle.trip.stop')],
  extensions: ['vehicle.status', 'vehicle.position'],
  covers: ['motion', 'position'],
};

/** While charging, a reminder every 30 min carrying the status: the level rises without a poll. */
const CHARGING_LEVEL: Candidate = {
  key: 'charging',
  triggers: [{ name: 'charging', data: { data: 'vehicle.energy.charging.status', op: 'equalsTo', value: ['InProgress'] } }],
  extensions: ['vehicle.status'],
  covers: ['battery'],
  refreshSeconds: CHARGING_REMINDER_SECONDS,
};

function bodyOf(prefix: string, c: Candidate): { label: string; body: MonitorParameter } {
  const core: MonitorParameter = {
    label: '',
    triggerParam: { triggers: c.triggers, boolExp: c.boolExp ?? c.triggers.map((t) => t.name).join(' | ') },
    extendedEventParam: c.extensions,
    ...(c.refreshSeconds !== undefined ? { subscribeParam: { refreshEvent: Math.max(60, Math.round(c.refreshSeconds)) } } : {}),
  };
  const hash = createHash('sha256').update(JSON.stringify({ ...core, label: c.key })).digest('hex').slice(0, 8);
  const label = `${prefix}:${c.key}:${hash}`;
  return { label, body: { ...core, label } };
}

/** The label prefix of one plan key (`<prefix>:<key>:`): how a monitor of ours is found again. */
export function planKeyPrefix(prefix: string, key: string): string {
  return `${prefix}:${key}:`;
}

/** The plan key of a label of ours, or undefined for anyone else's (and our old single-value labels `<prefix>:doors`). */
export function planKeyOf(prefix: string, label: unknown): string | undefined {
  if (typeof label !== 'string' || !label.startsWith(`${prefix}:`)) return undefined;
  const rest = label.slice(prefix.length + 1);
  const colon = rest.indexOf(':');
  return colon > 0 ? rest.slice(0, colon) : rest;
}

/** True when a monitor with this label is one of ours (ours to update or delete). */
export function isOurLabel(prefix: string, label: unknown): boolean {
  return planKeyOf(prefix, label) !== undefined;
}

/** The monitors one car should have, in priority order, at most five. */
export function planFor(input: PlanInput, extras: readonly PlanExtra[] = [], prefix = 'homebridge-stellantis'): MonitorPlan {
  const f = input.vehicle.features;
  const caps = input.capabilities;
  const candidates: Candidate[] = [];
  const state = stateMonitor(input);
  if (state) candidates.push(state);
  for (const e of extras) {
    candidates.push({ key: e.key, triggers: e.triggers, boolExp: e.boolExp, extensions: ['vehicle.status'], covers: e.covers ?? [], refreshSeconds: e.refreshSeconds });
  }
  candidates.push(...homeMonitors(input.vehicle.home));
  if (f.alarm !== false) candidates.push(ALARM);
  candidates.push(MOTION);
  if (input.electric && f.battery !== false && caps?.charging.supported !== false) candidates.push(CHARGING_LEVEL);

  const seen = new Set<string>();
  const monitors: PlannedMonitor[] = [];
  const dropped: string[] = [];
  for (const c of candidates) {
    if (seen.has(c.key)) continue;
    seen.add(c.key);
    if (monitors.length >= MAX_MONITORS_PER_VEHICLE) {
      dropped.push(c.key);
      continue;
    }
    monitors.push({ key: c.key, ...bodyOf(prefix, c), covers: c.covers });
  }
  return { monitors, dropped };
}

/** The parts the plan's monitors keep current. */
export function coveredParts(monitors: Iterable<{ covers: readonly CoveredPart[] }>): Set<CoveredPart> {
  const parts = new Set<CoveredPart>();
  for (const m of monitors) for (const p of m.covers) parts.add(p);
  return parts;
}

/**
 * The fleet-wide (B2B) plan: monitors of every car at once (`/fleets/{fid}/monitors`), each bringing
 * its webhook in `subscribeParam.callback`; the car's own features cannot differ per car there.
 */
export function fleetPlan(prefix: string, webhook: Record<string, unknown>): PlannedMonitor[] {
  const all: PlanInput = { vehicle: { features: {} as ResolvedVehicleConfig['features'] }, electric: true };
  const state = stateMonitor(all) as Candidate;
  return [state, MOTION].map((c) => {
    const { label, body } = bodyOf(prefix, c);
    return { key: c.key, label, body: { ...body, subscribeParam: { ...body.subscribeParam, callback: { webhook } } }, covers: c.covers };
  });
}
