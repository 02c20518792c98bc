/** Vehicle seeds and the `Vehicle` JSON view of a vehicle (the `Status` view is in statusBody.ts). */
import { capabilitiesJson, resolveCapabilities } from './capabilities';
import { nowIso, stableId } from './ids';
import type { Flavour } from './remoteCheck';
import type { SimCapabilityPreset, SimOpening, SimVehicleSeed, SimVehicleState, SimVehicleView } from './types';

/** The default pair: a full-featured EV, and a thermal car that gives no capabilities (everything is tried). */
const DEFAULT_SEEDS: SimVehicleSeed[] = [
  { kind: 'electric', model: 'e-208', capabilities: 'ev' },
  { kind: 'thermal', model: '308' },
];

/** One seed per kind of car seen in the field; `none` gives no capabilities at all. */
export const VEHICLE_PRESETS: Record<SimCapabilityPreset | 'none', SimVehicleSeed> = {
  ev: { kind: 'electric', model: 'e-208', capabilities: 'ev' },
  phev: { kind: 'hybrid', model: '3008 Hybrid4', capabilities: 'phev' },
  thermal: { kind: 'thermal', model: '308', capabilities: 'thermal' },
  older: { kind: 'electric', model: 'iOn', capabilities: 'older', statusShape: 'legacy2021' },
  twoSlots: { kind: 'electric', model: 'e-2008', capabilities: 'twoSlots' },
  none: { kind: 'electric', model: 'e-208' },
};

export const OPENINGS: readonly SimOpening[] = ['Driver', 'Passenger', 'RearLeft', 'RearRight', 'Trunk', 'RearWindow', 'RoofWindow'];
/** Openings that keep the car from locking (windows and roof do not). */
export const DOOR_OPENINGS: readonly SimOpening[] = ['Driver', 'Passenger', 'RearLeft', 'RearRight', 'Trunk'];

export function hasTractionBattery(v: Pick<SimVehicleState, 'kind'>): boolean {
  return v.kind !== 'thermal';
}

export function defaultSeeds(count: number): SimVehicleSeed[] {
  const seeds: SimVehicleSeed[] = [];
  for (let i = 0; i < count; i++) {
    seeds.push(i < DEFAULT_SEEDS.length ? { ...DEFAULT_SEEDS[i] } : { kind: i % 2 === 0 ? 'electric' : 'thermal' });
  }
  return seeds;
}

/** A well-formed VIN (17 characters, never I, O or Q), stable for a given salt and index. */
function vinFor(kind: SimVehicleSeed['kind'], index: number, salt: string): string {
  const letters = salt.toUpperCase().replace(/[^A-HJ-NPR-Z0-9]/g, 'X');
  const letter = kind === 'electric' ? 'E' : kind === 'hybrid' ? 'H' : 'T';
  return `VR3${letters}${letter}${String(index).padStart(10, '0')}`.slice(0, 17);
}

