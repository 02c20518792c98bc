/**
 * Reads the raw `Status` JSON of GET /user/vehicles/{id}/status (B2C) or
 * /fleets/{fid}/vehicles/{vid}/status (B2B) into one normalized `VehicleState`, and folds monitor
 * values pushed on the webhook into it. Every part is optional and carries its own time (`at`, the
 * block's updatedAt or createdAt) and age. Missing blocks, unknown fields and unknown enum values
 * never throw; the legacy names (`energy`, `preconditionning`) are read beside the current ones.
 */

/** Time of one part of the state. */
export interface StatePart {
  /** When the car measured it (ISO 8601), from the block's updatedAt/createdAt; absent when unknown. */
  at?: string;
  /** Age in ms at reading time (`now - at`, never negative); use `partAgeMs` for a fresh figure. */
  ageMs?: number;
}

export type DoorLockState = 'locked' | 'unlocked' | 'partly-unlocked' | 'unknown';

export interface DoorsState extends StatePart {
  lock: DoorLockState;
  /** SuperLocked (deadlocks) reported. */
  superLocked: boolean;
  /** The API's lockedStates as received. */
  lockedStates: string[];
  /** True when any door/opening is reported open; undefined when the car sends no opening list. */
  open?: boolean;
  /** Identifiers (Driver, Passenger, RearLeft, RearRight, Trunk, RearWindow, RoofWindow) reported open. */
  openDoors: string[];
}

export interface EnergyLevelState extends StatePart {
  /** Percent, 0..100. */
  level?: number;
  /** Remaining range for this energy, km. */
  rangeKm?: number;
}

export type ChargingStatus = 'Disconnected' | 'InProgress' | 'Failure' | 'Stopped' | 'Finished';

export interface ChargingState extends StatePart {
  plugged?: boolean;
  status?: ChargingStatus | string;
  /** No, Slow, Quick. */
  mode?: string;
  /** ISO 8601 duration until full, as received ("PT1H30M"). */
  remainingTime?: string;
  /** `remainingTime` in whole minutes, when it parses. */
  remainingMinutes?: number;
  /** Deferred charging time as received. */
  nextDelayedTime?: string;
  /** Charging speed, km of range gained per hour. */
  rateKmPerHour?: number;
  /** Level1..Level5. */
  powerLevel?: string;
  /** Partial or Full. */
  type?: string;
}

export interface PreconditioningProgramState {
  slot?: number;
  enabled: boolean;
  /** ISO duration from midnight as received ("PT7H30M"). */
  start?: string;
  /** The same as "HH:MM" when it parses. */
  time?: string;
  days: string[];
  recurrence?: string;
}

export type PreconditioningStatus = 'Enabled' | 'Disabled' | 'Finished' | 'Failure';

export interface PreconditioningState extends StatePart {
  /** True while preconditioning runs (status Enabled); undefined when the status is unknown. */
  on?: boolean;
  status?: PreconditioningStatus | string;
  /** Immediate or Scheduled. */
  startingCause?: string;
  failureCause?: string;
  programs?: PreconditioningProgramState[];
}

export interface TemperatureState extends StatePart {
  celsius: number;
}

export interface IgnitionState extends StatePart {
  /** Stop, StartUp, Start. */
  state: string;
  on: boolean;
}

export interface MotionState extends StatePart {
  moving?: boolean;
  speedKmh?: number;
}

export interface OdometerState extends StatePart {
  km: number;
}

export interface PositionState extends StatePart {
  lat: number;
  lon: number;
  altitude?: number;
  heading?: number;
}

export interface PrivacyState extends StatePart {
  /** None, Geolocation, Full. */
  state: string;
}

export interface VehicleState {
  /** The status's own updatedAt (or createdAt). */
  updatedAt?: string;
  doors?: DoorsState;
  /** Traction battery (electric energy). */
  battery?: EnergyLevelState;
  fuel?: EnergyLevelState;
  charging?: ChargingState;
  preconditioning?: PreconditioningState;
  outsideTemperature?: TemperatureState;
  ignition?: IgnitionState;
  motion?: MotionState;
  odometer?: OdometerState;
  position?: PositionState;
  privacy?: PrivacyState;
}

