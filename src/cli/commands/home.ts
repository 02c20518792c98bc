/**
 * `stellantis home <vehicle> --here [--radius <m>]`: the car's home zone from where it is parked
 * now, written into the --config file (`vehicles[].home`). The position comes from what the
 * account last knew (no call), else from one status read (never wakes the car).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { accountKeyOf, storageFile } from '../../engine/storageFiles';
import { readSavedVehicle } from '../../engine/vehicleStates';
import { DEFAULT_HOME_RADIUS_M, MAX_HOME_RADIUS_M, MIN_HOME_RADIUS_M } from '../../config/homeZone';
import { readVehicleStatus } from '../../stellantis/vehicleState';
import { flag, numberOption } from '../args';
import type { Command } from '../command';
import { accountContext, loadConfig } from '../context';
import { CliError, UsageError } from '../errors';
import { resolveVehicle } from '../vehicleRef';
import { withSecrets } from './shared';

export const homeCommand: Command = {
  options: ['here', 'radius'],
  async run(ctx) {
    if (ctx.params.length !== 1) throw new UsageError('home takes one <vehicle>', 'home');
    if (!flag(ctx.args, 'here')) throw new UsageError('say where home is: --here (where the car is parked now)', 'home');
    const radiusM = numberOption(ctx.args, 'radius', { min: MIN_HOME_RADIUS_M, max: MAX_HOME_RADIUS_M }) ?? DEFAULT_HOME_RADIUS_M;
    const config = withSecrets(await loadConfig(ctx.opts), ctx);
    const vehicle = resolveVehicle(config, ctx.params[0], 'home');
    const saved = await readSavedVehicle(storageFile(ctx.opts.storageDir, 'vehicle-states', accountKeyOf(config)), vehicle.id);
    let position = saved.state.position;
    if (!position) {
      const { client } = accountContext(config, ctx.opts, ctx.logger);
      try {
        position = readVehicleStatus(await client.getVehicleStatus(vehicle.id)).position;
      } finally {
        client.close();
      }
    }
    if (!position) throw new CliError(`${vehicle.name} gives no position (its privacy setting may hide it): set vehicles[].home by hand`);
    const home = { lat: Math.round(position.lat * 1e6) / 1e6, lon: Math.round(position.lon * 1e6) / 1e6, radiusM };
    const file = path.resolve(ctx.opts.configPath ?? '');
    const raw = JSON.parse(await fsp.readFile(file, 'utf8')) as { vehicles?: Array<Record<string, unknown>> };
    const entry = raw.vehicles?.find((v) => v.id === vehicle.id);
    if (!entry) throw new CliError(`${vehicle.id} is not in vehicles[] of ${file}`);
    entry.home = home;
    await fsp.writeFile(file, `${JSON.stringify(raw, null, 2)}\n`);
    ctx.out.line(`${vehicle.name}: home set to ${home.lat}, ${home.lon} (radius ${radiusM} m) in ${file}`);
    ctx.out.line('restart Homebridge or redeploy Node-RED: the monitor plan then watches it (Car at Home, arrived/left)');
    return 0;
  },
};
