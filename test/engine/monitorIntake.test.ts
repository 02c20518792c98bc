/**
 * What the listener answers 200 is applied: a listener of the account that throws changes neither
 * the answer nor the state, a monitor value dated in the future does not freeze the state, and the
 * backlog Stellantis delivers right at start (before the monitors are listed) is applied, not lost.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import { harnessPerTest, until, type Harness, postWebhook } from './harness';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import { MonitorHold } from '../../src/engine/monitorHold';
import { MONITOR_DATE_SKEW_MS } from '../../src/engine/stellantisAccount';
import type { StellantisAccount } from '../../src/engine/stellantisAccount';
import type { VehicleStateChange } from '../../src/engine/types';
import type { WebhookMessage } from '../../src/stellantis/wire';

const SECRET = 'intake-test-secret-0123456789abcdef';
const DOORS = 'vehicle.doorsState.lockedState';

describe('engine: monitor intake', function () {
  this.timeout(20_000);
  let h: Harness;
  let ev: string;

  harnessPerTest({ config: { webhook: { host: '127.0.0.1', port: 0, secret: SECRET } } }, (started) => {
    h = started;
    ev = h.sim.vehicles[0].id;
  });

  async function doorsMonitorId(account: StellantisAccount): Promise<string> {
    const monitors = await h.inspector().listMonitors(ev, account.callbackId ?? '');
    const id = monitors.find((m) => m.monitor?.label?.includes(':state:'))?.monitorId;
    assert.ok(id, 'the doors monitor exists');
    return id;
  }

  function doorsMessage(account: StellantisAccount, monitorId: string, value: string, date: Date): WebhookMessage {
    return {
      callbackId: account.callbackId,
      type: 'Monitor',
      date: date.toISOString(),
      monitorEvent: { monitorId, values: [{ data: DOORS, value: { type: 'string', body: { literalValue: value } } }], refresh: false },
    };
  }

  const post = (account: StellantisAccount, body: unknown): Promise<number> => postWebhook(account.webhookTarget, SECRET, body);

  async function started(): Promise<{ account: StellantisAccount; monitorId: string }> {
    const account = h.account();
    await account.start();
    // The simulator's own notifications are held back: the test speaks for Stellantis here.
    h.sim.control.pauseDelivery();
    return { account, monitorId: await doorsMonitorId(account) };
  }

  it('a listener that throws: the message is answered 200 (its redelivery too), applied, the next listeners called, the throw logged once', async () => {
    const { account, monitorId } = await started();
    const seen: string[] = [];
    account.on('notification', () => {
      throw new Error('notification listener bug');
    });
    account.on('state', () => {
      throw new Error('state listener bug');
    });
    account.on('state', (c: VehicleStateChange) => seen.push(c.state.doors?.lock ?? '?'));
    const message = doorsMessage(account, monitorId, 'Unlocked', new Date());
    assert.equal(await post(account, message), 200);
    assert.equal(await post(account, message), 200, 'the redelivery is answered 200 too');
    assert.equal(account.stateOf(ev).doors?.lock, 'unlocked');
    assert.equal(seen[0], 'unlocked', 'the listener after the throwing one still hears the change');
    assert.equal(await post(account, doorsMessage(account, monitorId, 'Locked', new Date())), 200);
    assert.equal(account.stateOf(ev).doors?.lock, 'locked');
    const lines = h.logged.filter((l) => l.includes('listener bug'));
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines.find((l) => l.includes('state listener bug')) ?? '', /^error: a listener of the 'state' event threw \(state listener bug\); ignored/);
    assert.ok(lines.some((l) => l.includes("'notification' event threw (notification listener bug)")));
  });

  it('a monitor value dated in the future counts as received now (plus the allowed skew): later values still apply', async () => {
    const { account, monitorId } = await started();
    const before = Date.now();
    assert.equal(await post(account, doorsMessage(account, monitorId, 'Locked', new Date(before + 365 * 86_400_000))), 200);
    assert.equal(account.stateOf(ev).doors?.lock, 'locked');
    const at = Date.parse(account.stateOf(ev).doors?.at ?? '');
    assert.ok(at <= Date.now() + MONITOR_DATE_SKEW_MS, `the date is clamped (got ${account.stateOf(ev).doors?.at})`);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(await post(account, doorsMessage(account, monitorId, 'Unlocked', new Date(Date.now() + MONITOR_DATE_SKEW_MS + 1000))), 200);
    assert.equal(account.stateOf(ev).doors?.lock, 'unlocked', 'the next value is not ignored as older');
  });

  /**
   * Delivery paused, engine stopped, the car changed (its monitor message waits at Stellantis), a
   * new engine started with every API call slow: the simulator delivers the backlog as soon as the
   * new listener is registered, while the status reads and the monitor listing are still running.
   */
  async function backlogAtStart(beforeRestart: () => Promise<void> = async () => undefined) {
    const first = h.account();
    await first.start();
    h.sim.control.pauseDelivery();
    await first.stop();
    await beforeRestart();
    h.sim.control.setVehicle(ev, { locked: false });

    const second = h.account();
    const from = h.sim.calls.length;
    const listed = () => h.sim.calls.slice(from).filter((c) => c.method === 'GET' && c.path.endsWith('/monitors') && c.status !== 0).length;
    const applied: Array<{ lock?: string; listedBefore: number }> = [];
    const metas: Array<{ vehicleId?: string; listedBefore: number }> = [];
    second.on('state', (c: VehicleStateChange) => {
      if (c.source === 'monitor' && c.vehicleId === ev) applied.push({ lock: c.state.doors?.lock, listedBefore: listed() });
    });
    second.on('notification', (m: WebhookMessage, meta: { vehicleId?: string }) => {
      if (m.type === 'Monitor') metas.push({ ...meta, listedBefore: listed() });
    });
    // callbacks list, target update, 2 status reads, 2 monitor lists: each 400 ms
    h.sim.control.delayNext(6, 400);
    const starting = second.start();
    h.sim.control.resumeDelivery();
    await starting;
    await until(() => applied.length > 0, 3000, 'the backlog applied');

    return { applied, metas };
  }

  it('a backlog delivered right at start, before the monitors are listed, is applied (monitor ids kept from the last run)', async () => {
    const { applied, metas } = await backlogAtStart();
    assert.equal(applied[0].lock, 'unlocked');
    assert.equal(metas.length, 1);
    assert.deepEqual(metas[0], { vehicleId: ev, listedBefore: 0 }, 'delivered before any monitor list answered, and known as ours');
    assert.equal(applied[0].listedBefore, 0, 'applied at once');
  });

  it('without saved monitor ids the backlog is held until the monitors are listed, then applied', async () => {
    const callbackFile = storageFile(h.dir, 'callback', accountKeyOf(h.config));
    const { applied, metas } = await backlogAtStart(async () => {
      // As a file written before the monitor ids were kept.
      const saved = JSON.parse(await fs.readFile(callbackFile, 'utf8')) as { monitors?: unknown };
      assert.ok(saved.monitors, 'the monitor ids are saved beside the callback id');
      delete saved.monitors;
      await fs.writeFile(callbackFile, JSON.stringify(saved));
    });
    assert.deepEqual(metas, [{ listedBefore: 0 }], 'delivered before the listing, its vehicle not known yet');
    assert.equal(applied.length, 1);
    assert.equal(applied[0].lock, 'unlocked');
    assert.ok(applied[0].listedBefore >= 1, 'applied once the monitors were listed');
  });

  it('monitor values held for an unknown monitor are bounded in size and age', () => {
    let now = 0;
    const hold = new MonitorHold({ ttlMs: 1000, maxChars: 250, now: () => now });
    const held = (monitorId: string, literalValue: string) => ({ monitorId, at: now, values: [{ data: DOORS, literalValue }] });
    hold.hold(held('m1', 'Locked'));
    hold.hold(held('m2', 'x'.repeat(500)));
    hold.hold(held('m3', 'Unlocked'));
    hold.hold(held('m4', 'Unlocked'));
    const first = hold.take();
    assert.deepEqual(first.held.map((x) => x.monitorId), ['m3', 'm4'], 'too big refused, oldest dropped for room');
    assert.equal(first.lost, 2);
    assert.equal(hold.size, 0);
    hold.hold(held('m5', 'Locked'));
    now = 1001;
    hold.hold(held('m6', 'Locked'));
    assert.deepEqual(hold.take(), { held: [held('m6', 'Locked')], lost: 1 });
  });
});
