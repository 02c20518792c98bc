/**
 * Monitors push state changes to our callback, so the car's state stays current without polling.
 * Per vehicle (the API allows 5 per vehicle): doors locked state, and for electric cars the
 * battery level and the charging status, plus the preconditioning status. They live on our one
 * callback and are found again by label at each start: created once, never duplicated.
 */
import type { ApiMonitor, MonitorParameter, StellantisClient } from '../stellantis/client';
import type { VehicleFeatures } from '../config/account';
import { errorText } from '../util/errorText';

export type MonitorApi = Pick<StellantisClient, 'listMonitors' | 'createMonitor'>;

export interface MonitorDefinition {
  /** Suffix of the label, and the trigger name. */
  key: 'doors' | 'battery' | 'charging' | 'preconditioning';
  data: string;
  electricOnly: boolean;
  feature: keyof VehicleFeatures;
}

export const MONITOR_DEFINITIONS: readonly MonitorDefinition[] = [
  { key: 'doors', data: 'vehicle.doorsState.lockedState', electricOnly: false, feature: 'doors' },
  { key: 'battery', data: 'vehicle.energy.electric.level', electricOnly: true, feature: 'battery' },
  { key: 'charging', data: 'vehicle.energy.charging.status', electricOnly: true, feature: 'charging' },
  { key: 'preconditioning', data: 'vehicle.preconditioning.airConditioning', electricOnly: false, feature: 'preconditioning' },
];

export const MAX_MONITORS_PER_VEHICLE = 5;

export function monitorLabel(prefix: string, def: MonitorDefinition): string {
  return `${prefix}:${def.key}`;
}

/** The `MonitorParameter` body: one data trigger firing on every change. */
export function monitorBody(prefix: string, def: MonitorDefinition): MonitorParameter {
  return {
    label: monitorLabel(prefix, def),
    triggerParam: { triggers: [{ name: def.key, data: { data: def.data, op: 'onChange' } }], boolExp: def.key },
  };
}

/** The monitors a vehicle should have. */
export function wantedMonitors(opts: { electric: boolean; features?: VehicleFeatures }): MonitorDefinition[] {
  return MONITOR_DEFINITIONS.filter((d) => (opts.electric || !d.electricOnly) && opts.features?.[d.feature] !== false).slice(
    0,
    MAX_MONITORS_PER_VEHICLE,
  );
}

export interface MonitorSetupResult {
  /** monitorId -> definition, for every monitor of ours now present. */
  monitors: Map<string, MonitorDefinition>;
  created: number;
  /** Monitors that could not be created (the API refused them), with the reason. */
  refused: Array<{ key: string; reason: string }>;
}

/**
 * Makes sure `vehicleId` has the wanted monitors on `callbackId`: one list call, then one create per
 * missing monitor. A refusal of one monitor does not stop the others.
 */
export async function ensureMonitors(
  client: MonitorApi,
  vehicleId: string,
  callbackId: string,
  prefix: string,
  wanted: readonly MonitorDefinition[],
): Promise<MonitorSetupResult> {
  const existing = await client.listMonitors(vehicleId, callbackId);
  const byLabel = new Map<string, ApiMonitor>();
  for (const m of existing) {
    const label = m.monitor?.label;
    if (typeof label === 'string' && !byLabel.has(label)) byLabel.set(label, m);
  }
  const result: MonitorSetupResult = { monitors: new Map(), created: 0, refused: [] };
  for (const def of wanted) {
    const found = byLabel.get(monitorLabel(prefix, def));
    if (found?.monitorId) {
      result.monitors.set(found.monitorId, def);
      continue;
    }
    try {
      const ref = await client.createMonitor(vehicleId, callbackId, monitorBody(prefix, def));
      if (!ref.monitorId) throw new Error('no monitorId in the answer');
      result.monitors.set(ref.monitorId, def);
      result.created++;
    } catch (err) {
      result.refused.push({ key: def.key, reason: errorText(err) });
    }
  }
  return result;
}
