/**
 * stellantis-remote when answering a message fails after Stellantis accepted the action (here: a
 * message that cannot be copied). In a real Node-RED runtime an unhandled rejection ends the
 * process; the node must report the error instead.
 */
import { strict as assert } from 'node:assert';
import type { EventEmitter } from 'node:events';
import type { NodeMessage, NodeStatus } from '../../nodes/src/lib/red';
import type { RunningSimulator } from '../../src/simulator';
import * as h from './harness';

describe('stellantis-remote node: a failure while answering', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };

  h.useNodeRed({
    started: (setUp) => {
      sim = setUp.sim;
      process.on('unhandledRejection', onRejection);
    },
    after: () => {
      process.off('unhandledRejection', onRejection);
    },
  });

  it('not waiting, a message that cannot be copied at the acceptance: the node reports the error, no unhandled rejection', async () => {
    const ev = sim.vehicles.find((v) => v.kind === 'electric')?.id ?? '';
    h.freshSettings();
    await h.load([
      h.simAccount('acc'),
      { id: 'r', type: 'stellantis-remote', account: 'acc', action: 'lock', wait: false, wires: [['ok'], ['ko']] },
      { id: 'ok', type: 'helper' },
      { id: 'ko', type: 'helper' },
    ]);
    sim.control.setVehicle(ev, { asleep: false, locked: true });
    await h.accountReady('acc');
    const statuses: NodeStatus[] = [];
    (h.node('r') as EventEmitter).on('call:status', (call: { args: [NodeStatus] }) => statuses.push(call.args[0]));
    const ok = h.collect('ok');
    const msg: NodeMessage = { payload: 'unlock', vehicle: ev };
    // Copying the message (for output 1) reads this property, which throws.
    Object.defineProperty(msg, 'socket', {
      enumerable: true,
      get() {
        throw new Error('this socket cannot be copied');
      },
    });
    h.send('r', msg);
    await h.until(() => h.loggedErrors('r').length > 0 || rejections.length > 0, 8000, 'the acceptance');
    // The action goes on to its end, which is answered through the same path.
    await h.until(() => !sim.vehicle(ev).locked, 8000, 'the car to unlock');
    await h.until(() => statuses.some((s) => s.fill === 'green'), 8000, 'the end status');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(rejections, [], 'no unhandled rejection');
    assert.equal(ok.length, 0);
    const errors = h.loggedErrors('r');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.match(errors[0], /unlock \(.+\): could not answer the message: this socket cannot be copied/);
    assert.ok(statuses.some((s) => s.fill === 'red' && s.text === 'error'), JSON.stringify(statuses));
  });
});
