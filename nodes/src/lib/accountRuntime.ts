/**
 * The life of one stellantis-account config node at run time: turn its settings into a validated
 * AccountConfig, start the built-in simulator when asked, run one StellantisAccount with its
 * webhook mounted on RED.httpNode (or on a port of its own), and tell the nodes that use it how it
 * goes (ready, not logged in, misconfigured...). The other nodes only talk to this object.
 */
import { EventEmitter } from 'node:events';
import { promises as fsp } from 'node:fs';
import type { RequestHandler, Router } from 'express';
import type { AccountConfig } from '../../../src/config/account';
import { validateAccountConfig, type ResolvedAccountConfig } from '../../../src/config/validate';
import { accountTokenStore } from '../../../src/engine/clients';
import { StellantisAccount, type AccountTimings } from '../../../src/engine/stellantisAccount';
import type { AccountHandle, ChargeLimitEvent, RemoteProgress, VehicleMonitors, VehicleSense, VehicleStateChange } from '../../../src/engine/types';
import { LoginExpiredError, NotLoggedInError } from '../../../src/stellantis/errors';
import type { WebhookMessage } from '../../../src/stellantis/wire';
import { seedSimulatorTokens, type RunningSimulator } from '../../../src/simulator';
import type { Logger } from '../../../src/util/logger';
import { unsupportedWords, type ActionWord } from '../../../src/vocabulary/actionWords';
import {
  accountConfigOf,
  baseDirOf,
  configuredVehicles,
  simulatorAccountConfigOf,
  storageDirOf,
  timeScaleOf,
  webhookModeOf,
  webhookPathOf,
  type AccountCredentials,
  type AccountSettings,
} from './accountSettings';
import { describeProblem } from './configProblems';
import { httpNodeRoot, joinPaths, loopbackBase, mountOnApp, publicWebhookUrl, whenListening } from './httpNodeMount';
import type { HttpApp, RedSettings } from './red';
import { RecentRemotes } from './recentRemotes';
import { acquireSimulator, releaseSimulator } from './sharedSimulator';
import { WebhookPathClaim } from './webhookPaths';
import type { Server } from 'node:http';
import { errorText } from '../../../src/util/errorText';

export type AccountState = 'starting' | 'ready' | 'needs-login' | 'invalid' | 'failed' | 'stopped';

export interface AccountStatus {
  state: AccountState;
  /** One line for node status and errors: what is wrong and what to do. */
  text: string;
}

export interface VehicleInfo {
  id: string;
  name?: string;
  vin?: string;
  brand?: string;
  model?: string;
  /** Action words the car says it cannot do, each with the capability that says so (the editor's hint). */
  unsupported?: Partial<Record<ActionWord, string>>;
}

export interface AccountRuntimeOptions {
  settings: AccountSettings;
  credentials: AccountCredentials;
  httpNode: HttpApp;
  redSettings: RedSettings;
  server?: Server;
  logger: Logger;
  /** The account's timings (tests shorten them). */
  accountTimings?: AccountTimings;
}

const RETRY_DELAYS_MS = [15_000, 30_000, 60_000, 120_000, 300_000];

const NOT_LOGGED_IN = 'not logged in: open the account node, press "Open the login page", log in, then paste the address and press "Store the tokens"';

export class AccountRuntime extends EventEmitter {
  readonly nodeId: string;
  readonly storageDir: string;
  private status: AccountStatus = { state: 'starting', text: 'starting' };
  private account?: StellantisAccount;
  private config?: ResolvedAccountConfig;
  /** The account configuration the last start read (before validation): what the doctor checks. */
  private lastInput?: AccountConfig;
  private simulator?: RunningSimulator;
  private simulatorScale?: number;
  private unmount?: () => void;
  private mountedRouter?: RequestHandler;
  private readonly webhookPath: WebhookPathClaim;
  private retryTimer?: NodeJS.Timeout;
  private retries = 0;
  private running?: Promise<void>;
  private stopped = false;
  /** The full URL Stellantis posts to (once computed). */
  webhookUrl?: string;
  private readonly recentRemotes = new RecentRemotes();
  /** Where Node-RED serves the webhook on loopback (the simulator posts there). */
  private localUrl?: string;

