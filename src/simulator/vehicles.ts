/** Vehicle seeds and the JSON views of a vehicle (Vehicle and Status of the official spec). */
import { nowIso, stableId } from './ids';
import type { SimVehicleSeed, SimVehicleState, SimVehicleView } from './types';

const DEFAULT_SEEDS: SimVehicleSeed[] = [
  { kind: 'electric', model: 'e-208' },
  { kind: 'thermal', model: '308' },
];

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
  return `VR3${letters}${kind === 'electric' ? 'E' : 'T'}${String(index).padStart(17, '0')}`.slice(0, 17);
}

export function createVehicle(seed: SimVehicleSeed, index: number, salt = 'SIM'): SimVehicleState {
  const electric = seed.kind === 'electric';
  const plugged = electric ? (seed.plugged ?? seed.charging ?? false) : false;
  const charging = electric && plugged && (seed.charging ?? false);
  const preconditioning = seed.preconditioning ?? false;
  return {
    id: seed.id ?? stableId(`stellantis-simulator-vehicle-${salt}-${index}`),
    vin: seed.vin ?? vinFor(seed.kind, index, salt),
    kind: seed.kind,
    brand: seed.brand ?? 'Peugeot',
    model: seed.model ?? (electric ? 'e-208' : '308'),
    asleep: seed.asleep ?? seed.deepSleep ?? false,
    deepSleep: seed.deepSleep ?? false,
    online: seed.online ?? true,
    locked: seed.locked ?? true,
    doorsOpen: seed.doorsOpen ?? false,
    level: clampLevel(seed.level ?? (electric ? 62 : 48)),
    plugged,
    charging,
    chargingStatus: chargingStatusOf(electric, plugged, charging),
    chargingType: 'Full',
    preconditioning,
    preconditioningStatus: preconditioning ? 'Enabled' : 'Disabled',
    preconditioningPrograms: [],
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
  return { id: v.id, vin: v.vin, kind: v.kind, brand: v.brand, model: v.model };
}

/** Autonomy in km for a level (a plausible figure, not a model). */
function autonomy(v: SimVehicleState): number {
  return Math.round((v.kind === 'electric' ? 3.4 : 7.5) * v.level);
}

function remainingChargeTime(v: SimVehicleState): string {
  const minutes = Math.max(0, Math.round((100 - v.level) * 2));
  return `PT${Math.floor(minutes / 60)}H${minutes % 60}M`;
}

/** The `Vehicle` resource (B2C `/user/vehicles/{id}`, B2B `/fleets/{fid}/vehicles/{vid}`). */
export function vehicleJson(v: SimVehicleState, selfHref: string, parent: { rel: 'user' | 'fleet'; href: string }) {
  const at = nowIso(v.updatedAt);
  return {
    id: v.id,
    vin: v.vin,
    brand: v.brand,
    label: v.model,
    motorization: v.kind === 'electric' ? 'Electric' : 'Thermic',
    createdAt: at,
    updatedAt: at,
    _links: {
      self: { href: selfHref },
      [parent.rel]: { href: parent.href },
      status: { href: `${selfHref}/status` },
      callbacks: { href: `${selfHref}/callbacks` },
    },
  };
}

/** The `Status` resource, built from the live state. */
export function statusJson(v: SimVehicleState, selfHref: string, vehicleHref: string, extraLinks: Record<string, { href: string }> = {}) {
  const at = nowIso(v.updatedAt);
  const electric = v.kind === 'electric';
  const energy = electric
    ? {
        type: 'Electric',
        subType: 'ElectricEnergy',
        level: round1(v.level),
        autonomy: autonomy(v),
        createdAt: at,
        extension: {
          electric: {
            charging: {
              plugged: v.plugged,
              status: v.chargingStatus,
              chargingMode: v.charging ? 'Slow' : 'No',
              chargingRate: v.charging ? 30 : 0,
              remainingTime: v.charging ? remainingChargeTime(v) : 'PT0S',
              type: v.chargingType,
              ...(v.chargingLevelPreference ? { chargingPowerLevel: v.chargingLevelPreference } : {}),
              ...(v.nextDelayedTime ? { nextDelayedTime: v.nextDelayedTime } : {}),
            },
          },
        },
      }
    : { type: 'Fuel', subType: 'FossilEnergy', level: round1(v.level), autonomy: autonomy(v), createdAt: at };
  const status: Record<string, unknown> = {
    createdAt: at,
    updatedAt: at,
    _links: { self: { href: selfHref }, vehicle: { href: vehicleHref }, ...extraLinks },
    ignition: { type: 'Stop', createdAt: at },
    energies: [energy],
    doorsState: {
      createdAt: at,
      lockedStates: [v.locked ? 'Locked' : 'Unlocked'],
      opening: (['Driver', 'Passenger', 'RearLeft', 'RearRight', 'Trunk'] as const).map((identifier) => ({
        identifier,
        state: v.doorsOpen && identifier === 'Driver' ? 'Open' : 'Closed',
      })),
    },
    preconditioning: {
      airConditioning: {
        createdAt: at,
        status: v.preconditioningStatus,
        ...(v.preconditioning ? { startingCause: 'Immediate' } : {}),
        // The B2B schema wants at least one program when the array is present.
        ...(v.preconditioningPrograms.length
          ? { programs: v.preconditioningPrograms.map((p) => ({ ...p, occurence: { day: [...p.occurence.day] } })) }
          : {}),
      },
    },
    environment: { air: { createdAt: at, temp: v.outsideTemp } },
    kinetic: { createdAt: at, moving: false },
    odometer: { createdAt: at, mileage: v.mileage },
    privacy: { createdAt: at, state: v.privacy },
  };
  if (v.privacy === 'None') {
    status.lastPosition = {
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [v.position.lon, v.position.lat] },
      properties: { createdAt: at, type: 'Acquire', heading: 90, signalQuality: 9, fixStatus: '3D' },
    };
  }
  return status;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
