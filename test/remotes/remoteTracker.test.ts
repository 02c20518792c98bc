import { strict as assert } from 'node:assert';
import { RemoteTracker, observationFromMessage, observationFromState, type RemoteObservation } from '../../src/remotes/remoteTracker';
import { RemoteDispatcher } from '../../src/remotes/remoteDispatcher';
import { RemoteRequest } from '../../src/remotes/remoteRequest';
import type { RemoteEnd, RemoteProgress } from '../../src/engine/types';
import type { WebhookMessage } from '../../src/stellantis/wire';

const pending = (status: string): RemoteObservation => ({ type: 'Pending', status });
const done = (status: string, failureCause?: string): RemoteObservation => ({ type: 'Done', status, failureCause });

function tracked(rid = 'r1', readBack: () => Promise<undefined> = () => Promise.resolve(undefined)) {
  const steps: string[] = [];
  const ends: Array<Omit<RemoteEnd, 'at'>> = [];
  const tracker = new RemoteTracker({
    remoteActionId: rid,
    noNotificationTimeoutMs: 60_000,
    readBackBackoffMs: [],
    readBack,
    onPending: (s) => steps.push(s),
    onEnd: (e) => ends.push(e),
  });
  return { tracker, steps, ends };
}

describe('remotes/remoteTracker', () => {
  it('reads remote steps from webhook messages and read-backs', () => {
    const msg: WebhookMessage = {
      callbackId: 'cb',
      type: 'Remote',
      remoteEvent: { remoteActionId: 'r9', remoteType: 'Doors', eventStatus: { type: 'Done', status: 'Failed', failureCause: 'DoorsOpen' } },
    };
    assert.deepEqual(observationFromMessage(msg), {
      remoteActionId: 'r9',
      observation: { type: 'Done', status: 'Failed', failureCause: 'DoorsOpen', feedbackDetail: undefined },
    });
    assert.equal(observationFromMessage({ type: 'Monitor', monitorEvent: { monitorId: 'm' } }), undefined);
    assert.equal(observationFromMessage({ remoteEvent: { remoteActionId: 'r', eventStatus: { type: 'Pending' } } } as WebhookMessage), undefined);
    assert.equal(observationFromState({ status: 'SentToVehicle' })?.type, 'Pending');
    assert.equal(observationFromState({ status: 'AlreadyDone' })?.type, 'Done');
    assert.equal(observationFromState({}), undefined);
  });

  it('walks Pending steps then one Done, ignoring duplicates and Pending after Done', () => {
    const { tracker, steps, ends } = tracked();
    tracker.notify(pending('Accepted'));
    tracker.notify(pending('Accepted'));
    tracker.notify(pending('SentToVehicle'));
    tracker.notify(done('Success'));
    tracker.notify(pending('CheckingVehicle'));
    tracker.notify(done('Success'));
    tracker.notify(done('Failed', 'GeneralError'));
    assert.deepEqual(steps, ['Accepted', 'SentToVehicle']);
    assert.deepEqual(ends, [{ result: 'Success' }]);
    assert.ok(tracker.ended);
  });

  it('accepts Done without any Pending and explains failures', () => {
    const { tracker, steps, ends } = tracked();
    tracker.notify(done('Failed', 'DoorsOpen'));
    assert.deepEqual(steps, []);
    assert.equal(ends[0].result, 'Failed');
    assert.equal(ends[0].failureCause, 'DoorsOpen');
    assert.match(ends[0].explanation ?? '', /close the doors/);
  });

  it('maps AlreadyDone', () => {
    const { tracker, ends } = tracked();
    tracker.notify(done('AlreadyDone'));
    assert.deepEqual(ends, [{ result: 'AlreadyDone' }]);
  });
});

describe('remotes/remoteDispatcher', () => {
  it('buffers notifications that arrive before the POST answer and hands them over in order', () => {
    const dispatcher = new RemoteDispatcher();
    assert.equal(dispatcher.dispatch('r1', pending('Accepted')), 'buffered');
    assert.equal(dispatcher.dispatch('r1', done('Success')), 'buffered');
    const { tracker, steps, ends } = tracked('r1');
    dispatcher.register(tracker);
    assert.deepEqual(steps, ['Accepted']);
    assert.deepEqual(ends, [{ result: 'Success' }]);
    assert.equal(dispatcher.orphanCount, 0);
    assert.equal(dispatcher.dispatch('r1', done('Failed')), 'delivered');
    assert.equal(ends.length, 1);
  });

  it('bounds the buffer in count and age', () => {
    let now = 0;
    const dispatcher = new RemoteDispatcher({ maxOrphans: 3, orphanTtlMs: 1000, now: () => now });
    for (const rid of ['a', 'b', 'c', 'd']) dispatcher.dispatch(rid, pending('Accepted'));
    assert.equal(dispatcher.orphanCount, 3);
    now = 5000;
    dispatcher.dispatch('e', pending('Accepted'));
    assert.equal(dispatcher.orphanCount, 1);
    const { tracker, steps } = tracked('a');
    dispatcher.register(tracker);
    assert.deepEqual(steps, [], 'evicted notifications are gone');
  });
});

describe('remotes/remoteRequest', () => {
  it('emits each step on the handle and through forward, and settles done once', async () => {
    const forwarded: RemoteProgress[] = [];
    const req = new RemoteRequest({ vehicleId: 'v1', action: { kind: 'lock' }, forward: (p) => forwarded.push(p) });
    const onHandle: RemoteProgress[] = [];
    req.on('progress', (p) => onHandle.push(p));
    req.step('queued');
    req.step('sending');
    req.markSent('rid-1');
    req.markPending('WakingUpVehicle');
    assert.equal(req.phase, 'pending');
    assert.ok(req.finish({ result: 'Success' }));
    assert.equal(req.finish({ result: 'Failed' }), false);
    req.markPending('SentToVehicle');
    const end = await req.done;
    assert.equal(end.result, 'Success');
    assert.equal(end.remoteActionId, 'rid-1');
    assert.deepEqual((await req.accepted).remoteActionId, 'rid-1');
    assert.deepEqual(
      onHandle.map((p) => p.phase),
      ['queued', 'sending', 'sent', 'pending', 'done'],
    );
    assert.deepEqual(forwarded, onHandle);
    assert.equal(onHandle[3].pendingStatus, 'WakingUpVehicle');
    assert.match(onHandle[3].text, /waking the car/);
    assert.equal(onHandle[4].text, 'lock: done');
  });

  it('resolves accepted with the end when it never reached the API, and survives a throwing listener', async () => {
    const req = new RemoteRequest({ vehicleId: 'v1', action: { kind: 'horn' } });
    req.on('progress', () => {
      throw new Error('listener bug');
    });
    req.finish({ result: 'Rejected', explanation: 'no' });
    const acc = await req.accepted;
    assert.equal(acc.remoteActionId, undefined);
    assert.equal(acc.end?.result, 'Rejected');
  });
});
