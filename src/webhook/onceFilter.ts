import { cutShort } from './untrusted';

/** Characters of a key kept at most: keys may come from the network, and the filter must stay small (capacity × this). */
export const MAX_KEY_LENGTH = 160;

/**
 * Remembers keys already seen, up to a bound (oldest forgotten first), to log something once rather than per message.
 * Bounded in bytes as well as in count: a longer key is cut short (two keys alike that far are taken as one).
 */
export class OnceFilter {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 1000) {}

  /** True the first time a key is offered (and again only after it has been forgotten). */
  first(key: string): boolean {
    const kept = cutShort(key, MAX_KEY_LENGTH);
    if (this.seen.has(kept)) return false;
    this.seen.add(kept);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next();
      if (oldest.done !== true) this.seen.delete(oldest.value);
    }
    return true;
  }
}
