/** Public types of the simulator (the contract every test in the project relies on). */

export type SimVehicleKind = 'electric' | 'thermal';
export type PrivacyState = 'None' | 'Geolocation' | 'Full';
export type SimChargingStatus = 'Disconnected' | 'InProgress' | 'Failure' | 'Stopped' | 'Finished';
export type SimPreconditioningStatus = 'Enabled' | 'Disabled' | 'Finished' | 'Failure';

export interface SimVehicleSeed {
  id?: string;
  vin?: string;
  kind: SimVehicleKind;
  brand?: string;
  model?: string;
  asleep?: boolean;
  deepSleep?: boolean;
  online?: boolean;
  locked?: boolean;
  doorsOpen?: boolean;
  /** Battery (electric) or fuel (thermal) level, %. */
  level?: number;
  plugged?: boolean;
  charging?: boolean;
  preconditioning?: boolean;
  outsideTemp?: number;
  position?: { lat: number; lon: number };
  privacy?: PrivacyState;
  wakeUpsUsed?: number;
}

export interface SimPreconditioningProgram {
  slot: number;
  enabled: boolean;
  recurrence: 'Daily';
  start: string;
  occurence: { day: string[] };
}

/** Live internal state of a simulated vehicle. */
export interface SimVehicleState {
  id: string;
  vin: string;
  kind: SimVehicleKind;
  brand: string;
  model: string;
  asleep: boolean;
  /** Deep sleep: the car cannot be woken remotely (remotes time out). */
  deepSleep: boolean;
  online: boolean;
  locked: boolean;
  doorsOpen: boolean;
  level: number;
  plugged: boolean;
  charging: boolean;
  chargingStatus: SimChargingStatus;
  chargingType: 'Partial' | 'Full';
  chargingLevelPreference?: string;
  nextDelayedTime?: string;
  preconditioning: boolean;
  preconditioningStatus: SimPreconditioningStatus;
  preconditioningPrograms: SimPreconditioningProgram[];
  outsideTemp: number;
  position: { lat: number; lon: number };
  privacy: PrivacyState;
  wakeUpsUsed: number;
  immobilized: boolean;
  stolen: boolean;
  lastDestination?: Array<[number, number]>;
  mileage: number;
  /** Epoch ms of the last change of the vehicle's data. */
  updatedAt: number;
}

export interface SimVehicleView {
  id: string;
  vin: string;
  kind: SimVehicleKind;
  brand: string;
  model: string;
}

export interface RecordedCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  at: number;
  hasBearer: boolean;
  hasBasic: boolean;
  realm?: string;
  clientId?: string;
}

export interface DeliveryRecord {
  target: string;
  status?: number;
  error?: string;
  messages: unknown[];
  at: number;
}

export interface SimulatorOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 2: one EV (index 0) and one thermal car (index 1). */
  vehicles?: number | SimVehicleSeed[];
  /** Real-time multiplier for every simulated delay (1 = real timing, 0.001 = 1000x faster). Default 1. */
  timeScale?: number;
  /** Access token lifetime in real seconds. Default 3600. */
  accessTokenTtlSeconds?: number;
  /** Default 20/s and 10000/day. */
  rateLimit?: { perSecond?: number; perDay?: number };
  /** Default 20. */
  wakeUpsPerMonth?: number;
  /** Optional HTTPS; with requestClientCert, API calls without a client certificate signed by `ca` get 403. */
  tls?: { cert: string; key: string; ca: string; requestClientCert: boolean };
  /** Debug log: one line per request and per notification, never secrets. */
  logger?: (line: string) => void;
  /** Redirect URI the OAuth client is registered with. Default: the simulator's own code page. */
  redirectUri?: string;
  /** Simulated seconds without activity before a car that was used falls asleep again. Default 300; 0 = never. */
  autoSleepSeconds?: number;
  /** PEM CA trusted for https webhook targets (e.g. a test's self-signed certificate). */
  webhookCa?: string;
}

export interface SimControl {
  failNext(count: number, status?: number): void;
  delayNext(count: number, ms: number): void;
  hangNext(count: number): void;
  expireAccessTokens(): void;
  revokeRefreshTokens(): void;
  setRateLimit(limit: { perSecond?: number; perDay?: number }): void;
  setVehicle(id: string, patch: Partial<SimVehicleState>): void;
  exhaustWakeUps(id: string): void;
  dropNotifications(count: number): void;
  duplicateNotifications(count: number): void;
  reorderNotifications(on: boolean): void;
  pauseDelivery(): void;
  resumeDelivery(): void;
}

export interface SimAccount {
  clientId: string;
  clientSecret: string;
  realm: string;
  redirectUri: string;
  brand: 'peugeot';
  fleetId: string;
  username: string;
  password: string;
}

export interface IssuedTokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export interface RunningSimulator {
  url: string;
  b2cBaseUrl: string;
  b2bBaseUrl: string;
  oauthUrl: string;
  account: SimAccount;
  vehicles: SimVehicleView[];
  /** A vehicle of another account: 403 when this account asks for it. */
  foreignVehicleId: string;
  issueTokens(): IssuedTokens;
  calls: RecordedCall[];
  callCount(filter?: { method?: string; pathIncludes?: string }): number;
  deliveries: DeliveryRecord[];
  vehicle(id: string): SimVehicleState;
  control: SimControl;
  stop(): Promise<void>;
}
