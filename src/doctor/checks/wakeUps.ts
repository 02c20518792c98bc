/**
 * 8. The wake-up (refresh) quota as the engine persisted it: wake-ups used in the current window,
 * this month's wake-ups against the assumed monthly cap (as far as we can tell), and whether the
 * car said the cap is reached (no refresh until next month). No call is made.
 */
import { JsonFile } from '../../util/jsonFile';
import { DEFAULT_WAKE_UP_GUARD, WakeUpGuard } from '../../remotes/wakeUpGuard';
import { BUDGET_CAVEAT, describeWakeUpBudget, readSavedWakeUpBudgets } from '../../engine/wakeUpBudget';
import { failed, passed, type CheckDefinition } from '../context';

/** Wake-ups per vehicle within the window, from the engine's file. */
async function recentCounts(file: string, windowMs: number, now: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const read = await new JsonFile(file).read();
  if (read.kind !== 'ok') return counts;
  const vehicles = (read.value as { vehicles?: unknown } | null)?.vehicles;
  if (typeof vehicles !== 'object' || vehicles === null) return counts;
  for (const [id, v] of Object.entries(vehicles as Record<string, unknown>)) {
    const recent = (v as { recent?: unknown } | null)?.recent;
    if (Array.isArray(recent)) counts.set(id, recent.filter((t) => typeof t === 'number' && t > now - windowMs).length);
  }
  return counts;
}

export const wakeUpsCheck: CheckDefinition = {
  id: 'wakeups',
  title: 'Wake-up quota',
  needs: ['config'],
  async run(ctx) {
    const config = ctx.config;
    if (!config) return failed('no configuration', 'fix the configuration first');
    const limits = ctx.opts.wakeUpGuard ?? DEFAULT_WAKE_UP_GUARD;
    const budgets = await readSavedWakeUpBudgets(ctx.opts.storageDir, config, ctx.now);
    const { file } = budgets;
    if (budgets.problem) return failed(budgets.problem, `delete ${file}: the engine writes it again (the local limit and this month's count restart from zero)`);
    const guard = new WakeUpGuard({ ...limits, path: file, now: ctx.now });
    await guard.load();
    const counts = await recentCounts(file, limits.windowMs, ctx.now());
    const minutes = Math.round(limits.windowMs / 60_000);
    const lines: string[] = [];
    const blocked: string[] = [];
    for (const v of config.vehicles) {
      const verdict = guard.check(v.id);
      const month = describeWakeUpBudget(budgets.budgetOf(v.id));
      const used = `${counts.get(v.id) ?? 0} of ${limits.max} in the last ${minutes} min`;
      if (verdict.allowed) lines.push(`'${v.name}': ${month}; ${used}`);
      else if (verdict.reason === 'monthly-cap') {
        blocked.push(v.name);
        lines.push(`'${v.name}': monthly wake-up cap reached; ${month}`);
      } else lines.push(`'${v.name}': ${month}; ${used}; ${verdict.explanation}`);
    }
    if (config.vehicles.length === 0) lines.push('no vehicle configured');
    else lines.push(`(${BUDGET_CAVEAT})`);
    if (blocked.length > 0) {
      return failed(
        lines.join('\n'),
        'nothing to repair: Stellantis limits wake-ups per month; refresh works again next month, and the state still updates whenever the car is driven',
      );
    }
    return passed(lines.join('\n'));
  },
};
