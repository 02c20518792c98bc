/**
 * The `Status` resource built from the live state, shaped as cars answer in the field (bodies
 * published by owners), per car:
 * - `current`: `energies[]` with `extension.electric.{battery.load, battery.health, charging}`, and the
 *   legacy `energy[]` (charging and battery health directly in the Electric entry) in the same body;
 *   blocks the spec lists without the field's values (`adas`, `engines`, `powertrain`,
 *   `lightingSystem`, `environment.luminosity`, `drivingBehavior`), the deprecated `preconditionning`;
 * - `legacy2021`: only the legacy `energy[]`, and `battery` without a timestamp (`createdAt: null`).
 * Durations as the field sends them: `nextDelayedTime` the deferred start counted from midnight
 * (`PT22H31M`, `PT0S` when none), `remainingTime` `PT0S` when not charging; program slots the car
 * keeps are all listed, the empty ones with `occurence: null`; `charging.schedule` is `[]` without
 * charging programs, the spec's `{programs}` with some.
 */
import { nowIso } from './ids';
import type { SimVehicleState } from './types';
import { OPENINGS, hasTractionBattery } from './vehicles';

type Json = Record<string, unknown>;

const ISO_DURATION = /^P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$/;

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

function duration(minutes: number): string {
  if (minutes <= 0) return 'PT0S';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}`;
}

/** The deferred charge as the car reports it: a duration from midnight (UTC here), `PT0S` for none. */
export function delayedTimeDuration(sent: string | undefined): string {
  if (!sent) return 'PT0S';
  if (ISO_DURATION.test(sent) && sent !== 'P') return sent;
  const at = Date.parse(sent);
  if (Number.isNaN(at)) return 'PT0S';
  const d = new Date(at);
  const minutes = d.getUTCHours() * 60 + d.getUTCMinutes();
  // A deferred start at midnight is still a deferred start, not PT0S ("none").
  return minutes === 0 ? 'PT0H' : duration(minutes);
}

/** Autonomy in km for a level (a plausible figure, not a model). */
export function autonomy(v: SimVehicleState, energy: 'electric' | 'fuel'): number {
  if (energy === 'fuel') return Math.round(7.5 * (v.kind === 'hybrid' ? v.fuelLevel : v.level));
  return Math.round((v.kind === 'hybrid' ? 0.6 : 3.4) * v.level);
}

function remainingChargeTime(v: SimVehicleState): string {
  return v.charging ? duration(Math.max(1, Math.round((100 - v.level) * 2))) : 'PT0S';
}

function chargingBlock(v: SimVehicleState): Json {
  return {
    plugged: v.plugged,
    status: v.chargingStatus,
    remainingTime: remainingChargeTime(v),
    chargingRate: v.charging ? 30 : 0,
    chargingMode: v.charging ? 'Slow' : 'No',
    nextDelayedTime: delayedTimeDuration(v.nextDelayedTime),
    type: v.chargingType,
    ...(v.chargingLevelPreference ? { chargingPowerLevel: v.chargingLevelPreference } : {}),
  };
}

/**
 * `charging.schedule`: the spec's `{programs: [ChargeScheduleProgram]}` when the car keeps some,
 * and the field's empty array when it keeps none (what owners' cars send).
 */
function scheduleJson(v: SimVehicleState): Json | [] {
  if (v.chargePrograms.length === 0) return [];
  return {
    programs: v.chargePrograms.map((p) => ({
      start: p.start,
      ...(p.end !== undefined ? { end: p.end } : {}),
      enabled: p.enabled,
      occurence: { day: [...p.occurence.day] },
      chargeUntilFull: p.end === undefined,
    })),
  };
}

function fuelLevelOf(v: SimVehicleState): number {
  return round1(v.kind === 'hybrid' ? v.fuelLevel : v.level);
}

/** `energies[]` of current bodies. */
function currentEnergies(v: SimVehicleState, at: string): Json[] {
  const out: Json[] = [];
  if (v.kind !== 'electric') {
    out.push({
      createdAt: at,
      type: 'Fuel',
      subType: 'FossilEnergy',
      level: fuelLevelOf(v),
      autonomy: autonomy(v, 'fuel'),
      extension: { fuel: { consumptions: { total: Math.round(v.mileage * 6.1), instant: 0 } } },
    });
  }
  if (hasTractionBattery(v)) {
    out.push({
      createdAt: at,
      type: 'Electric',
      subType: 'ElectricEnergy',
      level: round1(v.level),
      autonomy: autonomy(v, 'electric'),
      extension: {
        electric: {
          battery: {
            load: { createdAt: at, capacity: v.batteryCapacityWh, residual: Math.round((v.batteryCapacityWh * v.level) / 100) },
            health: { createdAt: at, ...v.batteryHealth },
          },
          // Only here: the field's legacy entries carry no schedule.
          charging: { ...chargingBlock(v), schedule: scheduleJson(v) },
        },
      },
    });
  }
  return out;
}

/** The legacy `energy[]` (2021–2023 bodies, and still beside `energies` in current ones). */
function legacyEnergy(v: SimVehicleState, at: string): Json[] {
  const out: Json[] = [];
  if (v.kind !== 'electric') {
    out.push({ createdAt: at, updatedAt: at, type: 'Fuel', level: fuelLevelOf(v), autonomy: autonomy(v, 'fuel'), consumption: 0 });
  }
  if (hasTractionBattery(v)) {
    out.push({
      createdAt: at,
      updatedAt: at,
      type: 'Electric',
      level: round1(v.level),
      autonomy: autonomy(v, 'electric'),
      charging: chargingBlock(v),
      battery: { health: { ...v.batteryHealth } },
    });
  }
  return out;
}

function lockedStates(v: SimVehicleState): string[] {
  if (v.lockedStates) return [...v.lockedStates];
  return v.locked ? ['Locked'] : ['Unlocked'];
}

function airConditioning(v: SimVehicleState, at: string): Json {
  const slots = v.capabilities?.preconditioning.programSlots ?? 4;
  const set = new Map(v.preconditioningPrograms.map((p) => [p.slot, p]));
  const programs: Json[] = [];
  for (let slot = 1; slot <= Math.max(slots, ...set.keys()); slot++) {
    const p = set.get(slot);
    programs.push(p ? { ...p, occurence: { day: [...p.occurence.day] } } : { enabled: false, slot, recurrence: 'Daily', start: 'PT0S', occurence: null });
  }
  return {
    createdAt: at,
    updatedAt: at,
    status: v.preconditioningStatus,
    ...(v.preconditioning ? { startingCause: 'Immediate' } : {}),
    ...(programs.length ? { programs } : {}),
  };
}

function lightingSystem(at: string): Json {
  const lights = (['Front', 'Rear'] as const).flatMap((position) => (['Right', 'Left'] as const).map((direction) => ({ direction, position, status: 'Off' })));
  return { createdAt: at, turn: lights, fog: lights.slice(0, 2) };
}

function adas(at: string): Json {
  return {
    createdAt: at,
    parkAssist: { front: ['OutOfService'], rear: ['OutOfService'] },
    accr: 'StandBy',
    lvv: false,
    rvv: 'Off',
    afil: 'Off',
    bsm: 'Inactive',
    esp: false,
    abs: false,
    fse: true,
    sli: 30,
    rlka: 'NotSelected',
    llka: 'NotSelected',
    rgi: 'None',
  };
}

export function statusJson(v: SimVehicleState, selfHref: string, vehicleHref: string, extraLinks: Record<string, { href: string }> = {}): Json {
  const at = nowIso(v.updatedAt);
  const legacy = v.statusShape === 'legacy2021';
  const ac = airConditioning(v, at);
  const engines = [
    ...(v.kind !== 'electric' ? [{ type: 'Thermic', speed: 0, createdAt: at }] : []),
    ...(hasTractionBattery(v) ? [{ type: 'Electric', speed: 0, createdAt: at }] : []),
  ];
  const status: Json = {
    createdAt: at,
    updatedAt: at,
    _links: { self: { href: selfHref }, vehicle: { href: vehicleHref }, ...extraLinks },
    ...(legacy ? {} : { adas: adas(at) }),
    engines,
    ignition: { createdAt: at, type: v.moving ? 'Start' : 'Stop' },
    battery: legacy
      ? { createdAt: null, voltage: round1(v.battery12v), current: null }
      : { createdAt: at, voltage: round1(v.battery12v), current: v.battery12vCurrent },
    privacy: { createdAt: at, state: v.privacy },
    doorsState: doorsStateJson(v, at),
    ...(legacy ? {} : { lightingSystem: lightingSystem(at), powertrain: { createdAt: at, status: v.moving ? 'Running' : 'Stopped' } }),
    environment: { ...(legacy ? {} : { luminosity: { createdAt: at, day: true } }), air: { createdAt: at, temp: v.outsideTemp } },
    ...(legacy ? {} : { drivingBehavior: { createdAt: at, mode: 'Normal' } }),
    odometer: { createdAt: at, mileage: v.mileage },
    kinetic: { createdAt: at, moving: v.moving, ...(v.moving ? { speed: Math.round(v.speedKmh) } : {}) },
    alarm: alarmJson(v, at),
    preconditioning: { airConditioning: ac },
    ...(legacy ? {} : { energies: currentEnergies(v, at), preconditionning: { airConditioning: { ...ac } } }),
    energy: legacyEnergy(v, at),
  };
  const position = positionJson(v, v.position, at);
  if (position) status.lastPosition = position;
  return status;
}

/** A GeoJSON `Position` of the car, or undefined when its privacy setting hides where it is. */
export function positionJson(v: SimVehicleState, where: { lat: number; lon: number }, at: string): Json | undefined {
  if (v.privacy !== 'None') return undefined;
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [where.lon, where.lat] },
    properties: { createdAt: at, type: 'Acquire', heading: 90, signalQuality: 9, fixStatus: '3D' },
  };
}

/** `alarm`: the activation, and the latest break-in when there was one. */
export function alarmJson(v: SimVehicleState, at: string): Json {
  const t = v.alarmTrigger;
  const position = t ? positionJson(v, t.position, nowIso(t.startAt)) : undefined;
  return {
    status: { createdAt: at, activation: v.alarmActive ? 'Active' : 'Deactive' },
    ...(t ? { trigger: { createdAt: nowIso(t.startAt), type: t.type, startAt: nowIso(t.startAt), ...(position ? { position } : {}) } } : {}),
  };
}

/** `doorsState` of the status. */
export function doorsStateJson(v: SimVehicleState, at: string): Json {
  return {
    createdAt: at,
    lockedStates: lockedStates(v),
    opening: [...OPENINGS.filter((o) => o === 'Trunk'), ...OPENINGS.filter((o) => o !== 'Trunk')].map((identifier) => ({
      identifier,
      state: v.openings[identifier] ? 'Open' : 'Closed',
    })),
  };
}
