/**
 * Memory of the engine across 10,000 remotes sent and finished through the simulator (run in its
 * own process): heap and RSS after a warm-up (the baseline) and after the 10,000, each after a
 * full GC. Finished remotes must be evicted: the figures stay bounded.
 *
 *   npx tsx bench/memory.ts [--remotes 10000] [--vehicles 200]
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { startAccount } from './accountSetup';
import { startSimChild } from './simChild';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

function measure(): { heap: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

async function main(): Promise<void> {
  const total = arg('remotes', 10_000);
  const vehicles = arg('vehicles', 200);
  const warmUp = vehicles * 2;
  const child = await startSimChild({ timeScale: 0.0005, vehicles, autoSleepSeconds: 0, rateLimit: { perSecond: 1_000_000, perDay: 1_000_000_000 } });
  const started = await startAccount(child.sim, { monitors: false });
  const { account } = started;
  const ids = child.sim.vehicles.map((v) => v.id);
  const results = new Map<string, number>();

  /** Each vehicle sends its share one after the other; vehicles in parallel. */
  const runRemotes = async (count: number): Promise<void> => {
    let next = 0;
    await Promise.all(
      ids.map(async (id) => {
        while (next < count) {
          next++;
          const end = await account.send(id, { kind: 'horn' }).done;
          results.set(end.result, (results.get(end.result) ?? 0) + 1);
        }
      }),
    );
  };

  try {
    console.log(`memory: ${total} remotes (horn) on ${vehicles} simulated vehicles, simulator in its own process`);
    await runRemotes(warmUp);
    const before = measure();
    const t0 = Date.now();
    await runRemotes(total);
    const seconds = (Date.now() - t0) / 1000;
    const after = measure();
    console.log(`remotes finished: ${total} in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s); ends ${JSON.stringify(Object.fromEntries(results))}`);
    console.log(`still tracked after the run: ${account.activeRemotes().length} remotes`);
    console.log(`heap after warm-up (${warmUp} remotes, baseline): ${mb(before.heap)}`);
    console.log(`heap after ${total} more remotes: ${mb(after.heap)} (${((after.heap - before.heap) / total).toFixed(0)} bytes per remote)`);
    console.log(`heap ratio after/baseline: ${(after.heap / before.heap).toFixed(2)}`);
    console.log(`rss after warm-up: ${mb(before.rss)}; after: ${mb(after.rss)}; ratio ${(after.rss / before.rss).toFixed(2)}`);
  } finally {
    await started.close();
    await child.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
