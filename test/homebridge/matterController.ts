/**
 * An independent Matter controller for the tests: matter.js's CommissioningController
 * (`@project-chip/matter.js`, `@matter/main`, `@matter/nodejs` 0.17.x), loaded from the host modules
 * folder of the CI leg (STELLANTIS_HOST_MODULES; the project itself does not depend on it). Loaded
 * as CommonJS with createRequire so every matter.js package is one instance. Isolated from the
 * machine: matter.js would otherwise read the process's command line (mocha's), MATTER_* variables
 * and ~/.matter; its storage is a temp folder, its mDNS on loopback over IPv4.
 * Only the few matter.js shapes used are declared here (the project has no matter.js types).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { hostModulesDir, resolveHost } from '../helpers/hostModules';
import { tempDir } from './harness';

interface ClusterClient {
  [name: string]: unknown;
}
interface LegacyEndpoint {
  readonly number: number | undefined;
  readonly deviceType: number;
  readonly parts: Map<number, LegacyEndpoint>;
  getClusterClient(cluster: object): ClusterClient | undefined;
}
interface PairedNode {
  readonly remoteInitializationDone: boolean;
  readonly parts: Map<number, LegacyEndpoint>;
  connect(): void;
  disconnect(): Promise<void>;
}
interface Controller {
  start(): Promise<void>;
  close(): Promise<void>;
  commissionNode(options: Record<string, unknown>): Promise<bigint>;
  getNode(nodeId: bigint): Promise<PairedNode>;
}
interface MatterJs {
  config: Record<string, unknown>;
  Environment: { default: { vars: { set(name: string, value: unknown): void } } };
  Logger: { level: unknown };
  LogLevel: Record<string, unknown>;
  CommissioningController: new (options: Record<string, unknown>) => Controller;
  clusters: {
    DoorLock: { Cluster: object; LockState: Record<string, number> };
    BridgedDeviceBasicInformation: { Cluster: object };
    BooleanState: { Cluster: object };
    OccupancySensing: { Cluster: object; OccupancySensorType: Record<string, number> };
    FanControl: { Cluster: object; FanMode: Record<string, number> };
    OnOff: { Cluster: object };
  };
}

let loaded: MatterJs | undefined;

/** matter.js from the host modules folder; a clear error when that leg does not have it. */
function matterJs(): MatterJs {
  if (loaded) return loaded;
  const storageDir = tempDir('matter-controller');
  const dir = hostModulesDir();
  for (const name of ['@project-chip/matter.js', '@matter/main', '@matter/nodejs']) resolveHost(name);
  const load = createRequire(path.join(dir, 'noop.js'));
  const { config } = load('@matter/nodejs/config') as { config: Record<string, unknown> };
  Object.assign(config, {
    loadProcessArgv: false,
    loadProcessEnv: false,
    loadConfigFile: false,
    trapProcessSignals: false,
    trapUnhandledErrors: false,
    setProcessExitCodeOnError: false,
    defaultStoragePath: storageDir,
  });
  const main = load('@matter/main') as Pick<MatterJs, 'Environment' | 'Logger' | 'LogLevel'>;
  const { CommissioningController } = load('@project-chip/matter.js') as Pick<MatterJs, 'CommissioningController'>;
  const clusters = load('@matter/main/clusters') as MatterJs['clusters'];
  main.Logger.level = main.LogLevel.ERROR;
  const vars = main.Environment.default.vars;
  vars.set('storage.path', storageDir);
  vars.set('mdns.networkInterface', 'lo');
  vars.set('mdns.ipv4', true);
  loaded = { config, ...main, CommissioningController, clusters };
  return loaded;
}

/** One endpoint as the controller sees it. */
export interface SeenEndpoint {
  endpoint: number;
  deviceType: number;
  name?: string;
}

export class DoorLockClient {
  constructor(private readonly client: ClusterClient) {}

  /** Reads lockState from the bridge (never a cached value). */
  async lockState(): Promise<number | null> {
    const read = this.client.getLockStateAttribute as (fromRemote: boolean) => Promise<number | null>;
    return read.call(this.client, true);
  }

  async lock(): Promise<void> {
    await (this.client.lockDoor as (req: object) => Promise<void>).call(this.client, {});
  }

  async unlock(): Promise<void> {
    await (this.client.unlockDoor as (req: object) => Promise<void>).call(this.client, {});
  }
}

/** A Fan's FanControl cluster (the charge limit). */
export class FanClient {
  constructor(private readonly client: ClusterClient) {}

  /** percentSetting and fanMode, read from the bridge (never a cached value). */
  async read(): Promise<{ percentSetting: number | null; fanMode: number }> {
    const get = <T>(name: string): Promise<T> => (this.client[name] as (fromRemote: boolean) => Promise<T>).call(this.client, true);
    return { percentSetting: await get<number | null>('getPercentSettingAttribute'), fanMode: await get<number>('getFanModeAttribute') };
  }

  async setPercent(percent: number): Promise<void> {
    await (this.client.setPercentSettingAttribute as (v: number) => Promise<void>).call(this.client, percent);
  }

  async setMode(mode: number): Promise<void> {
    await (this.client.setFanModeAttribute as (v: number) => Promise<void>).call(this.client, mode);
  }
}

export class MatterTestController {
  private node?: PairedNode;

  private constructor(
    private readonly js: MatterJs,
    private readonly controller: Controller,
  ) {}

