import { strict as assert } from 'node:assert';
import { VehicleQueue } from '../../src/remotes/vehicleQueue';
import { actionIdentity, subjectOf } from '../../src/remotes/actionKeys';
import type { RemoteAction } from '../../src/stellantis/actions';

interface Item {
  vehicleId: string;
  action: RemoteAction;
  n: number;
}

/** A queue whose items finish when the test says so. */
function harness() {
  const started: Item[] = [];
  const finishers = new Map<Item, () => void>();
  let n = 0;
  const queue = new VehicleQueue<Item>((item) => {
    started.push(item);
    return new Promise<void>((resolve) => finishers.set(item, resolve));
  });
  const add = (vehicleId: string, action: RemoteAction) => queue.enqueue(vehicleId, action, () => ({ vehicleId, action, n: ++n }));
  const finish = async (item: Item) => {
    finishers.get(item)?.();
    await new Promise((r) => setImmediate(r));
  };
  return { queue, started, add, finish };
}

describe('remotes/actionKeys', () => {
  it('gives deep-equal actions the same identity whatever the key order', () => {
    assert.equal(
      actionIdentity({ kind: 'navigate', points: [{ lat: 1, lon: 2 }] }),
      actionIdentity({ points: [{ lon: 2, lat: 1 }], kind: 'navigate' } as RemoteAction),
    );
    assert.notEqual(actionIdentity({ kind: 'charge', on: true }), actionIdentity({ kind: 'charge', on: false }));
  });

  it('puts lock and unlock on one subject, horn on none', () => {
    assert.equal(subjectOf({ kind: 'lock' }), subjectOf({ kind: 'unlock' }));
    assert.equal(subjectOf({ kind: 'horn' }), undefined);
  });
});

describe('remotes/vehicleQueue', () => {
  it('runs one item at a time per vehicle, vehicles in parallel', async () => {
    const h = harness();
    const a = h.add('v1', { kind: 'lock' }).item;
    h.add('v1', { kind: 'horn' });
    const c = h.add('v2', { kind: 'lights' }).item;
    assert.deepEqual(h.started, [a, c]);
    assert.equal(h.queue.waiting('v1').length, 1);
    await h.finish(a);
    assert.equal(h.started.length, 3);
    assert.equal(h.started[2].action.kind, 'horn');
  });

  it('merges three identical requests into one item (running or waiting)', async () => {
    const h = harness();
    const first = h.add('v1', { kind: 'lock' });
    const second = h.add('v1', { kind: 'lock' });
    const third = h.add('v1', { kind: 'lock' });
    assert.equal(first.merged, false);
    assert.ok(second.merged && third.merged);
    assert.equal(second.item, first.item);
    assert.equal(third.item, first.item);
    assert.equal(h.started.length, 1);

    const horn1 = h.add('v1', { kind: 'horn' });
    const horn2 = h.add('v1', { kind: 'horn' });
    assert.equal(horn2.item, horn1.item, 'identical waiting requests merge too');
    assert.equal(h.queue.waiting('v1').length, 1);
  });

  it('replaces a waiting request by a contradicting one', async () => {
    const h = harness();
    const horn = h.add('v1', { kind: 'horn' }).item;
    const lock = h.add('v1', { kind: 'lock' }).item;
    const unlock = h.add('v1', { kind: 'unlock' });
    assert.deepEqual(unlock.superseded, [lock]);
    assert.deepEqual(h.queue.waiting('v1'), [unlock.item]);
    await h.finish(horn);
    assert.deepEqual(h.started.map((i) => i.action.kind), ['horn', 'unlock']);
  });

  it('does not merge into the running item when a contradicting one waits after it, but replaces that one', () => {
    const h = harness();
    const lock = h.add('v1', { kind: 'lock' }).item;
    const unlock = h.add('v1', { kind: 'unlock' }).item;
    const lockAgain = h.add('v1', { kind: 'lock' });
    // The user's last word is "lock": the waiting unlock goes, and lock joins the running lock.
    assert.deepEqual(lockAgain.superseded, [unlock]);
    assert.equal(lockAgain.item, lock);
    assert.equal(h.queue.waiting('v1').length, 0);
  });

  it('queues a contradicting request behind the running one', () => {
    const h = harness();
    h.add('v1', { kind: 'charge', on: true });
    const off = h.add('v1', { kind: 'charge', on: false });
    assert.equal(off.merged, false);
    assert.deepEqual(off.superseded, []);
    assert.deepEqual(h.queue.waiting('v1'), [off.item]);
  });

  it('runs a resumed item first, and forgets empty vehicles', async () => {
    const h = harness();
    const lights = h.add('v1', { kind: 'lights' }).item;
    h.add('v1', { kind: 'horn' });
    const resumed: Item = { vehicleId: 'v1', action: { kind: 'lock' }, n: 99 };
    h.queue.enqueueFirst(resumed);
    await h.finish(lights);
    assert.equal(h.started[1], resumed);
    await h.finish(resumed);
    await h.finish(h.started[2]);
    assert.equal(h.queue.activeLanes, 0);
  });

  it('keeps going when a run throws or rejects', async () => {
    const errors: unknown[] = [];
    const ran: string[] = [];
    const queue = new VehicleQueue<Item>(
      (item) => {
        ran.push(item.action.kind);
        if (item.action.kind === 'horn') throw new Error('boom');
        return Promise.reject(new Error('nope'));
      },
      (_item, err) => errors.push(err),
    );
    queue.enqueue('v', { kind: 'horn' }, () => ({ vehicleId: 'v', action: { kind: 'horn' }, n: 1 }));
    queue.enqueue('v', { kind: 'lights' }, () => ({ vehicleId: 'v', action: { kind: 'lights' }, n: 2 }));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(ran, ['horn', 'lights']);
    assert.equal(errors.length, 2);
  });

  it('close() hands back the waiting items and starts nothing more', async () => {
    const h = harness();
    const running = h.add('v1', { kind: 'lock' }).item;
    const waiting = h.add('v1', { kind: 'horn' }).item;
    assert.deepEqual(h.queue.close(), [waiting]);
    await h.finish(running);
    assert.equal(h.started.length, 1);
  });
});

describe('remotes/vehicleQueue: ended items', () => {
  it('never merges a request into a running item whose end is already known', () => {
    const ended = new Set<Item>();
    const queue = new VehicleQueue<Item>(
      () => new Promise<void>(() => undefined),
      () => undefined,
      (item) => !ended.has(item),
    );
    const first = queue.enqueue('v', { kind: 'refresh' }, () => ({ vehicleId: 'v', action: { kind: 'refresh' }, n: 1 })).item;
    ended.add(first);
    const second = queue.enqueue('v', { kind: 'refresh' }, () => ({ vehicleId: 'v', action: { kind: 'refresh' }, n: 2 }));
    assert.equal(second.merged, false);
    assert.notEqual(second.item, first);
  });
});
