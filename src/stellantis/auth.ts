/**
 * Hands out a valid access token: from memory, from the token store, or by refreshing it. Refreshes
 * are single-flight (concurrent callers share one HTTP call), and the rotated refresh token is
 * saved before anyone uses the new access token.
 */
import { LoginExpiredError, NotLoggedInError } from './errors';
import { exchangeCode, refreshTokens, type OAuthClientConfig, type TokenSet } from './oauth';
import type { StoredTokens, TokenStore } from './tokenStore';
import type { Logger } from '../util/logger';

export interface TokenProvider {
  getAccessToken(): Promise<string>;
  /** Forget the access token (it was refused): the next getAccessToken refreshes. */
  invalidate(): void;
  /**
   * Get a new access token. With `rejectedToken`, a token other than that one that is already
   * valid (another caller refreshed meanwhile) is returned without an HTTP call.
   */
  refresh(rejectedToken?: string): Promise<string>;
}

export interface OAuthTokenProviderOptions {
  oauth: OAuthClientConfig;
  store: TokenStore;
  logger?: Logger;
  /** Refresh this long before the access token expires. Default 60 s. */
  refreshMarginMs?: number;
  now?: () => number;
}

function toStored(tokens: TokenSet): StoredTokens {
  const stored: StoredTokens = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt };
  if (tokens.scope) stored.scope = tokens.scope;
  if (tokens.tokenType) stored.tokenType = tokens.tokenType;
  return stored;
}

export class OAuthTokenProvider implements TokenProvider {
  private tokens?: StoredTokens;
  private loaded = false;
  private inflight?: Promise<string>;
  private readonly margin: number;
  private readonly now: () => number;
  /** Token requests made (each one an HTTP call to the login server). */
  tokenRequestCount = 0;

  constructor(private readonly options: OAuthTokenProviderOptions) {
    this.margin = options.refreshMarginMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  private fresh(tokens: StoredTokens | undefined): tokens is StoredTokens {
    return !!tokens && tokens.accessToken !== '' && tokens.expiresAt - this.margin > this.now();
  }

  private async ensureLoaded(): Promise<void> {
    if (this.loaded) return;
    this.tokens = await this.options.store.load();
    this.loaded = true;
  }

  async getAccessToken(): Promise<string> {
    await this.ensureLoaded();
    if (this.fresh(this.tokens)) return this.tokens.accessToken;
    return this.refresh();
  }

  invalidate(): void {
    if (this.tokens) this.tokens = { ...this.tokens, expiresAt: 0 };
  }

  refresh(rejectedToken?: string): Promise<string> {
    if (rejectedToken !== undefined && this.fresh(this.tokens) && this.tokens.accessToken !== rejectedToken) {
      return Promise.resolve(this.tokens.accessToken);
    }
    this.inflight ??= this.doRefresh(rejectedToken).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async doRefresh(rejectedToken: string | undefined): Promise<string> {
    // Another process (e.g. `stellantis login` while Homebridge runs) may have saved newer tokens.
    const stored = await this.options.store.load();
    this.loaded = true;
    if (stored && stored.refreshToken !== this.tokens?.refreshToken) {
      this.tokens = stored;
      if (this.fresh(stored) && stored.accessToken !== rejectedToken) return stored.accessToken;
    }
    const current = this.tokens ?? stored;
    if (!current) {
      const why = this.options.store.problem ?? `no tokens in ${this.options.store.describe()}`;
      throw new NotLoggedInError(`not logged in (${why}): run \`stellantis login\``);
    }
    this.tokenRequestCount++;
    let next: TokenSet;
    try {
      next = await refreshTokens(this.options.oauth, current.refreshToken, this.now);
    } catch (err) {
      if (err instanceof LoginExpiredError) this.options.logger?.warn(err.message);
      throw err;
    }
    await this.setTokens(next);
    this.options.logger?.debug('access token refreshed');
    return next.accessToken;
  }

  /** Saves tokens (after a login or a refresh): the store first, so a crash never loses a rotation. */
  async setTokens(tokens: TokenSet): Promise<void> {
    const stored = toStored(tokens);
    await this.options.store.save(stored);
    this.tokens = stored;
    this.loaded = true;
  }

  /** Completes a login: exchanges the code and saves the tokens. */
  async login(code: string, redirectUri: string): Promise<void> {
    this.tokenRequestCount++;
    const tokens = await exchangeCode({ ...this.options.oauth, redirectUri }, code, this.now);
    await this.setTokens(tokens);
  }

  async logout(): Promise<void> {
    await this.options.store.clear();
    this.tokens = undefined;
  }
}
