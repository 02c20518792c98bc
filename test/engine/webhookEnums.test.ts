/**
 * Every value of every enum of the official webhook template, generated from the YAML, reaching
 * the engine through its real listener: each failure cause ends a real remote with its own
 * explanation, each Pending status becomes a step, each monitor data is received (and the ones the
 * state reader knows change the state).
 */
import { strict as assert } from 'node:assert';
import { harness, until, type Harness, postWebhook } from './harness';
import { webhookSpec } from '../helpers/spec';
import { explainFailure, explainPending, sentence } from '../../src/remotes/explanations';
import type { StellantisAccount } from '../../src/engine/stellantisAccount';
import type { RemoteProgress, VehicleStateChange } from '../../src/engine/types';
import type { WebhookMessage } from '../../src/stellantis/wire';

const SECRET = 'enum-test-secret-0123456789abcdef';

describe('engine: every enum value of the webhook template', function () {
  this.timeout(20_000);
  let h: Harness;
  let account: StellantisAccount;
  let ev: string;
  const enums = webhookSpec().enums;

  before(async () => {
    h = await harness({ config: { webhook: { host: '127.0.0.1', port: 0, secret: SECRET } } });
    ev = h.sim.vehicles[0].id;
    account = h.account();
    await account.start();
    // The simulator's own notifications are held back: the test speaks for Stellantis here.
    h.sim.control.pauseDelivery();
  });
  after(async () => {
    await h.cleanup();
  });
  afterEach(() => {
    account.removeAllListeners('notification');
    account.removeAllListeners('state');
  });

  const post = (body: unknown): Promise<number> => postWebhook(account.webhookTarget, SECRET, body);

  function remoteMessage(rid: string, type: string, status: string, extra: Record<string, string> = {}, i = 0): WebhookMessage {
    return {
      callbackId: account.callbackId,
      type: 'Remote',
      date: new Date().toISOString(),
      remoteEvent: { remoteActionId: rid, remoteType: enums.remoteType[i % enums.remoteType.length], eventStatus: { type, status, ...extra } },
    };
  }

  it('generates messages that the official template accepts', () => {
    assert.ok(enums.failureCause.length >= 20);
    const m = remoteMessage('r', 'Done', 'Failed', { failureCause: enums.failureCause[0] });
    assert.deepEqual(webhookSpec().validateMessage(m), []);
  });

  it('each failure cause ends a remote as Failed with its own explanation', async () => {
    let i = 0;
    for (const cause of enums.failureCause) {
      const handle = account.send(ev, { kind: 'horn' });
      const { remoteActionId } = await handle.accepted;
      assert.ok(remoteActionId);
      const message = remoteMessage(remoteActionId, 'Done', 'Failed', { failureCause: cause }, i++);
      assert.deepEqual(webhookSpec().validateMessage(message), []);
      assert.equal(await post(message), 200);
      const end = await handle.done;
      assert.equal(end.result, 'Failed', cause);
      assert.equal(end.failureCause, cause);
      assert.equal(end.explanation, sentence(explainFailure(cause)));
    }
  });

  it('each Pending status becomes a step, each Done status an end; feedback details are accepted', async () => {
    const doneResults: Record<string, string> = { Success: 'Success', AlreadyDone: 'AlreadyDone', Failed: 'Failed' };
    assert.deepEqual([...enums.doneStatus].sort(), Object.keys(doneResults).sort());
    for (const [d, done] of enums.doneStatus.entries()) {
      const handle = account.send(ev, { kind: 'lights' });
      const steps: RemoteProgress[] = [];
      handle.on('progress', (p) => steps.push(p));
      const { remoteActionId } = await handle.accepted;
      assert.ok(remoteActionId);
      const batch = enums.pendingStatus.map((s, i) => remoteMessage(remoteActionId, 'Pending', s, {}, i));
      const feedback = enums.feedbackDetail[d % enums.feedbackDetail.length];
      batch.push(remoteMessage(remoteActionId, 'Done', done, done === 'Failed' ? { failureCause: 'GeneralError' } : { feedbackDetail: feedback }));
      assert.deepEqual(webhookSpec().validateMessage(batch), []);
      assert.equal(await post(batch), 200);
      const end = await handle.done;
      assert.equal(end.result, doneResults[done]);
      const pending = steps.filter((s) => s.phase === 'pending');
      assert.deepEqual(pending.map((s) => s.pendingStatus), enums.pendingStatus);
      for (const s of pending) assert.ok(s.text.endsWith(explainPending(s.pendingStatus ?? '').text), s.text);
    }
  });

  it('each monitor data value and message type reaches the engine; the known ones change the state', async () => {
    const client = account.client;
    const monitorId = (await client.listMonitors(ev, account.callbackId!)).find((m) => m.monitor?.label?.includes(':state:'))?.monitorId;
    assert.ok(monitorId);
    const received: WebhookMessage[] = [];
    const states: VehicleStateChange[] = [];
    account.on('notification', (m: WebhookMessage, meta: { vehicleId?: string }) => {
      assert.equal(meta.vehicleId, ev, 'the vehicle of our monitor');
      received.push(m);
    });
    account.on('state', (c: VehicleStateChange) => states.push(c));
    const literal: Record<string, string> = {
      'vehicle.doorsState.lockedState': 'Unlocked',
      'vehicle.energy.electric.level': '41',
      'vehicle.energy.electric.autonomy': '173',
      'vehicle.energy.fuel.level': '12',
      'vehicle.energy.charging.status': 'InProgress',
      'vehicle.energy.charging.plugged': 'true',
      'vehicle.preconditioning.airConditioning': 'Enabled',
      'environment.air.temp': '7',
    };
    const batch: WebhookMessage[] = enums.monitorData.map((data) => ({
      callbackId: account.callbackId,
      type: 'Monitor',
      date: new Date().toISOString(),
      monitorEvent: { monitorId, values: [{ data, value: { type: 'string', body: { literalValue: literal[data] ?? '1' } } }], refresh: false },
    }));
    assert.ok(enums.messageType.includes('Monitor') && enums.messageType.includes('Remote'));
    assert.deepEqual(webhookSpec().validateMessage(batch), []);
    assert.equal(await post(batch), 200);
    await until(() => received.length === enums.monitorData.length, 2000, 'every monitor message');
    assert.equal(states.filter((s) => s.source === 'monitor').length, 1, 'one state change for the whole batch');
    const state = account.stateOf(ev);
    assert.equal(state.doors?.lock, 'unlocked');
    assert.equal(state.battery?.level, 41);
    assert.equal(state.charging?.status, 'InProgress');
    assert.equal(state.preconditioning?.on, true);
    assert.equal(state.outsideTemperature?.celsius, 7);
    assert.equal(state.battery?.rangeKm, 173);
    assert.equal(state.fuel?.level, 12);
    assert.equal(state.charging?.plugged, true);
  });

  it('a Remote message for an unknown remote id is kept aside, never an error', async () => {
    const metas: Array<{ vehicleId?: string }> = [];
    account.on('notification', (_m: WebhookMessage, meta: { vehicleId?: string }) => metas.push(meta));
    assert.equal(await post(remoteMessage('not-ours', 'Done', 'Success')), 200);
    assert.deepEqual(metas, [{}]);
  });

  it('names the vehicle of a remote message it follows', async () => {
    const handle = account.send(ev, { kind: 'horn' });
    const { remoteActionId } = await handle.accepted;
    const metas: Array<{ vehicleId?: string }> = [];
    account.on('notification', (_m: WebhookMessage, meta: { vehicleId?: string }) => metas.push(meta));
    assert.equal(await post(remoteMessage(remoteActionId!, 'Done', 'Success')), 200);
    assert.equal((await handle.done).result, 'Success');
    assert.deepEqual(metas, [{ vehicleId: ev }]);
  });
});
