/**
 * What every test harness does with the simulator: tokens as a completed login leaves them, the
 * API calls made (filtered by method and path, counted from a point), and plain sleeps.
 */
import { accountKeyOf } from '../../src/engine/storageFiles';
import type { RecordedCall, RunningSimulator } from '../../src/simulator';
import { FileTokenStore, type StoredTokens } from '../../src/stellantis/tokenStore';

/** Fresh tokens from the simulator's login server, in the token store's shape. */
export function loginTokens(sim: RunningSimulator): StoredTokens {
  const issued = sim.issueTokens();
  return { accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: Date.now() + issued.expires_in * 1000 };
}

/** The token file key of the simulator's B2C account (what the engine derives from its config). */
export function b2cAccountKey(sim: RunningSimulator): string {
  return accountKeyOf({ flavour: 'b2c', clientId: sim.account.clientId, realm: sim.account.realm });
}

/** Saves fresh tokens where an engine on `storageDir` looks for them, as `stellantis login` leaves them. */
export async function seedTokens(sim: RunningSimulator, storageDir: string, accountKey = b2cAccountKey(sim)): Promise<void> {
  await new FileTokenStore(storageDir, accountKey).save(loginTokens(sim));
}

/** The account part of a config pointed at the simulator (its client, its B2C API and login server). */
export function simulatorAccountConfig(sim: RunningSimulator): Record<string, unknown> {
  return { brand: 'peugeot', clientId: sim.account.clientId, clientSecret: sim.account.clientSecret, baseUrl: sim.b2cBaseUrl, oauthUrl: sim.oauthUrl };
}

/** The account part of a fleet (B2B) config pointed at the simulator (Basic auth, its fleet API). */
export function simulatorFleetConfig(sim: RunningSimulator): Record<string, unknown> {
  const a = sim.account;
  return { flavour: 'b2b', clientId: a.clientId, fleetId: a.fleetId, username: a.username, password: a.password, baseUrl: sim.b2bBaseUrl };
}

/** The Stellantis block of Homebridge's config.json on the simulator, as the settings page holds it. */
export function simulatorPlatformBlock(sim: RunningSimulator): Record<string, unknown> {
  // simulator: true lets the config use the simulator's http:// addresses given here.
  return { platform: 'Stellantis', name: 'Stellantis', simulator: true, ...simulatorAccountConfig(sim), redirectUri: sim.account.redirectUri };
}

export interface CallFilter {
  method?: string;
  /** A part of the path, or a pattern it must match. */
  path?: string | RegExp;
  /** Only calls answered with a 2xx. */
  succeeded?: boolean;
}

/** The recorded calls matching the filter, from index `from` on. */
export function callsMatching(sim: RunningSimulator, filter: CallFilter = {}, from = 0): RecordedCall[] {
  const { method, path, succeeded } = filter;
  return sim.calls
    .slice(from)
    .filter(
      (c) =>
        (!method || c.method === method) &&
        (path === undefined || (typeof path === 'string' ? c.path.includes(path) : path.test(c.path))) &&
        (!succeeded || c.status < 300),
    );
}

/** Every remote action POST (`.../remotes`). */
export const REMOTE_POSTS: CallFilter = { method: 'POST', path: /\/remotes$/ };

/** The charge stops (`{"charging": {"immediate": false}}`) posted after call `from`. */
export function chargeStopPosts(sim: RunningSimulator, from = 0): RecordedCall[] {
  return callsMatching(sim, REMOTE_POSTS, from).filter((c) => (c.body as { charging?: { immediate?: unknown } }).charging?.immediate === false);
}

/** Every read of one vehicle (`GET .../vehicles/{id}`, how the engine learns what the car can do). */
export const VEHICLE_READS: CallFilter = { method: 'GET', path: /\/vehicles\/[^/]+$/ };

/** Counts the simulator's API calls made after this point, by method and path part. */
export function callsSince(sim: RunningSimulator): (method?: string, pathIncludes?: string) => number {
  const from = sim.calls.length;
  return (method, pathIncludes) => callsMatching(sim, { method, path: pathIncludes }, from).length;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