type Json = Record<string, unknown>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim().replace(',', '.'));
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}

function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Age in ms of a part at `now` (undefined when the part has no time). */
export function partAgeMs(part: StatePart | undefined, now: Date = new Date()): number | undefined {
  const ms = part?.at === undefined ? NaN : Date.parse(part.at);
  return Number.isNaN(ms) ? undefined : Math.max(0, now.getTime() - ms);
}

/** The time of a block: its updatedAt when present and valid, else its createdAt. */
function timeOf(block: Json | undefined, now: Date): StatePart {
  for (const key of ['updatedAt', 'createdAt']) {
    const text = str(block?.[key]);
    if (text !== undefined && !Number.isNaN(Date.parse(text))) return { at: text, ageMs: partAgeMs({ at: text }, now) };
  }
  return {};
}

const FULLY_LOCKED: ReadonlySet<string> = new Set(['Locked', 'SuperLocked']);
const PART_UNLOCKED: ReadonlySet<string> = new Set(['DriverDoorUnlocked', 'CabinDoorsUnlocked', 'CargoDoorsUnlocked', 'RearDoorsUnlocked', 'TrunkUnLocked', 'TrunkUnlocked']);
const PART_LOCKED: ReadonlySet<string> = new Set(['CargoDoorsLocked', 'RearDoorsLocked', 'TrunkLocked']);

/** One lock state out of the API's list of door states. */
export function lockStateOf(lockedStates: readonly string[]): DoorLockState {
  let unlocked = false;
  let locked = false;
  let partUnlocked = false;
  let partLocked = false;
  for (const s of lockedStates) {
    if (s === 'Unlocked') unlocked = true;
    else if (FULLY_LOCKED.has(s)) locked = true;
    else if (PART_UNLOCKED.has(s)) partUnlocked = true;
    else if (PART_LOCKED.has(s)) partLocked = true;
  }
  if (unlocked) return locked || partLocked ? 'partly-unlocked' : 'unlocked';
  if (locked) return partUnlocked ? 'partly-unlocked' : 'locked';
  if (partUnlocked) return 'partly-unlocked';
  return 'unknown';
}

function readDoors(block: Json | undefined, now: Date): DoorsState | undefined {
  if (!block) return undefined;
  const lockedStates = strings(block.lockedStates);
  const opening = Array.isArray(block.opening) ? block.opening.map(obj).filter((o): o is Json => o !== undefined) : undefined;
  const openDoors = (opening ?? []).filter((o) => o.state === 'Open').map((o) => str(o.identifier) ?? 'Unknown');
  return {
    ...timeOf(block, now),
    lock: lockStateOf(lockedStates),
    superLocked: lockedStates.includes('SuperLocked'),
    lockedStates,
    ...(opening && opening.length > 0 ? { open: openDoors.length > 0 } : {}),
    openDoors,
  };
}

