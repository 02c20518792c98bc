/**
 * What a car says it can do: `_embedded.extension.onboardCapabilities` of `GET .../vehicles/{id}`
 * (schema `OnboardCapabilities`, the same in both specs; B2B adds `remote.stolen`), read into our
 * own typed, normalized shape, and the capability each remote action needs.
 *
 * Read defensively: a missing block, a value of the wrong type or an unknown shape is "unknown"
 * (absent), never "unsupported", so a car that gives no capabilities keeps every control.
 */
import type { RemoteAction, RemoteActionKind } from './actions';

/** true: the car says it can; false: it says it cannot; absent: it does not say. */
export type Support = boolean | undefined;

export interface VehicleCapabilities {
  preconditioning: {
    supported?: boolean;
    /** Immediate start/stop of the preconditioning. */
    immediate?: boolean;
    /** How many programs the car keeps (`parameters.programs.size`). */
    programSlots?: number;
  };
  charging: {
    supported?: boolean;
    immediateStart?: boolean;
    immediateStop?: boolean;
    /** Charge schedule programs: supported, and how many. */
    schedulePrograms?: { supported?: boolean; size?: number };
    /** A deferred charge (`schedule.nextDelayedTime`). */
    nextDelayedTime?: boolean;
    preferenceLevel?: boolean;
    preferenceType?: boolean;
  };
  door: { supported?: boolean };
  horn: { supported?: boolean };
  lights: { supported?: boolean };
  wakeup: { supported?: boolean };
  navigation: { supported?: boolean };
  /** Fleet (B2B) only. */
  stolen: { supported?: boolean };
  /** The data scopes the car gives (`onboardCapabilities.data`). */
  data?: string[];
}

/** The remote functions of `onboardCapabilities.remote`. */
export type RemoteCapability = 'preconditioning' | 'charging' | 'door' | 'horn' | 'lights' | 'wakeup' | 'navigation' | 'stolen';

/** The capability each action needs; immobilization has none in the spec (always tried). */
export const CAPABILITY_OF_ACTION: Readonly<Record<RemoteActionKind, RemoteCapability | undefined>> = {
  lock: 'door',
  unlock: 'door',
  horn: 'horn',
  lights: 'lights',
  precondition: 'preconditioning',
  'precondition-programs': 'preconditioning',
  charge: 'charging',
  'charge-at': 'charging',
  'charge-preferences': 'charging',
  'charge-programs': 'charging',
  immobilize: undefined,
  stolen: 'stolen',
  refresh: 'wakeup',
  navigate: 'navigation',
};

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 100 ? v : undefined;
}

/** Drops the absent keys, so that a saved and a freshly read value compare equal. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function simple(remote: Json, key: string): { supported?: boolean } {
  return defined({ supported: bool(obj(remote[key])?.supported) });
}

/**
 * The capabilities in a vehicle body (`GET /user/vehicles/{id}` or the fleet vehicle), or
 * undefined when the body carries none (the car, or the API, does not say).
 */
export function readCapabilities(vehicle: unknown): VehicleCapabilities | undefined {
  const onboard = obj(obj(obj(obj(vehicle)?._embedded)?.extension)?.onboardCapabilities);
  const remote = obj(onboard?.remote);
  if (!remote) return undefined;
  const pre = obj(remote.preconditioning);
  const preParams = obj(pre?.parameters);
  const ch = obj(remote.charging);
  const chParams = obj(ch?.parameters);
  const immediate = obj(chParams?.immediate);
  const schedule = obj(chParams?.schedule);
  const programs = obj(schedule?.programs);
  // The schema lists `preferences` both under `schedule` (required there) and beside it.
  const prefs = obj(schedule?.preferences) ?? obj(chParams?.preferences);
  const data = Array.isArray(onboard?.data) ? onboard.data.filter((d): d is string => typeof d === 'string') : undefined;
  return defined({
    preconditioning: defined({
      supported: bool(pre?.supported),
      immediate: bool(preParams?.immediate),
      programSlots: count(obj(preParams?.programs)?.size),
    }),
    charging: defined({
      supported: bool(ch?.supported),
      immediateStart: bool(immediate?.start),
      immediateStop: bool(immediate?.stop),
      schedulePrograms: programs ? defined({ supported: bool(programs.supported), size: count(programs.size) }) : undefined,
      nextDelayedTime: bool(schedule?.nextDelayedTime),
      preferenceLevel: bool(prefs?.level),
      preferenceType: bool(prefs?.type),
    }),
    door: simple(remote, 'door'),
    horn: simple(remote, 'horn'),
    lights: simple(remote, 'lights'),
    wakeup: simple(remote, 'wakeup'),
    navigation: simple(remote, 'navigation'),
    stolen: simple(remote, 'stolen'),
    data,
  });
}

