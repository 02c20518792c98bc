/** `<vehicle>` on the command line: a configured vehicle's id, or its display name (case-insensitive). */
import type { ResolvedAccountConfig, ResolvedVehicleConfig } from '../config/validate';
import { UsageError } from './errors';

export function resolveVehicle(config: ResolvedAccountConfig, ref: string | undefined, command: string): ResolvedVehicleConfig {
  if (ref === undefined || ref.trim() === '') throw new UsageError(`${command} needs a <vehicle>: its id or its configured name`, command);
  const wanted = ref.trim();
  const byId = config.vehicles.find((v) => v.id === wanted);
  if (byId) return byId;
  const byName = config.vehicles.filter((v) => v.name.toLowerCase() === wanted.toLowerCase());
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) {
    throw new UsageError(`several configured vehicles are named '${wanted}' (${byName.map((v) => v.id).join(', ')}): use the id, or give them distinct vehicles[].name`);
  }
  const known = config.vehicles.map((v) => `${v.name} (${v.id})`);
  const hint = known.length > 0 ? `configured: ${known.join(', ')}` : 'no vehicle is configured yet';
  throw new UsageError(
    `unknown vehicle '${wanted}': not an id or name in vehicles[] of the configuration (${hint}); ` +
      'list the account\'s vehicles with `stellantis vehicles` and add it to vehicles[]',
  );
}
