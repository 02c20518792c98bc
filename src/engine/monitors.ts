/**
 * Monitors push state changes to our callback, so the car's state stays current without polling.
 * Per vehicle (the API allows 5 per vehicle): doors locked state, and for electric cars the
 * battery level and the charging status, plus the preconditioning status. They live on our one
 * callback and are found again by label at each start: created once, never duplicated.
 */
import type { ApiMonitor, MonitorParameter, StellantisClient } from '../stellantis/client';
import type { VehicleFeatures } from '../config/account';
import { errorText } from '../util/errorText';

export type MonitorApi = Pick<StellantisClient, 'listMonitors' | 'createMonitor' | 'deleteMonitor'>;

export interface MonitorDefinition {
  /** Suffix of the label, and the trigger name. */
  key: 'doors' | 'battery' | 'charging' | 'preconditioning' | 'chargeLimit';
  data: string;
  electricOnly: boolean;
  feature: keyof VehicleFeatures;
  /** A threshold instead of every change (a feature's extra trigger); its value is part of the label. */
  op?: 'greaterThan';
  value?: string[];
}

/** A data trigger a feature asks for (the charge limit's threshold), one monitor each. */
export interface ExtraMonitorTrigger {
  key: 'chargeLimit';
  data: string;
  op: 'greaterThan';
  value: string[];
}

/** The known shape of each feature trigger (the intake folds its values by data name). */
const EXTRA_DEFINITIONS: readonly MonitorDefinition[] = [
  { key: 'chargeLimit', data: 'vehicle.energy.electric.level', electricOnly: false, feature: 'charging' },
];

/** The definition of a saved monitor key (built-in or a feature's). */
export function definitionOfKey(key: string): MonitorDefinition | undefined {
  return MONITOR_DEFINITIONS.find((d) => d.key === key) ?? EXTRA_DEFINITIONS.find((d) => d.key === key);
}

export const MONITOR_DEFINITIONS: readonly MonitorDefinition[] = [
  { key: 'doors', data: 'vehicle.doorsState.lockedState', electricOnly: false, feature: 'doors' },
  { key: 'battery', data: 'vehicle.energy.electric.level', electricOnly: true, feature: 'battery' },
  { key: 'charging', data: 'vehicle.energy.charging.status', electricOnly: true, feature: 'charging' },
  { key: 'preconditioning', data: 'vehicle.preconditioning.airConditioning', electricOnly: false, feature: 'preconditioning' },
];

export const MAX_MONITORS_PER_VEHICLE = 5;

export function monitorLabel(prefix: string, def: MonitorDefinition): string {
  return def.value ? `${prefix}:${def.key}:${def.value.join(',')}` : `${prefix}:${def.key}`;
}

/** The `MonitorParameter` body: one data trigger firing on every change (or past a feature's threshold). */
export function monitorBody(prefix: string, def: MonitorDefinition): MonitorParameter {
  const data = def.op ? { data: def.data, op: def.op, value: def.value ?? [] } : { data: def.data, op: 'onChange' as const };
  return {
    label: monitorLabel(prefix, def),
    triggerParam: { triggers: [{ name: def.key, data }], boolExp: def.key },
  };
}

/** The monitors a vehicle should have: a feature's triggers first, then the built-in ones, 5 at most. */
export function wantedMonitors(opts: { electric: boolean; features?: VehicleFeatures; extra?: readonly ExtraMonitorTrigger[] }): MonitorDefinition[] {
  const extra = (opts.extra ?? []).map((t): MonitorDefinition => ({ ...t, electricOnly: false, feature: 'charging' }));
  const builtIn = MONITOR_DEFINITIONS.filter((d) => (opts.electric || !d.electricOnly) && opts.features?.[d.feature] !== false);
  return [...extra, ...builtIn].slice(0, MAX_MONITORS_PER_VEHICLE);
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
  // A feature's threshold that moved or went: its old monitor is deleted (a failure is retried at the next start).
  const wantedLabels = new Set(wanted.map((d) => monitorLabel(prefix, d)));
  for (const [label, m] of byLabel) {
    const key = label.slice(prefix.length + 1).split(':')[0];
    if (!label.startsWith(`${prefix}:`) || !EXTRA_DEFINITIONS.some((d) => d.key === key) || wantedLabels.has(label)) continue;
    await client.deleteMonitor(vehicleId, callbackId, m.monitorId).catch((err: unknown) => result.refused.push({ key, reason: `old threshold not deleted: ${errorText(err)}` }));
  }
  return result;
}
