/**
 * OAuth2 authorization-code flow against the brand's login server (`/am/oauth2`): the URL the user
 * opens, reading the redirect they paste back, and the two token requests (code exchange, refresh).
 * The login host is public: plain HTTPS, no client certificate unless an agent is given.
 */
import { randomBytes } from 'node:crypto';
import type { Agent as HttpsAgent } from 'node:https';
import type { Agent as HttpAgent } from 'node:http';
import axios from 'axios';
import { LoginExpiredError, OAuthError, scrubSecrets } from './errors';

export const REMOTE_SCOPES = [
  'remote:door:write',
  'remote:preconditioning:write',
  'remote:horn:write',
  'remote:charging:write',
  'remote:lights:write',
  'remote:wakeup:write',
  'remote:navigation:write',
] as const;

export const DEFAULT_SCOPES: readonly string[] = ['openid', 'profile', ...REMOTE_SCOPES];

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export interface AuthorizationUrlInput {
  oauthUrl: string;
  clientId: string;
  redirectUri: string;
  scopes?: readonly string[];
  locale?: string;
  /** Normally left out: a random one is made. */
  state?: string;
}

export function buildAuthorizationUrl(input: AuthorizationUrlInput): { url: string; state: string } {
  const state = input.state ?? randomBytes(16).toString('base64url');
  const url = new URL(`${trimSlash(input.oauthUrl)}/authorize`);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', input.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('scope', (input.scopes ?? DEFAULT_SCOPES).join(' '));
  url.searchParams.set('state', state);
  if (input.locale) url.searchParams.set('locale', input.locale);
  return { url: url.toString(), state };
}

const BARE_CODE = /^[A-Za-z0-9._~+/=-]+$/;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** What the user pasted after logging in, read once: the redirect address (its code and state) or a bare code. */
export type PastedLogin = { kind: 'address'; code: string; state?: string } | { kind: 'code'; code: string };

/**
 * Reads what the user pasted: the whole redirect address (parsed as a URL, so an encoded key such as
 * `%63ode` is the `code` it decodes to; an `error` from the server is reported) or just the code.
 */
export function readPasted(input: string): PastedLogin {
  const text = input.trim();
  if (text === '') throw new OAuthError('nothing pasted: paste the whole address the browser was sent to after the login');
  if (BARE_CODE.test(text)) return { kind: 'code', code: text };
  let url: URL;
  try {
    url = new URL(text, 'http://pasted.invalid/');
  } catch {
    throw new OAuthError('the pasted address does not parse as a URL: paste it again, whole');
  }
  if (!HAS_SCHEME.test(text) && url.search === '' && url.hash === '') {
    throw new OAuthError('this is neither a redirect address nor a code: paste the whole address the browser was sent to after the login');
  }
  let params = url.searchParams;
  // Some servers put the answer in the fragment.
  if (!params.has('code') && !params.has('error') && url.hash.length > 1) params = new URLSearchParams(url.hash.slice(1));
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description');
    throw new OAuthError(`the login server refused the login: ${error}${description ? ` (${description})` : ''}`, undefined, error);
  }
  const code = params.get('code');
  if (!code) throw new OAuthError('the pasted address holds no `code`: paste the address the browser was sent to after the login');
  const state = params.get('state');
  return state === null ? { kind: 'address', code } : { kind: 'address', code, state };
}

/**
 * The code of what the user pasted. A pasted address must carry `expectedState` (the state of the
 * login this process started; without one, no address is accepted); a bare code carries no state.
 */
export function parseRedirect(input: string, expectedState?: string): string {
  return codeOf(readPasted(input), expectedState);
}

/** The code of a pasted login, its state checked as parseRedirect does. */
export function codeOf(pasted: PastedLogin, expectedState: string | undefined): string {
  if (pasted.kind === 'address' && (expectedState === undefined || pasted.state !== expectedState)) {
    throw new OAuthError('the pasted address belongs to another login attempt (state does not match): start the login again');
  }
  return pasted.code;
}

