/**
 * Untrusted values (from the network) as they may appear in a log line or be kept as a key: never
 * serialised whole (a deeply nested value makes JSON.stringify throw, a large one floods the log).
 */

/**
 * The first `max` characters of a text, as a string of its own: a V8 slice of a long string keeps
 * the whole string alive, and what we keep (limiter keys, "logged once" keys) must stay small.
 */
export function cutShort(text: string, max: number): string {
  if (text.length <= max) return text;
  return Buffer.from(text.slice(0, max), 'utf16le').toString('utf16le');
}

const SHOWN_TEXT = 60;

/** A value by type and size: a text quoted and cut short, a number or a boolean as is, a list or an object by its size. */
export function describeUntrusted(value: unknown): string {
  if (typeof value === 'string') {
    if (value.length <= SHOWN_TEXT) return JSON.stringify(value);
    return `${JSON.stringify(cutShort(value, SHOWN_TEXT)).slice(0, -1)}..." (${value.length} characters)`;
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const fields = Object.keys(value).length;
    return `an object with ${fields} field${fields === 1 ? '' : 's'}`;
  }
  return typeof value;
}
