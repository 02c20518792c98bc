/**
 * Typed access to the Stellantis Web API for both flavours: B2C (`/user/...`, OAuth bearer +
 * realm header) and B2B (`/fleets/{fid}/...`, HTTP Basic). Every call carries `client_id` and the
 * mutual-TLS client certificate; retries and error typing live in the transport (http.ts).
 */
import type { Logger } from '../util/logger';
import type { TokenProvider } from './auth';
import { DEFAULT_BASE_URLS } from './brands';
import type { ClientConfig } from './clientConfig';
import { ClientConfigError, UnsupportedOperationError } from './errors';
import { HttpTransport, type ApiRequest, type AuthStrategy, type CallInfo, type RateLimits, type RetryOptions } from './http';
import { loadClientTls, type ClientTls } from './tls';
import { asObject, attributeValues, nextPageQuery, seg } from './clientParts';
import type {
  CallbackAttribute,
  CallbackRef,
  CallbackStatus,
  CallbackSubscribe,
  Flavour,
  HalLink,
  RemoteActionState,
  RemoteBody,
  RemotePostResponse,
  RemoteType,
  UserCallback,
} from './wire';

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** The spec's maximum page size. */
export const MAX_PAGE_SIZE = 60;

export interface ApiVehicle {
  id: string;
  vin?: string;
  brand?: string;
  label?: string;
  motorization?: string;
  [extra: string]: unknown;
}

export interface ApiUser {
  email?: string;
  firstName?: string;
  lastName?: string;
  _embedded?: { Vehicles?: ApiVehicle[] };
  [extra: string]: unknown;
}

/** The raw status JSON (schema `Status`); the status reader turns it into our own state. */
export type RawVehicleStatus = Record<string, unknown>;

/** The `vehicleId` of the monitor calls that means the fleet's own monitors (B2B `/fleets/{fid}/monitors`). */
export const FLEET_MONITORS = '*fleet*';

/** Body of POST/PUT .../monitors (schema `MonitorParameter`). */
export interface MonitorParameter {
  label: string;
  triggerParam: { triggers: unknown[]; boolExp: string };
  extendedEventParam?: string[];
  attributes?: CallbackAttribute[];
  subscribeParam?: Record<string, unknown>;
  [extra: string]: unknown;
}

export interface ApiMonitor {
  monitorId: string;
  status?: string;
  monitor?: MonitorParameter;
  _links?: Record<string, HalLink>;
  [extra: string]: unknown;
}

export interface MonitorRef {
  monitorId: string;
  status?: string;
  _links?: Record<string, HalLink>;
}

/** B2B-only settings of a remote callback (`RemoteCallbackSubscribe`). */
export interface B2bCallbackOptions {
  retryPolicy?: { policy: 'None' | 'Bounded'; retryNumber?: number; retryDelay?: number };
  batchNotify?: { size: number; timeWindow?: number };
  remoteTypes?: RemoteType[];
}

/** Every remote type the fleet API accepts (spec `RemoteType` of api-b2b.yaml). */
export const B2B_REMOTE_TYPES: readonly RemoteType[] = [
  'ThermalPreconditioning',
  'ElectricBatteryChargingRequest',
  'Horn',
  'Doors',
  'Lights',
  'Immobilization',
  'Stolen',
  'WakeUp',
  'Navigation',
];

/** Retry a failed notification every minute for an hour. */
const DEFAULT_B2B_RETRY = { policy: 'Bounded', retryNumber: 60, retryDelay: 60 } as const;

const ACTION_KEYS = ['preconditioning', 'charging', 'lights', 'door', 'horn', 'wakeUp', 'navigation', 'immobilization', 'stolen'] as const;
const B2B_ONLY_ACTIONS = new Set<string>(['immobilization', 'stolen']);

export interface StellantisClientOptions {
  /** Access tokens (B2C). */
  tokens?: TokenProvider;
  logger?: Logger;
  /** Called after every HTTP attempt. */
  onCall?: (info: CallInfo) => void;
  /** TLS material already loaded; default: loaded from `config.certificate`. */
  tls?: ClientTls;
  /** Folder the certificate paths are relative to. */
  baseDir?: string;
  retry?: RetryOptions;
  /** Most pages read by one list call (each page is one call). Default 50. */
  maxPages?: number;
}

export class StellantisClient {
  readonly flavour: Flavour;
  private readonly transport: HttpTransport;
  private readonly fleetId?: string;
  private readonly maxPages: number;
  private readonly logger?: Logger;

