/** 5. Every configured vehicle id is one of the account's vehicles. */
import type { ApiVehicle } from '../../stellantis/client';
import { explainApiFailure } from '../apiFailure';
import { cliHint, failed, passed, type CheckDefinition } from '../context';

function describe(v: ApiVehicle): string {
  const model = [v.brand, v.label].filter((s): s is string => typeof s === 'string' && s !== '').join(' ');
  return model ? `${v.id} (${model})` : v.id;
}

export const vehiclesCheck: CheckDefinition = {
  id: 'vehicles',
  title: 'Vehicles visible',
  needs: ['api'],
  async run(ctx) {
    const config = ctx.config;
    const client = ctx.client;
    if (!config || !client) return failed('the API is not reachable', 'fix the checks above first');
    let vehicles = ctx.vehicles;
    if (!vehicles) {
      try {
        vehicles = await client.listVehicles();
        ctx.vehicles = vehicles;
      } catch (err) {
        const f = explainApiFailure(err, config);
        return failed(f.detail, f.fix);
      }
    }
    const known = new Set(vehicles.map((v) => v.id));
    const inAccount = vehicles.length === 0 ? 'none' : vehicles.map(describe).join(', ');
    const missing = config.vehicles.filter((v) => !known.has(v.id));
    if (missing.length > 0) {
      const list = missing.map((v) => `${v.id} ('${v.name}')`).join(', ');
      return failed(
        `not in this account: ${list}\nthe account's vehicles: ${inAccount}`,
        vehicles.length === 0
          ? 'add the car to your brand account in the brand app first (and share it with your application), then copy its id'
          : `copy the right ids into vehicles[].id (list them with ${cliHint(ctx, 'vehicles')})`,
      );
    }
    if (config.vehicles.length === 0) return passed(`no vehicle configured; the account's vehicles: ${inAccount}`);
    const names = config.vehicles.map((v) => `'${v.name}'`).join(', ');
    return passed(`all ${config.vehicles.length} configured vehicle(s) found (${names}); the account has ${vehicles.length}`);
  },
};
