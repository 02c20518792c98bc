/** The webhook secret the listener uses: configured, or the one the engine generated and stored (read only here). */
import { promises as fsp } from 'node:fs';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ResolvedAccountConfig } from '../config/validate';
import { accountKeyOf, storageFile } from '../engine/storageFiles';

export type KnownSecret = { secret: string; from: 'config' | 'storage' } | { secret?: undefined; problem: string };

export async function knownWebhookSecret(config: ResolvedAccountConfig, storageDir: string): Promise<KnownSecret> {
  if (config.webhook.secret) return { secret: config.webhook.secret, from: 'config' };
  const file = storageFile(storageDir, 'webhook-secret', accountKeyOf(config));
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      problem:
        code === 'ENOENT'
          ? `no webhook secret stored in ${storageDir} yet (it is generated when Homebridge/Node-RED first starts the account)`
          : `the webhook secret file ${file} is not readable (${code ?? 'error'})`,
    };
  }
  try {
    const saved = JSON.parse(text) as { secret?: unknown };
    if (typeof saved.secret === 'string' && saved.secret.length >= 16) return { secret: saved.secret, from: 'storage' };
  } catch {
    // Reported below.
  }
  return { problem: `the webhook secret file ${file} is corrupt (it is generated again when the account starts)` };
}

/** Compares without revealing, through timing, how much of the value matched. */
export function sameSecret(a: string, b: string): boolean {
  const hash = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(hash(a), hash(b));
}
