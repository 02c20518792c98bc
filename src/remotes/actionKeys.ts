/**
 * How two requested actions relate: identical (merge them), contradicting (the newer replaces the
 * queued one) or unrelated (queue both).
 */
import type { RemoteAction } from '../stellantis/actions';

/** A stable text identity of an action: equal for deep-equal actions whatever the key order. */
export function actionIdentity(action: RemoteAction): string {
  return canonicalJson(action);
}

/**
 * Actions sharing a subject contradict each other when not identical (lock vs unlock, charge on vs
 * off, two different destinations). `undefined` = no subject: only identical requests merge.
 */
export function subjectOf(action: RemoteAction): string | undefined {
  switch (action.kind) {
    case 'lock':
    case 'unlock':
      return 'doors';
    case 'precondition':
      return 'preconditioning';
    case 'charge':
      return 'charging';
    case 'charge-at':
      return 'charging-schedule';
    case 'charge-preferences':
      return 'charging-preferences';
    // The list is sent whole: a newer one (built on the queued one, engine/chargeProgramEdits.ts) replaces it.
    case 'charge-programs':
      return 'charging-programs';
    case 'immobilize':
      return 'immobilization';
    case 'stolen':
      return 'stolen';
    case 'navigate':
      return 'navigation';
    case 'horn':
    case 'lights':
    case 'refresh':
    case 'precondition-programs':
      return undefined;
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
