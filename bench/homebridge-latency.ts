/**
 * HomeKit latency of the platform, on loopback with a paired HAP controller (hap-controller):
 *  1. time for a HomeKit write to return (the lock target, alternating), in-process and over HAP;
 *  2. notification arrival (the engine's 'notification' event) -> characteristic change -> HAP event
 *     at the controller.
 * Baseline, same run, same bridge: a bare HAP switch with an empty onSet (writes) and a bare
 * characteristic update (events). HAP-NodeJS batches events up to 250 ms, so the event figures
 * are dominated by HAP itself; the in-process figure is the plugin's own share.
 * Run: npx tsx bench/homebridge-latency.ts
 */
import { HttpClient } from 'hap-controller';
import type { StellantisAccount } from '../src/engine/stellantisAccount';
import { hap, publishBridge, removeTempDirs, startHomebridge, tempDir } from '../test/homebridge/harness';

const WRITES = 400;
const EVENTS = 30;
const VEHICLE = 'BENCH-EV-1';

interface HapChar { type: string; iid: number; value?: unknown }
interface HapAcc { aid: number; services: Array<{ type: string; characteristics: HapChar[] }> }
interface HapEvent { characteristics: Array<{ aid: number; iid: number; value: unknown }> }

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function line(label: string, values: number[], baseline?: number[]): void {
  const p50 = percentile(values, 50);
  const p99 = percentile(values, 99);
  const ratio = baseline ? `, ratio vs baseline p99 ${(p99 / percentile(baseline, 99)).toFixed(2)}x` : '';
  console.log(`${label}: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms (n=${values.length})${ratio}`);
}

function short(type: string): string {
  return type.replace(/^0+/, '').replace(/-0000-1000-8000-0026BB765291$/i, '').toUpperCase();
}

function charId(acc: HapAcc, service: string, characteristic: string): string {
  for (const s of acc.services) {
    if (short(s.type) !== service) continue;
    const c = s.characteristics.find((x) => short(x.type) === characteristic);
    if (c) return `${acc.aid}.${c.iid}`;
  }
  throw new Error(`no ${service}/${characteristic} on accessory ${acc.aid}`);
}

async function main(): Promise<void> {
  const cleanup: Array<() => Promise<void>> = [];
  try {
    await measure(cleanup);
  } finally {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    removeTempDirs();
  }
}

