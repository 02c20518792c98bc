/**
 * The simulator in its own process (so that its memory and CPU are not counted with the engine's):
 * prints one JSON line with its endpoints and a set of tokens, and stops when its parent goes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startSimulator, type SimulatorOptions } from '../src/simulator';
import type { SimEndpoints } from './accountSetup';

export interface SimChild {
  sim: SimEndpoints;
  stop(): Promise<void>;
}

export function startSimChild(opts: SimulatorOptions): Promise<SimChild> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', __filename, JSON.stringify(opts)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      resolve({
        sim: JSON.parse(line) as SimEndpoints,
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.stdin?.end();
          }),
      });
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`simulator process exited with ${code}`)));
  });
}

if (require.main === module) {
  void (async () => {
    const sim = await startSimulator(JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions);
    const out: SimEndpoints = {
      b2cBaseUrl: sim.b2cBaseUrl,
      oauthUrl: sim.oauthUrl,
      account: sim.account,
      vehicles: sim.vehicles.map((v) => ({ id: v.id })),
      tokens: sim.issueTokens(),
    };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.stdin.resume();
    process.stdin.once('end', () => void sim.stop().then(() => process.exit(0)));
  })();
}
