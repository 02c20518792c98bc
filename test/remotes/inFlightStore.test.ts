import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InFlightStore, type InFlightRecord } from '../../src/remotes/inFlightStore';
import { WakeUpGuard } from '../../src/remotes/wakeUpGuard';

describe('remotes/inFlightStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'inflight-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const rec = (requestId: string, extra: Partial<InFlightRecord> = {}): InFlightRecord => ({
    requestId,
    vehicleId: 'v1',
    action: { kind: 'lock' },
    label: `hs/${requestId}`,
    sentAt: 1,
    ...extra,
  });

  it('persists puts, updates and removals atomically (0600) and reads them back', async () => {
    const file = path.join(dir, 'sub', 'remotes.json');
    const store = new InFlightStore(file);
    void store.put(rec('a'));
    void store.put(rec('b'));
    void store.update('a', { remoteActionId: 'rid-a', callbackId: 'cb' });
    void store.remove('b');
    await store.flush();
    const mode = (await fs.stat(file)).mode & 0o777;
    assert.equal(mode, 0o600);
    assert.deepEqual((await fs.readdir(path.dirname(file))).filter((f) => f.endsWith('.tmp')), []);

    const again = new InFlightStore(file);
    const { records, problem } = await again.load();
    assert.equal(problem, undefined);
    assert.deepEqual(records, [rec('a', { remoteActionId: 'rid-a', callbackId: 'cb' })]);
  });

  it('starts empty on a missing file, and explains a corrupt one', async () => {
    const file = path.join(dir, 'remotes.json');
    assert.deepEqual(await new InFlightStore(file).load(), { records: [] });
    await fs.writeFile(file, '{not json');
    const loaded = await new InFlightStore(file).load();
    assert.deepEqual(loaded.records, []);
    assert.match(loaded.problem ?? '', /remotes\.json: not valid JSON/);
  });

  it('keeps readable entries and counts the others', async () => {
    const file = path.join(dir, 'remotes.json');
    await fs.writeFile(file, JSON.stringify({ version: 1, remotes: [rec('ok'), { requestId: 'x' }, 42, rec('bad', { remoteActionId: 5 as unknown as string })] }));
    const loaded = await new InFlightStore(file).load();
    assert.deepEqual(loaded.records.map((r) => r.requestId), ['ok']);
    assert.match(loaded.problem ?? '', /3 unreadable entries/);
  });

  it('coalesces a burst of changes into few writes', async () => {
    const file = path.join(dir, 'remotes.json');
    const store = new InFlightStore(file);
    const ops: Array<Promise<void>> = [];
    for (let i = 0; i < 200; i++) ops.push(store.put(rec(`r${i}`)));
    for (let i = 0; i < 200; i++) ops.push(store.remove(`r${i}`));
    await Promise.all(ops);
    await store.flush();
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { remotes: unknown[] };
    assert.deepEqual(saved.remotes, []);
  });
});

describe('remotes/wakeUpGuard', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'wakeup-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('allows max refreshes per window per vehicle, then says when to retry', () => {
    let now = 1_000_000;
    const guard = new WakeUpGuard({ max: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      assert.equal(guard.check('v1').allowed, true);
      guard.record('v1');
      now += 1000;
    }
    const verdict = guard.check('v1');
    assert.equal(verdict.allowed, false);
    if (verdict.allowed) return;
    assert.equal(verdict.reason, 'local-limit');
    assert.equal(verdict.until, 1_000_000 + 60_000);
    assert.match(verdict.explanation, /3 per 1 minutes.*try again in 1 minute/);
    assert.equal(guard.check('v2').allowed, true, 'per vehicle');
    now = 1_000_000 + 60_001;
    assert.equal(guard.check('v1').allowed, true, 'the oldest left the window');
  });

  it('blocks until the next calendar month after the monthly cap, across restarts', async () => {
    const file = path.join(dir, 'wakeups.json');
    const now = new Date(2031, 4, 17, 12, 0).getTime();
    const guard = new WakeUpGuard({ max: 6, windowMs: 20 * 60_000, path: file, now: () => now });
    guard.blockUntilNextMonth('v1');
    guard.record('v2');
    await guard.flush();

    const restarted = new WakeUpGuard({ max: 6, windowMs: 20 * 60_000, path: file, now: () => now + 86_400_000 });
    assert.equal(await restarted.load(), undefined);
    const verdict = restarted.check('v1');
    assert.equal(verdict.allowed, false);
    if (!verdict.allowed) {
      assert.equal(verdict.reason, 'monthly-cap');
      assert.equal(verdict.until, new Date(2031, 5, 1).getTime());
    }
    assert.equal(restarted.check('v2').allowed, true);

    const nextMonth = new WakeUpGuard({ max: 6, windowMs: 20 * 60_000, path: file, now: () => new Date(2031, 5, 1, 0, 0, 1).getTime() });
    await nextMonth.load();
    assert.equal(nextMonth.check('v1').allowed, true);
  });

  it('rejects a nonsense configuration and tolerates a corrupt file', async () => {
    assert.throws(() => new WakeUpGuard({ max: 0, windowMs: 1 }), /max must be >= 1/);
    const file = path.join(dir, 'wakeups.json');
    await fs.writeFile(file, '[[[');
    const guard = new WakeUpGuard({ max: 1, windowMs: 1000, path: file });
    assert.match((await guard.load()) ?? '', /not valid JSON/);
    assert.equal(guard.check('v1').allowed, true);
  });
});