  constructor(config: ClientConfig, options: StellantisClientOptions = {}) {
    this.flavour = config.flavour ?? 'b2c';
    this.logger = options.logger;
    this.maxPages = options.maxPages ?? 50;
    if (typeof config.clientId !== 'string' || config.clientId === '') {
      throw new ClientConfigError('clientId', 'missing: the client id of your application in the Stellantis developer portal');
    }
    let auth: AuthStrategy;
    const defaultHeaders: Record<string, string> = {};
    if (this.flavour === 'b2b') {
      if (!config.fleetId) throw new ClientConfigError('fleetId', 'missing: a fleet (b2b) account needs its fleet id');
      if (!config.username || !config.password) {
        throw new ClientConfigError(config.username ? 'password' : 'username', 'missing: a fleet (b2b) account signs in with username and password');
      }
      this.fleetId = config.fleetId;
      const basic = `Basic ${Buffer.from(`${config.username}:${config.password}`).toString('base64')}`;
      const credentials = { headers: { Authorization: basic }, secrets: [config.password, basic] };
      auth = { current: async () => credentials };
    } else {
      if (!config.realm) throw new ClientConfigError('realm', 'missing: the realm of the brand, e.g. clientsB2CPeugeot');
      const tokens = options.tokens;
      if (!tokens) throw new ClientConfigError('tokens', 'an end-user (b2c) account needs a token provider: log in with `stellantis login`');
      defaultHeaders['x-introspect-realm'] = config.realm;
      auth = {
        current: async () => {
          const token = await tokens.getAccessToken();
          return { headers: { Authorization: `Bearer ${token}` }, secrets: [token], token };
        },
        renew: async (rejected) => {
          await tokens.refresh(rejected.token);
        },
      };
    }
    const tls = options.tls ?? (config.certificate ? loadClientTls(config.certificate, options.baseDir) : undefined);
    this.transport = new HttpTransport({
      baseUrl: config.baseUrl || DEFAULT_BASE_URLS[this.flavour],
      flavour: this.flavour,
      timeoutMs: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      auth,
      tls,
      defaultQuery: { client_id: config.clientId },
      defaultHeaders,
      retry: options.retry,
      logger: options.logger,
      onCall: options.onCall,
      secrets: [config.clientSecret ?? '', config.password ?? '', config.webhook?.secret ?? ''],
    });
  }

  /** Last seen X-RateLimit-Limit-1/-2 and X-RateLimit-Remaining-1/-2. */
  get rateLimits(): Readonly<RateLimits> {
    return this.transport.rateLimits;
  }

  /** HTTP requests sent so far (retries included). */
  get callCount(): number {
    return this.transport.callCount;
  }

  /** Closes keep-alive connections. */
  close(): void {
    this.transport.close();
  }

  private get root(): string {
    return this.flavour === 'b2b' ? `/fleets/${seg('fleetId', this.fleetId ?? '')}` : '/user';
  }

  private vehiclePath(vehicleId: string): string {
    return `${this.root}/vehicles/${seg('vehicleId', vehicleId)}`;
  }

  private callbacksPath(): string {
    return this.flavour === 'b2b' ? `${this.root}/remote/callbacks` : '/user/callbacks';
  }

  private remotesPath(vehicleId: string, callbackId: string): string {
    return `${this.vehiclePath(vehicleId)}/callbacks/${seg('callbackId', callbackId)}/remotes`;
  }

  private b2cOnly(operation: string, hint: string): void {
    if (this.flavour === 'b2b') throw new UnsupportedOperationError(operation, 'b2b', hint);
  }

  private async send(req: ApiRequest): Promise<unknown> {
    return (await this.transport.request(req)).data;
  }

  private async collect<T>(path: string, key: string, query: Record<string, string> = {}): Promise<T[]> {
    const items: T[] = [];
    let pageQuery: Record<string, string> = { pageSize: String(MAX_PAGE_SIZE) };
    for (let page = 1; ; page++) {
      const body = asObject(await this.send({ method: 'GET', path, query: { ...query, ...pageQuery } }));
      const found = asObject(body._embedded)[key];
      const pageItems = Array.isArray(found) ? (found as T[]) : [];
      items.push(...pageItems);
      const next = nextPageQuery(body, pageItems.length);
      if (!next || next.pageToken === pageQuery.pageToken) break;
      if (page >= this.maxPages) {
        this.logger?.warn(`${path}: stopped after ${page} pages (${items.length} items); more exist`);
        break;
      }
      pageQuery = { pageSize: String(MAX_PAGE_SIZE), ...next };
    }
    return items;
  }

