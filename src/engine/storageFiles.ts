/**
 * What the engine keeps under the host's storage folder, one set of files per account: the webhook
 * secret (0600), our callback id with its monitor ids, the remotes in flight, the wake-up guard and
 * the last states, and the last remote ends per vehicle (remote-history, for the settings page).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { ResolvedAccountConfig } from '../config/validate';
import { writeFileAtomic } from '../util/atomicFile';
import { generateWebhookSecret } from '../webhook';

/**
 * The key an account's files (tokens included) are stored under: flavour, client and fleet or realm.
 * The CLI's `login` must store tokens under the same key (see src/cli/context.ts).
 */
export function accountKeyOf(config: Pick<ResolvedAccountConfig, 'flavour' | 'clientId' | 'fleetId' | 'realm'>): string {
  return config.flavour === 'b2b' ? `b2b-${config.clientId}-${config.fleetId ?? ''}` : `${config.clientId}-${config.realm ?? ''}`;
}

export type StorageKind = 'webhook-secret' | 'callback' | 'remotes-in-flight' | 'wake-ups' | 'vehicle-states' | 'remote-history' | 'charge-limits';

export function storageFile(dir: string, kind: StorageKind, accountKey: string): string {
  const slug = accountKey.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 48);
  const hash = createHash('sha256').update(accountKey).digest('hex').slice(0, 8);
  return path.join(dir, `${kind}-${slug || 'account'}-${hash}.json`);
}

/** The configured secret, else the one stored on first run (generated then, written with mode 0600). */
export async function loadOrCreateWebhookSecret(file: string, configured?: string): Promise<{ secret: string; generated: boolean }> {
  if (configured) return { secret: configured, generated: false };
  try {
    const saved = JSON.parse(await fsp.readFile(file, 'utf8')) as { secret?: unknown };
    if (typeof saved.secret === 'string' && saved.secret.length >= 16) return { secret: saved.secret, generated: false };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && code !== 'ENOENT') {
      throw new Error(`webhook secret file ${file} is not readable (${code}): fix its permissions or delete it to have a new one generated`, {
        cause: err,
      });
    }
  }
  const secret = generateWebhookSecret();
  await writeFileAtomic(file, JSON.stringify({ secret }), 0o600);
  return { secret, generated: true };
}
