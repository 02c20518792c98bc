import type { AuthFailureLimit } from './types';
import { cutShort } from './untrusted';

export const DEFAULT_AUTH_FAILURE_LIMIT: AuthFailureLimit = { max: 10, windowMs: 60_000 };

/** Addresses remembered at most; beyond that the oldest entries are forgotten (bounded memory under a scan). */
export const MAX_TRACKED_ADDRESSES = 10_000;
/** Characters of an address kept as its key: with the count above, the limiter stays within a few MB. */
export const MAX_KEY_LENGTH = 72;

function keyOf(address: string): string {
  return cutShort(address, MAX_KEY_LENGTH);
}

interface Entry {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

/**
 * Counts failed authentications per client address. Once an address reaches `max` failures within
 * `windowMs`, it is blocked for `windowMs`: its requests with a wrong secret are answered 429 (one with
 * the right secret always gets through, see endpoint.ts). No timers: entries expire lazily.
 */
export class AuthFailureLimiter {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly limit: AuthFailureLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Ms until the address may try again, or 0 when it is not blocked. */
  blockedFor(address: string): number {
    const entry = this.entries.get(keyOf(address));
    if (!entry) return 0;
    return Math.max(0, entry.blockedUntil - this.now());
  }

  /** Records one failure; returns true when this failure just blocked the address. */
  recordFailure(address: string): boolean {
    const now = this.now();
    const key = keyOf(address);
    let entry = this.entries.get(key);
    if (!entry || now - entry.windowStart >= this.limit.windowMs) {
      entry = { windowStart: now, failures: 0, blockedUntil: 0 };
      this.entries.delete(key);
      this.entries.set(key, entry);
      this.forgetOldest();
    }
    entry.failures++;
    if (entry.failures >= this.limit.max && entry.blockedUntil <= now) {
      entry.blockedUntil = now + this.limit.windowMs;
      return true;
    }
    return false;
  }

  private forgetOldest(): void {
    if (this.entries.size <= MAX_TRACKED_ADDRESSES) return;
    const now = this.now();
    for (const [address, entry] of this.entries) {
      if (now - entry.windowStart >= this.limit.windowMs && entry.blockedUntil <= now) this.entries.delete(address);
    }
    for (const address of this.entries.keys()) {
      if (this.entries.size <= MAX_TRACKED_ADDRESSES) break;
      this.entries.delete(address);
    }
  }
}

export function checkAuthFailureLimit(limit: AuthFailureLimit | undefined): AuthFailureLimit {
  if (limit === undefined) return DEFAULT_AUTH_FAILURE_LIMIT;
  const { max, windowMs } = limit;
  if (!Number.isInteger(max) || max < 1) {
    throw new Error(`webhook authFailureLimit.max must be a whole number of at least 1 (got ${String(max)})`);
  }
  if (!Number.isFinite(windowMs) || windowMs <= 0) {
    throw new Error(`webhook authFailureLimit.windowMs must be a positive number of milliseconds (got ${String(windowMs)})`);
  }
  return { max, windowMs };
}
