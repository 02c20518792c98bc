/**
 * 1. The configuration is valid (every problem at once), with a warning line for a listener setting that
 * works but exposes something. Certificate files are the next check's business.
 */
import { validateAccountConfig } from '../../config/validate';
import { failed, passed, type CheckDefinition } from '../context';
import { listenerWarnings } from '../listenerSafety';

export const configCheck: CheckDefinition = {
  id: 'config',
  title: 'Configuration',
  needs: [],
  async run(ctx) {
    const result = validateAccountConfig(ctx.input, { checkFiles: false, baseDir: ctx.opts.baseDir, requireWebhook: true });
    if (!result.ok) {
      const lines = result.problems.map((p) => `${p.key}: ${p.message}`);
      const count = lines.length === 1 ? '1 problem' : `${lines.length} problems`;
      return failed(`${count}:\n${lines.join('\n')}`, 'correct each key named above in the configuration, then run the doctor again');
    }
    const config = result.config;
    ctx.config = config;
    for (const value of [config.clientSecret, config.password, config.webhook.secret, config.certificate?.passphrase]) {
      if (value) ctx.secrets.add(value);
    }
    const account = config.flavour === 'b2b' ? `fleet (b2b) account ${config.fleetId ?? ''}` : `end-user (b2c) account, brand ${config.brand ?? '-'}`;
    const where = config.simulator ? ' (simulator)' : '';
    const vehicles = config.vehicles.length === 1 ? '1 vehicle' : `${config.vehicles.length} vehicles`;
    const warnings = listenerWarnings(config);
    return passed([`${account}${where}, API ${config.baseUrl}, ${vehicles} configured`, ...warnings].join('\n'));
  },
};
