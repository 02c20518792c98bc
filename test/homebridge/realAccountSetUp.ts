/**
 * A real-account Homebridge set-up (no `simulator` flag): the simulator serving HTTPS with mutual
 * TLS, the certificate files under certs/ of Homebridge's storage folder (named relative to it in
 * the config, as a user writes them) and the tokens `stellantis login` leaves there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type RunningSimulator, type SimulatorOptions, startSimulator } from '../../src/simulator';
import { testPki } from '../helpers/certs';
import { seedTokens, simulatorAccountConfig } from '../helpers/simulator';
import { tempDir } from './harness';

export interface RealAccountSetUp {
  sim: RunningSimulator;
  storagePath: string;
}

/** The config's certificate part, relative to the storage folder. */
export const CLIENT_CERTIFICATE = { cert: 'certs/client.crt', key: 'certs/client.key', ca: 'certs/ca.pem' };
/** The listener's own certificate files (with `serverCertificate: true`), for webhook.https. */
export const SERVER_CERTIFICATE = { cert: 'certs/server.crt', key: 'certs/server.key' };

export async function startRealAccount(
  name: string,
  vehicles: SimulatorOptions['vehicles'],
  opts: { serverCertificate?: boolean } = {},
): Promise<RealAccountSetUp> {
  const pki = await testPki();
  const sim = await startSimulator({
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert, requestClientCert: true },
    webhookCa: pki.ca.cert,
    vehicles,
    timeScale: 0.002,
  });
  const storagePath = tempDir(name);
  fs.mkdirSync(path.join(storagePath, 'certs'));
  const files: Record<string, string> = { 'client.crt': pki.client.cert, 'client.key': pki.client.key, 'ca.pem': pki.ca.cert };
  if (opts.serverCertificate) Object.assign(files, { 'server.crt': pki.server.cert, 'server.key': pki.server.key });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(storagePath, 'certs', file), text);
  await seedTokens(sim, path.join(storagePath, 'stellantis'));
  return { sim, storagePath };
}

/** The platform config of that account, `extra` (webhook, vehicles...) added. */
export function realAccountConfig(sim: RunningSimulator, extra: Record<string, unknown>): Record<string, unknown> {
  return { ...simulatorAccountConfig(sim), certificate: CLIENT_CERTIFICATE, ...extra };
}
