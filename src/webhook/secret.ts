import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh webhook secret: 32 random bytes, base64url (43 characters, safe in a header and a URL). */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A constant-time check of a received header value against the secret. The comparison always runs
 * over the secret's length (a value of another length is compared as the secret with itself, then
 * refused), so its time says nothing of where the values differ nor of the secret's length.
 * No hashing: it runs for every notification, and a digest cost several times this whole check.
 */
export function secretChecker(secret: string): (received: unknown) => boolean {
  const expected = Buffer.from(secret, 'utf8');
  return (received) => {
    if (typeof received !== 'string' || received.length === 0) return false;
    const got = Buffer.from(received, 'utf8');
    const sameLength = got.length === expected.length;
    return timingSafeEqual(sameLength ? got : expected, expected) && sameLength;
  };
}
