import { strict as assert } from 'node:assert';
import { VEHICLE_PRESETS, type SimVehicleSeed } from '../../src/simulator';
import { specFor } from '../helpers/spec';
import { finished, rig, sleep, type Rig } from './harness';
import { conforms } from './specCheck';
import { perTest } from '../helpers/perTest';

const PRESETS = ['ev', 'phev', 'thermal', 'older', 'twoSlots', 'none'] as const;
type Preset = (typeof PRESETS)[number];

interface RemoteCapability {
  supported: boolean;
  parameters?: Record<string, unknown>;
}
type Capabilities = { remote: Record<string, RemoteCapability>; data: string[] };
type VehicleBody = { _embedded?: { extension?: { onboardCapabilities?: Capabilities } } };

function seeds(): SimVehicleSeed[] {
  return PRESETS.map((p) => ({ ...VEHICLE_PRESETS[p], id: `car-${p}` }));
}

describe('simulator: cars with different capabilities', () => {
  let r: Rig;
  const id = (p: Preset) => `car-${p}`;
  perTest(() => rig({ vehicles: seeds(), rateLimit: { perSecond: 1000 } }), (x) => x.stop(), (x) => (r = x));

  it('each preset gives a capabilities body valid per the spec (B2C vehicle, B2C list, B2B fleet vehicle, B2B by VIN)', async () => {
    const fleet = `/fleets/${r.sim.account.fleetId}`;
    const remoteOf = (b: VehicleBody) => b._embedded?.extension?.onboardCapabilities?.remote;
    for (const p of PRESETS) {
      const one = await conforms(r, 'b2c', 'GET', `/user/vehicles/${id(p)}?extension=onboardCapabilities`);
      const b2b = await conforms(r, 'b2b', 'GET', `${fleet}/vehicles/${id(p)}?extension=onboardCapabilities`);
      const caps = (one.body as VehicleBody)._embedded?.extension?.onboardCapabilities;
      const fleetCaps = (b2b.body as VehicleBody)._embedded?.extension?.onboardCapabilities;
      if (p === 'none') {
        assert.equal(caps, undefined, 'a car without capabilities gives none');
        assert.equal(fleetCaps, undefined);
        continue;
      }
      assert.ok(caps && fleetCaps, `${p}: capabilities present`);
      assert.deepEqual(specFor('b2c').validateSchema('OnboardCapabilities', caps), [], p);
      assert.deepEqual(specFor('b2b').validateSchema('OnboardCapabilities', fleetCaps), [], p);
      const byVin = await conforms(r, 'b2b', 'GET', `/vehicles/${r.sim.vehicle(id(p)).vin}?extension=onboardCapabilities`);
      assert.deepEqual(specFor('b2b').validateSchema('VehicleCapabilities', byVin.body), [], p);
    }
    // Without ?extension the field sends no capabilities (the client must ask).
    const plain = await conforms(r, 'b2c', 'GET', `/user/vehicles/${id('ev')}`);
    assert.equal((plain.body as VehicleBody)._embedded, undefined);
    const list = await conforms(r, 'b2c', 'GET', '/user/vehicles?extension=onboardCapabilities');
    const listed = (list.body as { _embedded: { vehicles: Array<VehicleBody & { id: string; motorization: string }> } })._embedded.vehicles;
    const byId = new Map(listed.map((v) => [v.id, v]));
    assert.equal(byId.get(id('phev'))?.motorization, 'Hybrid');

    const ev = remoteOf(byId.get(id('ev')) as VehicleBody);
    assert.ok(ev && Object.values(ev).every((c) => c.supported), 'the EV supports every remote');
    assert.equal(remoteOf(byId.get(id('thermal')) as VehicleBody)?.charging.supported, false);
    const older = remoteOf(byId.get(id('older')) as VehicleBody);
    assert.deepEqual([older?.lights.supported, older?.navigation.supported, older?.door.supported], [false, false, true]);
    const two = remoteOf(byId.get(id('twoSlots')) as VehicleBody);
    assert.deepEqual(two?.preconditioning.parameters, { programs: { size: 2 }, immediate: true });
    assert.equal(byId.get(id('none'))?._embedded, undefined);
  });

  it('refuses a remote the car does not support (400, code 40030, naming it) with no effect on the car', async () => {
    const attempts: Array<[Preset, Record<string, unknown>, RegExp]> = [
      ['older', { lights: { on: true } }, /lights/],
      ['older', { navigation: { positions: [{ type: 'Point', coordinates: [2.29, 48.85] }] } }, /navigation/],
      ['thermal', { charging: { immediate: true } }, /charging/],
      ['phev', { charging: { preferences: { level: 'Level3' } } }, /level preference/],
    ];
    for (const [p, body, named] of attempts) {
      const before = structuredClone(r.sim.vehicle(id(p)));
      const base = `/user/vehicles/${id(p)}/callbacks/${r.callbackId}/remotes`;
      const res = await conforms(r, 'b2c', 'POST', base, body, 400);
      assert.equal(res.body.code, 40030, JSON.stringify(res.body));
      assert.match(String(res.body.message), named);
      assert.match(String(res.body.message), /does not support/);
      const list = await r.client.b2c<{ total: number }>('GET', base);
      assert.equal(list.body.total, 0, `${p}: no remote action was created`);
      assert.deepEqual(r.sim.vehicle(id(p)), before, `${p}: the car is untouched`);
    }
    const fleetRemotes = `/fleets/${r.sim.account.fleetId}/vehicles/${id('older')}/callbacks`;
    const cb = await r.client.b2b<{ callbackId: string }>('POST', `/fleets/${r.sim.account.fleetId}/remote/callbacks`, {
      remoteTypes: ['Lights'],
      callback: { webhook: { name: 'h', target: r.receiver.url } },
    });
    const b2b = await conforms(r, 'b2b', 'POST', `${fleetRemotes}/${cb.body.callbackId}/remotes`, { lights: { on: true } }, 400);
    assert.equal(b2b.body.code, 40030);
    await sleep(30);
    assert.equal(r.receiver.requests.length, 0, 'no notification for a refused remote');
  });

  it('refuses program slots above the car\'s count (40031) and accepts those within it', async () => {
    const base = `/user/vehicles/${id('twoSlots')}/callbacks/${r.callbackId}/remotes`;
    const program = (slot: number) => ({ slot, enabled: true, recurrence: 'Daily', start: 'PT7H30M', occurence: { day: ['Mon'] }, actionsType: 'Set' });
    const refused = await conforms(r, 'b2c', 'POST', base, { preconditioning: { airConditioning: { programs: [program(3)] } } }, 400);
    assert.equal(refused.body.code, 40031);
    assert.match(String(refused.body.message), /slot 3 .* 2 preconditioning program slots/);
    assert.deepEqual(r.sim.vehicle(id('twoSlots')).preconditioningPrograms, []);
    const ok = await conforms(r, 'b2c', 'POST', base, { preconditioning: { airConditioning: { programs: [program(2)] } } }, 202);
    assert.equal((await finished(r.receiver, String(ok.body.remoteActionId))).at(-1), 'Done Success');
    assert.deepEqual(r.sim.vehicle(id('twoSlots')).preconditioningPrograms.map((p) => p.slot), [2]);
    // The same slot 3 on a 4-slot car and on a car without capabilities is taken.
    for (const p of ['ev', 'none'] as const) {
      const res = await r.client.remote(id(p), r.callbackId, { preconditioning: { airConditioning: { programs: [program(3)] } } });
      assert.equal(res.status, 202, p);
      assert.equal((await finished(r.receiver, res.body.remoteActionId)).at(-1), 'Done Success');
    }
  });

  it('a plug-in hybrid charges like an EV and shows both energies', async () => {
    r.sim.control.setVehicle(id('phev'), { plugged: true });
    const res = await r.client.remote(id('phev'), r.callbackId, { charging: { immediate: true } });
    assert.equal(res.status, 202);
    assert.equal((await finished(r.receiver, res.body.remoteActionId)).at(-1), 'Done Success');
    assert.equal(r.sim.vehicle(id('phev')).charging, true);
    const st = await conforms(r, 'b2c', 'GET', `/user/vehicles/${id('phev')}/status`);
    const energies = st.body.energies as Array<{ type: string; level: number }>;
    assert.deepEqual(energies.map((e) => e.type), ['Fuel', 'Electric']);
    assert.deepEqual(energies.map((e) => e.level), [55, 71]);
  });
});
