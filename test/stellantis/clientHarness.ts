/**
 * Shared set-up of the client tests: a simulator on an ephemeral port and a real client (with a
 * real token provider talking to the simulator's OAuth server) pointed at it.
 */
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator';
import { OAuthTokenProvider } from '../../src/stellantis/auth';
import { StellantisClient, type StellantisClientOptions } from '../../src/stellantis/client';
import { MemoryTokenStore } from '../../src/stellantis/tokenStore';
import { loginTokens } from '../helpers/simulator';
import type { AccountConfig } from '../../src/config/account';
import type { Flavour } from '../../src/stellantis/wire';

export interface Harness {
  sim: RunningSimulator;
  client: StellantisClient;
  tokens?: OAuthTokenProvider;
  store: MemoryTokenStore;
  config: AccountConfig;
  /** Token requests the simulator's OAuth server answered, by grant. */
  tokenCalls(grant?: 'refresh_token' | 'authorization_code'): number;
  /** Recorded calls with the path relative to the flavour's base URL (as the spec writes it). */
  apiCalls(): Array<{ method: string; path: string; query: Record<string, string>; body: unknown; status: number }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  flavour?: Flavour;
  sim?: SimulatorOptions;
  client?: StellantisClientOptions;
  config?: Partial<AccountConfig>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const flavour = opts.flavour ?? 'b2c';
  const logLines: string[] = [];
  const userLogger = opts.sim?.logger;
  const sim = await startSimulator({
    rateLimit: { perSecond: 1000 },
    ...opts.sim,
    logger: (line) => {
      logLines.push(line);
      userLogger?.(line);
    },
  });
  sim.control.pauseDelivery();
  const a = sim.account;
  const store = new MemoryTokenStore(loginTokens(sim));
  const config: AccountConfig = {
    flavour,
    clientId: a.clientId,
    clientSecret: a.clientSecret,
    baseUrl: flavour === 'b2c' ? sim.b2cBaseUrl : sim.b2bBaseUrl,
    requestTimeoutMs: 2000,
    ...(flavour === 'b2c' ? { realm: a.realm } : { fleetId: a.fleetId, username: a.username, password: a.password }),
    ...opts.config,
  };
  const tokens =
    flavour === 'b2c'
      ? new OAuthTokenProvider({ oauth: { oauthUrl: sim.oauthUrl, clientId: a.clientId, clientSecret: a.clientSecret, realm: a.realm }, store })
      : undefined;
  const client = new StellantisClient(config, { tokens, retry: { baseDelayMs: 5 }, ...opts.client });
  const base = new URL(flavour === 'b2c' ? sim.b2cBaseUrl : sim.b2bBaseUrl).pathname;
  return {
    sim,
    client,
    tokens,
    store,
    config,
    tokenCalls: (grant) =>
      logLines.filter((l) => l.startsWith('oauth POST /access_token') && (!grant || l.includes(`grant=${grant} `))).length,
    apiCalls: () =>
      sim.calls.map((c) => ({
        method: c.method,
        path: c.path.startsWith(base) ? c.path.slice(base.length) : c.path,
        query: c.query,
        body: c.body,
        status: c.status,
      })),
    async close() {
      client.close();
      await sim.stop();
    },
  };
}

/** Runs `fn` and returns the error it throws (fails when it does not throw). */
export async function rejection(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`threw a non-Error: ${String(err)}`, { cause: err });
  }
  throw new Error('expected a rejection, but it resolved');
}
