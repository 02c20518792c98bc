/**
 * What each face is configured with. With the simulator: the simulator's account, reached over
 * mutual TLS like the real API, the demo's client certificate, and a webhook behind the demo's
 * HTTPS entry (one path per face). With a real account: the user's AccountConfig as it is.
 */
import * as path from 'node:path';
import type { AccountConfig } from '../config/account';
import { simulatedAccountConfig, type RunningSimulator } from '../simulator';
import type { DemoPki } from './certs';
import type { NodeRedAccount } from './nodeRedSetup';

export const HOMEBRIDGE_WEBHOOK_PATH = '/stellantis/homebridge';
export const NODE_RED_WEBHOOK_PATH = '/stellantis/node-red';

export interface FaceConfigs {
  /** The Homebridge platform block (without platform/name). */
  homebridge: AccountConfig;
  nodeRed: NodeRedAccount;
}

export function simulatedAccount(sim: RunningSimulator, pki: DemoPki): AccountConfig {
  return {
    ...simulatedAccountConfig(sim),
    certificate: { cert: pki.clientCertFile, key: pki.clientKeyFile, ca: pki.caFile },
    // No vin: the simulator's made-up VINs are not valid VINs (the configuration checks them).
    vehicles: sim.vehicles.map((v) => ({ id: v.id, model: v.model, name: `${v.brand} ${v.model}`.trim() })),
  };
}

export function simulatorFaces(sim: RunningSimulator, pki: DemoPki, frontUrl: string, homebridgeListenerPort: number): FaceConfigs {
  const account = simulatedAccount(sim, pki);
  return {
    homebridge: {
      ...account,
      webhook: {
        publicUrl: `${frontUrl}${HOMEBRIDGE_WEBHOOK_PATH}`,
        host: '127.0.0.1',
        port: homebridgeListenerPort,
        path: HOMEBRIDGE_WEBHOOK_PATH,
        label: 'homebridge-stellantis-demo',
      },
    },
    // The API allows 5 monitors per vehicle: Homebridge has them (HomeKit must follow the car); Node-RED gets the remotes' notifications.
    nodeRed: { label: 'Simulated car', config: account, webhookPath: NODE_RED_WEBHOOK_PATH, publicUrl: frontUrl, monitors: false },
  };
}

function absolute(file: string | undefined, baseDir: string): string | undefined {
  return file === undefined ? undefined : path.resolve(baseDir, file);
}

/** A real account: both faces get the file's config, with file paths made absolute (each host resolves them elsewhere). */
export function realAccountFaces(config: AccountConfig, configDir: string): FaceConfigs {
  const certificate = config.certificate
    ? {
        ...config.certificate,
        cert: absolute(config.certificate.cert, configDir) ?? '',
        key: absolute(config.certificate.key, configDir) ?? '',
        ...(config.certificate.ca ? { ca: absolute(config.certificate.ca, configDir) } : {}),
      }
    : undefined;
  const https = config.webhook?.https
    ? { cert: absolute(config.webhook.https.cert, configDir) ?? '', key: absolute(config.webhook.https.key, configDir) ?? '' }
    : undefined;
  const homebridge: AccountConfig = {
    ...config,
    ...(certificate ? { certificate } : {}),
    ...(config.webhook ? { webhook: { ...config.webhook, ...(https ? { https } : {}) } } : {}),
  };
  const { webhook: _ignored, ...withoutWebhook } = homebridge;
  // Node-RED serves its webhook on its own HTTP server: its public URL is set in the editor (account node, Public URL).
  return { homebridge, nodeRed: { label: 'My car', config: withoutWebhook, monitors: false } };
}
