/** One line per notification passing through the webhook entry, in plain words. */
import type { WebhookMessage } from '../stellantis/wire';

function isMessage(value: unknown): value is WebhookMessage {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The messages of a delivery: a single object or a batch (array). */
export function messagesOf(body: unknown): WebhookMessage[] {
  if (Array.isArray(body)) return body.filter(isMessage);
  return isMessage(body) ? [body] : [];
}

export function describeMessage(m: WebhookMessage): string | undefined {
  const r = m.remoteEvent;
  if (r?.eventStatus) {
    const s = r.eventStatus;
    const cause = s.failureCause ? ` (${s.failureCause})` : '';
    return `${r.remoteType ?? 'remote'} ${s.type} ${s.status}${cause}`;
  }
  const mon = m.monitorEvent;
  if (mon?.values) {
    const values = mon.values.map((v) => `${v.data ?? '?'} = ${v.value?.body?.literalValue ?? '?'}`).join(', ');
    return `monitor ${values}`;
  }
  return undefined;
}
