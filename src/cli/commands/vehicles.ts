/** `stellantis vehicles`: the account's vehicles, so their ids can be copied into the configuration. */
import type { Command } from '../command';
import { accountContext, loadConfig } from '../context';
import { UsageError } from '../errors';
import { withSecrets } from './shared';

export const vehiclesCommand: Command = {
  options: [],
  async run(ctx) {
    if (ctx.params.length > 0) throw new UsageError(`vehicles takes no argument (got '${ctx.params.join(' ')}')`, 'vehicles');
    const config = withSecrets(await loadConfig(ctx.opts), ctx);
    const { client } = accountContext(config, ctx.opts, ctx.logger);
    try {
      const vehicles = await client.listVehicles();
      if (vehicles.length === 0) {
        ctx.out.line('No vehicle in this account (add the car to your brand account in the brand app first).');
        return 0;
      }
      const rows = vehicles.map((v) => {
        const configured = config.vehicles.find((c) => c.id === v.id);
        const model = [v.brand, v.label].filter((s): s is string => typeof s === 'string' && s !== '').join(' ');
        const kind = typeof v.motorization === 'string' ? ` (${v.motorization})` : '';
        return [v.id, v.vin ?? '-', `${model || '-'}${kind}`, configured ? `configured as '${configured.name}'` : 'not configured'];
      });
      const header = ['ID', 'VIN', 'BRAND/MODEL', 'IN CONFIG'];
      const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
      for (const row of [header, ...rows]) ctx.out.line(row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]) : cell)).join('  '));
      if (rows.some((r) => r[3] === 'not configured')) {
        ctx.out.line('');
        ctx.out.line('To use a vehicle, add it to the configuration: "vehicles": [{"id": "<ID>", "name": "My car"}]');
      }
      return 0;
    } finally {
      client.close();
    }
  },
};
