/** Configuration problems worded for the Node-RED editor: each names the field the user sees. */
import type { ConfigProblem } from '../../../src/config/validate';

/** Editor labels of the config keys. */
const FIELD_LABELS: Record<string, string> = {
  clientId: 'Client id',
  clientSecret: 'Client secret',
  brand: 'Brand',
  fleetId: 'Fleet id',
  username: 'Username',
  password: 'Password',
  redirectUri: 'Redirect URI',
  realm: 'Realm',
  oauthUrl: 'Login server',
  baseUrl: 'API base',
  certificate: 'Certificate',
  'certificate.cert': 'Cert file',
  'certificate.key': 'Key file',
  'certificate.ca': 'CA file',
  'certificate.passphrase': 'Passphrase',
  'webhook.publicUrl': 'Public URL',
  'webhook.path': 'Path',
  'webhook.port': 'Port',
  'webhook.host': 'Host',
  'webhook.trustProxy': 'Trusted proxy',
  statusIntervalMinutes: 'Status every',
  lowAuxBatteryPercent: 'Refresh only above',
  wakeUpsPerMonth: 'Wake-ups a month',
};

export function describeProblem(p: ConfigProblem): string {
  const label = FIELD_LABELS[p.key] ?? (/^vehicles\[\d+\]/.test(p.key) ? `Vehicles (${p.key})` : undefined);
  return label ? `${label} (${p.key}): ${p.message}` : `${p.key}: ${p.message}`;
}
