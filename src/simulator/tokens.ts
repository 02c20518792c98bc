/** Access tokens, refresh tokens (rotated on use) and single-use authorization codes. */
import { randomHex } from './ids';
import type { IssuedTokens } from './types';

const CODE_TTL_MS = 10 * 60_000;

export type TokenCheck = 'ok' | 'missing' | 'unknown' | 'expired';

export class TokenStore {
  private readonly access = new Map<string, number>();
  private readonly refresh = new Set<string>();
  private readonly codes = new Map<string, { redirectUri: string; expiresAt: number; scope: string }>();

  constructor(private readonly accessTtlSeconds: number) {}

  issue(): IssuedTokens {
    const access_token = `sim-at-${randomHex(24)}`;
    const refresh_token = `sim-rt-${randomHex(24)}`;
    this.access.set(access_token, Date.now() + this.accessTtlSeconds * 1000);
    this.refresh.add(refresh_token);
    return { access_token, refresh_token, expires_in: this.accessTtlSeconds };
  }

  checkAccess(token: string | undefined): TokenCheck {
    if (!token) return 'missing';
    const exp = this.access.get(token);
    if (exp === undefined) return 'unknown';
    return Date.now() >= exp ? 'expired' : 'ok';
  }

  /** Rotation: a refresh token works once; the answer carries a new one. */
  useRefresh(token: string): IssuedTokens | undefined {
    if (!this.refresh.delete(token)) return undefined;
    return this.issue();
  }

  newCode(redirectUri: string, scope: string): string {
    const code = `sim-code-${randomHex(16)}`;
    this.codes.set(code, { redirectUri, expiresAt: Date.now() + CODE_TTL_MS, scope });
    return code;
  }

  /** A code works once, before it expires, with the redirect URI it was issued for. */
  useCode(code: string, redirectUri: string): 'ok' | 'invalid' | 'redirect_mismatch' {
    const entry = this.codes.get(code);
    if (!entry) return 'invalid';
    this.codes.delete(code);
    if (Date.now() >= entry.expiresAt) return 'invalid';
    if (entry.redirectUri !== redirectUri) return 'redirect_mismatch';
    return 'ok';
  }

  expireAccessTokens(): void {
    for (const t of this.access.keys()) this.access.set(t, 0);
  }

  revokeRefreshTokens(): void {
    this.refresh.clear();
  }
}