export function createVehicle(seed: SimVehicleSeed, index: number, salt = 'SIM'): SimVehicleState {
  const electric = seed.kind === 'electric';
  const battery = seed.kind !== 'thermal';
  const plugged = battery ? (seed.plugged ?? seed.charging ?? false) : false;
  const charging = battery && plugged && (seed.charging ?? false);
  const preconditioning = seed.preconditioning ?? false;
  const openings = Object.fromEntries(OPENINGS.map((o) => [o, seed.open?.includes(o) ?? false])) as Record<SimOpening, boolean>;
  if (seed.doorsOpen) openings.Driver = true;
  return {
    id: seed.id ?? stableId(`stellantis-simulator-vehicle-${salt}-${index}`),
    vin: seed.vin ?? vinFor(seed.kind, index, salt),
    kind: seed.kind,
    brand: seed.brand ?? 'Peugeot',
    model: seed.model ?? (electric ? 'e-208' : battery ? '3008 Hybrid4' : '308'),
    asleep: seed.asleep ?? seed.deepSleep ?? false,
    deepSleep: seed.deepSleep ?? false,
    online: seed.online ?? true,
    locked: seed.locked ?? true,
    doorsOpen: DOOR_OPENINGS.some((o) => openings[o]),
    openings,
    alarmActive: seed.alarmActive ?? false,
    level: clampLevel(seed.level ?? (electric ? 62 : battery ? 71 : 48)),
    fuelLevel: clampLevel(seed.fuelLevel ?? 55),
    battery12v: clampLevel(seed.battery12v ?? 92),
    battery12vCurrent: 0,
    moving: false,
    speedKmh: 0,
    capabilities: resolveCapabilities(seed.capabilities),
    statusShape: seed.statusShape ?? 'current',
    batteryHealth: { capacity: 96, resistance: 15 },
    batteryCapacityWh: electric ? 46_000 : battery ? 13_200 : 0,
    plugged,
    charging,
    chargingStatus: chargingStatusOf(battery, plugged, charging),
    chargingType: 'Full',
    preconditioning,
    preconditioningStatus: preconditioning ? 'Enabled' : 'Disabled',
    preconditioningPrograms: [],
    chargePrograms: structuredClone(seed.chargePrograms ?? []),
    outsideTemp: seed.outsideTemp ?? 14.5,
    position: seed.position ?? { lat: 48.8584 + index * 0.01, lon: 2.2945 + index * 0.01 },
    privacy: seed.privacy ?? 'None',
    wakeUpsUsed: seed.wakeUpsUsed ?? 0,
    immobilized: false,
    stolen: false,
    mileage: 12000 + index * 3517,
    updatedAt: Date.now(),
  };
}

export function clampLevel(level: number): number {
  return Math.min(100, Math.max(0, level));
}

export function chargingStatusOf(electric: boolean, plugged: boolean, charging: boolean) {
  if (!electric || !plugged) return 'Disconnected' as const;
  return charging ? ('InProgress' as const) : ('Stopped' as const);
}

export function viewOf(v: SimVehicleState): SimVehicleView {
  return {
    id: v.id,
    vin: v.vin,
    kind: v.kind,
    brand: v.brand,
    model: v.model,
    ...(v.capabilities ? { capabilities: structuredClone(v.capabilities) } : {}),
    statusShape: v.statusShape,
  };
}

const MOTORIZATION = { electric: 'Electric', hybrid: 'Hybrid', thermal: 'Thermic' } as const;

export function motorizationOf(v: Pick<SimVehicleState, 'kind'>): string {
  return MOTORIZATION[v.kind];
}

/** The `extension` query parameter as a list (`a,b` or repeated). */
export function requestedExtensions(query: unknown): string[] {
  const raw = (query as Record<string, unknown> | undefined)?.extension;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
}

/** `_embedded.extension` with what `?extension=` asked for and the car has. */
export function vehicleExtension(v: SimVehicleState, extensions: readonly string[], flavour: Flavour): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (extensions.includes('onboardCapabilities') && v.capabilities) out.onboardCapabilities = capabilitiesJson(v.capabilities, flavour);
  if (extensions.includes('branding')) out.branding = { brand: v.brand, label: v.model };
  return Object.keys(out).length ? out : undefined;
}

/** The `Vehicle` resource (B2C `/user/vehicles/{id}`, B2B `/fleets/{fid}/vehicles/{vid}`). */
export function vehicleJson(
  v: SimVehicleState,
  selfHref: string,
  parent: { rel: 'user' | 'fleet'; href: string },
  extension: Record<string, unknown> | undefined = undefined,
) {
  const at = nowIso(v.updatedAt);
  return {
    id: v.id,
    vin: v.vin,
    brand: v.brand,
    label: v.model,
    motorization: MOTORIZATION[v.kind],
    createdAt: at,
    updatedAt: at,
    _links: {
      self: { href: selfHref },
      [parent.rel]: { href: parent.href },
      status: { href: `${selfHref}/status` },
      callbacks: { href: `${selfHref}/callbacks` },
    },
    ...(extension ? { _embedded: { extension } } : {}),
  };
}
