/**
 * B2B: the latest status of every car of the fleet in one paged read (`GET /fleets/{fid}/status`),
 * instead of one status read per car every statusIntervalMs (1,000 cars: 48,000 calls a day, now
 * 48 x the pages). Each status is matched to a configured car by its vehicle link, else its VIN.
 */
import type { ResolvedVehicleConfig } from '../config/resolved';
import type { RawVehicleStatus } from '../stellantis/client';
import { isObject } from '../util/isObject';

/** The configured car a fleet status item is about, or undefined for a car not configured. */
export function vehicleOfStatus(raw: RawVehicleStatus, vehicles: readonly Pick<ResolvedVehicleConfig, 'id' | 'vin'>[]): string | undefined {
  const links = isObject(raw._links) ? raw._links : undefined;
  const href = links && isObject(links.vehicle) && typeof links.vehicle.href === 'string' ? links.vehicle.href : undefined;
  const fromLink = href ? decodeURIComponent(href.replace(/\/+$/, '').split('/').pop() ?? '') : undefined;
  if (fromLink && vehicles.some((v) => v.id === fromLink)) return fromLink;
  const vin = typeof raw.vin === 'string' ? raw.vin.toUpperCase() : undefined;
  return vin ? vehicles.find((v) => v.vin?.toUpperCase() === vin)?.id : undefined;
}
