/**
 * Loads the plugin exactly as Homebridge does, in-process: a real HomebridgeAPI, the plugin's
 * initializer registering the platform, the platform constructed with (log, config, api), cached
 * accessories deserialized with PlatformAccessory.deserialize and handed to configureAccessory
 * (after the FirmwareRevision placeholder Homebridge sets), then didFinishLaunching. The register /
 * update / unregister events are handled like Homebridge's BridgeService (a cache list that can be
 * serialized for the next "restart"). Only the storage path differs per run, as with `homebridge -U`.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventEmitter } from 'node:events';
import { format } from 'node:util';
import { homebridge } from '../helpers/hostModules';
import type { Accessory } from 'hap-nodejs';
import type { PlatformAccessory as PlatformAccessoryType, SerializedPlatformAccessory } from 'homebridge/lib/platformAccessory';
import type { API, Characteristic, PublishInfo, Logging, PlatformConfig, PlatformPluginConstructor, Service, WithUUID } from 'homebridge';
import initializePlugin from '../../src/index';
import type { StellantisPlatform } from '../../src/homebridge/platform';
import { PLATFORM_NAME } from '../../src/homebridge/settings';
import { sleep } from '../helpers/simulator';

// Homebridge 1.x here, 2.x in the CI matrix leg (STELLANTIS_HOST_MODULES): see test/helpers/hostModules.ts.
const { HomebridgeAPI, PlatformAccessory, User } = homebridge();
type PlatformAccessory = PlatformAccessoryType;

export const hap = new HomebridgeAPI().hap;

export interface LogLine {
  level: 'info' | 'success' | 'warn' | 'error' | 'debug';
  text: string;
}

export class CapturedLog {
  readonly lines: LogLine[] = [];

  logging(prefix = PLATFORM_NAME): Logging {
    const add = (level: LogLine['level']) => (message: string, ...params: unknown[]): void => {
      this.lines.push({ level, text: format(message, ...params) });
    };
    const fn = Object.assign((message: string, ...params: unknown[]) => add('info')(message, ...params), {
      prefix,
      info: add('info'),
      success: add('success'),
      warn: add('warn'),
      error: add('error'),
      debug: add('debug'),
      log: (level: string, message: string, ...params: unknown[]) => add(level as LogLine['level'])(message, ...params),
    });
    return fn as unknown as Logging;
  }

  at(...levels: Array<LogLine['level']>): string[] {
    return this.lines.filter((l) => levels.includes(l.level)).map((l) => l.text);
  }
}

/** Homebridge's `-U <dir>`: this API instance's storage path. */
function userFor(dir: string): typeof User {
  return class extends User {
    static override storagePath(): string {
      return dir;
    }
  };
}

let tempRoot: string | undefined;
/** A fresh folder under one temp root per test process (removed by `removeTempDirs`). */
export function tempDir(name: string): string {
  tempRoot ??= fs.mkdtempSync(path.join(os.tmpdir(), 'hb-stellantis-'));
  return fs.mkdtempSync(path.join(tempRoot, `${name}-`));
}

export function removeTempDirs(): void {
  if (tempRoot) fs.rmSync(tempRoot, { recursive: true, force: true });
  tempRoot = undefined;
}

export interface StartOptions {
  storageDir: string;
  config: Record<string, unknown>;
  cache?: SerializedPlatformAccessory[];
}

export class HomebridgeRun {
  readonly log = new CapturedLog();
  readonly api = new HomebridgeAPI();
  /** The API's internal events (register/unregister...), typed loosely: Homebridge types them with const enums. */
  readonly events: EventEmitter = this.api;
  /** Every registerPlatformAccessories call, in order. */
  readonly registerCalls: PlatformAccessory[][] = [];
  readonly unregisterCalls: PlatformAccessory[][] = [];
  /** What Homebridge would keep in its accessory cache. */
  readonly cache: PlatformAccessory[] = [];
  /** HAP-NodeJS characteristic warnings (invalid values, slow handlers, undeclared characteristics). */
  readonly hapWarnings: string[] = [];
  platform!: StellantisPlatform;
  private stopped = false;

  private watch(accessory: PlatformAccessory): void {
    accessory._associatedHAPAccessory.on('characteristic-warning', (w: { message: string; originatorChain: string[] }) => {
      this.hapWarnings.push(`[${w.originatorChain.join('@')}] ${w.message}`);
    });
  }

  constructor(readonly storageDir: string) {
    Object.defineProperty(this.api, 'user', { value: userFor(storageDir) });
    this.events.on('registerPlatformAccessories', (accessories: PlatformAccessory[]) => {
      this.registerCalls.push(accessories);
      this.cache.push(...accessories);
      accessories.forEach((a) => this.watch(a));
    });
    this.events.on('updatePlatformAccessories', (accessories: PlatformAccessory[]) => {
      for (const a of accessories) {
        const i = this.cache.findIndex((c) => c.UUID === a.UUID);
        if (i >= 0) this.cache[i] = a;
        else this.cache.push(a);
      }
    });
    this.events.on('unregisterPlatformAccessories', (accessories: PlatformAccessory[]) => {
      this.unregisterCalls.push(accessories);
      for (const a of accessories) {
        const i = this.cache.indexOf(a);
        if (i >= 0) this.cache.splice(i, 1);
      }
    });
  }

