/**
 * An account logged in to a running simulator: its configuration (API base, login server and
 * credentials of the simulated account) and the tokens a completed login would have stored.
 */
import type { Brand } from '../stellantis/brands';
import { MemoryTokenStore, type StoredTokens, type TokenStore } from '../stellantis/tokenStore';
import type { Flavour } from '../stellantis/wire';
import type { RunningSimulator } from './types';

/** The account fields of a configuration that talks to the simulator (vehicles, webhook and the rest are the host's). */
export interface SimulatedAccountConfig {
  flavour: Flavour;
  brand: Brand;
  clientId: string;
  baseUrl: string;
  /** B2C */
  clientSecret?: string;
  realm?: string;
  oauthUrl?: string;
  redirectUri?: string;
  /** B2B */
  fleetId?: string;
  username?: string;
  password?: string;
}

export function simulatedAccountConfig(sim: RunningSimulator, flavour: Flavour = 'b2c'): SimulatedAccountConfig {
  const a = sim.account;
  const common = { flavour, brand: a.brand, clientId: a.clientId };
  if (flavour === 'b2b') return { ...common, baseUrl: sim.b2bBaseUrl, fleetId: a.fleetId, username: a.username, password: a.password };
  return { ...common, baseUrl: sim.b2cBaseUrl, clientSecret: a.clientSecret, realm: a.realm, oauthUrl: sim.oauthUrl, redirectUri: a.redirectUri };
}

/** Fresh tokens of the simulated account, as a completed login stores them. */
export function simulatorTokens(sim: RunningSimulator): StoredTokens {
  const issued = sim.issueTokens();
  return { accessToken: issued.access_token, refreshToken: issued.refresh_token, expiresAt: Date.now() + issued.expires_in * 1000 };
}

/** Logs `store` in to the simulator (what the login page and its paste would do). */
export function seedSimulatorTokens(sim: RunningSimulator, store: TokenStore): Promise<void> {
  return store.save(simulatorTokens(sim));
}

/** A store logged in to the simulator that keeps its tokens in memory only. */
export function simulatorTokenStore(sim: RunningSimulator): MemoryTokenStore {
  return new MemoryTokenStore(simulatorTokens(sim));
}
