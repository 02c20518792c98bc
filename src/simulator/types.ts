/** Public types of the simulator (the contract every test in the project relies on). */

/** `hybrid` is a plug-in hybrid: a traction battery that charges (`level`) and a fuel tank (`fuelLevel`). */
export type SimVehicleKind = 'electric' | 'hybrid' | 'thermal';
/**
 * How the status body is shaped, as cars answer in the field: `current` (`energies[]` with
 * `extension.electric`, plus the legacy `energy[]` in the same body) or `legacy2021` (2021–2023
 * bodies: `energy[]` only, its Electric entry holding `charging` and `battery.health` directly).
 */
export type SimStatusShape = 'current' | 'legacy2021';
/** Named sets of onboard capabilities (see capabilities.ts). */
export type SimCapabilityPreset = 'ev' | 'phev' | 'thermal' | 'older' | 'twoSlots';
/** Every opening `doorsState.opening[]` reports. */
export type SimOpening = 'Driver' | 'Passenger' | 'RearLeft' | 'RearRight' | 'Trunk' | 'RearWindow' | 'RoofWindow';
export type SimLockedState =
  | 'Unlocked' | 'Locked' | 'SuperLocked' | 'DriverDoorUnlocked' | 'CabinDoorsUnlocked' | 'CargoDoorsLocked' | 'CargoDoorsUnlocked'
  | 'RearDoorsUnlocked' | 'RearDoorsLocked' | 'TrunkLocked' | 'TrunkUnLocked';

/**
 * What the car can do, as `_embedded.extension.onboardCapabilities.remote` tells it (schema
 * `OnboardCapabilities`). A program size of 0 means the car has no programs of that kind.
 */
export interface SimCapabilities {
  preconditioning: { supported: boolean; immediate: boolean; programSlots: number };
  charging: {
    supported: boolean;
    immediateStart: boolean;
    immediateStop: boolean;
    /** Charge schedule programs the car keeps (0: none). */
    schedulePrograms: number;
    nextDelayedTime: boolean;
    preferenceLevel: boolean;
    preferenceType: boolean;
  };
  door: boolean;
  horn: boolean;
  lights: boolean;
  wakeup: boolean;
  navigation: boolean;
  /** B2B only: the stolen-vehicle service. */
  stolen: boolean;
}
export type PrivacyState = 'None' | 'Geolocation' | 'Full';
export type SimChargingStatus = 'Disconnected' | 'InProgress' | 'Failure' | 'Stopped' | 'Finished';
export type SimPreconditioningStatus = 'Enabled' | 'Disabled' | 'Finished' | 'Failure';

export interface SimVehicleSeed {
  id?: string;
  vin?: string;
  kind: SimVehicleKind;
  brand?: string;
  model?: string;
  asleep?: boolean;
  deepSleep?: boolean;
  online?: boolean;
  locked?: boolean;
  doorsOpen?: boolean;
  /** Battery (electric, hybrid) or fuel (thermal) level, %. */
  level?: number;
  /** Fuel level of a plug-in hybrid, %. */
  fuelLevel?: number;
  /** A preset name or a full description; absent: the car gives no capabilities (everything is tried). */
  capabilities?: SimCapabilityPreset | SimCapabilities;
  /** Default `current`. */
  statusShape?: SimStatusShape;
  /** Charge of the 12 V battery, % (default 92). */
  battery12v?: number;
  alarmActive?: boolean;
  /** Openings that are open (doorsOpen opens the driver's door). */
  open?: SimOpening[];
  plugged?: boolean;
  charging?: boolean;
  preconditioning?: boolean;
  /** Charging programs the car keeps from the start. */
  chargePrograms?: SimChargeProgram[];
  outsideTemp?: number;
  position?: { lat: number; lon: number };
  privacy?: PrivacyState;
  wakeUpsUsed?: number;
}

export interface SimPreconditioningProgram {
  slot: number;
  enabled: boolean;
  recurrence: 'Daily';
  start: string;
  occurence: { day: string[] };
}

/**
 * One charging program as the car keeps it (`charging.schedule.programs[]`): times are durations
 * from midnight in the car's time, which the simulator takes as UTC.
 */
