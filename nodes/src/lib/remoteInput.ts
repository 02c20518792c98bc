/**
 * From a remote node's settings and an incoming message to the vehicle and the RemoteAction to send.
 * The message may override the action (msg.payload) and the vehicle (msg.vehicle) unless the node
 * blocks overrides. Every mistake becomes an Error whose text says what to send instead.
 */
import type { RemoteAction } from '../../../src/stellantis/actions';
import { InvalidActionError, parseRemoteAction } from '../../../src/stellantis/remoteBody';
import { buildChargeProgramsBody, type ChargeProgramEdit } from '../../../src/stellantis/chargePrograms';
import { looseChargeProgram } from '../../../src/stellantis/looseAction';
import { ACTION_WORD_LIST, CHARGE_PROGRAM_WORDS, meaningOf, ON_OFF_PAIRS, SETTING_WORDS } from '../../../src/vocabulary/actionWords';
import { checkChargeLimit } from '../../../src/engine/chargeLimit';
import type { NodeMessage } from './red';
import { isObject } from '../../../src/util/isObject';
import { errorText } from '../../../src/util/errorText';

const WORD_LIST = [...ACTION_WORD_LIST, ...SETTING_WORDS, ...CHARGE_PROGRAM_WORDS].join(', ');

export interface ProgramSetting {
  slot?: unknown;
  days?: unknown;
  start?: unknown;
  enabled?: unknown;
}

export interface ChargeProgramSetting {
  days?: unknown;
  start?: unknown;
  end?: unknown;
  enabled?: unknown;
}

/** The remote node's stored settings (as the editor saves them). */
export interface RemoteSettings {
  vehicle?: string;
  action?: string;
  at?: string;
  level?: string;
  chargeType?: string;
  programs?: ProgramSetting[];
  /** charge-programs: the whole list the editor keeps ({days, start, end, enabled}). */
  chargePrograms?: ChargeProgramSetting[];
  deleteSlots?: string;
  /** "lat,lon" per line. */
  points?: string;
  /** charge-limit: a percentage, or empty / "off" to remove the limit. */
  percent?: string | number;
  allowOverride?: boolean;
}

/** A message the node cannot act on (shown to users as a plain Error). */
export class BadMessageError extends Error {}

/** A word (vocabulary/actionWords.ts) as the loose action object the builder reads. */
function wordOf(name: string): Record<string, unknown> | undefined {
  const meaning = meaningOf(name);
  if (!meaning) return undefined;
  return { action: meaning.kind, ...(meaning.on !== undefined ? { on: meaning.on } : {}) };
}

function unknownWord(name: string): BadMessageError {
  return new BadMessageError(`unknown action '${name}'; send msg.payload = one of: ${WORD_LIST} (or an object such as {"action": "navigate", "points": [{"lat": 48.85, "lon": 2.29}]})`);
}

/** "48.85,2.29" per line -> [{lat, lon}]; bad lines are kept as text so the builder names them. */
export function parsePointLines(text: string): unknown[] {
  return text
    .split(/\r?\n|;/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const parts = line.split(',').map((p) => p.trim());
      if (parts.length !== 2 || parts.some((p) => p === '')) return line;
      return { lat: Number(parts[0]), lon: Number(parts[1]) };
    });
}

/** The parameters stored in the node for the action it is set to. */
export function configuredParams(settings: RemoteSettings): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  if (settings.at) params.at = settings.at;
  if (settings.level) params.level = settings.level;
  if (settings.chargeType) params.type = settings.chargeType;
  if (settings.points) params.points = parsePointLines(settings.points);
  if (Array.isArray(settings.programs) && settings.programs.length > 0) params.set = settings.programs;
  // An empty list means something here: it removes the car's programs.
  if (settings.action === 'charge-programs') params.programs = Array.isArray(settings.chargePrograms) ? settings.chargePrograms : [];
  if (settings.deleteSlots && settings.deleteSlots.trim() !== '') {
    params.delete = settings.deleteSlots.split(/[\s,]+/).filter((s) => s !== '');
  }
  return params;
}

function actionNameOf(loose: Record<string, unknown>): string | undefined {
  const name = loose.action ?? loose.kind;
  return typeof name === 'string' ? name : undefined;
}

/** The loose action object the node would send for this message, before validation. */
export function looseActionFor(settings: RemoteSettings, msg: NodeMessage): Record<string, unknown> {
  const word = settings.action ?? '';
  const base = wordOf(word);
  if (!base) throw new BadMessageError(word ? `this node is set to an unknown action '${word}': open it and pick one` : 'no action chosen: open the node and pick one, or send msg.payload = "lock" (or another action)');
  const configured = { ...configuredParams(settings), ...base };
  const payload = settings.allowOverride === false ? undefined : msg.payload;

  // Nothing usable in the message (an inject's timestamp, an empty payload): the configured action.
  if (payload === undefined || payload === null || payload === '' || typeof payload === 'number') return configured;

  if (typeof payload === 'boolean') {
    const pair = ON_OFF_PAIRS.find(([on, off]) => on === word || off === word);
    if (pair) return { ...configured, ...wordOf(payload ? pair[0] : pair[1]) };
    if (payload) return configured;
    throw new BadMessageError(`msg.payload false: '${word}' has no off; send true (or any message without a payload) to trigger it, or an action name such as "unlock"`);
  }

  if (typeof payload === 'string') {
    const chosen = wordOf(payload);
    if (!chosen) throw unknownWord(payload);
    return chosen.action === configured.action ? { ...configured, ...chosen } : chosen;
  }

  if (isObject(payload)) {
    const name = actionNameOf(payload);
    if (name !== undefined) {
      const chosen = wordOf(name);
      if (!chosen) throw unknownWord(name);
      const rest = { ...payload };
      delete rest.kind;
      return { ...rest, ...chosen, ...('on' in payload ? { on: payload.on } : {}) };
    }
    // Parameters only: they complete or replace the configured ones.
    return { ...configured, ...payload, action: configured.action };
  }

  throw new BadMessageError(`msg.payload must be an action name such as "lock", true/false, or an object such as {"action": "charge-at", "at": "23:30"}; got ${Array.isArray(payload) ? 'an array' : typeof payload}`);
}

