/**
 * The login as the faces use it: one session (authorization URL, pending state, pasted answer,
 * code exchange, stored tokens) and the token file of an account. Faces import this, never the
 * OAuth or token-store layers.
 */
import type { ResolvedAccountConfig } from '../config/validate';
import { accountKeyOf } from '../engine/storageFiles';
import { FileTokenStore } from '../stellantis/tokenStore';

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

/** The token file of an account under `storageDir`, where the engine reads it. */
export function accountTokenStore(storageDir: string, account: Pick<ResolvedAccountConfig, 'flavour' | 'clientId' | 'fleetId' | 'realm'>): FileTokenStore {
  return new FileTokenStore(storageDir, accountKeyOf(account));
}
