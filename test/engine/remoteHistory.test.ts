/**
 * The last remote ends per vehicle, persisted for the settings page: steps and failure cause as
 * the engine saw them, newest first, bounded, no secret; read again by the next start.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { harnessPerTest, type Harness } from './harness';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import { REMOTE_HISTORY_PER_VEHICLE, RemoteHistory, type RemoteHistoryEntry } from '../../src/remotes/remoteHistory';
import type { RemoteProgress } from '../../src/engine/types';

describe('engine: remote history (the last ends per vehicle, on disk)', function () {
  this.timeout(15_000);
  let h: Harness;

  harnessPerTest({}, (started) => (h = started));

  const historyFile = (): string => storageFile(h.dir, 'remote-history', accountKeyOf(h.config));
  const saved = async (): Promise<Record<string, RemoteHistoryEntry[]>> =>
    (JSON.parse(await fs.readFile(historyFile(), 'utf8')) as { vehicles: Record<string, RemoteHistoryEntry[]> }).vehicles;

  it('keeps a failed and a successful lock with their steps and cause, newest first, mode 0600, no secret', async () => {
    const ev = h.sim.vehicles[0].id;
    const account = h.account();
    await account.start();
    h.sim.control.setVehicle(ev, { locked: false, doorsOpen: true });
    const failed = await account.send(ev, { kind: 'lock' }).done;
    assert.equal(failed.failureCause, 'DoorsOpen');
    h.sim.control.setVehicle(ev, { doorsOpen: false });
    assert.equal((await account.send(ev, { kind: 'lock' }).done).result, 'Success');
    await account.stop();

    const list = (await saved())[ev];
    assert.deepEqual(list.map((e) => [e.action.kind, e.end.result, e.end.failureCause]), [['lock', 'Success', undefined], ['lock', 'Failed', 'DoorsOpen']]);
    const phases = list[1].steps.map((s) => s.phase);
    assert.deepEqual(phases.slice(0, 2), ['sending', 'sent']);
    assert.ok(list[1].steps.every((s) => typeof s.text === 'string' && s.text !== '' && s.at > 0));
    assert.match(list[1].end.explanation ?? '', /door/);
    assert.equal((await fs.stat(historyFile())).mode & 0o777, 0o600);
    const text = await fs.readFile(historyFile(), 'utf8');
    const secretFile = JSON.parse(await fs.readFile(storageFile(h.dir, 'webhook-secret', accountKeyOf(h.config)), 'utf8')) as { secret: string };
    for (const secret of [h.config.clientSecret!, secretFile.secret]) assert.ok(!text.includes(secret), 'no secret in the history');

    // The next start keeps the history and adds to it.
    const second = h.account();
    await second.start();
    await second.send(ev, { kind: 'unlock' }).done;
    await second.stop();
    assert.deepEqual((await saved())[ev].map((e) => e.action.kind), ['unlock', 'lock', 'lock']);
  });

  it(`keeps the newest ${REMOTE_HISTORY_PER_VEHICLE} ends per vehicle`, async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'history-'));
    try {
      const file = path.join(dir, 'h.json');
      const history = new RemoteHistory(file);
      for (let i = 0; i < REMOTE_HISTORY_PER_VEHICLE + 3; i++) {
        const base: RemoteProgress = { vehicleId: 'V1', requestId: `r${i}`, action: { kind: 'lock' }, phase: 'sending', text: 'sending', at: i };
        history.record(base);
        history.record({ ...base, phase: 'done', text: 'done', end: { result: 'Success', at: i } });
      }
      await history.flush();
      const reread = new RemoteHistory(file);
      await reread.load();
      const ids = reread.list('V1').map((e) => e.requestId);
      assert.equal(ids.length, REMOTE_HISTORY_PER_VEHICLE);
      assert.equal(ids[0], `r${REMOTE_HISTORY_PER_VEHICLE + 2}`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
