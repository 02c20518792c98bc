/**
 * stellantis-account: the config node holding one Stellantis account. It runs the engine for the
 * nodes that use it (see lib/accountRuntime.ts) and offers the editor its login and vehicle picker.
 */
import { AccountRuntime } from './lib/accountRuntime';
import { nodeLogger, type AccountNode } from './lib/accountLookup';
import type { AccountCredentials, AccountSettings } from './lib/accountSettings';
import { registerAdminRoutes } from './lib/adminRoutes';
import type { NodeAPI, NodeDef, RedNode } from './lib/red';
import { useRuntimeI18n } from './lib/i18n';
import { errorText } from '../../src/util/errorText';

function credentialsOf(node: RedNode): AccountCredentials {
  const c = node.credentials ?? {};
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return { clientSecret: text(c.clientSecret), passphrase: text(c.passphrase), password: text(c.password) };
}

export default function register(RED: NodeAPI): void {
  useRuntimeI18n(RED._);
  function StellantisAccountNode(this: RedNode, def: NodeDef): void {
    RED.nodes.createNode(this, def);
    const node = this as AccountNode;
    const logger = nodeLogger(node);
    const runtime = new AccountRuntime({
      settings: { ...(def as AccountSettings), id: node.id },
      credentials: credentialsOf(node),
      httpNode: RED.httpNode,
      redSettings: RED.settings,
      server: RED.server,
      logger,
    });
    node.stellantis = runtime;
    let lastText = '';
    runtime.on('status', (s: { state: string; text: string }) => {
      // Config nodes have no visible status: say it once in the log.
      if ((s.state === 'needs-login' || s.state === 'invalid') && s.text !== lastText) logger.warn(s.text);
      lastText = s.text;
    });
    void runtime.start();
    node.on('close', (removed, done) => {
      runtime.stop(removed).then(done, (err: unknown) => {
        logger.warn(`closing: ${errorText(err)}`);
        done();
      });
    });
  }

  RED.nodes.registerType('stellantis-account', StellantisAccountNode, {
    credentials: {
      clientSecret: { type: 'password' },
      passphrase: { type: 'password' },
      password: { type: 'password' },
    },
  });
  registerAdminRoutes(RED);
}
