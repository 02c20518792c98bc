/**
 * 6. Our callback is registered, running, pointing at the configured public URL, and carries the
 * secret header the listener expects. One callbacks list (all pages).
 */
import type { UserCallback } from '../../stellantis/wire';
import { DEFAULT_SECRET_HEADER } from '../../webhook';
import { explainApiFailure } from '../apiFailure';
import { failed, passed, type CheckDefinition } from '../context';
import { knownWebhookSecret, sameSecret } from '../webhookSecret';

const REGISTER =
  'start Homebridge/Node-RED with this configuration (or run `stellantis send`): the account registers its callback, or updates it, when it starts';

function labelOf(c: UserCallback): string | undefined {
  return c.label ?? c.subscribe?.label;
}

function targetOf(c: UserCallback): string | undefined {
  return c.subscribe?.callback?.webhook?.target;
}

export const callbackCheck: CheckDefinition = {
  id: 'callback',
  title: 'Webhook callback registered',
  needs: ['api'],
  async run(ctx) {
    const config = ctx.config;
    const client = ctx.client;
    if (!config || !client) return failed('the API is not reachable', 'fix the checks above first');
    let all: UserCallback[];
    try {
      all = await client.listCallbacks();
    } catch (err) {
      const f = explainApiFailure(err, config);
      return failed(f.detail, f.fix);
    }
    const label = config.webhook.label;
    const expected = config.webhook.publicUrl;
    const ours = all.filter((c) => labelOf(c) === label);
    const found = ours.find((c) => expected === undefined || targetOf(c) === expected) ?? ours[0];
    if (!found) {
      const others = all.length === 0 ? 'the account has no callback' : `the account has ${all.length} callback(s), none labelled '${label}'`;
      return failed(`no callback labelled '${label}': ${others}`, REGISTER);
    }
    ctx.callback = found;
    const target = targetOf(found) ?? '(none)';
    if (expected !== undefined && target !== expected) {
      return failed(
        `callback ${found.id} points at ${target}, not at webhook.publicUrl ${expected}: notifications go elsewhere`,
        `restart Homebridge/Node-RED with this configuration so the account updates its callback (or delete it with \`stellantis callbacks delete ${found.id}\`)`,
      );
    }
    if (found.status !== 'Running') {
      return failed(
        `callback ${found.id} is ${found.status}: Stellantis does not deliver notifications to it`,
        found.status === 'Paused' ? 'restart Homebridge/Node-RED: the account sets its callback Running again' : `delete it with \`stellantis callbacks delete ${found.id}\` and restart Homebridge/Node-RED`,
      );
    }
    const header = (found.subscribe?.callback?.webhook?.attributes ?? []).find(
      (a) => a.type === 'Header' && a.key.toLowerCase() === DEFAULT_SECRET_HEADER.toLowerCase(),
    );
    if (!header) {
      return failed(
        `callback ${found.id} sends no ${DEFAULT_SECRET_HEADER} header: the listener refuses every notification (401)`,
        'restart Homebridge/Node-RED with this configuration: the account updates its callback with the secret header',
      );
    }
    const known = await knownWebhookSecret(config, ctx.opts.storageDir);
    if (known.secret !== undefined && typeof header.value === 'string' && !sameSecret(header.value, known.secret)) {
      return failed(
        `callback ${found.id} sends a different secret than the listener's (from ${known.from === 'config' ? 'webhook.secret' : 'the storage folder'}): notifications are refused (401)`,
        'restart Homebridge/Node-RED with this configuration and storage folder: the account updates its callback',
      );
    }
    const notes: string[] = [];
    if (ours.length > 1) notes.push(`${ours.length} callbacks carry the label '${label}': give each installation its own webhook.label`);
    const where = expected === undefined ? ` (simulator: target ${target})` : ` at ${target}`;
    return passed([`callback ${found.id} Running${where}, with the secret header`, ...notes].join('\n'));
  },
};
