/**
 * The remote actions a user can ask for, in the project's own words. Each face (CLI, Homebridge,
 * Node-RED) produces one of these; `buildRemoteBody` (stellantis/remoteBody.ts) turns it into the
 * exact body the official spec describes, validating its input first.
 */

export interface GeoPoint {
  lat: number;
  lon: number;
}

export type Weekday = 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';

export interface PreconditioningProgram {
  /** 1..4 */
  slot: number;
  enabled: boolean;
  days: Weekday[];
  /** "07:30" or an ISO 8601 duration from midnight such as "PT7H30M". */
  start: string;
}

/**
 * One charging program (off-peak window) of the car's list. The remote carries no slot: the list is
 * sent whole and replaces the car's, so a program's slot is its position in the list (1-based).
 */
export interface ChargeProgram {
  days: Weekday[];
  /** "22:30" or an ISO 8601 duration from midnight such as "PT22H30M". */
  start: string;
  /** The same for the end (past midnight: the next day); absent, the car charges until it stops by itself. */
  end?: string;
  enabled: boolean;
}

/**
 * The kinds are verbs users write (Node-RED `msg.payload.kind`, CLI and editor action words), so
 * they stay as published: `precondition` and `immobilize` act on the concepts the code calls
 * preconditioning and immobilization (the spec's names).
 */
export type RemoteAction =
  | { kind: 'lock' }
  | { kind: 'unlock' }
  | { kind: 'horn' }
  | { kind: 'lights' }
  | { kind: 'precondition'; on: boolean }
  | { kind: 'precondition-programs'; set?: PreconditioningProgram[]; delete?: number[] }
  | { kind: 'charge'; on: boolean }
  /** Deferred charging: `at` is "HH:MM" (next occurrence, local time) or an RFC 3339 instant. */
  | { kind: 'charge-at'; at: string }
  | { kind: 'charge-preferences'; level?: 1 | 2 | 3 | 4 | 5; type?: 'Partial' | 'Full' }
  /** The car's whole list of charging programs (`charging.schedule.programs`); [] removes them all. */
  | { kind: 'charge-programs'; programs: ChargeProgram[] }
  | { kind: 'immobilize'; on: boolean }
  | { kind: 'stolen'; on: boolean }
  | { kind: 'refresh' }
  | { kind: 'navigate'; points: GeoPoint[] };

export type RemoteActionKind = RemoteAction['kind'];