export interface OAuthClientConfig {
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  /** Sent as `?realm=` on renewal. */
  realm?: string;
  timeoutMs?: number;
  /** Only when the login host needs a special agent (a proxy, a private CA in tests). */
  agent?: HttpsAgent | HttpAgent;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms. */
  expiresAt: number;
  tokenType?: string;
  scope?: string;
  idToken?: string;
}

type Grant = { grant_type: 'authorization_code'; code: string; redirect_uri: string } | { grant_type: 'refresh_token'; refresh_token: string };

function field(data: unknown, name: string): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const value = (data as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function tokenRequest(config: OAuthClientConfig, grant: Grant, now: () => number): Promise<TokenSet> {
  const secrets = [config.clientSecret, grant.grant_type === 'refresh_token' ? grant.refresh_token : grant.code];
  const url = new URL(`${trimSlash(config.oauthUrl)}/access_token`);
  if (grant.grant_type === 'refresh_token' && config.realm) url.searchParams.set('realm', config.realm);
  const basic = Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64');
  const controller = new AbortController();
  const timeoutMs = config.timeoutMs ?? 30_000;
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let status: number;
  let data: unknown;
  try {
    const res = await axios.request<string>({
      method: 'POST',
      url: url.toString(),
      data: new URLSearchParams(grant).toString(),
      headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      responseType: 'text',
      transformResponse: (d: unknown) => d,
      validateStatus: () => true,
      maxRedirects: 0,
      signal: controller.signal,
      httpAgent: config.agent,
      httpsAgent: config.agent,
      proxy: false,
    });
    status = res.status;
    data = parseJson(res.data);
  } catch (err) {
    // Never rethrow axios' error: its config holds the Authorization header.
    const code = controller.signal.aborted ? 'timeout' : ((err as { code?: unknown }).code ?? 'network error');
    throw new OAuthError(`cannot reach the login server ${url.host} (${String(code)}): check the network and oauthUrl`);
  } finally {
    clearTimeout(timer);
  }
  if (status >= 200 && status < 300) {
    const accessToken = field(data, 'access_token');
    if (!accessToken) throw new OAuthError(`the login server ${url.host} answered without an access token`, status);
    const refreshToken = field(data, 'refresh_token') ?? (grant.grant_type === 'refresh_token' ? grant.refresh_token : undefined);
    if (!refreshToken) throw new OAuthError(`the login server ${url.host} answered without a refresh token`, status);
    const expiresIn = Number(field(data, 'expires_in') ?? 3600);
    const tokens: TokenSet = {
      accessToken,
      refreshToken,
      expiresAt: now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 3600) * 1000,
    };
    const tokenType = field(data, 'token_type');
    const scope = field(data, 'scope');
    const idToken = field(data, 'id_token');
    if (tokenType) tokens.tokenType = tokenType;
    if (scope) tokens.scope = scope;
    if (idToken) tokens.idToken = idToken;
    return tokens;
  }
  const error = field(data, 'error');
  const description = field(data, 'error_description');
  if (error === 'invalid_client' || (status === 401 && error !== 'invalid_grant')) {
    throw new OAuthError(`the login server refused the client credentials (HTTP ${status}): check clientId and clientSecret`, status, error);
  }
  if (error === 'invalid_grant') {
    if (grant.grant_type === 'refresh_token') {
      throw new LoginExpiredError('the refresh token was refused (revoked or expired): log in again with `stellantis login`', status, error);
    }
    throw new OAuthError('the authorization code was refused (expired, already used, or another redirectUri): start the login again', status, error);
  }
  const detail = scrubSecrets([error, description].filter(Boolean).join(': '), secrets);
  throw new OAuthError(`token request to ${url.host} failed: HTTP ${status}${detail ? ` (${detail})` : ''}`, status, error);
}

export function exchangeCode(config: OAuthClientConfig & { redirectUri: string }, code: string, now: () => number = Date.now): Promise<TokenSet> {
  return tokenRequest(config, { grant_type: 'authorization_code', code, redirect_uri: config.redirectUri }, now);
}

export function refreshTokens(config: OAuthClientConfig, refreshToken: string, now: () => number = Date.now): Promise<TokenSet> {
  return tokenRequest(config, { grant_type: 'refresh_token', refresh_token: refreshToken }, now);
}
