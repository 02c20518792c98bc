/** A car's monitors as the faces show them: the plan, which run, what stays uncovered. */
import type { CoveredPart, MonitorPlan } from './monitorPlan';
import type { MonitorDefinition } from './monitors';
import type { VehicleMonitors } from './types';

/** The parts a car's state has that monitors can keep current. */
const PARTS: readonly CoveredPart[] = ['doors', 'openings', 'battery', 'charging', 'preconditioning', 'alarm', 'motion', 'position', 'home'];

export function monitorsView(plan: MonitorPlan | undefined, running: ReadonlyArray<{ monitorId: string } & MonitorDefinition>): VehicleMonitors {
  const byKey = new Map(running.map((r) => [r.key, r]));
  const monitors = (plan?.monitors ?? running).map((m) => {
    const id = byKey.get(m.key)?.monitorId;
    return { key: m.key, covers: [...m.covers], ...(id ? { monitorId: id } : {}) };
  });
  const covered = new Set(monitors.filter((m) => m.monitorId).flatMap((m) => m.covers));
  return { monitors, dropped: plan?.dropped ?? [], uncovered: PARTS.filter((p) => !covered.has(p)) };
}
