/**
 * Remotes in flight survive a restart (stopped handles end 'Timeout' with the reason, a new account
 * on the same storage folder follows them to their end), and the wake-up guard holds across it.
 */
import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import { harnessPerTest, callsSince, until, sleep, type Harness } from './harness';
import { startAnswerProxy } from './answerProxy';
import { accountKeyOf, storageFile } from '../../src/engine/storageFiles';
import type { RemoteProgress } from '../../src/engine/types';
import type { StellantisAccount } from '../../src/engine/stellantisAccount';

const GET = 'GET';
const POST = 'POST';

describe('engine: restart and wake-up guard', function () {
  this.timeout(15_000);
  let h: Harness;
  let ev: string;

  harnessPerTest({}, (started) => {
    h = started;
    ev = h.sim.vehicles[0].id;
  });

  /** The account started again on the same storage, until the remote it resumed ends: its progress, and the calls since. */
  async function restartUntilTheEnd(): Promise<{ second: StellantisAccount; progress: RemoteProgress[]; count: ReturnType<typeof callsSince> }> {
    const count = callsSince(h.sim);
    const second = h.account();
    const progress: RemoteProgress[] = [];
    second.on('remote', (p: RemoteProgress) => progress.push(p));
    await second.start();
    await until(() => progress.some((p) => p.end), 3000, 'the resumed remote ends');
    return { second, progress, count };
  }

  const inFlightFile = (): string => storageFile(h.dir, 'remotes-in-flight', accountKeyOf(h.config));
  const savedRemotes = async (): Promise<Array<{ requestId: string; remoteActionId?: string }>> =>
    (JSON.parse(await fs.readFile(inFlightFile(), 'utf8')) as { remotes: Array<{ requestId: string; remoteActionId?: string }> }).remotes;

  it('stop() with a remote waiting for the car: the handle ends Timeout with the reason; the next start follows it to its end', async () => {
    const first = h.account();
    await first.start();
    h.sim.control.setVehicle(ev, { locked: false });
    h.sim.control.pauseDelivery();
    const handle = first.send(ev, { kind: 'lock' });
    const { remoteActionId } = await handle.accepted;
    assert.ok(remoteActionId);
    await first.stop();
    const end = await handle.done;
    assert.equal(end.result, 'Timeout');
    assert.equal(end.explanation, 'stopped before the car answered; it will be followed after restart');
    assert.deepEqual(
      (await savedRemotes()).map((r) => [r.requestId, r.remoteActionId]),
      [[handle.requestId, remoteActionId]],
    );

    const client = h.inspector();
    for (let done = false; !done; ) {
      const state = await client.getRemote(ev, first.callbackId!, remoteActionId);
      done = state.status === 'Success';
      if (!done) await sleep(10);
    }
    const { second, progress, count } = await restartUntilTheEnd();
    const last = progress[progress.length - 1];
    assert.equal(last.requestId, handle.requestId, 'same request id across the restart');
    assert.equal(last.remoteActionId, remoteActionId);
    assert.equal(last.end?.result, 'Success');
    assert.equal(count(GET, `/remotes/${remoteActionId}`), 1, 'read back once at start');
    assert.equal(count(POST, '/remotes'), 0, 'never sent again');
    await second.stop();
    assert.deepEqual(await savedRemotes(), []);
  });

  it('stop() while the POST is unanswered: after restart the remote is found by its label and followed', async () => {
    const proxy = await startAnswerProxy(h.sim.b2cBaseUrl);
    try {
      const first = h.account({ config: { baseUrl: proxy.url } });
      await first.start();
      h.sim.control.setVehicle(ev, { locked: false });
      proxy.next(1, { kind: 'delay', ms: 2000 });
      const handle = first.send(ev, { kind: 'lock' });
      await until(() => handle.phase === 'sending' && h.sim.callCount({ method: POST, pathIncludes: '/remotes' }) === 1, 3000, 'the POST reached Stellantis');
      await first.stop();
      assert.equal((await handle.done).result, 'Timeout');
      const saved = await savedRemotes();
      assert.equal(saved.length, 1);
      assert.equal(saved[0].remoteActionId, undefined);

      const { progress, count } = await restartUntilTheEnd();
      assert.equal(progress[progress.length - 1].end?.result, 'Success');
      assert.equal(count(GET, '/remotes'), 1, 'one list read');
      assert.equal(count(POST, '/remotes'), 0);
    } finally {
      await proxy.close();
    }
  });

  it('a queued remote at stop ends Rejected (never sent), and is not resumed', async () => {
    const account = h.account();
    await account.start();
    h.sim.control.pauseDelivery();
    const running = account.send(ev, { kind: 'horn' });
    const queued = account.send(ev, { kind: 'lights' });
    await running.accepted;
    await account.stop();
    assert.equal((await queued.done).result, 'Rejected');
    assert.match((await queued.done).explanation ?? '', /stopped before it was sent/);
    assert.equal((await savedRemotes()).length, 1);
  });

  it('limits refresh locally: the third within the window is refused without a call', async () => {
    const account = h.account({ options: { wakeUpGuard: { max: 2, windowMs: 60_000 } } });
    await account.start();
    const count = callsSince(h.sim);
    assert.equal((await account.send(ev, { kind: 'refresh' }).done).result, 'Success');
    assert.equal((await account.send(ev, { kind: 'refresh' }).done).result, 'Success');
    const third = await account.send(ev, { kind: 'refresh' }).done;
    assert.equal(third.result, 'Rejected');
    assert.match(third.explanation ?? '', /refresh limited to 2 per 1 minutes.*try again in 1 minute/);
    assert.equal(count(POST, '/remotes'), 2);
    assert.equal((await account.send(h.sim.vehicles[1].id, { kind: 'refresh' }).done).result, 'Success', 'per vehicle');
  });

  it('after TooManyWakeUpsOverMonth no refresh is sent until next month, also after a restart', async () => {
    const first = h.account();
    await first.start();
    h.sim.control.setVehicle(ev, { asleep: true });
    h.sim.control.exhaustWakeUps(ev);
    const { result, failureCause, explanation } = await first.send(ev, { kind: 'refresh' }).done;
    assert.equal(result, 'Failed');
    assert.equal(failureCause, 'TooManyWakeUpsOverMonth');
    assert.match(explanation ?? '', /woken up too many times this month/);
    const count = callsSince(h.sim);
    const again = await first.send(ev, { kind: 'refresh' }).done;
    assert.equal(again.result, 'Rejected');
    assert.match(again.explanation ?? '', /monthly wake-up limit/);
    await first.stop();

    const second = h.account();
    await second.start();
    const afterRestart = await second.send(ev, { kind: 'refresh' }).done;
    assert.equal(afterRestart.result, 'Rejected');
    assert.equal(count(POST, '/remotes'), 0);
  });
});
