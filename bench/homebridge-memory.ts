/**
 * Memory the platform adds to a Homebridge process, with 1 and 20 vehicles: heap (after GC) and RSS
 * after the platform has launched (accessories built, engine started, monitors set up), minus the
 * built-in simulator's own share (measured alone with the same vehicles, same run). Baseline: the
 * process with Homebridge and HAP-NodeJS loaded.
 * Run: npx tsx bench/homebridge-memory.ts
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { startSimulator } from '../src/simulator';
import { startHomebridge, removeTempDirs, tempDir } from '../test/homebridge/harness';

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

interface Sample {
  heap: number;
  rss: number;
}

async function sample(): Promise<Sample> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

function vehicles(n: number): Array<{ id: string; name: string }> {
  return Array.from({ length: n }, (_x, i) => ({ id: `BENCH-${String(i + 1).padStart(4, '0')}`, name: `Car ${i + 1}` }));
}

async function measure(n: number): Promise<{ heap: number; rss: number }> {
  const before = await sample();
  const sim = await startSimulator({ vehicles: vehicles(n).map((v) => ({ id: v.id, kind: 'electric' as const })), timeScale: 0.001 });
  const withSim = await sample();
  await sim.stop();
  const simOnly = { heap: withSim.heap - before.heap, rss: withSim.rss - before.rss };

  const base = await sample();
  const run = await startHomebridge({
    storageDir: tempDir(`bench-memory-${n}`),
    config: { simulator: true, simulatorTimeScale: 0.001, vehicles: vehicles(n) },
  });
  await new Promise((resolve) => setTimeout(resolve, 500));
  const launched = await sample();
  const accessories = run.cache.length;
  const services = run.cache.reduce((sum, a) => sum + a.services.length, 0);
  await run.stop();
  const plugin = { heap: launched.heap - base.heap - simOnly.heap, rss: launched.rss - base.rss - simOnly.rss };
  console.log(
    `${n} vehicle(s): plugin adds heap ${mb(plugin.heap)}, rss ${mb(plugin.rss)} ` +
      `(${accessories} accessories, ${services} services; built-in simulator alone: heap ${mb(simOnly.heap)})`,
  );
  return plugin;
}

async function main(): Promise<void> {
  const baseline = await sample();
  console.log(`baseline: process with Homebridge and HAP-NodeJS loaded: heap ${mb(baseline.heap)}, rss ${mb(baseline.rss)}`);
  await measure(1); // warm-up: first use loads and compiles code
  const one = await measure(1);
  const twenty = await measure(20);
  console.log(`per additional vehicle: heap ${mb((twenty.heap - one.heap) / 19)}`);
  console.log(`ratio vs baseline heap: 1 vehicle ${(one.heap / baseline.heap).toFixed(3)}x, 20 vehicles ${(twenty.heap / baseline.heap).toFixed(3)}x`);
  removeTempDirs();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