export interface SimChargeProgram {
  start: string;
  /** Absent: the program charges until the battery is full. */
  end?: string;
  enabled: boolean;
  occurence: { day: string[] };
}

/** Live internal state of a simulated vehicle. */
export interface SimVehicleState {
  id: string;
  vin: string;
  kind: SimVehicleKind;
  brand: string;
  model: string;
  asleep: boolean;
  /** Deep sleep: the car cannot be woken remotely (remotes time out). */
  deepSleep: boolean;
  online: boolean;
  locked: boolean;
  /** Some door or the boot is open (a lock then fails with DoorsOpen); kept in step with `openings`. */
  doorsOpen: boolean;
  openings: Record<SimOpening, boolean>;
  /** The list `doorsState.lockedStates` shows; when unset it is derived from `locked`. */
  lockedStates?: SimLockedState[];
  alarmActive: boolean;
  /** Traction battery (electric, hybrid) or fuel (thermal), %. */
  level: number;
  /** Fuel level of a plug-in hybrid, %. */
  fuelLevel: number;
  /** Charge of the 12 V battery, %: falls with each wake-up, recovers while driving or charging. */
  battery12v: number;
  /** `battery.current` as the status shows it, A. */
  battery12vCurrent: number;
  /** Driving: ignition on, `kinetic.moving`, the 12 V battery recovers; starting opens a trip, stopping closes it. */
  moving: boolean;
  /** `kinetic.speed`, km/h (0 when parked). */
  speedKmh: number;
  /** The current trip, or the last one once stopped. */
  trip?: SimTrip;
  /** Id of the last trip that ended (`vehicle.trip.stop`). */
  lastStoppedTripId?: string;
  /** The latest alarm trigger (break-in), if any. */
  alarmTrigger?: SimAlarmTrigger;
  capabilities?: SimCapabilities;
  statusShape: SimStatusShape;
  /** Traction battery health, % (capacity and resistance). */
  batteryHealth: { capacity: number; resistance: number };
  /** Usable traction battery capacity, Wh. */
  batteryCapacityWh: number;
  plugged: boolean;
  charging: boolean;
  chargingStatus: SimChargingStatus;
  chargingType: 'Partial' | 'Full';
  chargingLevelPreference?: string;
  nextDelayedTime?: string;
  preconditioning: boolean;
  preconditioningStatus: SimPreconditioningStatus;
  preconditioningPrograms: SimPreconditioningProgram[];
  /** The charging programs the car keeps, in order (a program's slot is its position). */
  chargePrograms: SimChargeProgram[];
  outsideTemp: number;
  position: { lat: number; lon: number };
  privacy: PrivacyState;
  wakeUpsUsed: number;
  immobilized: boolean;
  stolen: boolean;
  lastDestination?: Array<[number, number]>;
  mileage: number;
  /** Epoch ms of the last change of the vehicle's data. */
  updatedAt: number;
}

/**
 * What `setVehicle` takes: any settable field; `openings` in part (the others keep their state);
 * `alarmTrigger` as the break-in type (the time and place are the car's now).
 */
export type SimVehiclePatch = Partial<Omit<SimVehicleState, 'openings' | 'alarmTrigger' | 'trip' | 'lastStoppedTripId'>> & {
  openings?: Partial<Record<SimOpening, boolean>>;
  alarmTrigger?: SimAlarmTriggerType;
};

/** `alarm.trigger.type` (schema `BaseAlarmTrigger`). */
export type SimAlarmTriggerType =
  | 'NoBreakIn' | 'FrontRightDoorBreakIn' | 'FrontLeftDoorBreakIn' | 'RearRightFrontDoorBreakIn' | 'RearLeftFrontDoorBreakIn'
  | 'HoodDoorBreakIn' | 'TrunkDoorBreakIn' | 'BackliteDoorBreakIn' | 'RoofBreakIn' | 'VolumetricBreakIn' | 'VehicleLifting'
  | 'ElectricalsystemBreakIn' | 'KeyLearning' | 'UnauthenticatedStartup';

export interface SimAlarmTrigger {
  type: SimAlarmTriggerType;
  /** Epoch ms. */
  startAt: number;
  position: { lat: number; lon: number };
}

