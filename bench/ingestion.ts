/**
 * Authenticated notifications per second through the engine's listener into the engine, against
 * a bare node:http server that parses the same JSON and answers 200 (the baseline), with the same
 * keep-alive load generator (raw sockets, in a child process). Single messages, then batches of 100.
 * The two servers take turns in short runs, round after round; each round gives one ratio (its two
 * runs saw the same machine: a virtual machine's speed drifts over seconds), and the median ratio
 * is reported. Target: the engine at >= 50% of the bare server.
 *
 *   npx tsx bench/ingestion.ts [--seconds 1] [--connections 16] [--rounds 11]
 */
import { startBareServer } from './loadgen';
import { startLoadChild } from './loadgenChild';
import { SECRET, SECRET_HEADER, doorsMonitorId, monitorMessage, startAccount } from './accountSetup';
import { startSimChild } from './simChild';
import { pinServerProcess } from './cpuPinning';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 1);
  const connections = arg('connections', 16);
  const rounds = arg('rounds', 11);
  const pinned = pinServerProcess();
  const child = await startSimChild({ timeScale: 1, vehicles: 1, rateLimit: { perSecond: 100_000 } });
  const sim = child.sim;
  const started = await startAccount(sim, { monitors: true });
  const bare = await startBareServer();
  const load = startLoadChild();
  try {
    const { account } = started;
    const ev = sim.vehicles[0].id;
    const monitorId = await doorsMonitorId(account, ev);
    const callbackId = account.callbackId ?? '';
    let handled = 0;
    account.on('state', () => handled++);

    const singles = ['Locked', 'Unlocked'].map((v) => JSON.stringify(monitorMessage(callbackId, monitorId, v)));
    const batch = JSON.stringify(Array.from({ length: 100 }, (_, i) => monitorMessage(callbackId, monitorId, i % 2 ? 'Locked' : 'Unlocked')));
    const run = (url: string, bodies: string[]) =>
      load.run({ url, bodies, headers: { [SECRET_HEADER]: SECRET }, connections, durationMs: seconds * 1000, warmupMs: 200 });

    console.log(`ingestion: ${connections} keep-alive connections, ${seconds} s per run, ${rounds} alternating rounds (medians), loopback, ${pinned}`);
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const [name, bodies, perRequest] of [
      ['single messages', singles, 1],
      ['batches of 100', [batch], 100],
    ] as const) {
      const baseRates: number[] = [];
      const engRates: number[] = [];
      const ratios: number[] = [];
      let problems = 0;
      for (let r = 0; r < rounds; r++) {
        const base = await run(bare.url, [...bodies]);
        const eng = await run(account.webhookTarget, [...bodies]);
        baseRates.push(base.perSecond * perRequest);
        engRates.push(eng.perSecond * perRequest);
        ratios.push(eng.perSecond / base.perSecond);
        problems += eng.non200 + eng.errors + base.non200 + base.errors;
      }
      const ratio = median(ratios);
      console.log(`${name}: bare node:http ${median(baseRates).toFixed(0)} msg/s`);
      console.log(`${name}: engine listener ${median(engRates).toFixed(0)} msg/s`);
      console.log(
        `${name}: ratio engine/bare ${ratio.toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(' ')}; target >= 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})` +
          (problems ? `; ${problems} non-200/errors!` : ''),
      );
    }
    console.log(`state changes handled by the engine: ${handled}`);
  } finally {
    load.stop();
    await started.close();
    await bare.close();
    await child.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
