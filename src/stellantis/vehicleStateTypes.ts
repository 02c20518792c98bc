/** The normalized vehicle state the status reader and the monitor values produce (vehicleState.ts). */

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