  // --- user and vehicles ---

  async getUser(): Promise<ApiUser> {
    this.b2cOnly('getUser', 'a fleet account has no user: use listVehicles()');
    return asObject(await this.send({ method: 'GET', path: '/user' })) as ApiUser;
  }

  /** Every vehicle of the account (all pages). */
  listVehicles(): Promise<ApiVehicle[]> {
    return this.collect<ApiVehicle>(`${this.root}/vehicles`, 'vehicles');
  }

  /** One vehicle; `extensions` asks for more in `_embedded.extension` (spec parameter vehicleExtension), e.g. onboardCapabilities. */
  async getVehicle(vehicleId: string, extensions: readonly ('onboardCapabilities' | 'branding' | 'pictures')[] = []): Promise<ApiVehicle> {
    const query = extensions.length ? { extension: extensions.join(',') } : undefined;
    return asObject(await this.send({ method: 'GET', path: this.vehiclePath(vehicleId), ...(query ? { query } : {}) })) as ApiVehicle;
  }

  async getVehicleStatus(vehicleId: string): Promise<RawVehicleStatus> {
    return asObject(await this.send({ method: 'GET', path: `${this.vehiclePath(vehicleId)}/status` }));
  }

  // --- callbacks ---

  /** Every callback of the account (all pages); B2B ones in the B2C shape (label and webhook at the same places). */
  async listCallbacks(): Promise<UserCallback[]> {
    const raw = await this.collect<unknown>(this.callbacksPath(), 'callbacks');
    return raw.map((c) => this.normalizeCallback(c));
  }

  async getCallback(callbackId: string): Promise<UserCallback> {
    return this.normalizeCallback(await this.send({ method: 'GET', path: `${this.callbacksPath()}/${seg('callbackId', callbackId)}` }));
  }

  async createCallback(body: CallbackSubscribe, b2b: B2bCallbackOptions = {}): Promise<CallbackRef> {
    const secrets = attributeValues(body.callback.webhook.attributes);
    return asObject(await this.send({ method: 'POST', path: this.callbacksPath(), body: this.subscribeBody(body, b2b), kind: 'create', secrets })) as unknown as CallbackRef;
  }

  async updateCallback(callbackId: string, body: CallbackSubscribe, b2b: B2bCallbackOptions = {}): Promise<CallbackRef> {
    const path = `${this.callbacksPath()}/${seg('callbackId', callbackId)}`;
    const secrets = attributeValues(body.callback.webhook.attributes);
    return asObject(await this.send({ method: 'PUT', path, body: this.subscribeBody(body, b2b), secrets })) as unknown as CallbackRef;
  }

  async deleteCallback(callbackId: string): Promise<void> {
    await this.send({ method: 'DELETE', path: `${this.callbacksPath()}/${seg('callbackId', callbackId)}` });
  }

  async setCallbackStatus(callbackId: string, status: 'Running' | 'Paused'): Promise<CallbackRef> {
    const path = `${this.callbacksPath()}/${seg('callbackId', callbackId)}/status`;
    return asObject(await this.send({ method: 'PUT', path, body: { status } })) as unknown as CallbackRef;
  }

  private subscribeBody(body: CallbackSubscribe, b2b: B2bCallbackOptions): Record<string, unknown> {
    if (this.flavour === 'b2c') return { ...body };
    const out: Record<string, unknown> = {
      remoteTypes: [...(b2b.remoteTypes ?? B2B_REMOTE_TYPES)],
      retryPolicy: { ...(b2b.retryPolicy ?? DEFAULT_B2B_RETRY) },
      callback: { webhook: { ...body.callback.webhook } },
    };
    if (body.label !== undefined) out.label = body.label;
    if (b2b.batchNotify) out.batchNotify = { ...b2b.batchNotify };
    return out;
  }

  private normalizeCallback(raw: unknown): UserCallback {
    const o = asObject(raw);
    const subscribe = asObject(o.subscribe);
    const label = typeof o.label === 'string' ? o.label : typeof subscribe.label === 'string' ? subscribe.label : undefined;
    const status = (typeof o.status === 'string' ? o.status : 'Running') as CallbackStatus;
    const normalized = { ...o, id: String(o.id ?? ''), status, subscribe: subscribe as unknown as CallbackSubscribe } as UserCallback;
    if (label !== undefined) normalized.label = label;
    if (this.flavour === 'b2b' && !Array.isArray(subscribe.type)) normalized.subscribe = { ...normalized.subscribe, type: ['Remote'] };
    return normalized;
  }

