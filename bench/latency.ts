/**
 * Latency from a notification's arrival to the engine's event: the time from the moment the
 * sender writes the request to the engine's 'state' event for it, at a moderate paced load,
 * against the same measure on a bare node:http server (time to its parsed body). p50 / p99.
 * Target: engine p99 < 5 ms on loopback.
 *
 *   npx tsx bench/latency.ts [--rate 200] [--seconds 10]
 */
import * as http from 'node:http';
import type { VehicleStateChange } from '../src/engine/types';
import { percentile, startBareServer } from './loadgen';
import { SECRET, SECRET_HEADER, doorsMonitorId, monitorMessage, startAccount } from './accountSetup';
import { startSimChild } from './simChild';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

// In the past: the engine takes a monitor date no later than its arrival plus the clock skew it
// allows, so a future date would be replaced by the arrival time and lose the message's index.
const BASE_TIME = Date.now() - 3_600_000;

/** Sends `count` messages at `rate` per second; message i carries the date BASE_TIME + i. */
async function paced(url: string, rate: number, count: number, body: (i: number) => string, sentAt: Float64Array): Promise<void> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  let inFlight = 0;
  await new Promise<void>((resolve) => {
    let i = 0;
    const timer = setInterval(() => {
      const due = Math.min(count, i + Math.max(1, Math.round(rate / 100)));
      for (; i < due; i++) {
        const data = body(i);
        const req = http.request(
          { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), [SECRET_HEADER]: SECRET } },
          (res) => {
            res.resume();
            res.on('end', () => {
              if (--inFlight === 0 && i >= count) resolve();
            });
          },
        );
        inFlight++;
        sentAt[i] = performance.now();
        req.end(data);
      }
      if (i >= count) clearInterval(timer);
    }, 10);
  });
  agent.destroy();
}

function summary(name: string, lat: number[]): { p50: number; p99: number } {
  if (lat.length === 0) throw new Error(`${name}: no message measured (were the messages' dates taken?)`);
  const sorted = [...lat].sort((a, b) => a - b);
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  console.log(`${name}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms (${sorted.length} messages)`);
  return { p50, p99 };
}

async function main(): Promise<void> {
  const rate = arg('rate', 200);
  const seconds = arg('seconds', 10);
  const count = rate * seconds;
  const child = await startSimChild({ timeScale: 1, vehicles: 1, rateLimit: { perSecond: 100_000 } });
  const sim = child.sim;
  const started = await startAccount(sim, { monitors: true });
  try {
    const { account } = started;
    const monitorId = await doorsMonitorId(account, sim.vehicles[0].id);
    const callbackId = account.callbackId ?? '';
    const body = (i: number): string =>
      JSON.stringify(monitorMessage(callbackId, monitorId, i % 2 ? 'Locked' : 'Unlocked', new Date(BASE_TIME + i).toISOString()));
    console.log(`latency: ${rate} msg/s for ${seconds} s (the first second is warm-up, not counted), single messages, 4 keep-alive connections, loopback`);

    // Both servers first take `warm` messages (JIT, connections), not counted.
    const warm = Math.min(count, rate);
    const bareSent = new Float64Array(count);
    const bareLat: number[] = [];
    const bare = await startBareServer((b) => {
      const i = Date.parse((b as { date: string }).date) - BASE_TIME;
      if (i >= warm) bareLat.push(performance.now() - bareSent[i]);
    });
    await paced(bare.url, rate, count, body, bareSent);
    await bare.close();

    const engSent = new Float64Array(count);
    const engLat: number[] = [];
    account.on('state', (c: VehicleStateChange) => {
      if (c.source !== 'monitor' || !c.state.doors?.at) return;
      const i = Date.parse(c.state.doors.at) - BASE_TIME;
      if (i >= warm && i < count) engLat.push(performance.now() - engSent[i]);
    });
    await paced(account.webhookTarget, rate, count, body, engSent);

    const b = summary('bare node:http (to parsed body)', bareLat);
    const e = summary('engine (to the state event)', engLat);
    console.log(`ratio engine/bare: p50 ${(e.p50 / b.p50).toFixed(2)}, p99 ${(e.p99 / b.p99).toFixed(2)}; target engine p99 < 5 ms: ${e.p99 < 5 ? 'met' : 'NOT met'}`);
  } finally {
    await started.close();
    await child.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
