/**
 * Finds what this version does not know in a notification: fields the webhook template does not
 * declare and enum values outside the lists of wire.ts. Such content is passed on as is; it is only reported.
 */
import {
  DONE_STATUSES,
  FAILURE_CAUSES,
  FEEDBACK_DETAILS,
  PENDING_STATUSES,
  REMOTE_TYPES,
  type WebhookMessage,
} from '../stellantis/wire';
import { describeUntrusted as show } from './untrusted';

const MESSAGE_TYPES = ['Remote', 'Monitor'] as const;
const EVENT_TYPES = ['Pending', 'Done'] as const;

/** Objects whose fields are checked, by path, with the fields the webhook template declares. */
const KNOWN_FIELDS: ReadonlyArray<{ path: string[]; known: ReadonlySet<string> }> = [
  { path: [], known: new Set(['callbackId', 'attributes', 'type', 'date', 'monitorEvent', 'remoteEvent']) },
  { path: ['remoteEvent'], known: new Set(['remoteActionId', 'remoteType', 'eventStatus']) },
  { path: ['remoteEvent', 'eventStatus'], known: new Set(['type', 'status', 'failureCause', 'feedbackDetail']) },
  { path: ['monitorEvent'], known: new Set(['monitorId', 'values', 'extensions', 'refresh']) },
];

/** Enum-valued fields: the object's path, the field, and the values this version knows. */
const KNOWN_VALUES: ReadonlyArray<{ path: string[]; field: string; known: ReadonlySet<string> }> = [
  { path: [], field: 'type', known: new Set(MESSAGE_TYPES) },
  { path: ['remoteEvent'], field: 'remoteType', known: new Set(REMOTE_TYPES) },
  { path: ['remoteEvent', 'eventStatus'], field: 'type', known: new Set(EVENT_TYPES) },
  { path: ['remoteEvent', 'eventStatus'], field: 'status', known: new Set([...PENDING_STATUSES, ...DONE_STATUSES]) },
  { path: ['remoteEvent', 'eventStatus'], field: 'failureCause', known: new Set(FAILURE_CAUSES) },
  { path: ['remoteEvent', 'eventStatus'], field: 'feedbackDetail', known: new Set(FEEDBACK_DETAILS) },
];

export interface UnknownContent {
  /** Stable identity, for "report once". */
  key: string;
  /** Human-readable description. */
  description: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}


function objectAt(message: WebhookMessage, path: readonly string[]): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = message;
  for (const key of path) {
    node = asRecord(node[key]);
    if (!node) return undefined;
  }
  return node;
}

/** Runs for every notification: plain loops over precomputed paths, nothing allocated when all is known. */
export function findUnknownContent(message: WebhookMessage): UnknownContent[] {
  let found: UnknownContent[] | undefined;
  for (const { path, known } of KNOWN_FIELDS) {
    const node = objectAt(message, path);
    if (!node) continue;
    for (const field in node) {
      if (known.has(field) || !Object.prototype.hasOwnProperty.call(node, field)) continue;
      const where = [...path, field].join('.');
      (found ??= []).push({ key: `field:${where}`, description: `unknown field ${show(where)}` });
    }
  }
  for (const { path, field, known } of KNOWN_VALUES) {
    const value = objectAt(message, path)?.[field];
    if (value === undefined || (typeof value === 'string' && known.has(value))) continue;
    const where = [...path, field].join('.');
    (found ??= []).push({ key: `value:${where}=${show(value)}`, description: `unknown ${where} value ${show(value)}` });
  }
  return found ?? [];
}
