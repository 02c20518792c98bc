/**
 * Where OAuth tokens live between runs: one JSON file per account, mode 0600, written atomically,
 * under the folder the host gives (Homebridge storage path, Node-RED userDir, CLI ~/.stellantis).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../util/atomicFile';
import type { Logger } from '../util/logger';

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch ms at which the access token expires. */
  expiresAt: number;
  scope?: string;
  tokenType?: string;
  /** Epoch ms of the save. */
  savedAt?: number;
}

export interface TokenStore {
  /** The saved tokens, or undefined when there are none (or they are unreadable: see `problem`). */
  load(): Promise<StoredTokens | undefined>;
  save(tokens: StoredTokens): Promise<void>;
  clear(): Promise<void>;
  /** Where the tokens are, for messages ("token file /x/y.json"). */
  describe(): string;
  /** Why the last load found nothing usable, when the reason is not simply "nothing saved yet". */
  readonly problem?: string;
}

/** Turns an account key (client id, fleet id, label...) into a safe, stable file name. */
export function tokenFileName(accountKey: string): string {
  const slug = accountKey.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 48);
  const hash = createHash('sha256').update(accountKey).digest('hex').slice(0, 8);
  return `tokens-${slug || 'account'}-${hash}.json`;
}

function parseStoredTokens(raw: unknown): StoredTokens | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not a JSON object';
  const o = raw as Record<string, unknown>;
  if (typeof o.refreshToken !== 'string' || o.refreshToken === '') return 'no refreshToken';
  const tokens: StoredTokens = {
    accessToken: typeof o.accessToken === 'string' ? o.accessToken : '',
    refreshToken: o.refreshToken,
    expiresAt: typeof o.expiresAt === 'number' && Number.isFinite(o.expiresAt) ? o.expiresAt : 0,
  };
  if (typeof o.scope === 'string') tokens.scope = o.scope;
  if (typeof o.tokenType === 'string') tokens.tokenType = o.tokenType;
  if (typeof o.savedAt === 'number') tokens.savedAt = o.savedAt;
  return tokens;
}

export class FileTokenStore implements TokenStore {
  readonly file: string;
  problem?: string;
  private readonly logger?: Logger;

  constructor(dir: string, accountKey: string, options: { logger?: Logger } = {}) {
    this.file = path.join(dir, tokenFileName(accountKey));
    this.logger = options.logger;
  }

  describe(): string {
    return `token file ${this.file}`;
  }

  async load(): Promise<StoredTokens | undefined> {
    this.problem = undefined;
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      this.problem = `the token file ${this.file} is not readable (${code ?? 'error'}): check its permissions`;
      this.logger?.warn(this.problem);
      return undefined;
    }
    let parsed: StoredTokens | string;
    try {
      parsed = parseStoredTokens(JSON.parse(text));
    } catch {
      parsed = 'not valid JSON';
    }
    if (typeof parsed === 'string') {
      this.problem = `the token file ${this.file} is corrupt (${parsed}): ignoring it; log in again with \`stellantis login\``;
      this.logger?.warn(this.problem);
      return undefined;
    }
    return parsed;
  }

  async save(tokens: StoredTokens): Promise<void> {
    const data: StoredTokens = { ...tokens, savedAt: Date.now() };
    await writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`, 0o600);
    this.problem = undefined;
  }

  async clear(): Promise<void> {
    await fsp.rm(this.file, { force: true });
  }
}

/** Tokens kept in memory only (simulator runs, one-shot CLI commands with tokens from elsewhere). */
export class MemoryTokenStore implements TokenStore {
  private tokens?: StoredTokens;
  readonly problem = undefined;

  constructor(initial?: StoredTokens) {
    this.tokens = initial ? { ...initial } : undefined;
  }

  describe(): string {
    return 'memory token store';
  }

  async load(): Promise<StoredTokens | undefined> {
    return this.tokens ? { ...this.tokens } : undefined;
  }

  async save(tokens: StoredTokens): Promise<void> {
    this.tokens = { ...tokens };
  }

  async clear(): Promise<void> {
    this.tokens = undefined;
  }
}
