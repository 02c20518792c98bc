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

const MESSAGE_TYPES = ['Remote', 'Monitor'] as const;
const EVENT_TYPES = ['Pending', 'Done'] as const;

const KNOWN_FIELDS: Record<string, ReadonlySet<string>> = {
  '': new Set(['callbackId', 'attributes', 'type', 'date', 'monitorEvent', 'remoteEvent']),
  remoteEvent: new Set(['remoteActionId', 'remoteType', 'eventStatus']),
  'remoteEvent.eventStatus': new Set(['type', 'status', 'failureCause', 'feedbackDetail']),
  monitorEvent: new Set(['monitorId', 'values', 'extensions', 'refresh']),
};

const KNOWN_VALUES: Record<string, ReadonlySet<string>> = {
  type: new Set(MESSAGE_TYPES),
  'remoteEvent.remoteType': new Set(REMOTE_TYPES),
  'remoteEvent.eventStatus.type': new Set(EVENT_TYPES),
  'remoteEvent.eventStatus.status': new Set([...PENDING_STATUSES, ...DONE_STATUSES]),
  'remoteEvent.eventStatus.failureCause': new Set(FAILURE_CAUSES),
  'remoteEvent.eventStatus.feedbackDetail': new Set(FEEDBACK_DETAILS),
};

export interface UnknownContent {
  /** Stable identity, for "report once". */
  key: string;
  /** Human-readable description. */
  description: string;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** Quoted and cut short: the text comes from the network and goes into a log line. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function objectAt(message: WebhookMessage, path: string): Record<string, unknown> | undefined {
  let node: unknown = message;
  for (const key of path === '' ? [] : path.split('.')) node = asRecord(node)?.[key];
  return asRecord(node);
}

export function findUnknownContent(message: WebhookMessage): UnknownContent[] {
  const found: UnknownContent[] = [];
  for (const [path, known] of Object.entries(KNOWN_FIELDS)) {
    const node = objectAt(message, path);
    if (!node) continue;
    for (const field of Object.keys(node)) {
      if (known.has(field)) continue;
      const where = path === '' ? field : `${path}.${field}`;
      found.push({ key: `field:${where}`, description: `unknown field ${show(where)}` });
    }
  }
  for (const [path, known] of Object.entries(KNOWN_VALUES)) {
    const dot = path.lastIndexOf('.');
    const value = objectAt(message, dot < 0 ? '' : path.slice(0, dot))?.[path.slice(dot + 1)];
    if (value === undefined || (typeof value === 'string' && known.has(value))) continue;
    found.push({ key: `value:${path}=${show(value)}`, description: `unknown ${path} value ${show(value)}` });
  }
  return found;
}
