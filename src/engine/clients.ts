/**
 * The one place an account's API client is made: B2C reads its access tokens through an OAuth
 * token provider (over the account's token file, or a given store or provider), B2B signs in with
 * Basic auth. The engine, the CLI, the doctor and the built-in simulator all get their client here.
 */
import type { ResolvedAccountConfig } from '../config/validate';
import { OAuthTokenProvider, type TokenProvider } from '../stellantis/auth';
import { StellantisClient, type StellantisClientOptions } from '../stellantis/client';
import type { OAuthClientConfig } from '../stellantis/oauth';
import { FileTokenStore, type TokenStore } from '../stellantis/tokenStore';
import type { Logger } from '../util/logger';
import { accountKeyOf } from './storageFiles';

export type { StellantisClient } from '../stellantis/client';
export type { OAuthTokenProvider, TokenProvider } from '../stellantis/auth';
export type { FileTokenStore, StoredTokens, TokenStore } from '../stellantis/tokenStore';

type OAuthConfig = Pick<ResolvedAccountConfig, 'oauthUrl' | 'clientId' | 'clientSecret' | 'realm' | 'requestTimeoutMs'>;

export interface AccountClientOptions extends StellantisClientOptions {
  /** B2C: the folder of the account's token file (what a login stored), unless `store` or `tokens` is given. */
  storageDir?: string;
  /** B2C: the tokens are kept in this store instead (the built-in simulator's, in memory). */
  store?: TokenStore;
}

/** The account's token file in `storageDir`, under the key the engine and every login use. */
export function accountTokenStore(
  config: Pick<ResolvedAccountConfig, 'flavour' | 'clientId' | 'fleetId' | 'realm'>,
  storageDir: string,
  logger?: Logger,
): FileTokenStore {
  return new FileTokenStore(storageDir, accountKeyOf(config), logger ? { logger } : {});
}

/** The login server settings of an account: what a token refresh and a login's code exchange use. */
export function oauthSettingsOf(config: OAuthConfig): OAuthClientConfig {
  return {
    oauthUrl: config.oauthUrl ?? '',
    clientId: config.clientId,
    clientSecret: config.clientSecret ?? '',
    realm: config.realm,
    timeoutMs: config.requestTimeoutMs,
  };
}

/** Access tokens from `store`, refreshed at the account's login server. */
export function oauthTokenProvider(config: OAuthConfig, store: TokenStore, opts: { logger?: Logger; now?: () => number } = {}): OAuthTokenProvider {
  return new OAuthTokenProvider({
    oauth: oauthSettingsOf(config),
    store,
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
}

function tokensFor(config: ResolvedAccountConfig, opts: AccountClientOptions): TokenProvider | undefined {
  if (config.flavour === 'b2b' || opts.tokens) return opts.tokens;
  const store = opts.store ?? (opts.storageDir !== undefined ? accountTokenStore(config, opts.storageDir, opts.logger) : undefined);
  return store ? oauthTokenProvider(config, store, { logger: opts.logger }) : undefined;
}

/** The API client of an account (throws ClientConfigError when the configuration cannot make one). */
export function createAccountClient(config: ResolvedAccountConfig, opts: AccountClientOptions = {}): StellantisClient {
  const { storageDir: _dir, store: _store, tokens: _tokens, ...clientOptions } = opts;
  const tokens = tokensFor(config, opts);
  return new StellantisClient(config, { ...clientOptions, ...(tokens ? { tokens } : {}) });
}
