/** The normalized vehicle state the status reader and the monitor values produce (vehicleState.ts). */

/** Time of one part of the state. */
export interface StatePart {
  /** When the car measured it (ISO 8601), from the block's updatedAt/createdAt; absent when unknown. */
  at?: string;
  /** Age in ms at reading time (`now - at`, never negative); use `partAgeMs` for a fresh figure. */
  ageMs?: number;
}

/**
 * An ISO 8601 duration the car sent ("PT1H25M"): the text as received and its length in ms.
 * A zero duration (`PT0S`) is never one of these: the reader leaves the field out, as the car
 * means "none" by it (no deferred charge, nothing left to charge).
 */
export interface IsoDuration {
  iso: string;
  ms: number;
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
  /** `remainingTime` read as a duration; absent when the car sends `PT0S` (not charging). */
  remaining?: IsoDuration;
  /** Deferred charging time as received (an ISO 8601 duration, `PT0S` when none is set). */
  nextDelayedTime?: string;
  /**
   * `nextDelayedTime` read as a duration; absent for `PT0S` (no deferred charge). The spec calls it
   * the duration until the next charge; owners' cars report steady off-peak values (`PT22H31M`),
   * which reads as the deferred start counted from midnight.
   */
  nextDelayed?: IsoDuration;
  /** Charging speed, km of range gained per hour. */
  rateKmPerHour?: number;
  /** Level1..Level5. */
  powerLevel?: string;
  /** Partial or Full. */
  type?: string;
  /** The car's charging programs (off-peak windows); [] when it keeps none, absent when it does not say. */
  programs?: ChargeProgramState[];
}

/** One charging program as the status lists it (`charging.schedule.programs[]`). */
export interface ChargeProgramState {
  /** Its position in the car's list, 1-based (the remote has no slot: the list is sent whole). */
  slot: number;
  enabled: boolean;
  days: string[];
  /** "HH:MM" (the status sends a duration from midnight). */
  start?: string;
  /** "HH:MM"; past the start means the next day. */
  end?: string;
  /** The program charges until the battery is full (the spec's `chargeUntilFull`). */
  chargeUntilFull?: boolean;
}

/** Traction battery health (`battery.health`), percent. */
export interface BatteryHealthState extends StatePart {
  /** Health related to capacity, 0..100 %. */
  capacityPercent?: number;
  /** Health related to internal resistance, 0..100 %. */
  resistancePercent?: number;
}

/** Traction battery energy (`battery.load`; the API sends Wh, read here as kWh). */
export interface BatteryLoadState extends StatePart {
  /** Usable capacity, kWh. */
  capacityKwh?: number;
  /** Energy left, kWh. */
  residualKwh?: number;
}

/** The 12 V (service) battery, top-level `battery` block. */
export interface Battery12vState extends StatePart {
  /** Charge in percent: the API names it `voltage` but sends 0..100 % (83–99 seen in the field). */
  level?: number;
  /** `battery.current` as sent (amperes). */
  current?: number;
}

export type AlarmActivation = 'Active' | 'Inactive' | 'Deactive';

export interface AlarmState extends StatePart {
  /** `alarm.status.activation` as received. */
  activation: AlarmActivation | string;
  /** True when Active, false when Inactive/Deactive; undefined for an unknown value. */
  armed?: boolean;
  /** The latest trigger (`alarm.trigger`): what set it off (`type`, e.g. Intrusion) and when. */
  trigger?: { type: string; at: string };
}

/** The car and its configured home zone (`vehicles[].home`): inside the zone the monitors watch. */
export interface HomeState extends StatePart {
  inside: boolean;
  /** Distance from the home's centre, when the position is known. */
  distanceM?: number;
}

/** The spec's opening identifiers; cars may send others, kept as sent. */
export type KnownOpeningId = 'Driver' | 'Passenger' | 'RearLeft' | 'RearRight' | 'Trunk' | 'RearWindow' | 'RoofWindow';
// `string & {}` keeps editor completion for the known names while accepting any other.
export type OpeningId = KnownOpeningId | (string & {});
export type OpeningPosition = 'open' | 'closed';

/** Each opening (`doorsState.opening[]`): doors, boot, rear window, roof. */
export interface OpeningsState extends StatePart {
  byId: Partial<Record<OpeningId, OpeningPosition>>;
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
  batteryHealth?: BatteryHealthState;
  batteryLoad?: BatteryLoadState;
  battery12v?: Battery12vState;
  alarm?: AlarmState;
  openings?: OpeningsState;
  home?: HomeState;
}
