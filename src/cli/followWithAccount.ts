/**
 * `send --wait` with a webhook: a StellantisAccount listens, sends and follows the
 * remote from its notifications, exactly as Homebridge and Node-RED do. Used only when its
 * listener starts here and the callback target answers its health check; otherwise the caller
 * falls back to reading the remote back.
 */
import type { ResolvedAccountConfig } from '../config/validate';
import { StellantisAccount } from '../engine/stellantisAccount';
import type { RemoteEnd, RemoteProgress } from '../engine/types';
import type { VehicleCapabilities } from '../stellantis/capabilities';
import type { RemoteAction } from '../stellantis/actions';
import type { StellantisClient } from '../engine/clients';
import type { Logger } from '../util/logger';
import { CliError } from './errors';
import { errorText } from '../util/errorText';

export interface AccountSendOptions {
  config: ResolvedAccountConfig;
  storageDir: string;
  client: StellantisClient;
  logger: Logger;
  vehicleId: string;
  action: RemoteAction;
  timeoutMs: number;
  healthTimeoutMs: number;
  noNotificationTimeoutMs: number;
  readBackBackoffMs: readonly number[];
  onProgress: (p: RemoteProgress) => void;
  /** What the command already knows the car can do (null: it says nothing): the account does not read it again. */
  capabilities?: VehicleCapabilities | null;
}

export type AccountSendResult = { kind: 'ended'; end: RemoteEnd } | { kind: 'unavailable'; reason: string };

/** GET <target>/health: is the callback target our listener, reachable from here? */
export async function webhookReachable(target: string, timeoutMs: number): Promise<string | undefined> {
  const url = `${target.replace(/\/+$/, '')}/health`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer().catch(() => undefined);
    return res.ok ? undefined : `${url} answered HTTP ${res.status}`;
  } catch (err) {
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const why = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : err instanceof Error ? err.name : 'error';
    return `${url} did not answer (${why})`;
  }
}

export async function sendWithAccount(o: AccountSendOptions): Promise<AccountSendResult> {
  // Only the one vehicle, and no monitors: a one-shot command should not spend quota on them.
  const config: ResolvedAccountConfig = {
    ...o.config,
    vehicles: o.config.vehicles.filter((v) => v.id === o.vehicleId),
    webhook: { ...o.config.webhook, monitors: false },
  };
  const account = new StellantisAccount({
    config,
    storageDir: o.storageDir,
    logger: o.logger,
    client: o.client,
    webhook: { mode: 'listen' },
    options: { noNotificationTimeoutMs: o.noNotificationTimeoutMs, readBackBackoffMs: o.readBackBackoffMs },
    ...(o.capabilities !== undefined ? { capabilitiesRead: { [o.vehicleId]: o.capabilities } } : {}),
  });
  try {
    try {
      await account.start();
    } catch (err) {
      const message = errorText(err);
      // No target yet: the listener could not start here (port taken by a running plugin...).
      if (account.webhookTarget === '') return { kind: 'unavailable', reason: message };
      throw new CliError(message);
    }
    const unreachable = await webhookReachable(account.webhookTarget, o.healthTimeoutMs);
    if (unreachable) return { kind: 'unavailable', reason: `the webhook is not reachable: ${unreachable}` };

    const handle = account.send(o.vehicleId, o.action);
    handle.on('progress', o.onProgress);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), o.timeoutMs);
    });
    try {
      const outcome = await Promise.race([handle.done, timedOut]);
      if (outcome !== 'timeout') return { kind: 'ended', end: outcome };
      return {
        kind: 'ended',
        end: { result: 'Timeout', remoteActionId: handle.remoteActionId, at: Date.now(), explanation: '' },
      };
    } finally {
      clearTimeout(timer);
      handle.off('progress', o.onProgress);
    }
  } finally {
    await account.stop();
  }
}
