/**
 * `monitorEvent.extensions[]`: what `extendedEventParam` asked for, from the car's state when the
 * event is built (the latest status, position, doors, alarm, trip). Each entry is
 * `{type, body: [{<name>: object}]}` as the webhook template shapes it; a kind the simulator keeps
 * no data for (maintenance, telemetry, alerts) comes with an empty body, and the B2B-only
 * `vehicle.collisions` and `vehicle.stolen`, which the template's `type` does not list, are left out.
 */
import { nowIso } from './ids';
import { alarmJson, doorsStateJson, positionJson, statusJson } from './statusBody';
import type { SimVehicleState } from './types';

type Json = Record<string, unknown>;

export interface StatusLinks {
  statusHref: string;
  vehicleHref: string;
  extra?: Record<string, { href: string }>;
}

function tripJson(v: SimVehicleState, vehicleHref: string): Json | undefined {
  const t = v.trip;
  if (!t) return undefined;
  const startPosition = positionJson(v, t.startPosition, nowIso(t.startedAt));
  const stopPosition = t.stopPosition && t.stoppedAt !== undefined ? positionJson(v, t.stopPosition, nowIso(t.stoppedAt)) : undefined;
  const end = t.stoppedAt ?? Date.now();
  return {
    id: t.id,
    createdAt: nowIso(t.startedAt),
    updatedAt: nowIso(end),
    startedAt: nowIso(t.startedAt),
    ...(t.stoppedAt !== undefined ? { stoppedAt: nowIso(t.stoppedAt) } : {}),
    ...(startPosition ? { startPosition } : {}),
    ...(stopPosition ? { stopPosition } : {}),
    duration: Math.round((end - t.startedAt) / 1000),
    distance: t.stoppedAt !== undefined ? t.distanceKm : Math.round((v.mileage - t.startMileage) * 10) / 10,
    startMileage: t.startMileage,
    _links: { self: { href: `${vehicleHref}/trips/${t.id}` }, vehicle: { href: vehicleHref } },
  };
}

function bodyOf(kind: string, v: SimVehicleState, links: StatusLinks): Json[] | undefined {
  const at = nowIso(v.updatedAt);
  switch (kind) {
    case 'vehicle.status':
      return [{ status: statusJson(v, links.statusHref, links.vehicleHref, links.extra) }];
    case 'vehicle.position': {
      const position = positionJson(v, v.position, at);
      return position ? [{ position }] : [];
    }
    case 'vehicle.doorsState':
      return [{ doorState: doorsStateJson(v, at) }];
    case 'vehicle.alarm':
      return [{ alarm: alarmJson(v, at) }];
    case 'vehicle.trip': {
      const trip = tripJson(v, links.vehicleHref);
      return trip ? [{ trip }] : [];
    }
    case 'vehicle.maintenance':
    case 'vehicle.alerts':
      return [];
    default:
      return kind === 'vehicle.telemetry' || kind.startsWith('vehicle.telemetry.') ? [] : undefined;
  }
}

export function eventExtensions(kinds: readonly string[], v: SimVehicleState, links: StatusLinks): Json[] {
  const out: Json[] = [];
  const seen = new Set<string>();
  for (const kind of kinds) {
    const type = kind.startsWith('vehicle.telemetry.') ? 'vehicle.telemetry' : kind;
    if (seen.has(type)) continue;
    const body = bodyOf(kind, v, links);
    if (!body) continue;
    seen.add(type);
    out.push({ type, body });
  }
  return out;
}