  constructor(private readonly opts: AccountRuntimeOptions) {
    super();
    this.nodeId = opts.settings.id;
    this.storageDir = storageDirOf(opts.redSettings, opts.settings.id);
    this.webhookPath = new WebhookPathClaim(opts.httpNode, this.nodeId);
    // Nodes come and go on every redeploy; each may listen.
    this.setMaxListeners(0);
  }

  get state(): AccountStatus {
    return this.status;
  }

  /** The deployed settings (the editor's login compares the dialog's values with them). */
  /** The configuration this account started from, as the doctor (Test connection) reads it; none before the first start. */
  get doctorConfig(): AccountConfig | undefined {
    return this.lastInput;
  }

  get deployedSettings(): Readonly<AccountSettings> {
    return this.opts.settings;
  }

  /** The account's configured vehicle ids (after start; simulator accounts default to every simulated car). */
  get vehicleIds(): readonly string[] {
    return this.config?.vehicles.map((v) => v.id) ?? configuredVehicles(this.opts.settings).map((v) => v.id);
  }

  /** Display names by vehicle id. */
  get vehicleNames(): ReadonlyMap<string, string> {
    const names = new Map<string, string>();
    for (const v of this.config?.vehicles ?? configuredVehicles(this.opts.settings)) if (v.name) names.set(v.id, v.name);
    return names;
  }

  start(): Promise<void> {
    this.stopped = false;
    this.running = this.run().catch((err: unknown) => this.fail(err));
    return this.running;
  }

  /** Stops the account and starts it again with the same settings (after a login stored new tokens). */
  async restart(): Promise<void> {
    await this.stopAccount();
    if (this.stopped) return;
    this.retries = 0;
    await this.start();
  }

