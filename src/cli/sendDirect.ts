/**
 * Sending one remote from the CLI without a StellantisAccount: our callback is found by its label (or
 * registered once) with the engine's own registration module and files, then one POST.
 */
import { randomBytes } from 'node:crypto';
import type { ResolvedAccountConfig } from '../config/validate';
import { CallbackRegistration, type CallbackSpec } from '../engine/callbackRegistration';
import { accountKeyOf, loadOrCreateWebhookSecret, storageFile } from '../engine/storageFiles';
import type { StellantisClient } from '../engine/clients';
import { StellantisApiError } from '../stellantis/errors';
import type { RemoteBody } from '../stellantis/wire';
import type { Logger } from '../util/logger';
import { DEFAULT_SECRET_HEADER } from '../webhook';
import { CliError } from './errors';

/** Where Stellantis posts the notifications: webhook.publicUrl, or with the simulator the local listener's address. */
export function callbackTarget(config: ResolvedAccountConfig): string {
  const hook = config.webhook;
  if (hook.publicUrl) return hook.publicUrl;
  if (config.simulator) {
    const host = hook.host === '0.0.0.0' || hook.host === '::' || hook.host === '' ? '127.0.0.1' : hook.host;
    return `http://${host.includes(':') ? `[${host}]` : host}:${hook.port}${hook.path.replace(/\/+$/, '')}`;
  }
  throw new CliError(
    'webhook.publicUrl: missing; Stellantis needs a callback address even for one action: set the public https:// URL ' +
      '(reverse proxy or tunnel) that forwards to the listener of your Homebridge/Node-RED installation',
  );
}

/** The engine's callback registration, on the same files (storage folder, account key) and the same spec. */
export async function callbackRegistration(
  config: ResolvedAccountConfig,
  storageDir: string,
  client: StellantisClient,
  logger: Logger,
): Promise<CallbackRegistration> {
  const key = accountKeyOf(config);
  const target = callbackTarget(config);
  const { secret } = await loadOrCreateWebhookSecret(storageFile(storageDir, 'webhook-secret', key), config.webhook.secret);
  const spec: CallbackSpec = {
    label: config.webhook.label,
    target,
    attributes: [{ type: 'Header', key: DEFAULT_SECRET_HEADER, value: secret }],
    types: config.flavour === 'b2c' ? ['Remote', 'Monitor'] : undefined,
  };
  // The CLI does not listen: it reads the remote back, so it adopts the callback of the installation that
  // listens as it is, and only creates one when the account has none.
  return new CallbackRegistration({ client, spec: () => spec, path: storageFile(storageDir, 'callback', key), logger, adoptExisting: true });
}

/** A label for the remote: ours, plus a random suffix so the remote can be found in the list. */
export function remoteLabel(config: ResolvedAccountConfig): string {
  return `${config.webhook.label}/cli-${randomBytes(4).toString('hex')}`;
}

/** POSTs the remote; when our callback is gone (404 on it), registers again and retries once. */
export async function postRemote(
  client: StellantisClient,
  registration: CallbackRegistration,
  vehicleId: string,
  body: RemoteBody,
): Promise<{ remoteActionId: string; callbackId: string }> {
  let callbackId = await registration.ensure();
  let answer;
  try {
    answer = await client.sendRemote(vehicleId, callbackId, body);
  } catch (err) {
    if (!(err instanceof StellantisApiError && err.status === 404 && /\/callbacks\//.test(err.path))) throw err;
    const gone = callbackId;
    callbackId = await registration.reRegister(gone);
    if (callbackId === gone) throw err;
    answer = await client.sendRemote(vehicleId, callbackId, body);
  }
  const rid = answer?.remoteActionId;
  if (typeof rid !== 'string' || rid === '') throw new CliError('Stellantis accepted the action without giving its remote action id');
  return { remoteActionId: rid, callbackId };
}
