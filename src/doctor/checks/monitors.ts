/**
 * 9. Each car's monitor plan (issue 14): which monitors it has, what each keeps current, which ones
 * did not fit in five, and the parts only a status read covers. From the files the engine keeps
 * (the callback's monitor ids, the saved capabilities and state): no call is made.
 */
import { accountKeyOf, storageFile } from '../../engine/storageFiles';
import { planFor } from '../../engine/monitorPlan';
import { readSavedVehicle } from '../../engine/vehicleStates';
import { JsonFile } from '../../util/jsonFile';
import { passed, type CheckDefinition } from '../context';

/** vehicleId -> the plan keys running on our callback, as the engine saved them. */
async function runningKeys(file: string): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const read = await new JsonFile(file).read();
  const monitors = read.kind === 'ok' ? (read.value as { monitors?: unknown } | null)?.monitors : undefined;
  if (typeof monitors !== 'object' || monitors === null) return out;
  for (const m of Object.values(monitors as Record<string, { vehicleId?: unknown; key?: unknown } | null>)) {
    if (typeof m?.vehicleId !== 'string' || typeof m.key !== 'string') continue;
    const keys = out.get(m.vehicleId) ?? new Set<string>();
    keys.add(m.key);
    out.set(m.vehicleId, keys);
  }
  return out;
}

export const monitorsCheck: CheckDefinition = {
  id: 'monitors',
  title: 'Monitors (what each car pushes)',
  needs: ['config'],
  async run(ctx) {
    const config = ctx.config;
    if (!config) return passed('no configuration');
    if (config.webhook.monitors === false) return passed(`monitors are off (webhook.monitors: false): the status is read every ${config.statusIntervalMinutes} min`);
    const key = accountKeyOf(config);
    const running = await runningKeys(storageFile(ctx.opts.storageDir, 'callback', key));
    const lines: string[] = [];
    for (const v of config.vehicles) {
      const saved = await readSavedVehicle(storageFile(ctx.opts.storageDir, 'vehicle-states', key), v.id);
      const electric = saved.state.battery !== undefined || saved.state.charging !== undefined || saved.capabilities?.charging.supported === true;
      const plan = planFor({ vehicle: v, capabilities: saved.capabilities, electric }, [], config.webhook.label);
      const on = running.get(v.id) ?? new Set<string>();
      const each = plan.monitors.map((m) => `${m.key} (${m.covers.join(', ') || '-'})${on.has(m.key) ? '' : ' not set up yet'}`);
      lines.push(`'${v.name}': ${plan.monitors.length} of 5: ${each.join('; ')}${plan.dropped.length ? `; left out: ${plan.dropped.join(', ')}` : ''}`);
    }
    if (lines.length === 0) lines.push('no vehicle configured');
    lines.push('a part no running monitor covers is read after each remote that changes it');
    return passed(lines.join('\n'));
  },
};
