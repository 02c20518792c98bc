/**
 * One OAuth login, as every face runs it (the Homebridge settings page, the Node-RED editor, the
 * CLI): the authorization URL and its pending state (valid 15 minutes), the address the user pastes
 * back (read once; it must carry that state), the code exchange, and the tokens stored where the
 * engine reads them.
 */
import { toStored } from '../stellantis/auth';
import { OAuthError } from '../stellantis/errors';
import { buildAuthorizationUrl, codeOf, exchangeCode, readPasted, type OAuthClientConfig } from '../stellantis/oauth';
import type { StoredTokens, TokenStore } from '../stellantis/tokenStore';

/** How long a started login waits for its pasted answer. */
export const LOGIN_TTL_MS = 15 * 60_000;

/** Where the login happens and where the browser is sent back to. */
export interface LoginTarget {
  oauthUrl: string;
  clientId: string;
  redirectUri: string;
  scopes?: readonly string[];
  locale?: string;
}

/** What the code is exchanged with, and where the tokens go. */
export interface LoginExchange {
  oauth: OAuthClientConfig;
  redirectUri: string;
  store: TokenStore;
}

export interface PasteOptions {
  /** A bare code carries no state to check: the CLI and the settings page take one, the Node-RED editor does not. */
  acceptBareCode: boolean;
}

/** A pasted address with no login started (or one started more than 15 minutes ago). */
export class NoLoginInProgressError extends OAuthError {
  constructor() {
    super('no login in progress (or it was started more than 15 minutes ago): start the login again');
  }
}

export class LoginSession {
  private constructor(
    readonly target: LoginTarget,
    /** The authorization page to open. */
    readonly url: string,
    readonly state: string,
    readonly expiresAt: number,
  ) {}

  static start(target: LoginTarget, now: number = Date.now()): LoginSession {
    const { url, state } = buildAuthorizationUrl(target);
    return new LoginSession(target, url, state, now + LOGIN_TTL_MS);
  }

  isExpired(now: number = Date.now()): boolean {
    return now > this.expiresAt;
  }
}

/**
 * The code of what the user pasted. An address must carry the state of `session` (the login started
 * here, not expired); a bare code is taken only when the face allows it.
 */
export function pastedCode(session: LoginSession | undefined, pasted: string, options: PasteOptions): string {
  const read = readPasted(pasted);
  if (read.kind === 'code' && !options.acceptBareCode) {
    throw new OAuthError('paste the whole address the browser was sent to after the login (with its state), not only the code');
  }
  const live = session && !session.isExpired() ? session : undefined;
  if (read.kind === 'address' && !live) throw new NoLoginInProgressError();
  return codeOf(read, live?.state);
}

/** Exchanges the code and stores the tokens (the end of every login). A failed save fails the login. */
export async function storeLogin(code: string, exchange: LoginExchange): Promise<StoredTokens> {
  const tokens = toStored(await exchangeCode({ ...exchange.oauth, redirectUri: exchange.redirectUri }, code));
  await exchange.store.save(tokens);
  return tokens;
}

/** The pasted answer of `session` read, exchanged and stored. */
export async function finishLogin(session: LoginSession | undefined, pasted: string, exchange: LoginExchange, options: PasteOptions): Promise<StoredTokens> {
  return storeLogin(pastedCode(session, pasted, options), exchange);
}

/** Logins started and not finished yet, one per key (an account node, a settings page). */
export class PendingLogins<Extra> {
  private readonly logins = new Map<string, { session: LoginSession; extra: Extra }>();

  start(key: string, target: LoginTarget, extra: Extra): LoginSession {
    const now = Date.now();
    for (const [k, p] of this.logins) if (p.session.isExpired(now)) this.logins.delete(k);
    const session = LoginSession.start(target, now);
    this.logins.set(key, { session, extra });
    return session;
  }

  /** The login pending under `key`, unless it expired. */
  get(key: string): { session: LoginSession; extra: Extra } | undefined {
    const pending = this.logins.get(key);
    return pending && !pending.session.isExpired() ? pending : undefined;
  }

  end(key: string): void {
    this.logins.delete(key);
  }
}