  static async start(): Promise<MatterTestController> {
    const js = matterJs();
    const controller = new js.CommissioningController({
      environment: { environment: js.Environment.default, id: `test-controller-${Date.now()}` },
      autoConnect: false,
      adminFabricLabel: 'stellantis test',
    });
    await controller.start();
    return new MatterTestController(js, controller);
  }

  /** Commissions the bridge at 127.0.0.1:port with its passcode; resolves once its structure is read. */
  async commission(port: number, passcode: number, discriminator: number): Promise<void> {
    const nodeId = await this.controller.commissionNode({
      commissioning: { regulatoryLocation: 2, regulatoryCountryCode: 'XX' },
      discovery: { knownAddress: { ip: '127.0.0.1', port, type: 'udp' }, identifierData: { longDiscriminator: discriminator } },
      passcode,
    });
    const node = await this.controller.getNode(nodeId);
    node.connect();
    const until = Date.now() + 15000;
    while (!node.remoteInitializationDone) {
      if (Date.now() > until) throw new Error('the commissioned node never finished its initialization');
      await new Promise((r) => setTimeout(r, 20));
    }
    this.node = node;
  }

  /** Every endpoint under the bridge's aggregator, with its device type and bridged name. */
  async endpoints(): Promise<SeenEndpoint[]> {
    const seen: SeenEndpoint[] = [];
    const walk = async (parts: Map<number, LegacyEndpoint>): Promise<void> => {
      for (const [number, ep] of parts) {
        const info = ep.getClusterClient(this.js.clusters.BridgedDeviceBasicInformation.Cluster);
        const label = info?.getNodeLabelAttribute as ((fromRemote: boolean) => Promise<string>) | undefined;
        const name = label ? await label.call(info, true) : undefined;
        seen.push({ endpoint: number, deviceType: ep.deviceType, ...(name !== undefined ? { name } : {}) });
        await walk(ep.parts);
      }
    };
    await walk(this.paired().parts);
    return seen;
  }

  /** The DoorLock on that endpoint. */
  doorLock(endpoint: number): DoorLockClient {
    return new DoorLockClient(this.client(endpoint, this.js.clusters.DoorLock.Cluster, 'DoorLock'));
  }

  /** Switches on the OnOff switch on that endpoint. */
  async switchOn(endpoint: number): Promise<void> {
    const client = this.client(endpoint, this.js.clusters.OnOff.Cluster, 'OnOff');
    await (client.on as () => Promise<void>).call(client);
  }

  /** The FanControl of a Fan on that endpoint. */
  fan(endpoint: number): FanClient {
    return new FanClient(this.client(endpoint, this.js.clusters.FanControl.Cluster, 'FanControl'));
  }

  /** A ContactSensor's BooleanState.stateValue, read from the bridge (true = contact = closed). */
  async contact(endpoint: number): Promise<boolean> {
    return this.read<boolean>(this.client(endpoint, this.js.clusters.BooleanState.Cluster, 'BooleanState'), 'getStateValueAttribute');
  }

  /** An OccupancySensor's OccupancySensing.occupancy, read from the bridge. */
  async occupancy(endpoint: number): Promise<{ occupied: boolean }> {
    return this.read<{ occupied: boolean }>(this.client(endpoint, this.js.clusters.OccupancySensing.Cluster, 'OccupancySensing'), 'getOccupancyAttribute');
  }

  /** An OccupancySensor's occupancySensorType (the detector kind Matter 1.4 asks for). */
  async occupancySensorType(endpoint: number): Promise<number> {
    return this.read<number>(this.client(endpoint, this.js.clusters.OccupancySensing.Cluster, 'OccupancySensing'), 'getOccupancySensorTypeAttribute');
  }

  private async read<T>(client: ClusterClient, getter: string): Promise<T> {
    const read = client[getter] as ((fromRemote: boolean) => Promise<T>) | undefined;
    if (typeof read !== 'function') throw new Error(`the cluster client has no ${getter}`);
    return read.call(client, true);
  }

  private client(endpoint: number, cluster: object, what: string): ClusterClient {
    const find = (parts: Map<number, LegacyEndpoint>): LegacyEndpoint | undefined => {
      for (const [number, ep] of parts) {
        if (number === endpoint) return ep;
        const inner = find(ep.parts);
        if (inner) return inner;
      }
      return undefined;
    };
    const client = find(this.paired().parts)?.getClusterClient(cluster);
    if (!client) throw new Error(`no ${what} on endpoint ${endpoint}`);
    return client;
  }

  async close(): Promise<void> {
    await this.node?.disconnect().catch(() => undefined);
    await this.controller.close();
  }

  private paired(): PairedNode {
    if (!this.node) throw new Error('not commissioned yet');
    return this.node;
  }
}

/** The matter.js OccupancySensing.OccupancySensorType enum, from matter.js itself. */
export function matterOccupancySensorTypes(): Record<string, number> {
  return matterJs().clusters.OccupancySensing.OccupancySensorType;
}

/** The matter.js DoorLock.LockState enum, from matter.js itself. */
export function matterLockStates(): Record<string, number> {
  return matterJs().clusters.DoorLock.LockState;
}

/** The matter.js FanControl.FanMode enum, from matter.js itself. */
export function matterFanModes(): Record<string, number> {
  return matterJs().clusters.FanControl.FanMode;
}
