/**
 * `send --wait` without a reachable webhook: reads the remote back (GET .../remotes/{rid}) with a
 * growing delay (2, 4, 8, 16, 30 s, then every 30 s) until its Done or the --timeout.
 */
import type { RemoteEnd } from '../engine/types';
import { endOfDone, observationFromState } from '../remotes/remoteTracker';
import type { StellantisClient } from '../engine/clients';
import { StellantisApiError } from '../stellantis/errors';
import { errorText } from '../util/errorText';

export const DEFAULT_READ_BACK_BACKOFF_MS: readonly number[] = [2000, 4000, 8000, 16000, 30000];

export interface FollowOptions {
  client: StellantisClient;
  vehicleId: string;
  callbackId: string;
  remoteActionId: string;
  timeoutMs: number;
  backoffMs?: readonly number[];
  /** Called with each new status seen (Pending or Done), e.g. `WakingUpVehicle`, `Failed (DoorsOpen)`. */
  onStatus: (status: string) => void;
  /** A read failed for a passing reason (it is tried again). */
  onReadError: (message: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function followByReadBack(o: FollowOptions): Promise<Omit<RemoteEnd, 'at'>> {
  const backoff = o.backoffMs && o.backoffMs.length > 0 ? o.backoffMs : DEFAULT_READ_BACK_BACKOFF_MS;
  const deadline = Date.now() + o.timeoutMs;
  let last: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    await sleep(Math.min(backoff[Math.min(attempt, backoff.length - 1)], remaining));
    let state;
    try {
      state = await o.client.getRemote(o.vehicleId, o.callbackId, o.remoteActionId);
    } catch (err) {
      // A remote unknown to the API or a refused login will not get better by waiting.
      if (err instanceof StellantisApiError && err.status !== 429 && err.status < 500) throw err;
      if (err instanceof Error && ['NotLoggedInError', 'LoginExpiredError', 'CliError'].includes(err.name)) throw err;
      o.onReadError(errorText(err));
      continue;
    }
    const seen = observationFromState(state);
    if (!seen) continue;
    if (seen.status !== last) {
      last = seen.status;
      o.onStatus(seen.failureCause ? `${seen.status} (${seen.failureCause})` : seen.status);
    }
    if (seen.type === 'Done') return endOfDone(seen);
  }
  return { result: 'Timeout', remoteActionId: o.remoteActionId };
}
