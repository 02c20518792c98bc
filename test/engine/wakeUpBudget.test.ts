/**
 * The wake-up budget: this calendar month's wake-ups per car (every refresh sent, and every other
 * remote the car reported WakingUpVehicle for), against the assumed cap (wakeUpsPerMonth), through
 * the real engine and the simulator; kept across restarts, read from files written before the
 * count existed, restarted each month. And the charge limit, set and kept, never spends one.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import { harness, harnessPerTest, sleep, until, type Harness } from './harness';
import { callsMatching, chargeStopPosts, REMOTE_POSTS } from '../helpers/simulator';
import { VEHICLE_PRESETS } from '../../src/simulator';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import { WakeUpGuard, DEFAULT_WAKE_UP_GUARD } from '../../src/remotes/wakeUpGuard';
import { monthKeyOf } from '../../src/remotes/wakeUpBudget';
import type { ChargeLimitEvent } from '../../src/engine/types';

const wakeUpPosts = (h: Harness, from = 0) => callsMatching(h.sim, REMOTE_POSTS, from).filter((c) => 'wakeUp' in (c.body as object));

describe('engine: the wake-up budget of the month', function () {
  this.timeout(20000);
  let h: Harness;
  let car: string;

  beforeEach(async () => {
    h = await harness({ vehicles: 1 });
    car = h.sim.vehicles[0].id;
  });
  afterEach(() => h.cleanup());

  const wakeUpsFile = () => storageFile(h.dir, 'wake-ups', accountKeyOf(h.config));

  it('counts each refresh sent and each remote that woke the car (WakingUpVehicle), not a remote to an awake car; survives a restart', async () => {
    const account = h.account({ config: { wakeUpsPerMonth: 5 } });
    await account.start();
    assert.deepEqual(account.wakeUpBudgetOf(car), { month: monthKeyOf(Date.now()), used: 0, assumedCap: 5, left: 5 });

    assert.equal((await account.send(car, { kind: 'refresh' }).done).result, 'Success');
    assert.equal(account.wakeUpBudgetOf(car).used, 1, 'a refresh spends one');
    assert.equal(wakeUpPosts(h).length, 1);

    // The car is awake: a lock does not wake it and spends nothing.
    h.sim.control.setVehicle(car, { asleep: false, locked: false });
    const simUsed = h.sim.vehicle(car).wakeUpsUsed;
    assert.equal((await account.send(car, { kind: 'lock' }).done).result, 'Success');
    assert.equal(account.wakeUpBudgetOf(car).used, 1, 'a remote to an awake car spends none');
    assert.equal(h.sim.vehicle(car).wakeUpsUsed, simUsed, 'the simulator agrees: the car was not woken');

    // Asleep: the unlock wakes it (WakingUpVehicle), which spends one; its duplicated notifications count once.
    h.sim.control.setVehicle(car, { asleep: true });
    h.sim.control.duplicateNotifications(10);
    const steps: string[] = [];
    const unlock = account.send(car, { kind: 'unlock' });
    unlock.on('progress', (p) => p.pendingStatus && steps.push(p.pendingStatus));
    assert.equal((await unlock.done).result, 'Success');
    assert.ok(steps.includes('WakingUpVehicle'), `pending steps: ${steps.join(', ')}`);
    assert.equal(h.sim.vehicle(car).wakeUpsUsed, simUsed + 1, 'the simulator woke the car once');
    assert.deepEqual(account.wakeUpBudgetOf(car), { month: monthKeyOf(Date.now()), used: 2, assumedCap: 5, left: 3 });
    await account.stop();

    const again = h.account({ config: { wakeUpsPerMonth: 5 } });
    await again.start();
    assert.equal(again.wakeUpBudgetOf(car).used, 2, 'a restart keeps the count');
    assert.equal(again.wakeUpBudgetOf(car).left, 3);
  });

  it('a refresh that wakes a sleeping car counts once, not twice', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(car, { asleep: true });
    const steps: string[] = [];
    const refresh = account.send(car, { kind: 'refresh' });
    refresh.on('progress', (p) => p.pendingStatus && steps.push(p.pendingStatus));
    assert.equal((await refresh.done).result, 'Success');
    assert.ok(steps.includes('WakingUpVehicle'));
    assert.equal(account.wakeUpBudgetOf(car).used, 1);
    assert.equal(account.wakeUpBudgetOf(car).assumedCap, 20, 'the default assumed cap');
  });

  it('after TooManyWakeUpsOverMonth: none left and blocked until the first day of next month', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(car, { asleep: true });
    h.sim.control.exhaustWakeUps(car);
    assert.equal((await account.send(car, { kind: 'lock' }).done).failureCause, 'TooManyWakeUpsOverMonth');
    const now = new Date();
    const budget = account.wakeUpBudgetOf(car);
    assert.equal(budget.left, 0);
    assert.equal(budget.blockedUntil, new Date(now.getFullYear(), now.getMonth() + 1, 1).getTime());
    const calls = h.sim.calls.length;
    assert.equal((await account.send(car, { kind: 'refresh' }).done).result, 'Rejected', 'no refresh is sent');
    assert.equal(wakeUpPosts(h, calls).length, 0);
  });

  it('reads a file written before the monthly count (its recent refreshes of this month), and a last month count starts again from zero', async () => {
    const now = Date.now();
    const lastMonth = new Date(new Date(now).getFullYear(), new Date(now).getMonth() - 1, 15).getTime();
    await fs.writeFile(wakeUpsFile(), JSON.stringify({ vehicles: { [car]: { recent: [now - 60_000, now - 30_000] } } }));
    const old = h.account();
    await old.start();
    assert.equal(old.wakeUpBudgetOf(car).used, 2, 'the old file shape is read: its recent refreshes are this month\'s');
    await old.stop();

    await fs.writeFile(wakeUpsFile(), JSON.stringify({ vehicles: { [car]: { recent: [], month: { month: monthKeyOf(lastMonth), count: 19, remotes: [] } } } }));
    const account = h.account();
    await account.start();
    assert.equal(account.wakeUpBudgetOf(car).used, 0, 'a new month starts from zero');
    assert.equal((await account.send(car, { kind: 'refresh' }).done).result, 'Success');
    assert.equal(account.wakeUpBudgetOf(car).used, 1);
    await account.stop();
    const saved = JSON.parse(await fs.readFile(wakeUpsFile(), 'utf8')) as { vehicles: Record<string, { month: { month: string; count: number } }> };
    assert.deepEqual(saved.vehicles[car].month.month, monthKeyOf(Date.now()));
    assert.equal(saved.vehicles[car].month.count, 1);
  });
});

describe('wake-up guard: the calendar month (host local time)', () => {
  it('rolls over at midnight on the first day; the block after TooManyWakeUpsOverMonth ends then too', () => {
    let now = new Date(2031, 0, 31, 23, 58).getTime();
    const guard = new WakeUpGuard({ ...DEFAULT_WAKE_UP_GUARD, perMonth: 3, now: () => now });
    guard.record('v');
    guard.recordWokenBy('v', 'r1');
    guard.recordWokenBy('v', 'r1');
    assert.deepEqual(guard.budgetOf('v'), { month: '2031-01', used: 2, assumedCap: 3, left: 1 });
    guard.record('v');
    guard.record('v');
    assert.equal(guard.budgetOf('v').left, 0, 'never below zero');
    guard.blockUntilNextMonth('v');
    assert.equal(guard.budgetOf('v').blockedUntil, new Date(2031, 1, 1).getTime());
    now = new Date(2031, 1, 1, 0, 1).getTime();
    assert.deepEqual(guard.budgetOf('v'), { month: '2031-02', used: 0, assumedCap: 3, left: 3 });
    assert.equal(guard.check('v').allowed, true);
  });
});

describe('engine: the charge limit never spends a wake-up', function () {
  this.timeout(30000);
  let h: Harness;
  let ev: string;
  let phev: string;
  harnessPerTest({ sim: { vehicles: [VEHICLE_PRESETS.ev, VEHICLE_PRESETS.phev] } }, (started) => {
    h = started;
    [ev, phev] = h.sim.vehicles.map((v) => v.id);
  });

  it('kept by the car (preferences): set, kept through a whole charge up to its stop: no wakeUp POST, no wake-up counted or spent', async () => {
    h.sim.control.setVehicle(ev, { level: 70, plugged: true, charging: false });
    const account = h.account();
    await account.start();
    const simUsed = h.sim.vehicle(ev).wakeUpsUsed;
    const handle = account.setChargeLimit(ev, 80);
    assert.equal((await handle?.done)?.result, 'Success');
    assert.equal(account.chargeLimitOf(ev)?.method, 'preferences');
    h.sim.control.setVehicle(ev, { charging: true });
    await until(() => h.sim.vehicle(ev).chargingStatus === 'Finished', 8000);
    assert.ok(h.sim.vehicle(ev).level >= 79 && h.sim.vehicle(ev).level <= 81, `stopped at ${h.sim.vehicle(ev).level} %`);
    await sleep(300);
    assert.equal(wakeUpPosts(h).length, 0, 'no refresh (wakeUp) POST');
    assert.equal(account.wakeUpBudgetOf(ev).used, 0, 'nothing counted');
    assert.equal(h.sim.vehicle(ev).wakeUpsUsed, simUsed, 'the car was never woken');
  });

  it('kept by a monitor: set, kept through a whole charge up to its one stop: no wakeUp POST, no wake-up counted or spent', async () => {
    h.sim.control.setVehicle(phev, { level: 70, plugged: true, charging: false });
    const account = h.account();
    const events: ChargeLimitEvent[] = [];
    account.on('chargeLimit', (e) => events.push(e));
    await account.start();
    const simUsed = h.sim.vehicle(phev).wakeUpsUsed;
    assert.equal(account.setChargeLimit(phev, 74), undefined, 'nothing sent to the car');
    await until(() => account.monitorsOf(phev).monitors.some((m) => m.key === 'chargeLimit' && m.monitorId), 5000);
    h.sim.control.setVehicle(phev, { charging: true });
    await until(() => events.some((e) => e.kind === 'stopped'), 8000);
    await until(() => h.sim.vehicle(phev).charging === false, 5000);
    await sleep(300);
    const stops = chargeStopPosts(h.sim);
    assert.equal(stops.length, 1, 'one stop');
    assert.equal(wakeUpPosts(h).length, 0, 'no refresh (wakeUp) POST');
    assert.equal(account.wakeUpBudgetOf(phev).used, 0, 'nothing counted');
    assert.equal(h.sim.vehicle(phev).wakeUpsUsed, simUsed, 'the car was never woken');
  });
});
