/**
 * The one account configuration shared by every face: the Homebridge platform config, the
 * Node-RED config node and the CLI's --config file are all this object. Validation lives in
 * config/validate.ts and reports every problem at once.
 */
import type { Brand } from '../stellantis/brands';
import type { ClientConfig } from '../stellantis/clientConfig';

export { BRANDS, type Brand } from '../stellantis/brands';
export type { CertificateConfig } from '../stellantis/clientConfig';

/** Per-vehicle feature switches; all default to true except `stolen`/`immobilization` (fleet only). */
export interface VehicleFeatures {
  doors?: boolean;
  preconditioning?: boolean;
  charging?: boolean;
  lights?: boolean;
  horn?: boolean;
  refresh?: boolean;
  immobilization?: boolean;
  stolen?: boolean;
  battery?: boolean;
  /** Contact sensor "Car Boot" (the boot is open). */
  boot?: boolean;
  /** Contact sensor "Car Windows" (a window or the roof is open). */
  windows?: boolean;
  /** The 12 V battery: low battery on the car's Battery service, or a Battery service of its own for a thermal car. */
  auxBattery?: boolean;
  /** SecuritySystem "Car Alarm": armed, and a Home notification when it goes off (the alarm monitor). */
  alarm?: boolean;
  /** Fan "Car Charge Limit": its speed is the charge limit in percent, set by voice (plug-in cars that can charge). */
  chargeLimit?: boolean;
}

export interface NavigationDestination {
  name: string;
  points: Array<{ lat: number; lon: number }>;
}

/** The car's home: a circle (centre and radius in metres). The monitor plan watches it entering and leaving. */
export interface HomeZone {
  lat: number;
  lon: number;
  radiusM: number;
}

export interface VehicleConfig {
  /** The API's vehicle id (B2C `id` from GET /user/vehicles; B2B vehicle id). */
  id: string;
  vin?: string;
  name?: string;
  model?: string;
  features?: VehicleFeatures;
  destinations?: NavigationDestination[];
  home?: HomeZone;
}

export interface WebhookConfig {
  /** Public HTTPS URL Stellantis will POST to (reverse proxy or tunnel in front of the listener). */
  publicUrl?: string;
  /** Local listener address: loopback by default in plain HTTP, every interface by default with `https`. */
  host?: string;
  port?: number;
  path?: string;
  /** Secret header value; generated and stored on first run when absent. */
  secret?: string;
  /** Callback label used to find our callback again (one per account and target). */
  label?: string;
  /**
   * Which reverse proxies to believe about the client address (X-Forwarded-For), as Express's 'trust proxy':
   * 'loopback' (a proxy on this machine), the proxy's address or CIDR (text, comma-separated, or a list),
   * a hop count, or a boolean. Prefer the narrow forms over `true`.
   */
  trustProxy?: boolean | string | number | string[];
  https?: { cert: string; key: string };
  monitors?: boolean;
}

/** The client's part (flavour, credentials, endpoints, certificate) is stellantis/clientConfig.ts. */
export interface AccountConfig extends ClientConfig {
  brand?: Brand;
  oauthUrl?: string;
  redirectUri?: string;
  webhook?: WebhookConfig;
  vehicles?: VehicleConfig[];
  /** Minimum minutes between background status reads when monitors are unavailable. */
  statusIntervalMinutes?: number;
  /** A refresh (it wakes the car) is refused while the last known 12 V level is under this percentage; 0 turns it off. */
  lowAuxBatteryPercent?: number;
  /** The monthly wake-up cap assumed for "left this month" (Stellantis does not publish it; default 20). Shown only, never blocks. */
  wakeUpsPerMonth?: number;
  /** Run everything against the built-in simulator instead of Stellantis. */
  simulator?: boolean;
}
