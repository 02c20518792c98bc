/**
 * The account config node's stored settings, and how they become the project's shared
 * AccountConfig (validated by config/validate.ts like every other face's configuration).
 * Empty editor fields mean "not set": they are left out rather than passed as ''.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { AccountConfig, VehicleConfig } from '../../../src/config/account';
import { simulatedAccountConfig, type RunningSimulator } from '../../../src/simulator';
import type { RedSettings } from './red';

export interface AccountSettings {
  id: string;
  name?: string;
  simulator?: boolean;
  simulatorTimeScale?: number | string;
  flavour?: string;
  brand?: string;
  fleetId?: string;
  clientId?: string;
  username?: string;
  redirectUri?: string;
  certFile?: string;
  keyFile?: string;
  caFile?: string;
  webhookMode?: string;
  webhookPath?: string;
  publicUrl?: string;
  listenHost?: string;
  listenPort?: number | string;
  /** Which reverse proxy to believe about the client address: 'loopback', its address(es), a hop count; empty: none. */
  trustProxy?: string;
  monitors?: boolean;
  vehicles?: unknown;
  realm?: string;
  oauthUrl?: string;
  baseUrl?: string;
  statusIntervalMinutes?: number | string;
  lowAuxBatteryPercent?: number | string;
  /** The assumed monthly wake-up cap of each car (Stellantis does not publish it); empty: 20. */
  wakeUpsPerMonth?: number | string;
}

export interface AccountCredentials {
  clientSecret?: string;
  passphrase?: string;
  password?: string;
}

export type WebhookMode = 'node-red' | 'port';

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** A number field whose text is not a number goes through as written, so the validation names it (not a silent default). */
function numberOrText(value: unknown): number | undefined {
  return numberOf(value) ?? (text(value) as unknown as number | undefined);
}

/** The editor's trusted-proxy text as webhook.trustProxy: a hop count as a number, anything else as written. */
export function trustProxyOf(settings: AccountSettings): string | number | undefined {
  const value = text(settings.trustProxy);
  if (value === undefined) return undefined;
  return /^\d+$/.test(value) ? Number(value) : value;
}

export function webhookModeOf(settings: AccountSettings): WebhookMode {
  return settings.webhookMode === 'port' ? 'port' : 'node-red';
}

/** The webhook path: the configured one, else one of its own per account node. */
export function webhookPathOf(settings: AccountSettings): string {
  return text(settings.webhookPath) ?? `/stellantis/webhook/${settings.id.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}

export function timeScaleOf(settings: AccountSettings): number {
  const scale = numberOf(settings.simulatorTimeScale);
  return scale !== undefined && scale > 0 ? scale : 1;
}

/** Where this account's files live: `<userDir>/stellantis/<node id>` (tokens, webhook secret, remotes in flight). */
export function storageDirOf(settings: RedSettings, nodeId: string): string {
  const userDir = settings.userDir ?? path.join(os.homedir(), '.node-red');
  return path.join(userDir, 'stellantis', nodeId.replace(/[^A-Za-z0-9._-]/g, '_'));
}

export function baseDirOf(settings: RedSettings): string {
  return settings.userDir ?? path.join(os.homedir(), '.node-red');
}

function vehiclesOf(value: unknown): VehicleConfig[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: VehicleConfig[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue;
    const v = item as Record<string, unknown>;
    const id = text(v.id);
    if (!id) continue;
    const name = text(v.name);
    // The home zone is checked by the account's validation, which names any problem.
    out.push({ id, ...(name ? { name } : {}), ...(v.home !== undefined && v.home !== null ? { home: v.home as VehicleConfig['home'] } : {}) });
  }
  return out;
}

/**
 * The AccountConfig of a real (non-simulator) account node. `publicWebhookUrl` is the full URL
 * Stellantis posts to, computed by the caller (it depends on httpNodeRoot or the own port).
 */
export function accountConfigOf(
  settings: AccountSettings,
  credentials: AccountCredentials,
  publicWebhookUrl: string | undefined,
  baseDir?: string,
): AccountConfig {
  const config: AccountConfig = { clientId: text(settings.clientId) ?? '' };
  if (config.clientId === '') delete (config as Partial<AccountConfig>).clientId;
  const flavour = text(settings.flavour);
  if (flavour) config.flavour = flavour as AccountConfig['flavour'];
  const assign = <K extends keyof AccountConfig>(key: K, value: AccountConfig[K] | undefined): void => {
    if (value !== undefined) config[key] = value;
  };
  assign('brand', text(settings.brand) as AccountConfig['brand']);
  if (config.flavour === 'b2b') {
    assign('fleetId', text(settings.fleetId));
    assign('username', text(settings.username));
    assign('password', text(credentials.password));
  } else {
    assign('clientSecret', text(credentials.clientSecret));
    assign('redirectUri', text(settings.redirectUri));
  }
  assign('realm', text(settings.realm));
  assign('oauthUrl', text(settings.oauthUrl));
  assign('baseUrl', text(settings.baseUrl));
  const cert = text(settings.certFile);
  const key = text(settings.keyFile);
  // Relative files start at the Node-RED user dir (the engine reads them later, wherever the cwd is).
  const file = (name: string | undefined): string | undefined => (name && baseDir ? path.resolve(baseDir, name) : name);
  if (cert || key) {
    config.certificate = { cert: file(cert) ?? '', key: file(key) ?? '' };
    const ca = file(text(settings.caFile));
    if (ca) config.certificate.ca = ca;
    const passphrase = text(credentials.passphrase);
    if (passphrase) config.certificate.passphrase = passphrase;
  }
  config.webhook = {
    path: webhookPathOf(settings),
    label: `node-red-stellantis-${settings.id}`,
    monitors: settings.monitors !== false,
  };
  if (publicWebhookUrl) config.webhook.publicUrl = publicWebhookUrl;
  const trustProxy = trustProxyOf(settings);
  if (trustProxy !== undefined) config.webhook.trustProxy = trustProxy;
  if (webhookModeOf(settings) === 'port') {
    // No host given: the validator's default, loopback (the listener is plain HTTP).
    const host = text(settings.listenHost);
    assign('webhook', { ...config.webhook, ...(host !== undefined ? { host } : {}), port: numberOf(settings.listenPort) ?? 8765 });
  }
  assign('vehicles', vehiclesOf(settings.vehicles));
  assign('statusIntervalMinutes', numberOf(settings.statusIntervalMinutes));
  assign('lowAuxBatteryPercent', numberOf(settings.lowAuxBatteryPercent));
  assign('wakeUpsPerMonth', numberOrText(settings.wakeUpsPerMonth));
  return config;
}

/** The configured vehicles (simulator accounts default to every simulated car). */
export function configuredVehicles(settings: AccountSettings): VehicleConfig[] {
  return vehiclesOf(settings.vehicles) ?? [];
}

/** The account logged in to the built-in simulator: its credentials, the node's other settings, every simulated car unless vehicles are listed. */
export function simulatorAccountConfigOf(settings: AccountSettings, sim: RunningSimulator, webhookUrl: string | undefined): AccountConfig {
  const base = accountConfigOf({ ...settings, certFile: '', keyFile: '', caFile: '', publicUrl: '' }, {}, webhookUrl);
  const vehicles = configuredVehicles(settings);
  return {
    ...base,
    simulator: true,
    ...simulatedAccountConfig(sim, settings.flavour === 'b2b' ? 'b2b' : 'b2c'),
    vehicles: vehicles.length > 0 ? vehicles : sim.vehicles.map((v) => ({ id: v.id, name: `${v.brand} ${v.model}`.trim() })),
  };
}