  // --- remotes ---

  /** Sends one remote action. Never retried after a 5xx or a lost connection (see RemoteOutcomeUnknownError). */
  async sendRemote(vehicleId: string, callbackId: string, body: RemoteBody): Promise<RemotePostResponse> {
    const actions = ACTION_KEYS.filter((k) => body[k] !== undefined);
    if (actions.length !== 1) {
      throw new ClientConfigError('remote', `a remote body holds exactly one action, this one has ${actions.length ? actions.join(', ') : 'none'}`);
    }
    if (this.flavour === 'b2c' && B2B_ONLY_ACTIONS.has(actions[0])) {
      throw new UnsupportedOperationError(`remote "${actions[0]}"`, 'b2c', 'only fleet (b2b) accounts can send it');
    }
    const data = await this.send({
      method: 'POST',
      path: this.remotesPath(vehicleId, callbackId),
      body,
      kind: 'remote',
      remote: { vehicleId, callbackId },
    });
    return asObject(data) as unknown as RemotePostResponse;
  }

  /** Remote actions sent with this callback to this vehicle (all pages, most recent as the API orders them). */
  listRemotes(vehicleId: string, callbackId: string): Promise<RemoteActionState[]> {
    return this.collect<RemoteActionState>(this.remotesPath(vehicleId, callbackId), 'remoteActions');
  }

  async getRemote(vehicleId: string, callbackId: string, remoteActionId: string): Promise<RemoteActionState> {
    const path = `${this.remotesPath(vehicleId, callbackId)}/${seg('remoteActionId', remoteActionId)}`;
    return asObject(await this.send({ method: 'GET', path })) as unknown as RemoteActionState;
  }

  // --- monitors: B2C per vehicle and callback; B2B fleet-wide (`vehicleId` FLEET_MONITORS, no callback) ---

  private monitorsPath(operation: string, vehicleId: string, callbackId: string): string {
    if (vehicleId === FLEET_MONITORS) {
      if (this.flavour !== 'b2b') throw new UnsupportedOperationError(operation, 'b2c', 'fleet monitors need a fleet (b2b) account');
      return `${this.root}/monitors`;
    }
    this.b2cOnly(operation, 'fleet monitors are fleet-wide: pass FLEET_MONITORS as the vehicle');
    return `${this.vehiclePath(vehicleId)}/callbacks/${seg('callbackId', callbackId)}/monitors`;
  }

  listMonitors(vehicleId: string, callbackId: string): Promise<ApiMonitor[]> {
    return this.collect<ApiMonitor>(this.monitorsPath('listMonitors', vehicleId, callbackId), 'monitors');
  }

  async createMonitor(vehicleId: string, callbackId: string, body: MonitorParameter): Promise<MonitorRef> {
    const path = this.monitorsPath('createMonitor', vehicleId, callbackId);
    return asObject(await this.send({ method: 'POST', path, body, kind: 'create', secrets: monitorSecrets(body) })) as unknown as MonitorRef;
  }

  /** Replaces a monitor's parameters (the spec wants the whole body). */
  async updateMonitor(vehicleId: string, callbackId: string, monitorId: string, body: MonitorParameter): Promise<MonitorRef> {
    const path = `${this.monitorsPath('updateMonitor', vehicleId, callbackId)}/${seg('monitorId', monitorId)}`;
    return asObject(await this.send({ method: 'PUT', path, body, secrets: monitorSecrets(body) })) as unknown as MonitorRef;
  }

  async deleteMonitor(vehicleId: string, callbackId: string, monitorId: string): Promise<void> {
    const path = `${this.monitorsPath('deleteMonitor', vehicleId, callbackId)}/${seg('monitorId', monitorId)}`;
    await this.send({ method: 'DELETE', path });
  }

  /** B2B: the latest status of every car of the fleet, a page per call (`GET /fleets/{fid}/status`). */
  async listFleetStatus(): Promise<RawVehicleStatus[]> {
    if (this.flavour !== 'b2b') throw new UnsupportedOperationError('listFleetStatus', 'b2c', 'the fleet status needs a fleet (b2b) account');
    return this.collect<RawVehicleStatus>(`${this.root}/status`, 'status');
  }
}

/** The literal attribute values of a monitor (its own, and a fleet monitor's webhook's). */
function monitorSecrets(body: MonitorParameter): string[] {
  const webhook = asObject(asObject(asObject(body.subscribeParam).callback).webhook);
  return [...attributeValues(body.attributes), ...attributeValues(webhook.attributes as CallbackAttribute[] | undefined)];
}
