import { strict as assert } from 'node:assert';
import * as h from './harness';

describe('nodes smoke', () => {
  before(async () => h.startNodeRed());
  after(async () => h.stopNodeRed());
  afterEach(async () => h.unload());

  it('locks', async () => {
    h.freshSettings();
    await h.load([
      h.simAccount('acc'),
      { id: 'r', type: 'stellantis-remote', account: 'acc', action: 'lock', wires: [['ok'], ['ko']] },
      { id: 'ok', type: 'helper' },
      { id: 'ko', type: 'helper' },
    ]);
    const acc = await h.account('acc').whenReady(10000).catch((e) => { console.log(h.account('acc').state); throw e; });
    console.log(acc.vehicleIds);
    const sim = await h.simulator();
    const got = Promise.race([h.nextMessage('ok'), h.nextMessage('ko')]);
    h.send('r', { vehicle: acc.vehicleIds[0] });
    const msg = await got;
    console.log(msg.payload, sim.deliveries.map((d) => [d.target, d.status]));
  });
});
