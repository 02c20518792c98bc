import type { EventEmitter } from 'node:events';

/**
 * Emits `event` calling each listener on its own: one that throws neither keeps the next ones from
 * running nor reaches the emitter's caller (a webhook answer, a remote's life). `onThrow` hears of it.
 */
export function emitIsolated<T extends Record<keyof T, unknown[]>, E extends keyof T & string>(
  emitter: EventEmitter<T>,
  event: E,
  args: T[E],
  onThrow: (err: unknown, listener: object) => void,
): boolean {
  // rawListeners keeps the `once` wrappers, so a once-listener is removed as emit() would.
  const listeners = (emitter as unknown as EventEmitter).rawListeners(event) as Array<(...a: unknown[]) => unknown>;
  for (const listener of listeners) {
    try {
      listener.call(emitter, ...args);
    } catch (err) {
      onThrow(err, listener);
    }
  }
  return listeners.length > 0;
}
