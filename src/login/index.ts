/**
 * The login as the faces use it: one session (authorization URL, pending state, pasted answer,
 * code exchange, stored tokens) and the token file of an account. Faces import this, never the
 * OAuth or token-store layers.
 */
export {
  LOGIN_TTL_MS,
  LoginSession,
  NoLoginInProgressError,
  PendingLogins,
  finishLogin,
  pastedCode,
  storeLogin,
  type LoginExchange,
  type LoginTarget,
  type PasteOptions,
} from './loginSession';
export type { StoredTokens, TokenStore } from '../stellantis/tokenStore';
/** The token file of an account and its login server settings, as the engine reads them. */
export { accountTokenStore, oauthSettingsOf } from '../engine/clients';

