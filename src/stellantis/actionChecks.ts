/**
 * What every remote action is checked against before any call: the action kinds, the weekdays,
 * the navigation limits, and the error that names the field at fault and what to send. Shared by
 * the body builders (remoteBody.ts), the loose-input reader (looseAction.ts) and config validation.
 */
import type { GeoPoint, RemoteActionKind, Weekday } from './actions';

export class InvalidActionError extends Error {
  constructor(
    /** The offending field, e.g. `points[2].lat`, `set[0].days`, `action`. */
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'InvalidActionError';
  }
}

export const REMOTE_ACTION_KINDS: readonly RemoteActionKind[] = [
  'lock',
  'unlock',
  'horn',
  'lights',
  'precondition',
  'precondition-programs',
  'charge',
  'charge-at',
  'charge-preferences',
  'charge-programs',
  'immobilize',
  'stolen',
  'refresh',
  'navigate',
];

/** Actions only the fleet (B2B) API offers. */
export const FLEET_ONLY_KINDS: readonly RemoteActionKind[] = ['immobilize', 'stolen'];

export const WEEKDAYS: readonly Weekday[] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export const MAX_NAVIGATION_POINTS = 10;

export function requireBoolean(value: unknown, field: string, hint: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidActionError(field, `must be true or false (${hint})`);
  return value;
}

function checkPoint(point: unknown, field: string): GeoPoint {
  if (typeof point !== 'object' || point === null) throw new InvalidActionError(field, 'must be a point {lat, lon}');
  const { lat, lon } = point as { lat?: unknown; lon?: unknown };
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new InvalidActionError(`${field}.lat`, `${JSON.stringify(lat)} is not a latitude; send a number from -90 to 90`);
  }
  if (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new InvalidActionError(`${field}.lon`, `${JSON.stringify(lon)} is not a longitude; send a number from -180 to 180`);
  }
  return { lat, lon };
}

/** Validates navigation points (1..10, ranges); shared with config validation. */
export function checkNavigationPoints(points: unknown, field = 'points'): GeoPoint[] {
  if (!Array.isArray(points) || points.length === 0) {
    throw new InvalidActionError(field, `missing; send 1 to ${MAX_NAVIGATION_POINTS} points {lat, lon}, the last one the destination`);
  }
  if (points.length > MAX_NAVIGATION_POINTS) {
    throw new InvalidActionError(field, `${points.length} points; the car takes at most ${MAX_NAVIGATION_POINTS} (9 stops and the destination)`);
  }
  return points.map((p: unknown, i: number) => checkPoint(p, `${field}[${i}]`));
}