/** A trip: opened when the car starts moving, closed when it stops. */
export interface SimTrip {
  id: string;
  startedAt: number;
  stoppedAt?: number;
  startPosition: { lat: number; lon: number };
  stopPosition?: { lat: number; lon: number };
  startMileage: number;
  distanceKm: number;
}

/** A route for `drive`: the car moves from its position through each point, then parks. */
export interface SimRoute {
  route: Array<{ lat: number; lon: number }>;
  /** Default 50. */
  speedKmh?: number;
}

export interface SimVehicleView {
  id: string;
  vin: string;
  kind: SimVehicleKind;
  brand: string;
  model: string;
  /** Whether the car gives onboard capabilities, and its status shape. */
  capabilities?: SimCapabilities;
  statusShape: SimStatusShape;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  at: number;
  hasBearer: boolean;
  hasBasic: boolean;
  realm?: string;
  clientId?: string;
}

export interface DeliveryRecord {
  target: string;
  status?: number;
  error?: string;
  messages: unknown[];
  at: number;
}

export interface SimulatorOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 2: one EV (index 0) and one thermal car (index 1). */
  vehicles?: number | SimVehicleSeed[];
  /** Real-time multiplier for every simulated delay (1 = real timing, 0.001 = 1000x faster). Default 1. */
  timeScale?: number;
  /** Access token lifetime in real seconds. Default 3600. */
  accessTokenTtlSeconds?: number;
  /** Default 20/s and 10000/day. */
  rateLimit?: { perSecond?: number; perDay?: number };
  /** Default 20. */
  wakeUpsPerMonth?: number;
  /** Optional HTTPS; with requestClientCert, API calls without a client certificate signed by `ca` get 403. */
  tls?: { cert: string; key: string; ca: string; requestClientCert: boolean };
  /** Debug log: one line per request and per notification, never secrets. */
  logger?: (line: string) => void;
  /** Redirect URI the OAuth client is registered with. Default: the simulator's own code page. */
  redirectUri?: string;
  /** Simulated seconds without activity before a car that was used falls asleep again. Default 300; 0 = never. */
  autoSleepSeconds?: number;
  /** PEM CA trusted for https webhook targets (e.g. a test's self-signed certificate). */
  webhookCa?: string;
  /** Points of 12 V charge each wake-up costs (a state refresh, or a remote that wakes a sleeping car). Default 2. */
  wakeUpDrain12v?: number;
}

export interface SimControl {
  failNext(count: number, status?: number): void;
  delayNext(count: number, ms: number): void;
  hangNext(count: number): void;
  expireAccessTokens(): void;
  revokeRefreshTokens(): void;
  setRateLimit(limit: { perSecond?: number; perDay?: number }): void;
  setVehicle(id: string, patch: SimVehiclePatch): void;
  exhaustWakeUps(id: string): void;
  dropNotifications(count: number): void;
  duplicateNotifications(count: number): void;
  reorderNotifications(on: boolean): void;
  pauseDelivery(): void;
  resumeDelivery(): void;
  /** Drives the car along a route over simulated time (position, mileage, speed, a trip), then parks it. */
  drive(id: string, route: SimRoute): void;
  /** Sets the simulated wall clock that time triggers read; from then it runs at the time scale. */
  setClock(at: string | number): void;
}

export interface SimAccount {
  clientId: string;
  clientSecret: string;
  realm: string;
  redirectUri: string;
  brand: 'peugeot';
  fleetId: string;
  username: string;
  password: string;
}

export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export interface RunningSimulator {
  url: string;
  b2cBaseUrl: string;
  b2bBaseUrl: string;
  oauthUrl: string;
  account: SimAccount;
  vehicles: SimVehicleView[];
  /** A vehicle of another account: 403 when this account asks for it. */
  foreignVehicleId: string;
  issueTokens(): IssuedTokens;
  calls: RecordedCall[];
  callCount(filter?: { method?: string; pathIncludes?: string }): number;
  deliveries: DeliveryRecord[];
  vehicle(id: string): SimVehicleState;
  control: SimControl;
  stop(): Promise<void>;
}