  /** Resolves with the account once ready; rejects at once with a clear message when it cannot be. */
  whenReady(timeoutMs = 30_000): Promise<AccountHandle> {
    const now = this.status;
    if (now.state === 'ready' && this.account) return Promise.resolve(this.account);
    if (now.state !== 'starting') return Promise.reject(new Error(`account: ${now.text}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('status', onStatus);
        reject(new Error('account: still starting; try again in a moment'));
      }, timeoutMs);
      const onStatus = (s: AccountStatus): void => {
        if (s.state === 'starting') return;
        clearTimeout(timer);
        this.off('status', onStatus);
        if (s.state === 'ready' && this.account) resolve(this.account);
        else reject(new Error(`account: ${s.text}`));
      };
      this.on('status', onStatus);
    });
  }

  async stop(removed: boolean): Promise<void> {
    this.stopped = true;
    this.clearRetry();
    // Let a start in progress reach a point where it sees `stopped` (bounded: Node-RED waits 15 s at most).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running?.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 5000)))]);
    clearTimeout(timer);
    await this.stopAccount();
    this.webhookPath.release();
    if (this.simulatorScale !== undefined) {
      releaseSimulator(this.simulatorScale);
      this.simulatorScale = undefined;
      this.simulator = undefined;
    }
    this.setStatus('stopped', 'stopped');
    // A deleted account leaves no tokens or secrets behind.
    if (removed) await fsp.rm(this.storageDir, { recursive: true, force: true }).catch(() => undefined);
  }

  /** The vehicles, from the API once the account runs, else the configured ones. */
  async listVehicles(): Promise<VehicleInfo[]> {
    if (this.simulator) {
      return this.simulator.vehicles.map((v) => ({ id: v.id, vin: v.vin, brand: v.brand, model: v.model, name: this.vehicleNames.get(v.id), ...this.unsupportedOf(v.id) }));
    }
    if (this.status.state === 'ready' && this.account) {
      const listed = await this.account.listVehicles();
      return listed.map((v) => ({
        id: v.id,
        ...(v.vin ? { vin: v.vin } : {}),
        ...(v.brand ? { brand: v.brand } : {}),
        ...(v.label ? { model: v.label } : {}),
        name: this.vehicleNames.get(v.id),
        ...this.unsupportedOf(v.id),
      }));
    }
    return configuredVehicles(this.opts.settings).map((v) => ({ id: v.id, name: v.name }));
  }

  /** Each configured car's monitors and what they cover (never an API call); empty until the account runs. */
  monitors(): Array<{ vehicleId: string; name?: string } & VehicleMonitors> {
    const account = this.account;
    if (!account) return [];
    return account.vehicleIds.map((vehicleId) => ({ vehicleId, name: this.vehicleNames.get(vehicleId), ...account.monitorsOf(vehicleId) }));
  }

  /** What the running account knows the car cannot do (read at its start; never an API call). */
  private unsupportedOf(vehicleId: string): Pick<VehicleInfo, 'unsupported'> {
    const words = unsupportedWords(this.account?.capabilitiesOf(vehicleId));
    return Object.keys(words).length > 0 ? { unsupported: words } : {};
  }

  private setStatus(state: AccountState, text: string): void {
    if (this.stopped && state !== 'stopped') return;
    this.status = { state, text };
    this.emit('status', this.status);
  }

  private async run(): Promise<void> {
    this.setStatus('starting', 'starting');
    const { settings } = this.opts;
    if (settings.simulator) {
      const scale = timeScaleOf(settings);
      if (this.simulatorScale === undefined) {
        const sim = await acquireSimulator(scale);
        if (this.stopped) {
          releaseSimulator(scale);
          return;
        }
        this.simulator = sim;
        this.simulatorScale = scale;
      }
    }
    const url = await this.computeWebhookUrl();
    if (url === null || this.stopped) return;
    this.webhookUrl = url ?? this.localUrl;
    const input = this.simulator
      ? simulatorAccountConfigOf(settings, this.simulator, url)
      : accountConfigOf(settings, this.opts.credentials, url, baseDirOf(this.opts.redSettings));
    this.lastInput = input;
    const result = validateAccountConfig(input, { checkFiles: true, baseDir: baseDirOf(this.opts.redSettings), requireWebhook: true });
    if (!result.ok) {
      const lines = result.problems.map(describeProblem);
      for (const line of lines) this.opts.logger.error(line);
      this.setStatus('invalid', lines.length === 1 ? lines[0] : `${lines[0]} (and ${lines.length - 1} more problems: see the log)`);
      return;
    }
    this.config = result.config;
    // The token store the account reads (under the same key as the editor's login writes).
    const tokens = accountTokenStore(result.config, this.storageDir);
    if (this.simulator) {
      // The simulator's login is automatic: what a completed login would store.
      await seedSimulatorTokens(this.simulator, tokens);
    } else if (result.config.flavour === 'b2c' && !(await tokens.load())) {
      this.setStatus('needs-login', NOT_LOGGED_IN);
      return;
    }
    if (this.stopped) return;
    await this.startAccount(result.config);
  }

  /** The URL Stellantis posts to; null when it cannot be (status already set). */
  private async computeWebhookUrl(): Promise<string | undefined | null> {
    const { settings, redSettings } = this.opts;
    const hookPath = webhookPathOf(settings);
    if (webhookModeOf(settings) === 'port') {
      // With the simulator the account uses its own listener's loopback address.
      return this.simulator ? undefined : settings.publicUrl ? publicWebhookUrl(settings.publicUrl, hookPath) : undefined;
    }
    const root = httpNodeRoot(redSettings);
    if (root === undefined) {
      this.setStatus('invalid', "Node-RED's HTTP endpoints are off (httpNodeRoot: false in settings.js): choose 'a port of its own' for the webhook");
      return null;
    }
    const fullPath = joinPaths(root, hookPath);
    const owner = this.webhookPath.claim(fullPath);
    if (owner !== undefined) {
      this.setStatus('invalid', `webhook path ${fullPath} is already used by another account node (${owner}): give this one another Path`);
      return null;
    }
    if (this.simulator) {
      await whenListening(this.opts.server, 10_000);
      this.localUrl = `${loopbackBase(this.opts.server, redSettings)}${fullPath}`;
      return undefined;
    }
    return settings.publicUrl ? publicWebhookUrl(settings.publicUrl, hookPath, root) : undefined;
  }

  private async startAccount(config: ResolvedAccountConfig): Promise<void> {
    const mode = webhookModeOf(this.opts.settings);
    const account = new StellantisAccount({
      config,
      storageDir: this.storageDir,
      logger: this.opts.logger,
      webhook:
        mode === 'port'
          ? { mode: 'listen' }
          : {
              mode: 'mount',
              mount: (router: Router) => this.mount(router),
              unmount: () => this.unmountRouter(),
              ...(this.localUrl ? { url: this.localUrl } : {}),
            },
      ...(this.opts.accountTimings ? { options: this.opts.accountTimings } : {}),
    });
    this.account = account;
    account.on('remote', (p: RemoteProgress) => {
      if (p.remoteActionId) this.recentRemotes.remember(p.remoteActionId, p.vehicleId);
      this.emit('remote', p);
    });
    account.on('state', (c: VehicleStateChange) => this.emit('state', c));
    account.on('sense', (sense: VehicleSense) => this.emit('sense', sense));
    account.on('chargeLimit', (e: ChargeLimitEvent) => this.emit('chargeLimit', e));
    account.on('notification', (m: WebhookMessage, meta?: { vehicleId?: string }) => {
      this.emit('notification', m, this.recentRemotes.vehicleOf(m, meta));
    });
    // Logged once, by the account (same logger): only passed on here.
    account.on('problem', (p: { message: string; vehicleId?: string }) => this.emit('problem', p));
    try {
      await account.start();
    } catch (err) {
      await account.stop().catch(() => undefined);
      if (this.account === account) this.account = undefined;
      throw err;
    }
    if (this.stopped) {
      await this.stopAccount();
      return;
    }
    this.retries = 0;
    this.setStatus('ready', this.simulator ? `simulator, ${config.vehicles.length} vehicles` : `${config.vehicles.length} vehicles`);
    this.webhookUrl = account.webhookTarget || this.webhookUrl;
    this.opts.logger.info(`ready; webhook ${this.webhookUrl ?? `on port ${config.webhook.port}`}`);
  }

  private mount(router: Router): void {
    this.unmountRouter();
    this.mountedRouter = router;
    this.unmount = mountOnApp(this.opts.httpNode, router);
  }

  private unmountRouter(): void {
    this.unmount?.();
    this.unmount = undefined;
    this.mountedRouter = undefined;
  }

  /** The router currently on RED.httpNode (tests check it is gone after close). */
  get router(): RequestHandler | undefined {
    return this.mountedRouter;
  }

  private async stopAccount(): Promise<void> {
    const account = this.account;
    this.account = undefined;
    if (account) {
      try {
        await account.stop();
      } catch (err) {
        this.opts.logger.warn(`stopping: ${errorText(err)}`);
      }
      account.removeAllListeners();
    }
    this.unmountRouter();
  }

  private fail(err: unknown): void {
    if (this.stopped) return;
    const message = errorText(err);
    // The account wraps login problems in its own errors: recognise them by class or by their words.
    if (err instanceof NotLoggedInError || /not logged in/i.test(message)) {
      this.setStatus('needs-login', NOT_LOGGED_IN);
      return;
    }
    if (err instanceof LoginExpiredError || /log in again/i.test(message)) {
      this.setStatus('needs-login', `the login expired: ${NOT_LOGGED_IN.replace(/^not logged in: /, '')}`);
      return;
    }
    const delay = RETRY_DELAYS_MS[Math.min(this.retries, RETRY_DELAYS_MS.length - 1)];
    this.retries += 1;
    this.opts.logger.error(`could not start: ${message}; trying again in ${Math.round(delay / 1000)} s`);
    this.setStatus('failed', message);
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) void this.start();
    }, delay);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
