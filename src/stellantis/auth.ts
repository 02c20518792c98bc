/**
 * Hands out a valid access token: from memory, from the token store, or by refreshing it. Refreshes
 * are single-flight (concurrent callers share one HTTP call), and the rotated refresh token is
 * saved before anyone uses the new access token. When that save fails, the rotated tokens stay in
 * memory (the old refresh token is spent: losing them would mean a new login), the failure is
 * logged once, and the save is tried again at each later token use until it works.
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

/** What the token store keeps of a token answer. */
export function toStored(tokens: TokenSet): StoredTokens {
  const stored: StoredTokens = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt };
  if (tokens.scope) stored.scope = tokens.scope;
  if (tokens.tokenType) stored.tokenType = tokens.tokenType;
  return stored;
}

export class OAuthTokenProvider implements TokenProvider {
  private tokens?: StoredTokens;
  private loaded = false;
  private inflight?: Promise<string>;
  /** Epoch ms of the refresh whose tokens the store could not take (they live in memory only). */
  private unsavedSince?: number;
  private saving?: Promise<void>;
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
    await this.retryUnsaved();
    if (this.fresh(this.tokens)) return this.tokens.accessToken;
    return this.refresh();
  }

  /** Tries again to save tokens the store refused (single-flight). */
  private async retryUnsaved(): Promise<void> {
    if (this.unsavedSince === undefined || !this.tokens) return;
    const tokens = this.tokens;
    this.saving ??= this.saveRenewed(tokens).finally(() => {
      this.saving = undefined;
    });
    await this.saving;
  }

  /** Saves renewed tokens; a failure is reported (once until a save works) and leaves them unsaved. */
  private async saveRenewed(tokens: StoredTokens): Promise<void> {
    const where = this.options.store.describe();
    try {
      await this.options.store.save(tokens);
    } catch (err) {
      if (this.unsavedSince === undefined) {
        const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.name : 'error');
        this.options.logger?.error(
          `cannot save the renewed tokens to ${where} (${code}): they are kept in memory and saved again at the next use; ` +
            'fix the folder (permissions, disk space) or a restart will need a new login',
        );
      }
      this.unsavedSince ??= Date.now(); // the clock of the store's savedAt
      return;
    }
    if (this.unsavedSince !== undefined) this.options.logger?.info(`the renewed tokens are saved to ${where} now`);
    this.unsavedSince = undefined;
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
    await this.retryUnsaved();
    // Another process (e.g. `stellantis login` while Homebridge runs) may have saved newer tokens;
    // while ours are unsaved, what the store holds is older unless it was saved after them.
    const stored = await this.options.store.load();
    this.loaded = true;
    const unsavedSince = this.unsavedSince;
    const storedIsNewer = unsavedSince === undefined || (stored?.savedAt !== undefined && stored.savedAt > unsavedSince);
    if (stored && storedIsNewer && stored.refreshToken !== this.tokens?.refreshToken) {
      this.unsavedSince = undefined;
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
    // In memory first: the old refresh token is spent, these are the only valid ones.
    const renewed = toStored(next);
    this.tokens = renewed;
    await this.saveRenewed(renewed);
    this.options.logger?.debug('access token refreshed');
    return next.accessToken;
  }

  /** Saves the tokens of a login: the store first, and a failure is the caller's (the login did not stick). */
  async setTokens(tokens: TokenSet): Promise<void> {
    const stored = toStored(tokens);
    await this.options.store.save(stored);
    this.tokens = stored;
    this.unsavedSince = undefined;
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
