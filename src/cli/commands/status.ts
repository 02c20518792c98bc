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
      return 0;
    } finally {
      client.close();
    }
  },
};
