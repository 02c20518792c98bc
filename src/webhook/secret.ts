import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh webhook secret: 32 random bytes, base64url (43 characters, safe in a header and a URL). */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** One-shot hashing (Node 20.12+): a third of the cost of createHash() on every notification. */
function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/**
 * A constant-time check of a received header value against the secret. Both sides are hashed first,
 * so the comparison runs on equal-length buffers and reveals nothing about the secret's length.
 */
export function secretChecker(secret: string): (received: unknown) => boolean {
  const expected = digest(secret);
  return (received) => typeof received === 'string' && received.length > 0 && timingSafeEqual(digest(received), expected);
}
