/**
 * The platform block of config.json: the shared AccountConfig, plus Homebridge's own keys
 * (`platform`, `name`, `_bridge`) and the two settings only HomeKit needs (`lowBatteryThreshold`,
 * `simulatorTimeScale`). Reads it without ever throwing: unconfigured, invalid (every problem) or ready.
 */
import path from 'node:path';
import { type ConfigProblem, type ResolvedAccountConfig, validateAccountConfig } from '../config/validate';
import { isObject } from '../util/isObject';

/** Keys of the platform block that are not AccountConfig's. */
export const HOMEBRIDGE_ONLY_KEYS = ['platform', 'name', '_bridge', 'lowBatteryThreshold', 'simulatorTimeScale'] as const;

export const DEFAULT_LOW_BATTERY_THRESHOLD = 20;
export const DEFAULT_SIMULATOR_TIME_SCALE = 1;

export interface PlatformSettings {
  accountConfig: ResolvedAccountConfig;
  lowBatteryThreshold: number;
  simulatorTimeScale: number;
  /** webhook.host / webhook.port as the user wrote them (the simulator listens on loopback unless told otherwise). */
  webhookHostGiven: boolean;
  webhookPortGiven: boolean;
}

export type PlatformConfigResult =
  | { kind: 'unconfigured' }
  | { kind: 'invalid'; problems: ConfigProblem[] }
  | { kind: 'ready'; settings: PlatformSettings };

type Json = Record<string, unknown>;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
    || (isObject(value) && Object.values(value).every(isEmpty));
}

/**
 * The user has not filled the settings yet: no simulator, no client id, no certificate, no vehicle.
 * (The settings UI may have saved defaults such as the brand or the webhook port: they do not count.)
 */
function isUnconfigured(input: Json): boolean {
  return input.simulator !== true && isEmpty(input.clientId) && isEmpty(input.certificate) && isEmpty(input.vehicles);
}

export function readPlatformConfig(input: unknown, storagePath: string): PlatformConfigResult {
  if (!isObject(input)) return { kind: 'invalid', problems: [{ key: '(config)', message: 'the platform block must be an object' }] };
  if (isUnconfigured(input)) return { kind: 'unconfigured' };

  const problems: ConfigProblem[] = [];
  const lowBatteryThreshold = readNumber(input, 'lowBatteryThreshold', DEFAULT_LOW_BATTERY_THRESHOLD, problems, {
    min: 0, max: 100, integer: true, what: 'a whole percentage from 0 to 100',
  });
  const simulatorTimeScale = readNumber(input, 'simulatorTimeScale', DEFAULT_SIMULATOR_TIME_SCALE, problems, {
    min: 0.001, max: 10, integer: false, what: 'a number from 0.001 (1000 times faster) to 10; 1 is real timing',
  });

  const accountInput = Object.fromEntries(Object.entries(input).filter(([key]) => !(HOMEBRIDGE_ONLY_KEYS as readonly string[]).includes(key)));
  const simulator = accountInput.simulator === true;
  const result = validateAccountConfig(accountInput, { checkFiles: true, baseDir: storagePath, requireWebhook: !simulator });
  if (!result.ok) problems.push(...result.problems);
  if (!result.ok || problems.length > 0) return { kind: 'invalid', problems };
  if (!simulator && result.config.vehicles.length === 0) {
    return { kind: 'invalid', problems: [{ key: 'vehicles', message: 'no vehicle configured; pick yours with "Get my vehicles" on the plugin\'s settings page' }] };
  }
  const webhook = isObject(accountInput.webhook) ? accountInput.webhook : {};
  return {
    kind: 'ready',
    settings: {
      accountConfig: withAbsolutePaths(result.config, storagePath),
      lowBatteryThreshold,
      simulatorTimeScale,
      webhookHostGiven: webhook.host !== undefined,
      webhookPortGiven: webhook.port !== undefined,
    },
  };
}

/** Certificate files given relative to Homebridge's storage folder, made absolute for the engine. */
function withAbsolutePaths(config: ResolvedAccountConfig, storagePath: string): ResolvedAccountConfig {
  const abs = (file: string): string => path.resolve(storagePath, file);
  const out: ResolvedAccountConfig = { ...config, webhook: { ...config.webhook } };
  if (config.certificate) {
    const { cert, key, ca } = config.certificate;
    out.certificate = { ...config.certificate, cert: abs(cert), key: abs(key), ...(ca !== undefined ? { ca: abs(ca) } : {}) };
  }
  if (config.webhook.https) out.webhook.https = { cert: abs(config.webhook.https.cert), key: abs(config.webhook.https.key) };
  return out;
}

function readNumber(
  input: Json,
  key: string,
  fallback: number,
  problems: ConfigProblem[],
  rule: { min: number; max: number; integer: boolean; what: string },
): number {
  const value = input[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || (rule.integer && !Number.isInteger(value)) || value < rule.min || value > rule.max) {
    problems.push({ key, message: `must be ${rule.what}, not ${JSON.stringify(value)}` });
    return fallback;
  }
  return value;
}
