/**
 * What each simulated car can do (`_embedded.extension.onboardCapabilities`, schema
 * `OnboardCapabilities` of both specs) and the refusal of a remote the car cannot do.
 *
 * The spec names no HTTP error for a remote the car does not support; the simulator answers
 * 400 with code 40030 (the remote) or 40031 (a program slot above the car's count) and a
 * message naming the capability, and the car is left untouched.
 */
import { ApiError } from './errors';
import type { CheckedRemote, Flavour } from './remoteCheck';
import type { SimCapabilities, SimCapabilityPreset } from './types';
import { isObject } from '../util/isObject';

export const UNSUPPORTED_REMOTE_DETAIL = 30;
export const PROGRAM_SLOT_DETAIL = 31;

const FULL_CHARGING: SimCapabilities['charging'] = {
  supported: true,
  immediateStart: true,
  immediateStop: true,
  schedulePrograms: 4,
  nextDelayedTime: true,
  preferenceLevel: true,
  preferenceType: true,
};
const NO_CHARGING: SimCapabilities['charging'] = {
  supported: false,
  immediateStart: false,
  immediateStop: false,
  schedulePrograms: 0,
  nextDelayedTime: false,
  preferenceLevel: false,
  preferenceType: false,
};
const EVERY_REMOTE = { door: true, horn: true, lights: true, wakeup: true, navigation: true, stolen: true };

export const CAPABILITY_PRESETS: Record<SimCapabilityPreset, SimCapabilities> = {
  /** A current EV: everything, 4 preconditioning programs. */
  ev: { preconditioning: { supported: true, immediate: true, programSlots: 4 }, charging: FULL_CHARGING, ...EVERY_REMOTE },
  /** A plug-in hybrid: charging without charge preferences, 2 charge programs. */
  phev: {
    preconditioning: { supported: true, immediate: true, programSlots: 4 },
    charging: { ...FULL_CHARGING, schedulePrograms: 2, preferenceLevel: false, preferenceType: false },
    ...EVERY_REMOTE,
  },
  /** A thermal car: everything but charging. */
  thermal: { preconditioning: { supported: true, immediate: true, programSlots: 4 }, charging: NO_CHARGING, ...EVERY_REMOTE },
  /** An older EV: no lights, no navigation, no charge programs. */
  older: {
    preconditioning: { supported: true, immediate: true, programSlots: 4 },
    charging: { ...FULL_CHARGING, schedulePrograms: 0, preferenceLevel: false },
    ...EVERY_REMOTE,
    lights: false,
    navigation: false,
  },
  /** An EV whose car keeps only 2 preconditioning programs. */
  twoSlots: { preconditioning: { supported: true, immediate: true, programSlots: 2 }, charging: FULL_CHARGING, ...EVERY_REMOTE },
};

export function isCapabilityPreset(name: unknown): name is SimCapabilityPreset {
  return typeof name === 'string' && Object.hasOwn(CAPABILITY_PRESETS, name);
}

export function resolveCapabilities(c: SimCapabilityPreset | SimCapabilities | undefined): SimCapabilities | undefined {
  if (c === undefined) return undefined;
  const base = typeof c === 'string' ? CAPABILITY_PRESETS[c] : c;
  return structuredClone(base);
}

const DATA_SCOPES = [
  'data:telemetry',
  'data:telemetry:environment',
  'data:telemetry:privacy',
  'data:telemetry:vehicle',
  'data:telemetry:vehicle:ignition',
  'data:telemetry:vehicle:preconditioning',
  'data:telemetry:vehicle:energies',
  'data:telemetry:vehicle:doorsState',
  'data:telemetry:vehicle:battery',
  'data:telemetry:vehicle:odometer',
  'data:telemetry:vehicle:kinetic',
  'data:telemetry:vehicle:alarm',
  'data:position',
];

