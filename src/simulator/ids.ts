import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function uuid(): string {
  return randomUUID();
}

/** Stable hex id derived from a seed, so demo vehicles keep their ids across runs. */
export function stableId(seed: string, length = 48): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

export function nowIso(at: number = Date.now()): string {
  return new Date(at).toISOString();
}