const CHARGE_LIMIT = 'charge-limit';

function isChargeLimitWord(name: unknown): boolean {
  return typeof name === 'string' && name.trim().toLowerCase() === CHARGE_LIMIT;
}

/** The percentage asked for: a whole number 20..100, or null (off, none, 0, empty) to remove the limit. */
function limitOf(value: unknown): number | null {
  if (value === null || value === false || value === 0 || value === undefined) return null;
  if (typeof value === 'string' && ['', 'off', 'none'].includes(value.trim().toLowerCase())) return null;
  try {
    return checkChargeLimit(value);
  } catch (err) {
    throw new BadMessageError(`bad charge-limit request: ${errorText(err)}; or "off" to remove it`);
  }
}

/**
 * A charge-limit request (the node set to it, or msg.payload = "charge-limit" / {action: "charge-limit",
 * percent: 80}), else undefined: the message is a remote action.
 */
export function chargeLimitFor(settings: RemoteSettings, msg: NodeMessage): { percent: number | null } | undefined {
  const payload = settings.allowOverride === false ? undefined : msg.payload;
  const configured = isChargeLimitWord(settings.action);
  if (isObject(payload)) {
    const name = actionNameOf(payload);
    if (isChargeLimitWord(name) || (name === undefined && configured)) {
      return { percent: limitOf('percent' in payload ? payload.percent : settings.percent) };
    }
    return undefined;
  }
  if (typeof payload === 'string' && payload.trim() !== '') return isChargeLimitWord(payload) ? { percent: limitOf(settings.percent) } : undefined;
  if (!configured) return undefined;
  // The node set to charge-limit: a number is the percentage, false removes it, anything else the configured one.
  // (An inject's timestamp is no percentage: the configured one.)
  if (typeof payload === 'number' && payload < 1e9) return { percent: limitOf(payload) };
  if (payload === false) return { percent: null };
  return { percent: limitOf(settings.percent) };
}

/**
 * One charging program to set (`{action: "charge-program", slot, days, start, end, enabled}`) or
 * delete (`{action: "charge-program-delete", slot}`), checked at once; the account merges it into
 * the car's list (engine/chargeProgramEdits.ts). Undefined: the message is something else.
 */
export function chargeProgramEditFor(settings: RemoteSettings, msg: NodeMessage): ChargeProgramEdit | undefined {
  const payload = settings.allowOverride === false ? undefined : msg.payload;
  if (!isObject(payload)) return undefined;
  const name = actionNameOf(payload)?.trim().toLowerCase();
  if (name !== 'charge-program' && name !== 'charge-program-delete') return undefined;
  const slot = typeof payload.slot === 'string' && payload.slot.trim() !== '' ? Number(payload.slot) : payload.slot;
  try {
    if (typeof slot !== 'number' || !Number.isInteger(slot) || slot < 1) throw new InvalidActionError('slot', `${JSON.stringify(payload.slot)} is not a program slot; send a whole number from 1`);
    if (name === 'charge-program-delete') return { slot };
    const program = looseChargeProgram(payload, 'program');
    buildChargeProgramsBody([program]);
    return { slot, program };
  } catch (err) {
    throw new BadMessageError(`bad ${name} request: ${errorText(err).replace(/^programs\[0\]\./, '')}`);
  }
}

/** Validates the action (InvalidActionError text names the field and what to send). */
export function actionFor(settings: RemoteSettings, msg: NodeMessage): RemoteAction {
  const loose = looseActionFor(settings, msg);
  try {
    return parseRemoteAction(loose);
  } catch (err) {
    const text = errorText(err);
    throw new BadMessageError(`bad ${String(loose.action)} request: ${text}`);
  }
}

export interface VehicleChoice {
  ids: readonly string[];
  /** Display names by id (configured names), for matching msg.vehicle = "Peugeot e-208". */
  names?: ReadonlyMap<string, string>;
}

/** Picks the vehicle: msg.vehicle (unless blocked), else the configured one, else the account's only car. */
export function vehicleFor(configured: string | undefined, msg: NodeMessage, allowOverride: boolean, choice: VehicleChoice): string {
  const asked = allowOverride ? msg.vehicle : undefined;
  if (asked !== undefined && asked !== null && typeof asked !== 'string') {
    throw new BadMessageError(`msg.vehicle must be a vehicle id (text); one of: ${choice.ids.join(', ') || 'none configured'}`);
  }
  const wanted = (typeof asked === 'string' && asked.trim() !== '' ? asked : configured)?.trim();
  if (!wanted) {
    if (choice.ids.length === 1) return choice.ids[0];
    throw new BadMessageError(`no vehicle: pick one in the node or send msg.vehicle = one of: ${choice.ids.join(', ') || 'none configured in the account'}`);
  }
  if (choice.ids.includes(wanted)) return wanted;
  for (const [id, name] of choice.names ?? []) {
    if (name.toLowerCase() === wanted.toLowerCase()) return id;
  }
  throw new BadMessageError(`unknown vehicle '${wanted}'; send msg.vehicle = one of: ${choice.ids.join(', ') || 'none configured in the account'}`);
}
