/**
 * What every account command needs: the validated configuration (with the command-line overrides),
 * the storage folder, the token provider and the API client.
 */
import * as path from 'node:path';
import { formatProblems, validateAccountConfig, type ResolvedAccountConfig } from '../config/validate';
import {
  accountTokenStore,
  createAccountClient,
  oauthTokenProvider as accountOAuthProvider,
  type FileTokenStore,
  type OAuthTokenProvider,
  type StellantisClient,
  type TokenProvider,
} from '../engine/clients';
import type { Logger } from '../util/logger';
import { readConfigFile } from './configFile';
import { CliError } from './errors';
import type { GlobalOptions } from './options';

/** Reads, overrides and validates the --config file; every problem at once. */
export async function loadConfig(opts: GlobalOptions): Promise<ResolvedAccountConfig> {
  const { raw, file } = await readConfigFile(opts.configPath);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CliError(`--config: ${file} must hold one JSON object (the account configuration)`);
  }
  const input: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (opts.baseUrl !== undefined) input.baseUrl = opts.baseUrl;
  const result = validateAccountConfig(input, { baseDir: path.dirname(file) });
  if (!result.ok) {
    throw new CliError(`the configuration in ${file} has problems:\n${indent(formatProblems(result.problems))}`);
  }
  return result.config;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** Same key as the engine's, so tokens from `stellantis login` serve the Homebridge/Node-RED faces given this storage folder. */
export function tokenStoreFor(config: ResolvedAccountConfig, opts: GlobalOptions): FileTokenStore {
  return accountTokenStore(config, opts.storageDir);
}

/** --access-token: used as is; when the API refuses it, no refresh is attempted. */
export class FixedTokenProvider implements TokenProvider {
  constructor(private readonly token: string) {}

  async getAccessToken(): Promise<string> {
    return this.token;
  }

  invalidate(): void {}

  async refresh(): Promise<string> {
    throw new CliError('the access token given with --access-token was refused (expired?): give a fresh one, or leave --access-token out to use the stored login');
  }
}

export function oauthTokenProvider(config: ResolvedAccountConfig, opts: GlobalOptions, logger?: Logger): OAuthTokenProvider {
  return accountOAuthProvider(config, tokenStoreFor(config, opts), { logger });
}

export function tokenProviderFor(config: ResolvedAccountConfig, opts: GlobalOptions, logger?: Logger): TokenProvider {
  return opts.accessToken !== undefined ? new FixedTokenProvider(opts.accessToken) : oauthTokenProvider(config, opts, logger);
}

export interface AccountContext {
  config: ResolvedAccountConfig;
  opts: GlobalOptions;
  tokens: TokenProvider;
  client: StellantisClient;
  logger: Logger;
}

export function accountContext(config: ResolvedAccountConfig, opts: GlobalOptions, logger: Logger): AccountContext {
  const tokens = tokenProviderFor(config, opts, logger);
  const baseDir = opts.configPath ? path.dirname(path.resolve(opts.configPath)) : undefined;
  const client = createAccountClient(config, { tokens, logger, baseDir });
  return { config, opts, tokens, client, logger };
}
