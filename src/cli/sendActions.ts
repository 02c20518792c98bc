/**
 * `stellantis send <vehicle> <action> [params]`: the shared action words with their command-line
 * parameters, turned into the project's RemoteAction. Value checks (ranges, formats) are left to
 * buildRemoteBody so there is one set of rules for every face.
 */
import type { GeoPoint, RemoteAction, Weekday } from '../stellantis/actions';
import { ACTION_WORDS, CHARGE_PROGRAM_WORDS, SETTING_WORDS, type ActionWord, type ProgramWord } from '../vocabulary/actionWords';
import { UsageError } from './errors';

const WEEKDAYS: readonly Weekday[] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export interface SendParams {
  /** Positionals after the action word. */
  params: string[];
  slot?: number;
  days?: string;
  start?: string;
  disabled: boolean;
}

interface CliWord {
  usage: string;
  build(p: SendParams): RemoteAction;
}

const simple = (action: RemoteAction): CliWord => ({ usage: '', build: () => action });

/**
 * The words whose parameters a command line cannot carry well (lists of programs, preferences);
 * one charging program at a time is `charge-program` (chargeProgramSend.ts).
 */
type NotOnTheCommandLine = 'precondition-programs' | 'charge-preferences' | 'charge-programs';

/** The shared words (vocabulary/actionWords.ts) with their command-line parameters, in help order. */
const SEND_ACTIONS: Readonly<Record<Exclude<ActionWord, NotOnTheCommandLine> | ProgramWord, CliWord>> = {
  lock: simple(ACTION_WORDS.lock),
  unlock: simple(ACTION_WORDS.unlock),
  horn: simple(ACTION_WORDS.horn),
  lights: simple(ACTION_WORDS.lights),
  'precondition-on': simple(ACTION_WORDS['precondition-on']),
  'precondition-off': simple(ACTION_WORDS['precondition-off']),
  'charge-start': simple(ACTION_WORDS['charge-start']),
  'charge-stop': simple(ACTION_WORDS['charge-stop']),
  'charge-at': {
    usage: '<HH:MM|RFC3339>',
    build: (p) => ({ ...ACTION_WORDS['charge-at'], at: exactlyOne(p.params, 'charge-at', 'a time such as 23:30 or 2025-01-31T23:30:00Z') }),
  },
  refresh: simple(ACTION_WORDS.refresh),
  navigate: {
    usage: '<lat,lon> [<lat,lon> ...]',
    build: (p) => {
      if (p.params.length === 0) throw new UsageError('navigate needs at least one destination as lat,lon (e.g. 48.8584,2.2945)');
      return { ...ACTION_WORDS.navigate, points: p.params.map(parsePoint) };
    },
  },
  immobilize: simple(ACTION_WORDS.immobilize),
  mobilize: simple(ACTION_WORDS.mobilize),
  'stolen-on': simple(ACTION_WORDS['stolen-on']),
  'stolen-off': simple(ACTION_WORDS['stolen-off']),
  'program-set': {
    usage: '--slot N --days Mon,Tue --start 07:30 [--disabled]',
    build: (p) => {
      noParams(p.params, 'program-set');
      const slot = required(p.slot, 'program-set', '--slot N (1 to 4)');
      const days = parseDays(required(p.days, 'program-set', '--days Mon,Tue,...'));
      const start = required(p.start, 'program-set', '--start HH:MM');
      return { kind: 'precondition-programs', set: [{ slot, days, start, enabled: !p.disabled }] };
    },
  },
  'program-delete': {
    usage: '--slot N',
    build: (p) => {
      noParams(p.params, 'program-delete');
      return { kind: 'precondition-programs', delete: [required(p.slot, 'program-delete', '--slot N (1 to 4)')] };
    },
  },
};

export const SEND_ACTION_NAMES = Object.keys(SEND_ACTIONS);

const isSendWord = (word: string): word is keyof typeof SEND_ACTIONS => Object.prototype.hasOwnProperty.call(SEND_ACTIONS, word);

export function parseSendAction(word: string, p: SendParams): RemoteAction {
  const entry = isSendWord(word) ? SEND_ACTIONS[word] : undefined;
  if (!entry) throw new UsageError(`unknown action '${word}'; one of: ${[...SEND_ACTION_NAMES, ...SETTING_WORDS, ...CHARGE_PROGRAM_WORDS].join(', ')}`);
  if (entry.usage === '') noParams(p.params, word);
  return entry.build(p);
}

function parsePoint(text: string): GeoPoint {
  const parts = text.split(',');
  const [lat, lon] = parts.map((part) => (part.trim() === '' ? NaN : Number(part)));
  if (parts.length !== 2 || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    throw new UsageError(`navigate: '${text}' is not a lat,lon pair (e.g. 48.8584,2.2945)`);
  }
  return { lat, lon };
}

function parseDays(text: string): Weekday[] {
  return text.split(',').map((raw) => {
    const day = WEEKDAYS.find((d) => d.toLowerCase() === raw.trim().toLowerCase());
    if (!day) throw new UsageError(`--days: '${raw}' is not a day; use ${WEEKDAYS.join(',')}`);
    return day;
  });
}

function exactlyOne(params: string[], action: string, what: string): string {
  if (params.length !== 1) throw new UsageError(`${action} needs exactly one value: ${what}`);
  return params[0];
}

function noParams(params: string[], action: string): void {
  if (params.length > 0) throw new UsageError(`${action} takes no value (got '${params.join(' ')}')`);
}

function required<T>(value: T | undefined, action: string, what: string): T {
  if (value === undefined) throw new UsageError(`${action} needs ${what}`);
  return value;
}
