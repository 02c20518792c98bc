/**
 * The account configuration once validated: every default filled (what the engine and the faces
 * run with), and the defaults themselves.
 */
import type { AccountConfig, NavigationDestination, VehicleConfig, VehicleFeatures, WebhookConfig } from './account';
import type { ConfigProblem } from './readers';
import type { Flavour } from '../stellantis/wire';

export interface ResolvedWebhookConfig extends WebhookConfig {
  host: string;
  port: number;
  path: string;
  label: string;
  monitors: boolean;
}

export interface ResolvedVehicleConfig extends VehicleConfig {
  name: string;
  features: Required<VehicleFeatures>;
  destinations: NavigationDestination[];
}

export interface ResolvedAccountConfig extends AccountConfig {
  flavour: Flavour;
  baseUrl: string;
  /** Always set for b2c (from the brand unless given). */
  realm?: string;
  /** Always set for b2c (from the brand unless given). */
  oauthUrl?: string;
  webhook: ResolvedWebhookConfig;
  vehicles: ResolvedVehicleConfig[];
  requestTimeoutMs: number;
  statusIntervalMinutes: number;
  lowAuxBatteryPercent: number;
  /** The monthly wake-up cap we assume (Stellantis does not publish it): what "left this month" counts down from. */
  wakeUpsPerMonth: number;
  simulator: boolean;
}

export type ValidationResult = { ok: true; config: ResolvedAccountConfig } | { ok: false; problems: ConfigProblem[] };

export interface ValidateOptions {
  /** Check that certificate files exist and are readable (default true). */
  checkFiles?: boolean;
  /** Folder relative file paths are resolved against (default: the current directory). */
  baseDir?: string;
  /** Require webhook.publicUrl (needed to send remotes); default false so setup commands work without it. */
  requireWebhook?: boolean;
}

export const CONFIG_DEFAULTS = {
  flavour: 'b2c' as Flavour,
  requestTimeoutMs: 15_000,
  statusIntervalMinutes: 30,
  /** Why 50: docs/limits.md (the 12 V guard). */
  lowAuxBatteryPercent: 50,
  /** An assumption, not a published figure: docs/limits.md (the monthly budget). */
  wakeUpsPerMonth: 20,
  webhook: { host: '127.0.0.1', port: 8765, path: '/stellantis/webhook', label: 'homebridge-stellantis', monitors: true },
  vehicleFeatures: {
    doors: true,
    preconditioning: true,
    charging: true,
    lights: true,
    horn: true,
    refresh: true,
    battery: true,
    boot: true,
    windows: true,
    auxBattery: true,
    alarm: true,
    chargeLimit: true,
    immobilization: false,
    stolen: false,
  } satisfies Required<VehicleFeatures>,
  vehicleName: 'Car',
} as const;

/** Where an HTTPS listener binds when webhook.host is not given. */
export const ALL_INTERFACES = '0.0.0.0';

/** Status reads cost quota and may keep the car's modem awake: not more often than this. */
export const MIN_STATUS_INTERVAL_MINUTES = 30;
