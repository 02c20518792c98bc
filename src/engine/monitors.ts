/**
 * Applies a monitor plan (monitorPlan.ts) at Stellantis: one list call per car (B2B: one for the
 * fleet), then only what differs. Ours are found by label (`<prefix>:<key>:<hash>`); one whose hash
 * differs is updated in place, ours no longer wanted (and our old single-value monitors
 * `<prefix>:doors` ...) are deleted first so the five-per-vehicle limit is never crossed; a monitor
 * whose label does not start with our prefix is never touched.
 */
import type { ApiMonitor, StellantisClient } from '../stellantis/client';
import { errorText } from '../util/errorText';
import { isOurLabel, planKeyOf, type CoveredPart, type PlannedMonitor } from './monitorPlan';

/** What each monitor of the plan watches, in words (the settings page's car view shows it). */
export const MONITOR_DEFINITIONS: ReadonlyArray<{ key: string; data: string }> = [
  { key: 'state', data: 'doors locked, openings, charging and plug, preconditioning (with the full status)' },
  { key: 'arrive', data: 'entering the home zone' },
  { key: 'leave', data: 'leaving the home zone' },
  { key: 'alarm', data: 'alarm armed and triggered' },
  { key: 'motion', data: 'driving, trip start and stop (with the position)' },
  { key: 'charging', data: 'the level while charging (a reminder every 30 min)' },
];

export type MonitorApi = Pick<StellantisClient, 'listMonitors' | 'createMonitor' | 'updateMonitor' | 'deleteMonitor'>;

/** One monitor of ours as set up: its plan key and what it keeps current. */
export interface MonitorDefinition {
  key: string;
  covers: readonly CoveredPart[];
  label?: string;
}

export interface MonitorSetupResult {
  /** monitorId -> definition, for every monitor of ours now present. */
  monitors: Map<string, MonitorDefinition>;
  created: number;
  updated: number;
  deleted: number;
  /** Monitors that could not be created or updated (the API refused them), with the reason. */
  refused: Array<{ key: string; reason: string }>;
}

/**
 * Makes the monitors on `callbackId` of `vehicleId` (B2B: FLEET_MONITORS) those of `wanted`. A
 * refusal of one monitor does not stop the others.
 */
export async function ensureMonitors(
  client: MonitorApi,
  vehicleId: string,
  callbackId: string,
  prefix: string,
  wanted: readonly PlannedMonitor[],
): Promise<MonitorSetupResult> {
  const existing = await client.listMonitors(vehicleId, callbackId);
  const result: MonitorSetupResult = { monitors: new Map(), created: 0, updated: 0, deleted: 0, refused: [] };
  const wantedKeys = new Set(wanted.map((w) => w.key));
  const byKey = new Map<string, ApiMonitor>();
  for (const m of existing) {
    const label = m.monitor?.label;
    if (!m.monitorId || !isOurLabel(prefix, label)) continue;
    const key = planKeyOf(prefix, label) ?? '';
    const isPlanLabel = typeof label === 'string' && label.startsWith(`${prefix}:${key}:`);
    if (isPlanLabel && wantedKeys.has(key) && !byKey.has(key)) {
      byKey.set(key, m);
      continue;
    }
    // Ours and not wanted (a duplicate, a key the plan dropped, the single-value monitors of old).
    try {
      await client.deleteMonitor(vehicleId, callbackId, m.monitorId);
      result.deleted++;
    } catch (err) {
      result.refused.push({ key, reason: `could not delete ${String(label)}: ${errorText(err)}` });
    }
  }
  for (const w of wanted) {
    const found = byKey.get(w.key);
    const def: MonitorDefinition = { key: w.key, covers: w.covers, label: w.label };
    try {
      if (found && found.monitor?.label === w.label) {
        result.monitors.set(found.monitorId, def);
      } else if (found) {
        await client.updateMonitor(vehicleId, callbackId, found.monitorId, w.body);
        result.monitors.set(found.monitorId, def);
        result.updated++;
      } else {
        const ref = await client.createMonitor(vehicleId, callbackId, w.body);
        if (!ref.monitorId) throw new Error('no monitorId in the answer');
        result.monitors.set(ref.monitorId, def);
        result.created++;
      }
    } catch (err) {
      result.refused.push({ key: w.key, reason: errorText(err) });
    }
  }
  return result;
}