/** "PT1H30M" (also days and seconds) -> whole minutes. */
export function isoDurationMinutes(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(text.trim());
  if (!m || text.trim().length <= 2 || /T$/i.test(text.trim())) return undefined;
  const [d, h, min, s] = [m[1], m[2], m[3], m[4]].map((v) => (v === undefined ? 0 : Number(v)));
  return Math.round(d * 1440 + h * 60 + min + s / 60);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function readEnergyLevel(entry: Json, now: Date): EnergyLevelState {
  return withoutUndefined({ ...timeOf(entry, now), level: num(entry.level), rangeKm: num(entry.autonomy) });
}

function readCharging(entry: Json, now: Date): ChargingState | undefined {
  const charging = obj(obj(obj(entry.extension)?.electric)?.charging);
  if (!charging) return undefined;
  const remainingTime = str(charging.remainingTime);
  return withoutUndefined({
    ...timeOf(charging.createdAt !== undefined || charging.updatedAt !== undefined ? charging : entry, now),
    plugged: bool(charging.plugged),
    status: str(charging.status),
    mode: str(charging.chargingMode),
    remainingTime,
    remainingMinutes: isoDurationMinutes(remainingTime),
    nextDelayedTime: str(charging.nextDelayedTime),
    rateKmPerHour: num(charging.chargingRate),
    powerLevel: str(charging.chargingPowerLevel),
    type: str(charging.type),
  });
}

/** `energies` (current, array) and the legacy `energy` (object, or array in older answers). */
function energyEntries(raw: Json): Json[] {
  const out: Json[] = [];
  for (const source of [raw.energies, raw.energy]) {
    const list = Array.isArray(source) ? source : source === undefined ? [] : [source];
    for (const item of list) {
      const entry = obj(item);
      if (entry) out.push(entry);
    }
  }
  return out;
}

function isElectric(entry: Json): boolean {
  return entry.type === 'Electric' || entry.subType === 'ElectricEnergy';
}

function isFuel(entry: Json): boolean {
  return entry.type === 'Fuel' && entry.subType !== 'ElectricEnergy';
}

function readPrograms(value: unknown): PreconditioningProgramState[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .map(obj)
    .filter((p): p is Json => p !== undefined)
    .map((p) => {
      const start = str(p.start);
      const minutes = isoDurationMinutes(start);
      const time = minutes === undefined || minutes >= 1440 ? undefined
        : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
      return withoutUndefined({
        slot: num(p.slot),
        enabled: bool(p.enabled) ?? false,
        start,
        time,
        days: strings(obj(p.occurence)?.day ?? obj(p.occurrence)?.day),
        recurrence: str(p.recurrence),
      });
    });
}

function preconditioningOn(status: string | undefined): boolean | undefined {
  if (status === 'Enabled') return true;
  if (status === 'Disabled' || status === 'Finished' || status === 'Failure') return false;
  return undefined;
}

function readPreconditioning(raw: Json, now: Date): PreconditioningState | undefined {
  const ac = obj(obj(raw.preconditioning)?.airConditioning) ?? obj(obj(raw.preconditionning)?.airConditioning);
  if (!ac) return undefined;
  const status = str(ac.status);
  return withoutUndefined({
    ...timeOf(ac, now),
    on: preconditioningOn(status),
    status,
    startingCause: str(ac.startingCause),
    failureCause: str(ac.failureCause),
    programs: readPrograms(ac.programs),
  });
}

function readPosition(block: Json | undefined, now: Date): PositionState | undefined {
  const coordinates = obj(block?.geometry)?.coordinates;
  if (!Array.isArray(coordinates)) return undefined;
  const lon = num(coordinates[0]);
  const lat = num(coordinates[1]);
  if (lon === undefined || lat === undefined || Math.abs(lat) > 90 || Math.abs(lon) > 180) return undefined;
  const properties = obj(block?.properties);
  return withoutUndefined({ ...timeOf(properties, now), lat, lon, altitude: num(coordinates[2]), heading: num(properties?.heading) });
}

/** Normalizes a raw Status answer; never throws (garbage in, empty state out). */
export function readVehicleStatus(raw: unknown, now: Date = new Date()): VehicleState {
  const status = obj(raw);
  if (!status) return {};
  const state: VehicleState = {};
  const top = timeOf(status, now);
  if (top.at !== undefined) state.updatedAt = top.at;

  const doors = readDoors(obj(status.doorsState), now);
  if (doors) state.doors = doors;

  const entries = energyEntries(status);
  const electric = entries.find(isElectric);
  const fuel = entries.find(isFuel);
  if (electric) {
    state.battery = readEnergyLevel(electric, now);
    const charging = readCharging(electric, now);
    if (charging) state.charging = charging;
  }
  if (fuel) state.fuel = readEnergyLevel(fuel, now);

  const preconditioning = readPreconditioning(status, now);
  if (preconditioning) state.preconditioning = preconditioning;

  const air = obj(obj(status.environment)?.air);
  const temp = num(air?.temp);
  if (temp !== undefined) state.outsideTemperature = { ...timeOf(air, now), celsius: temp };

  const ignition = obj(status.ignition);
  const ignitionType = str(ignition?.type);
  if (ignitionType !== undefined) state.ignition = { ...timeOf(ignition, now), state: ignitionType, on: ignitionType !== 'Stop' };

  const kinetic = obj(status.kinetic);
  if (kinetic) {
    const motion = withoutUndefined({ ...timeOf(kinetic, now), moving: bool(kinetic.moving), speedKmh: num(kinetic.speed) });
    if (motion.moving !== undefined || motion.speedKmh !== undefined) state.motion = motion;
  }

  const odometer = obj(status.odometer);
  const mileage = num(odometer?.mileage);
  if (mileage !== undefined) state.odometer = { ...timeOf(odometer, now), km: mileage };

  const position = readPosition(obj(status.lastPosition), now);
  if (position) state.position = position;

  const privacy = obj(status.privacy);
  const privacyState = str(privacy?.state);
  if (privacyState !== undefined) state.privacy = { ...timeOf(privacy, now), state: privacyState };

  return state;
}

/** The monitor data names this module understands (others are left alone). */
export const MONITOR_DATA_HANDLED = [
  'vehicle.doorsState.lockedState',
  'vehicle.energy.electric.level',
  'vehicle.energy.electric.autonomy',
  'vehicle.energy.fuel.level',
  'vehicle.energy.charging.status',
  'vehicle.energy.charging.plugged',
  'vehicle.preconditioning.airConditioning',
  'environment.air.temp',
] as const;

const LIST_SEPARATOR = /[\s,;]/;

/** 'Locked' or 'CargoDoorsLocked, TrunkLocked' → the list (one value, the usual case, without a split). */
function listOf(text: string): string[] {
  if (text === '') return [];
  if (!LIST_SEPARATOR.test(text)) return [text];
  return text.split(/[\s,;]+/).filter((s) => s !== '');
}

/**
 * Folds one monitor value (`monitorEvent.values[].data` + `value.body.literalValue`) into `state`,
 * returning a new state (the input is not changed). Unknown data names and unreadable values
 * leave the state as it is. `at` is when the value was observed (the message date; default now).
 */
export function applyMonitorValue(state: VehicleState, data: string, literalValue: string, at: Date = new Date()): VehicleState {
  // Properties written out rather than spread from a shared `time` object: V8 builds such
  // spread-then-extend literals about five times slower, and this runs for every monitor message.
  const observedAt = at.toISOString();
  const text = typeof literalValue === 'string' ? literalValue.trim() : '';
  const value = num(text);
  switch (data) {
    case 'vehicle.doorsState.lockedState': {
      const lockedStates = listOf(text);
      if (lockedStates.length === 0) return state;
      const previous = state.doors;
      const doors: DoorsState = {
        at: observedAt,
        ageMs: 0,
        lock: lockStateOf(lockedStates),
        superLocked: lockedStates.includes('SuperLocked'),
        lockedStates,
        openDoors: previous?.openDoors ?? [],
      };
      if (previous?.open !== undefined) doors.open = previous.open;
      return { ...state, doors };
    }
    case 'vehicle.energy.electric.level':
      return value === undefined ? state : { ...state, battery: { ...state.battery, at: observedAt, ageMs: 0, level: value } };
    case 'vehicle.energy.electric.autonomy':
      return value === undefined ? state : { ...state, battery: { ...state.battery, at: observedAt, ageMs: 0, rangeKm: value } };
    case 'vehicle.energy.fuel.level':
      return value === undefined ? state : { ...state, fuel: { ...state.fuel, at: observedAt, ageMs: 0, level: value } };
    case 'vehicle.energy.charging.status':
      return text === '' ? state : { ...state, charging: { ...state.charging, at: observedAt, ageMs: 0, status: text } };
    case 'vehicle.energy.charging.plugged': {
      const plugged = bool(text.toLowerCase());
      return plugged === undefined ? state : { ...state, charging: { ...state.charging, at: observedAt, ageMs: 0, plugged } };
    }
    case 'vehicle.preconditioning.airConditioning':
      return text === '' ? state : { ...state, preconditioning: withoutUndefined({ ...state.preconditioning, at: observedAt, ageMs: 0, status: text, on: preconditioningOn(text) }) };
    case 'environment.air.temp':
      return value === undefined ? state : { ...state, outsideTemperature: { at: observedAt, ageMs: 0, celsius: value } };
    default:
      return state;
  }
}
