/** Test scaffolding for the CLI: run it in-process with captured io, a simulator, config files. */
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/run';
import type { CliIo, SendTuning } from '../../src/cli/io';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator';
import { seedTokens, simulatorAccountConfig, simulatorFleetConfig } from '../helpers/simulator';

/** A text sink that also tells when something was written (for interactive tests). */
export class Capture extends EventEmitter {
  text = '';
  write(chunk: string): boolean {
    this.text += chunk;
    this.emit('data', chunk);
    return true;
  }

  /** Resolves once the output matches. */
  waitFor(pattern: RegExp, timeoutMs = 5000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const m = this.text.match(pattern);
        if (m) {
          clearTimeout(timer);
          this.off('data', check);
          resolve(m);
        }
        return !!m;
      };
      const timer = setTimeout(() => {
        this.off('data', check);
        reject(new Error(`output never matched ${pattern}; got:\n${this.text}`));
      }, timeoutMs);
      if (!check()) this.on('data', check);
    });
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: NodeJS.ReadableStream;
  stdout?: Capture;
  stderr?: Capture;
  signals?: EventEmitter;
  tuning?: SendTuning;
  env?: Record<string, string | undefined>;
}

/** Fast timings for --wait against a simulator at a small time scale. */
export const FAST: SendTuning = { readBackBackoffMs: [50, 100, 200], healthTimeoutMs: 2000, noNotificationTimeoutMs: 3000 };

export async function cli(argv: string[], opts: RunOptions = {}): Promise<CliRun> {
  const stdout = opts.stdout ?? new Capture();
  const stderr = opts.stderr ?? new Capture();
  const stdin = opts.stdin ?? endedStdin();
  const io: CliIo = { stdout, stderr, stdin, env: opts.env ?? { HOME: '/nonexistent-home' }, tuning: opts.tuning ?? FAST };
  if (opts.signals) io.signals = opts.signals;
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function endedStdin(): NodeJS.ReadableStream {
  const s = new PassThrough();
  s.end();
  return s;
}

/**
 * Where notifications go in tests that do not follow them: answers 200 to every POST (so the
 * simulator has nothing to retry) and 404 to GET .../health (so `--wait` finds it unreachable).
 */
async function startSink(): Promise<{ url: string; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') received++;
      res.statusCode = req.method === 'POST' ? 200 : 404;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sink`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A loopback port nobody listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface Setup {
  sim: RunningSimulator;
  /** The notification sink's URL (webhook.publicUrl of the base config). */
  sinkUrl: string;
  dir: string;
  storage: string;
  /** Writes a config file (b2c against the simulator, vehicles named Zoe and Clio) and returns its path. */
  writeConfig(patch?: Record<string, unknown>, name?: string): Promise<string>;
  /** Base config object (b2c). */
  baseConfig(): Record<string, unknown>;
  b2bConfig(): Record<string, unknown>;
  /** Stores tokens (as a completed login would) for the b2c config. */
  storeTokens(): Promise<void>;
  /** Global arguments: --config <file> --storage <dir>. */
  args(configPath: string): string[];
  close(): Promise<void>;
}

export async function setup(simOptions: SimulatorOptions = {}): Promise<Setup> {
  const sim = await startSimulator({ timeScale: 0.002, autoSleepSeconds: 0, rateLimit: { perSecond: 1000 }, ...simOptions });
  const sink = await startSink();
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'stellantis-cli-'));
  const storage = path.join(dir, 'storage');
  const a = sim.account;
  const vehicles = [
    { id: sim.vehicles[0].id, name: 'Zoe' },
    { id: sim.vehicles[1].id, name: 'Clio' },
  ];
  const baseConfig = (): Record<string, unknown> => ({
    simulator: true,
    ...simulatorAccountConfig(sim),
    realm: a.realm,
    redirectUri: a.redirectUri,
    webhook: { host: '127.0.0.1', port: 0, label: 'cli-test', publicUrl: sink.url },
    vehicles,
  });
  const b2bConfig = (): Record<string, unknown> => ({
    simulator: true,
    ...simulatorFleetConfig(sim),
    webhook: { host: '127.0.0.1', port: 0, label: 'cli-test-fleet', publicUrl: sink.url },
    vehicles,
  });
  let n = 0;
  return {
    sim,
    sinkUrl: sink.url,
    dir,
    storage,
    baseConfig,
    b2bConfig,
    async writeConfig(patch = {}, name) {
      const file = path.join(dir, name ?? `config-${++n}.json`);
      await fsp.writeFile(file, JSON.stringify({ ...baseConfig(), ...patch }, null, 2));
      return file;
    },
    storeTokens: () => seedTokens(sim, storage),
    args(configPath) {
      return ['--config', configPath, '--storage', storage];
    },
    async close() {
      await sim.stop();
      await sink.close();
      await fsp.rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every secret the simulator account and the tokens hold: none may appear in any output. */
export function secretsOf(sim: RunningSimulator, extra: string[] = []): string[] {
  return [sim.account.clientSecret, sim.account.password, ...extra].filter((s) => s.length > 0);
}
