/**
 * The remote node and the editor's vehicle list follow what the car can do (its onboardCapabilities,
 * read by the account at start): a real Node-RED runtime over the shared simulator.
 */
import { strict as assert } from 'node:assert';
import type { EventEmitter } from 'node:events';
import type { NodeMessage, NodeStatus } from '../../nodes/src/lib/red';
import type { RunningSimulator } from '../../src/simulator';
import * as h from './harness';
import { callsMatching, REMOTE_POSTS } from '../helpers/simulator';

interface Agent {
  get(path: string): Promise<{ status: number; body: { vehicles: Array<{ id: string; unsupported?: Record<string, string> }> } }>;
}

describe('stellantis-remote node: the car capabilities', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  let ev: string;

  h.useNodeRed({
    started: (setUp) => ({ sim, ev } = setUp),
    beforeEach: () => {
      sim.vehicle(ev).capabilities!.lights = false;
    },
    afterEach: () => {
      sim.vehicle(ev).capabilities!.lights = true;
    },
  });

  function flow(): unknown[] {
    const account = h.simAccount('acc');
    return [
      account,
      { id: 'r', type: 'stellantis-remote', account: account.id, action: 'lights', vehicle: ev, wires: [['ok'], ['ko']] },
      { id: 'ok', type: 'helper' },
      { id: 'ko', type: 'helper' },
      { id: 'c', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'caught', type: 'helper' },
    ];
  }

  it('refuses an action the car does not support: output 2, done(err) naming the capability, a status, no POST', async () => {
    h.freshSettings();
    await h.load(flow());
    await h.accountReady('acc');
    const shown: NodeStatus[] = [];
    (h.node('r') as EventEmitter).on('call:status', (call: { args: [NodeStatus] }) => shown.push(call.args[0]));
    const before = callsMatching(sim, REMOTE_POSTS).length;
    const ko = h.nextMessage('ko');
    const caught = h.nextMessage('caught');
    h.send('r', { payload: true } as NodeMessage);
    const payload = (await ko).payload as Record<string, unknown>;
    assert.equal(payload.result, 'Rejected');
    assert.match(String(payload.explanation), /does not support remote lights .*remote\.lights\.supported/);
    const error = (await caught).error as { message: string };
    assert.match(error.message, /rejected: this car does not support remote lights .*remote\.lights\.supported/);
    assert.deepEqual(shown[shown.length - 1], { fill: 'red', shape: 'ring', text: 'rejected: not supported by this car' });
    assert.equal(callsMatching(sim, REMOTE_POSTS).length, before, 'no POST');
  });

  it("the editor's vehicle list carries what each car cannot do", async () => {
    h.freshSettings();
    await h.load(flow());
    await h.accountReady('acc');
    const res = await (h.helper.request() as unknown as Agent).get('/stellantis/accounts/acc/vehicles');
    assert.equal(res.status, 200);
    const car = res.body.vehicles.find((v) => v.id === ev);
    assert.deepEqual(car?.unsupported, { lights: 'remote.lights.supported' });
    const other = res.body.vehicles.find((v) => v.id !== ev);
    assert.equal(other?.unsupported, undefined, 'a car that gives no capabilities: nothing ruled out');
  });
});