async function measure(cleanup: Array<() => Promise<void>>): Promise<void> {
  const run = await startHomebridge({
    storageDir: tempDir('bench-latency'),
    config: { simulator: true, simulatorTimeScale: 0.001, vehicles: [{ id: VEHICLE, name: 'Car', vin: 'VR3UHZKXZLT000042' }] },
  });
  cleanup.push(() => run.stop());
  const sim = run.platform.simulator!;
  const account = run.platform.account as StellantisAccount;

  // The baseline: a bare switch on the same bridge.
  const bare = new hap.Accessory('Bare', hap.uuid.generate('bench-bare'));
  const bareSwitch = bare.addService(hap.Service.Switch, 'Bare Switch', 'bare');
  bareSwitch.getCharacteristic(hap.Characteristic.On).onSet(() => undefined);
  const bridge = await publishBridge(run.cache, [bare]);
  cleanup.push(() => bridge.stop());
  const client = new HttpClient(bridge.username, '127.0.0.1', bridge.port, undefined, { usePersistentConnections: true });
  cleanup.push(() => client.close());
  await client.pairSetup(bridge.pin);
  const { accessories } = (await client.getAccessories()) as unknown as { accessories: HapAcc[] };
  const carAcc = accessories.find((a) => a.services.some((s) => s.characteristics.some((c) => c.value === 'VR3UHZKXZLT000042')))!;
  const bareAcc = accessories.find((a) => a.services.some((s) => s.characteristics.some((c) => c.value === 'Bare Switch')))!;
  const lockTarget = charId(carAcc, '45', '1E');
  const lockCurrent = charId(carAcc, '45', '1D');
  const bareOn = charId(bareAcc, '49', '25');
  const lock = run.service(VEHICLE, hap.Service.LockMechanism, 'doors');

  // 1. Writes.
  const postsBefore = sim.callCount({ method: 'POST', pathIncludes: '/remotes' });
  const inProcess: number[] = [];
  const bareInProcess: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    let t = performance.now();
    await lock.getCharacteristic(hap.Characteristic.LockTargetState).handleSetRequest(i % 2);
    inProcess.push(performance.now() - t);
    t = performance.now();
    await bareSwitch.getCharacteristic(hap.Characteristic.On).handleSetRequest(i % 2 === 1);
    bareInProcess.push(performance.now() - t);
  }
  const overHap: number[] = [];
  const bareOverHap: number[] = [];
  for (let i = 0; i < WRITES / 4; i++) {
    let t = performance.now();
    await client.setCharacteristics({ [lockTarget]: i % 2 });
    overHap.push(performance.now() - t);
    t = performance.now();
    await client.setCharacteristics({ [bareOn]: i % 2 === 1 });
    bareOverHap.push(performance.now() - t);
  }
  line('homekit write, in-process (plugin onSet + HAP characteristic)', inProcess, bareInProcess);
  line('homekit write, bare switch in-process (baseline)', bareInProcess);
  line('homekit write over HAP, paired controller round trip (target p99 < 50 ms)', overHap, bareOverHap);
  line('homekit write over HAP, bare switch (baseline)', bareOverHap);
  const posts = sim.callCount({ method: 'POST', pathIncludes: '/remotes' }) - postsBefore;
  console.log(`writes: ${WRITES + WRITES / 4} lock writes sent ${posts} remote POSTs (queued contradictions replace each other)`);
  await new Promise((resolve) => setTimeout(resolve, 500));

  // 2. Notification -> HAP event.
  const events: Array<{ at: number; ev: HapEvent }> = [];
  client.on('event', (ev: HapEvent) => events.push({ at: performance.now(), ev }));
  await client.subscribeCharacteristics([lockCurrent, bareOn]);
  let notifiedAt = 0;
  account.on('notification', (m: { type?: string }) => {
    if (m.type === 'Monitor' && notifiedAt === 0) notifiedAt = performance.now();
  });
  let changedAt = 0;
  lock.getCharacteristic(hap.Characteristic.LockCurrentState).on('change', () => {
    if (changedAt === 0) changedAt = performance.now();
  });
  const waitEvent = async (id: string, value: number | boolean, from: number): Promise<number> => {
    const until = Date.now() + 5000;
    for (;;) {
      const hit = events.find((e) => e.at >= from && e.ev.characteristics.some((c) => `${c.aid}.${c.iid}` === id && (c.value === value || c.value === Number(value))));
      if (hit) return hit.at;
      if (Date.now() > until) throw new Error(`no HAP event for ${id} = ${String(value)} within 5 s`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  const toChange: number[] = [];
  const toEvent: number[] = [];
  const bareToEvent: number[] = [];
  let locked = sim.vehicle(VEHICLE).locked;
  for (let i = 0; i < EVENTS; i++) {
    locked = !locked;
    notifiedAt = 0;
    changedAt = 0;
    const from = performance.now();
    sim.control.setVehicle(VEHICLE, { locked });
    const eventAt = await waitEvent(lockCurrent, locked ? 1 : 0, from);
    if (notifiedAt === 0 || changedAt === 0) throw new Error('missed the notification or the change');
    toChange.push(changedAt - notifiedAt);
    toEvent.push(eventAt - notifiedAt);
    const next = bareSwitch.getCharacteristic(hap.Characteristic.On).value !== true;
    const t = performance.now();
    bareSwitch.updateCharacteristic(hap.Characteristic.On, next);
    bareToEvent.push((await waitEvent(bareOn, next, t)) - t);
  }
  line('notification -> characteristic change (plugin + engine, in-process)', toChange);
  line('notification -> HAP event at the paired controller', toEvent, bareToEvent);
  line('bare characteristic update -> HAP event (baseline, HAP batches events up to 250 ms)', bareToEvent);

}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
