/**
 * End to end over HAP: the plugin's accessories on a real HAP-NodeJS bridge on loopback, a real HAP
 * controller (hap-controller) paired with the pin, writing the lock's target and receiving the
 * current-state event once the simulated car has locked.
 */
import assert from 'node:assert/strict';
import { HttpClient } from 'hap-controller';
import { type HomebridgeRun, type PublishedBridge, publishBridge, removeTempDirs, startHomebridge, tempDir, waitFor } from './harness';

const EV = 'VEH-HAP-0001';
const VIN = 'VR3UHZKXZLT000777';

/** HAP short UUIDs ("45" for 00000045-0000-1000-8000-0026BB765291). */
const LOCK_MECHANISM = '45';
const THERMOSTAT = '4A';
const LOCK_CURRENT = '1D';
const LOCK_TARGET = '1E';
const TARGET_HEATING_COOLING = '33';
const SERIAL_NUMBER = '30';

interface HapCharacteristic {
  type: string;
  iid: number;
  value?: unknown;
}
interface HapService {
  type: string;
  iid: number;
  characteristics: HapCharacteristic[];
}
interface HapAccessory {
  aid: number;
  services: HapService[];
}
interface HapEvent {
  characteristics: Array<{ aid: number; iid: number; value: unknown }>;
}

function short(type: string): string {
  return type.replace(/^0+/, '').replace(/-0000-1000-8000-0026BB765291$/i, '').toUpperCase();
}

function find(accessory: HapAccessory, service: string, characteristic: string): HapCharacteristic {
  const s = accessory.services.find((x) => short(x.type) === service);
  const c = s?.characteristics.find((x) => short(x.type) === characteristic);
  if (!c) throw new Error(`no ${service}/${characteristic}`);
  return c;
}

describe('Homebridge platform over HAP (paired controller on loopback)', function () {
  this.timeout(30000);
  let run: HomebridgeRun | undefined;
  let bridge: PublishedBridge | undefined;
  let client: HttpClient | undefined;

  after(async () => {
    await client?.close();
    await bridge?.stop();
    await run?.stop();
    removeTempDirs();
  });

  it('pairs with the pin, writes the lock target and receives the current-state event when the car has locked', async () => {
    run = await startHomebridge({
      storageDir: tempDir('hap'),
      config: { simulator: true, simulatorTimeScale: 0.002, vehicles: [{ id: EV, name: 'Car', vin: VIN }] },
    });
    const sim = run.platform.simulator!;
    bridge = await publishBridge(run.cache);

    client = new HttpClient(bridge.username, '127.0.0.1', bridge.port);
    await client.pairSetup(bridge.pin);
    const { accessories } = (await client.getAccessories()) as unknown as { accessories: HapAccessory[] };
    const car = accessories.find((a) => a.services.some((s) => s.characteristics.some((c) => short(c.type) === SERIAL_NUMBER && c.value === VIN)));
    assert.ok(car, 'the car is on the bridge');
    const current = find(car, LOCK_MECHANISM, LOCK_CURRENT);
    const target = find(car, LOCK_MECHANISM, LOCK_TARGET);
    const currentId = `${car.aid}.${current.iid}`;
    assert.equal(current.value, 1, 'SECURED: the simulated car starts locked');

    // Unlock in the simulator (as with the key), seen by HomeKit through the monitor notification.
    const events: HapEvent[] = [];
    client.on('event', (ev: HapEvent) => events.push(ev));
    await client.subscribeCharacteristics([currentId]);
    const eventFor = (value: number) => events.some((e) => e.characteristics.some((c) => `${c.aid}.${c.iid}` === currentId && c.value === value));
    sim.control.setVehicle(EV, { locked: false });
    await waitFor('the unlocked event', () => eventFor(0));

    // HomeKit locks: the write returns at once (the API answers the POST only after 1.5 s); the event
    // arrives when the car has locked.
    const posts = sim.callCount({ method: 'POST', pathIncludes: '/remotes' });
    sim.control.delayNext(1, 1500);
    const started = performance.now();
    await client.setCharacteristics({ [`${car.aid}.${target.iid}`]: 1 });
    const writeMs = performance.now() - started;
    assert.ok(writeMs < 1000, `the write returned in ${writeMs.toFixed(1)} ms`);
    assert.equal(sim.vehicle(EV).locked, false, 'the write did not wait for the car');
    await waitFor('the locked event', () => eventFor(1), 10000);
    assert.equal(sim.vehicle(EV).locked, true);
    assert.equal(sim.callCount({ method: 'POST', pathIncludes: '/remotes' }) - posts, 1);

    const read = await client.getCharacteristics([currentId, `${car.aid}.${target.iid}`]);
    assert.deepEqual(read.characteristics.map((c) => c.value), [1, 1]);

    // HAP itself refuses a target the thermostat does not offer (only OFF and AUTO).
    const heating = find(car, THERMOSTAT, TARGET_HEATING_COOLING);
    const refused = await client.setCharacteristics({ [`${car.aid}.${heating.iid}`]: 1 }).then(
      (answer) => JSON.stringify(answer),
      (err: unknown) => String(err),
    );
    assert.match(refused, /-70410/);
  });
});