/** The `OnboardCapabilities` object (B2B adds `remote.stolen`). */
export function capabilitiesJson(c: SimCapabilities, flavour: Flavour) {
  const simple = (supported: boolean, scope: string) => ({ supported, scopeName: `remote:${scope}:write` });
  const ch = c.charging;
  return {
    data: DATA_SCOPES,
    remote: {
      preconditioning: {
        ...simple(c.preconditioning.supported, 'preconditioning'),
        parameters: { programs: { size: c.preconditioning.programSlots }, immediate: c.preconditioning.immediate },
      },
      charging: {
        ...simple(ch.supported, 'charging'),
        parameters: {
          immediate: { start: ch.immediateStart, stop: ch.immediateStop },
          schedule: {
            programs: { supported: ch.schedulePrograms > 0, size: ch.schedulePrograms },
            nextDelayedTime: ch.nextDelayedTime,
            preferences: { level: ch.preferenceLevel, type: ch.preferenceType },
          },
          preferences: { level: ch.preferenceLevel, type: ch.preferenceType },
        },
      },
      door: simple(c.door, 'door'),
      horn: simple(c.horn, 'horn'),
      lights: simple(c.lights, 'lights'),
      wakeup: simple(c.wakeup, 'wakeup'),
      navigation: simple(c.navigation, 'navigation'),
      ...(flavour === 'b2b' ? { stolen: { supported: c.stolen } } : {}),
    },
  };
}

function refuse(what: string, path: string): never {
  throw new ApiError(400, `This vehicle does not support ${what} (onboardCapabilities.remote.${path} is false)`, UNSUPPORTED_REMOTE_DETAIL);
}

function slotsAbove(programs: unknown, size: number, what: string, path: string): void {
  if (!Array.isArray(programs)) return;
  if (size === 0) refuse(`${what} programs`, path);
  for (const p of programs) {
    const slot = isObject(p) ? p.slot : undefined;
    if (typeof slot === 'number' && slot > size) {
      throw new ApiError(400, `Program slot ${slot} is above this vehicle's ${size} ${what} program slots (onboardCapabilities ${path} size ${size})`, PROGRAM_SLOT_DETAIL);
    }
  }
  if (programs.length > size) {
    throw new ApiError(400, `${programs.length} ${what} programs sent; this vehicle keeps ${size}`, PROGRAM_SLOT_DETAIL);
  }
}

/** Throws ApiError(400) when the car's capabilities rule the remote out; no capabilities: everything is tried. */
export function checkCapabilities(c: SimCapabilities | undefined, remote: CheckedRemote): void {
  if (!c) return;
  const a = isObject(remote.body[remote.action]) ? (remote.body[remote.action] as Record<string, unknown>) : {};
  switch (remote.action) {
    case 'door':
    case 'horn':
    case 'lights':
    case 'navigation':
    case 'stolen':
      if (!c[remote.action]) refuse(`remote ${remote.action}`, `${remote.action}.supported`);
      return;
    case 'wakeUp':
      if (!c.wakeup) refuse('remote wake-up (state refresh)', 'wakeup.supported');
      return;
    case 'preconditioning': {
      const p = c.preconditioning;
      if (!p.supported) refuse('remote preconditioning', 'preconditioning.supported');
      const ac = isObject(a.airConditioning) ? a.airConditioning : {};
      if (typeof ac.immediate === 'boolean' && !p.immediate) refuse('immediate preconditioning', 'preconditioning.parameters.immediate');
      slotsAbove(ac.programs, p.programSlots, 'preconditioning', 'remote.preconditioning.parameters.programs');
      return;
    }
    case 'charging': {
      const ch = c.charging;
      if (!ch.supported) refuse('remote charging', 'charging.supported');
      if (a.immediate === true && !ch.immediateStart) refuse('an immediate charge start', 'charging.parameters.immediate.start');
      if (a.immediate === false && !ch.immediateStop) refuse('an immediate charge stop', 'charging.parameters.immediate.stop');
      const schedule = isObject(a.schedule) ? a.schedule : {};
      if ((schedule.nextDelayedTime !== undefined || a.nextDelayedTime !== undefined) && !ch.nextDelayedTime) {
        refuse('a deferred charge (nextDelayedTime)', 'charging.parameters.schedule.nextDelayedTime');
      }
      slotsAbove(schedule.programs, ch.schedulePrograms, 'charge schedule', 'remote.charging.parameters.schedule.programs');
      const prefs = isObject(a.preferences) ? a.preferences : {};
      if (prefs.level !== undefined && !ch.preferenceLevel) refuse('a charge level preference', 'charging.parameters.preferences.level');
      if (prefs.type !== undefined && !ch.preferenceType) refuse('a charge type preference', 'charging.parameters.preferences.type');
      return;
    }
    default:
      return;
  }
}