/** A saved value read back (the vehicle-states file): the same defensive reading, from our own shape. */
export function restoreCapabilities(saved: unknown): VehicleCapabilities | undefined {
  const s = obj(saved);
  if (!s) return undefined;
  const o = (k: string): Json => obj(s[k]) ?? {};
  const pre = o('preconditioning');
  const ch = o('charging');
  const sp = obj(ch.schedulePrograms);
  const simpleOf = (k: string) => defined({ supported: bool(o(k).supported) });
  return defined({
    preconditioning: defined({ supported: bool(pre.supported), immediate: bool(pre.immediate), programSlots: count(pre.programSlots) }),
    charging: defined({
      supported: bool(ch.supported),
      immediateStart: bool(ch.immediateStart),
      immediateStop: bool(ch.immediateStop),
      schedulePrograms: sp ? defined({ supported: bool(sp.supported), size: count(sp.size) }) : undefined,
      nextDelayedTime: bool(ch.nextDelayedTime),
      preferenceLevel: bool(ch.preferenceLevel),
      preferenceType: bool(ch.preferenceType),
    }),
    door: simpleOf('door'),
    horn: simpleOf('horn'),
    lights: simpleOf('lights'),
    wakeup: simpleOf('wakeup'),
    navigation: simpleOf('navigation'),
    stolen: simpleOf('stolen'),
    data: Array.isArray(s.data) ? s.data.filter((d): d is string => typeof d === 'string') : undefined,
  });
}

/** Whether the car supports a remote function (undefined: it does not say, or gave no capabilities). */
export function supports(caps: VehicleCapabilities | undefined, capability: RemoteCapability): Support {
  return caps?.[capability].supported;
}

/** Why the car's capabilities rule an action out: the capability (its path in the spec) and what it is. */
export interface CapabilityRefusal {
  /** e.g. `remote.horn.supported`, `remote.preconditioning.parameters.programs.size`. */
  capability: string;
  /** e.g. "remote horn", "preconditioning program slot 3 (this car keeps 2)". */
  what: string;
}

const FUNCTION_WORDS: Record<RemoteCapability, string> = {
  preconditioning: 'remote preconditioning',
  charging: 'remote charging',
  door: 'remote door locking',
  horn: 'remote horn',
  lights: 'remote lights',
  wakeup: 'remote wake-up (state refresh)',
  navigation: 'sending a destination (navigation)',
  stolen: 'the stolen-vehicle service',
};

const said = (flag: boolean | undefined): boolean => flag === false;

/**
 * What rules the action out, or undefined when the car supports it or does not say. Only an
 * explicit `false` (or a slot above an explicit size) refuses.
 */
export function capabilityRefusal(action: RemoteAction, caps: VehicleCapabilities | undefined): CapabilityRefusal | undefined {
  if (!caps) return undefined;
  const capability = CAPABILITY_OF_ACTION[action.kind];
  if (!capability) return undefined;
  if (said(caps[capability].supported)) return { capability: `remote.${capability}.supported`, what: FUNCTION_WORDS[capability] };
  const pre = caps.preconditioning;
  const ch = caps.charging;
  switch (action.kind) {
    case 'precondition':
      return said(pre.immediate) ? { capability: 'remote.preconditioning.parameters.immediate', what: 'starting or stopping the preconditioning now' } : undefined;
    case 'precondition-programs': {
      const size = pre.programSlots;
      if (size === undefined) return undefined;
      const slots = [...(action.set ?? []).map((p) => p.slot), ...(action.delete ?? [])];
      const above = slots.find((s) => s > size);
      if (above === undefined) return undefined;
      const what = size === 0 ? 'preconditioning programs (this car keeps none)' : `preconditioning program slot ${above} (this car keeps ${size})`;
      return { capability: 'remote.preconditioning.parameters.programs.size', what };
    }
    case 'charge':
      if (action.on && said(ch.immediateStart)) return { capability: 'remote.charging.parameters.immediate.start', what: 'starting the charge now' };
      if (!action.on && said(ch.immediateStop)) return { capability: 'remote.charging.parameters.immediate.stop', what: 'stopping the charge now' };
      return undefined;
    case 'charge-at':
      return said(ch.nextDelayedTime) ? { capability: 'remote.charging.parameters.schedule.nextDelayedTime', what: 'a deferred charge' } : undefined;
    case 'charge-preferences':
      if (action.level !== undefined && said(ch.preferenceLevel)) return { capability: 'remote.charging.parameters.preferences.level', what: 'a charge level preference' };
      if (action.type !== undefined && said(ch.preferenceType)) return { capability: 'remote.charging.parameters.preferences.type', what: 'a charge type preference' };
      return undefined;
    case 'charge-programs': {
      const sp = ch.schedulePrograms;
      const capability = 'remote.charging.parameters.schedule.programs';
      if (said(sp?.supported) || sp?.size === 0) {
        return { capability: `${capability}.${said(sp?.supported) ? 'supported' : 'size'}`, what: 'charging programs (this car keeps none)' };
      }
      // Read loosely: the editor's hint asks with a bare kind (vocabulary/actionWords.ts).
      const count = Array.isArray(action.programs) ? action.programs.length : 0;
      if (sp?.size !== undefined && count > sp.size) {
        return { capability: `${capability}.size`, what: `${count} charging programs (this car keeps ${sp.size})` };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** How many charging programs the car keeps: its own count, else the API's bound (0: none). */
export function chargeProgramSlotsOf(caps: VehicleCapabilities | undefined, apiMax: number): number {
  const sp = caps?.charging.schedulePrograms;
  if (sp?.supported === false) return 0;
  return sp?.size === undefined ? apiMax : Math.min(sp.size, apiMax);
}

/** The number of preconditioning program slots a control may offer: the car's, else the API's 4. */
export function programSlotsOf(caps: VehicleCapabilities | undefined): number {
  const size = caps?.preconditioning.programSlots;
  return size === undefined ? 4 : Math.min(size, 4);
}
