/** Small pieces several commands share. */
import type { ResolvedAccountConfig } from '../../config/validate';
import type { CommandContext } from '../command';

/** Registers the configuration's secret values so that no error printed can show them. */
export function withSecrets(config: ResolvedAccountConfig, ctx: Pick<CommandContext, 'secrets' | 'opts'>): ResolvedAccountConfig {
  for (const value of [config.clientSecret, config.password, config.webhook.secret, config.certificate?.passphrase, ctx.opts.accessToken]) {
    if (value) ctx.secrets.add(value);
  }
  return config;
}
