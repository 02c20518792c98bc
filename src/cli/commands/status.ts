/** `stellantis status <vehicle> [--raw]`: one status read (never wakes the car). */
import { readVehicleStatus } from '../../stellantis/vehicleState';
import { flag } from '../args';
import type { Command } from '../command';
import { accountContext, loadConfig } from '../context';
import { UsageError } from '../errors';
import { formatVehicleState } from '../formatState';
import { resolveVehicle } from '../vehicleRef';
import { withSecrets } from './shared';
import { accountKeyOf, storageFile } from '../../engine/storageFiles';
import { readSavedVehicle } from '../../engine/vehicleStates';
import { readSavedChargeLimit } from '../../engine/chargeLimit';
import { BUDGET_CAVEAT, describeWakeUpBudget, readSavedWakeUpBudgets } from '../../engine/wakeUpBudget';
import type { ResolvedAccountConfig } from '../../config/validate';

/** This month's wake-ups from the engine's file (no call): "Wake-ups: 3 wake-ups this month, about 17 left (...)". */
async function wakeUpLine(storageDir: string, config: ResolvedAccountConfig, vehicleId: string): Promise<string> {
  const budgets = await readSavedWakeUpBudgets(storageDir, config);
  if (budgets.problem) return `Wake-ups: unknown (${budgets.problem})`;
  return `Wake-ups: ${describeWakeUpBudget(budgets.budgetOf(vehicleId))} (${BUDGET_CAVEAT})`;
}

export const statusCommand: Command = {
  options: ['raw'],
  async run(ctx) {
    if (ctx.params.length > 1) throw new UsageError(`status takes one <vehicle> (got '${ctx.params.join(' ')}')`, 'status');
    const config = withSecrets(await loadConfig(ctx.opts), ctx);
    const vehicle = resolveVehicle(config, ctx.params[0], 'status');
    const { client } = accountContext(config, ctx.opts, ctx.logger);
    try {
      const raw = await client.getVehicleStatus(vehicle.id);
      if (flag(ctx.args, 'raw')) {
        ctx.out.line(JSON.stringify(raw, null, 2));
        return 0;
      }
      ctx.out.line(`${vehicle.name} (${vehicle.id})`);
      for (const line of formatVehicleState(readVehicleStatus(raw))) ctx.out.line(`  ${line}`);
      const key = accountKeyOf(config);
      const saved = await readSavedVehicle(storageFile(ctx.opts.storageDir, 'vehicle-states', key), vehicle.id);
      const limit = await readSavedChargeLimit(storageFile(ctx.opts.storageDir, 'charge-limits', key), vehicle.id, saved.capabilities ?? undefined);
      ctx.out.line(`  Charge limit: ${limit ? `${limit.percent} %, ${limit.text}` : 'none'}`);
      ctx.out.line(`  ${await wakeUpLine(ctx.opts.storageDir, config, vehicle.id)}`);
      return 0;
    } finally {
      client.close();
    }
  },
};