  /** Homebridge's start sequence; resolves once the platform's launch is over. */
  async start(config: Record<string, unknown>, cache: SerializedPlatformAccessory[] = []): Promise<this> {
    let ctor: PlatformPluginConstructor | undefined;
    this.events.on('registerPlatform', (name: string, constructor: PlatformPluginConstructor) => {
      if (name === PLATFORM_NAME) ctor = constructor;
    });
    initializePlugin(this.api as unknown as API);
    if (!ctor) throw new Error('the plugin did not register its platform');
    const platformConfig: PlatformConfig = { platform: PLATFORM_NAME, name: 'Stellantis', ...config };
    this.platform = new ctor(this.log.logging(), platformConfig, this.api as unknown as API) as StellantisPlatform;
    for (const serialized of cache) {
      const accessory = PlatformAccessory.deserialize(serialized);
      accessory.getService(hap.Service.AccessoryInformation)?.setCharacteristic(hap.Characteristic.FirmwareRevision, '0');
      this.cache.push(accessory);
      this.watch(accessory);
      this.platform.configureAccessory(accessory);
    }
    this.api.signalFinished();
    await this.platform.whenLaunched();
    return this;
  }

  /** The cache as Homebridge writes it to disk at shutdown. */
  serializedCache(): SerializedPlatformAccessory[] {
    return this.cache.map((a) => PlatformAccessory.serialize(a));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.api.signalShutdown();
    await this.platform?.shutdown();
  }

  accessory(vehicleId: string): PlatformAccessory {
    const uuid = hap.uuid.generate(`homebridge-stellantis:${vehicleId}`);
    const found = this.cache.find((a) => a.UUID === uuid);
    if (!found) throw new Error(`no accessory for vehicle ${vehicleId}`);
    return found;
  }

  service(vehicleId: string, type: WithUUID<typeof Service>, subtype: string): Service {
    const service = this.accessory(vehicleId).getServiceById(type, subtype);
    if (!service) throw new Error(`vehicle ${vehicleId} has no ${subtype} service`);
    return service;
  }
}

const checkedRuns = new WeakSet<HomebridgeRun>();

/**
 * A test's end: stops the run and fails on the HAP-NodeJS warnings it gave until then. Once per run,
 * so the run a failed check leaves behind is not failed again by the next test.
 */
export async function stopWithoutWarnings(run: HomebridgeRun | undefined): Promise<void> {
  if (!run || checkedRuns.has(run)) return;
  checkedRuns.add(run);
  const warnings = [...run.hapWarnings];
  await run.stop();
  assert.deepEqual(warnings, [], 'no HAP-NodeJS warning');
}

/** A characteristic's current value, as HAP holds it (no get handler run). */
export function value(service: Service, type: WithUUID<new () => Characteristic>): unknown {
  return service.getCharacteristic(type).value;
}

/** The subtypes of an accessory's services in their order, the information service aside. */
export function subtypes(accessory: PlatformAccessoryType): string[] {
  return accessory.services.filter((s) => s.UUID !== hap.Service.AccessoryInformation.UUID).map((s) => s.subtype ?? '(none)');
}

export async function startHomebridge(opts: StartOptions): Promise<HomebridgeRun> {
  return new HomebridgeRun(opts.storageDir).start(opts.config, opts.cache);
}

/** What HAP's server does for a controller's write: runs the onSet handler, then stores the value. */
export async function homeKitWrite(service: Service, type: WithUUID<new () => Characteristic>, value: boolean | number | string): Promise<number> {
  const started = performance.now();
  await service.getCharacteristic(type).handleSetRequest(value);
  return performance.now() - started;
}

/** What HAP's server does for a controller's read. */
export async function homeKitRead(service: Service, type: WithUUID<new () => Characteristic>): Promise<unknown> {
  return service.getCharacteristic(type).handleGetRequest();
}

export async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

let hapStorageDir: string | undefined;
/** HAP-NodeJS keeps pairings on disk; once per process, in a temp folder. */
function useTempHapStorage(): void {
  if (hapStorageDir) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hb-stellantis-hap-'));
  hapStorageDir = dir;
  hap.HAPStorage.setCustomStoragePath(dir);
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}

function randomUsername(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

function randomPin(): string {
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => String(b % 10));
  digits[0] = String((Number(digits[0]) % 9) + 1);
  digits[7] = String((Number(digits[0]) + 3) % 10); // never all the same digit
  return `${digits.slice(0, 3).join('')}-${digits.slice(3, 5).join('')}-${digits.slice(5).join('')}`;
}

export interface PublishedBridge {
  port: number;
  username: string;
  pin: string;
  stop(): Promise<void>;
}

/**
 * A real HAP bridge carrying the registered accessories, as Homebridge publishes its own: HAP over
 * HTTP on a random port with a random pin. mDNS by ciao on loopback only; if advertising fails
 * (no multicast here) the HAP server still answers on the known port.
 */
export async function publishBridge(accessories: PlatformAccessory[], others: Accessory[] = []): Promise<PublishedBridge> {
  useTempHapStorage();
  const username = randomUsername();
  const pin = randomPin();
  const bridge = new hap.Bridge('Test Bridge', hap.uuid.generate(`bridge-${username}`));
  const bridged = [...accessories.map((a) => a._associatedHAPAccessory), ...others];
  bridge.addBridgedAccessories(bridged);
  const port = await new Promise<number>((resolve, reject) => {
    bridge.once('listening', (p: number) => resolve(p));
    bridge
      .publish({ username, pincode: pin, port: 0, category: hap.Categories.BRIDGE, bind: '127.0.0.1', advertiser: 'ciao' as PublishInfo['advertiser'] }, false)
      .catch(reject);
  });
  return {
    port,
    username,
    pin,
    stop: async () => {
      bridge.removeBridgedAccessories(bridged);
      await bridge.destroy();
    },
  };
}
