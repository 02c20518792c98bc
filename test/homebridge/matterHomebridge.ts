/**
 * A real Homebridge 2 with Matter enabled, as a child process: Homebridge's own command line
 * (`homebridge -U <storage> -P <plugins>`) from the host modules folder, on the Node running the
 * tests, the plugin loaded from this checkout's sources (a one-line package in a temp plugin folder,
 * through tsx's require hook), the built-in simulator as the car. HAP and Matter are bound to
 * loopback (`bridge.bind: ["lo"]`). Each run has fresh storage (a commissioned bridge refuses a
 * second commissioning) under its working directory, which Homebridge 2.1 requires for Matter
 * storage, and its own HOME, so nothing of the user's Homebridge or matter.js settings is read.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { resolveHost } from '../helpers/hostModules';
import { tempDir, waitFor } from './harness';

const projectRoot = path.resolve(__dirname, '..', '..');

export interface Commissioning {
  passcode: number;
  discriminator: number;
  manualPairingCode: string;
}

export interface SimulatorView {
  vehicles: Array<{ id: string; state: { locked?: boolean; plugged?: boolean } }>;
  counters: { remotes: number; calls: number; deliveries: number };
}

export interface MatterHomebridgeOptions {
  vehicles: Array<Record<string, unknown>>;
  simulatorTimeScale?: number;
  /**
   * A real-account platform config (without `platform` and `vehicles`) for a simulator the test
   * runs itself, instead of the built-in one; `prepare` writes its files (certificates, tokens)
   * into the storage folder first.
   */
  account?: Record<string, unknown>;
  prepare?(storage: string): Promise<void>;
}

/** A free TCP port on loopback (Matter's UDP port is taken the same number; both are free here in practice). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function homebridgeCli(): string {
  const main = resolveHost('homebridge');
  const packageDir = main.slice(0, main.lastIndexOf(`${path.sep}homebridge${path.sep}`) + `${path.sep}homebridge`.length);
  return path.join(packageDir, 'bin', 'homebridge.js');
}

export class MatterHomebridge {
  readonly output: string[] = [];
  simulatorUrl = '';
  matterPort = 0;
  private child?: ChildProcess;
  private exited?: Promise<void>;

  private constructor(
    readonly dir: string,
    readonly username: string,
  ) {}

  static async start(opts: MatterHomebridgeOptions): Promise<MatterHomebridge> {
    const dir = tempDir('matter-hb');
    const username = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
    const run = new MatterHomebridge(dir, username);
    await run.launch(opts);
    return run;
  }

  get storage(): string {
    return path.join(this.dir, 'storage');
  }

  private async launch(opts: MatterHomebridgeOptions): Promise<void> {
    const plugin = path.join(this.dir, 'plugins', 'homebridge-stellantis');
    fs.mkdirSync(plugin, { recursive: true });
    fs.mkdirSync(this.storage, { recursive: true });
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string; engines: unknown };
    fs.writeFileSync(path.join(plugin, 'package.json'), JSON.stringify({ name: 'homebridge-stellantis', version: pkg.version, main: 'index.js', keywords: ['homebridge-plugin'], engines: pkg.engines }));
    fs.writeFileSync(path.join(plugin, 'index.js'), `module.exports = require(${JSON.stringify(path.join(projectRoot, 'src', 'index.ts'))}).default;\n`);
    this.matterPort = await freePort();
    await opts.prepare?.(this.storage);
    const platform = opts.account
      ? { platform: 'Stellantis', ...opts.account, vehicles: opts.vehicles }
      : { platform: 'Stellantis', simulator: true, simulatorTimeScale: opts.simulatorTimeScale ?? 0.002, vehicles: opts.vehicles };
    const config = {
      bridge: { name: 'Matter Test Bridge', username: this.username, port: await freePort(), pin: '031-45-154', bind: ['lo'], matter: { port: this.matterPort } },
      platforms: [platform],
    };
    fs.writeFileSync(path.join(this.storage, 'config.json'), JSON.stringify(config, null, 2));

    const tsx = require.resolve('tsx/cjs', { paths: [projectRoot] });
    const child = spawn(process.execPath, ['--require', tsx, homebridgeCli(), '-U', this.storage, '-P', path.dirname(plugin), '-D'], {
      cwd: this.dir,
      env: { PATH: process.env.PATH ?? '', HOME: this.dir, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const collect = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        this.output.push(line);
        const sim = /simulator running at (http:\/\/\S+) /.exec(line);
        if (sim?.[1]) this.simulatorUrl = sim[1];
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let gone = false;
    void this.exited.then(() => (gone = true));
    await waitFor('Homebridge with Matter and the plugin ready', () => {
      if (gone) throw new Error(`Homebridge exited:\n${this.output.slice(-30).join('\n')}`);
      return (opts.account !== undefined || this.simulatorUrl !== '') && this.logged(/\[Stellantis\] Matter: /) && this.hasCommissioning();
    }, 30000);
  }

  /** Stops Homebridge and starts it again on the same storage (its Matter cache) with another config. */
  async restart(opts: MatterHomebridgeOptions): Promise<void> {
    await this.stop();
    this.output.length = 0;
    this.simulatorUrl = '';
    await this.launch(opts);
  }

  /** Display names in Homebridge's Matter accessory cache (`<storage>/matter/<bridge>/accessories.json`). */
  /** The names in Homebridge's Matter cache; empty while Homebridge has not written it (yet, or mid-rewrite). */
  cachedMatterNames(): string[] {
    const file = path.join(this.storage, 'matter', this.username.replace(/:/g, ''), 'accessories.json');
    let cached: Array<{ displayName?: string }>;
    try {
      cached = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ displayName?: string }>;
    } catch {
      return [];
    }
    return cached.map((a) => String(a.displayName)).sort();
  }

  logged(pattern: RegExp): boolean {
    return this.output.some((line) => pattern.test(line));
  }

  private hasCommissioning(): boolean {
    try {
      this.commissioning();
      return true;
    } catch {
      return false; // not written yet, or being written
    }
  }

  private commissioningFile(): string {
    return path.join(this.storage, 'matter', this.username.replace(/:/g, ''), 'commissioning.json');
  }

  /** The pairing data Homebridge writes for its Matter bridge. */
  commissioning(): Commissioning {
    const data = JSON.parse(fs.readFileSync(this.commissioningFile(), 'utf8')) as Partial<Commissioning>;
    if (typeof data.passcode !== 'number' || typeof data.discriminator !== 'number') throw new Error(`no passcode in ${this.commissioningFile()}`);
    return { passcode: data.passcode, discriminator: data.discriminator, manualPairingCode: String(data.manualPairingCode) };
  }

  /** The built-in simulator's control API (`POST /_simulator/control/<knob>`). */
  async control(knob: string, body: Record<string, unknown>): Promise<void> {
    const res = await fetch(`${this.simulatorUrl}/_simulator/control/${knob}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`simulator ${knob}: ${res.status} ${await res.text()}`);
  }

  /** The simulated car as the simulator holds it, and its counters (API calls, webhook deliveries, remotes). */
  async simulatorState(): Promise<SimulatorView> {
    const res = await fetch(`${this.simulatorUrl}/_simulator/state`);
    return (await res.json()) as SimulatorView;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const killed = setTimeout(() => child.kill('SIGKILL'), 10000);
    await this.exited;
    clearTimeout(killed);
  }
}
