/**
 * The words a user types or picks for a remote action, shared by every face: the CLI
 * (`stellantis send <vehicle> <word>`), the Node-RED remote node (its editor list and msg.payload)
 * and, through the phrasing in actionPhrases.ts, Homebridge. Each word names an action kind and,
 * for on/off kinds, the side; the parameters (a time, points, programs) are each face's syntax.
 */
import type { RemoteAction, RemoteActionKind } from '../stellantis/actions';
import { capabilityRefusal, type VehicleCapabilities } from '../stellantis/capabilities';
import { REMOTE_ACTION_KINDS } from '../stellantis/remoteBody';

/** What a word stands for before its parameters: the kind, and `on` for the on/off kinds. */
export interface WordMeaning {
  kind: RemoteActionKind;
  on?: boolean;
}

/** The canonical words, in the order the Node-RED editor offers them. */
export const ACTION_WORDS = {
  lock: { kind: 'lock' },
  unlock: { kind: 'unlock' },
  horn: { kind: 'horn' },
  lights: { kind: 'lights' },
  'precondition-on': { kind: 'precondition', on: true },
  'precondition-off': { kind: 'precondition', on: false },
  'precondition-programs': { kind: 'precondition-programs' },
  'charge-start': { kind: 'charge', on: true },
  'charge-stop': { kind: 'charge', on: false },
  'charge-at': { kind: 'charge-at' },
  'charge-preferences': { kind: 'charge-preferences' },
  'charge-programs': { kind: 'charge-programs' },
  immobilize: { kind: 'immobilize', on: true },
  mobilize: { kind: 'immobilize', on: false },
  'stolen-on': { kind: 'stolen', on: true },
  'stolen-off': { kind: 'stolen', on: false },
  refresh: { kind: 'refresh' },
  navigate: { kind: 'navigate' },
} as const satisfies Record<string, WordMeaning>;

export type ActionWord = keyof typeof ACTION_WORDS;

export const ACTION_WORD_LIST = Object.keys(ACTION_WORDS) as ActionWord[];

/**
 * Words for a setting the account keeps rather than one remote: `charge-limit` (a percentage, kept
 * by the car's charging preferences or by a monitor threshold; engine/chargeLimit.ts).
 */
export const SETTING_WORDS = ['charge-limit'] as const;
export type SettingWord = (typeof SETTING_WORDS)[number];

/**
 * The CLI's two words for preconditioning programs (its flags carry one program per call), in
 * place of `precondition-programs`, whose lists of programs only a message or the editor can carry.
 */
export type ProgramWord = 'program-set' | 'program-delete';

/**
 * Words for one charging program, merged by the account into the car's list before the whole list
 * is sent (the remote has no slot): CLI `send <car> charge-program --slot 1 ...`, and Node-RED
 * msg.payload `{action: "charge-program", slot, days, start, end}` / `{action: "charge-program-delete", slot}`.
 */
export const CHARGE_PROGRAM_WORDS = ['charge-program', 'charge-program-delete'] as const;
export type ChargeProgramWord = (typeof CHARGE_PROGRAM_WORDS)[number];

/** Pairs a boolean chooses between (Node-RED's msg.payload true/false): true -> first, false -> second. */
export const ON_OFF_PAIRS: ReadonlyArray<readonly [ActionWord, ActionWord]> = [
  ['lock', 'unlock'],
  ['precondition-on', 'precondition-off'],
  ['charge-start', 'charge-stop'],
  ['immobilize', 'mobilize'],
  ['stolen-on', 'stolen-off'],
];

function isActionWord(word: string): word is ActionWord {
  return Object.prototype.hasOwnProperty.call(ACTION_WORDS, word);
}

/**
 * The meaning of a word as Node-RED accepts it: a canonical word, or an action kind itself
 * ("precondition", then with its `on` given apart); case and surrounding spaces do not matter.
 */
export function meaningOf(word: string): WordMeaning | undefined {
  const key = word.trim().toLowerCase();
  if (isActionWord(key)) return { ...ACTION_WORDS[key] };
  if ((REMOTE_ACTION_KINDS as readonly string[]).includes(key)) return { kind: key as RemoteActionKind };
  return undefined;
}

/**
 * The words the car's capabilities rule out, each with the capability that does (for the editor's
 * hint); parameters are not known here, so only the function itself and its immediate start/stop count.
 */
export function unsupportedWords(caps: VehicleCapabilities | undefined): Partial<Record<ActionWord, string>> {
  const out: Partial<Record<ActionWord, string>> = {};
  if (!caps) return out;
  for (const word of ACTION_WORD_LIST) {
    const { kind, on } = ACTION_WORDS[word] as WordMeaning;
    const action = { kind, on: on ?? true, points: [] } as unknown as RemoteAction;
    const refusal = capabilityRefusal(action, caps);
    if (refusal) out[word] = refusal.capability;
  }
  return out;
}
