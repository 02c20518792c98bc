/**
 * What each car can do decides what the account sends: one vehicle read per car at start, kept
 * with the states, actions the car rules out refused before any POST, read again after a refusal.
 */
import { strict as assert } from 'node:assert';
import { harnessPerTest, type Harness } from './harness';
import { callsMatching, REMOTE_POSTS, VEHICLE_READS } from '../helpers/simulator';
import type { VehicleCapabilitiesChange } from '../../src/engine/types';

const SEEDS = [
  { kind: 'electric' as const, model: 'iOn', capabilities: 'older' as const },
  { kind: 'electric' as const, model: 'e-2008', capabilities: 'twoSlots' as const },
  { kind: 'thermal' as const, model: '308', capabilities: 'thermal' as const },
  { kind: 'electric' as const, model: 'e-208' },
];

describe('engine: the car capabilities', function () {
  this.timeout(20000);
  let h: Harness;
  let older: string;
  let twoSlots: string;
  let thermal: string;
  let none: string;

  harnessPerTest({ sim: { vehicles: SEEDS } }, (started) => {
    h = started;
    [older, twoSlots, thermal, none] = h.sim.vehicles.map((v) => v.id);
  });

  const posts = (from: number) => callsMatching(h.sim, REMOTE_POSTS, from).length;

  it('start reads each car exactly once, with ?extension=onboardCapabilities, and announces what it can do', async () => {
    const from = h.sim.calls.length;
    const account = h.account();
    const changes: VehicleCapabilitiesChange[] = [];
    account.on('capabilities', (c) => changes.push(c));
    await account.start();
    const reads = callsMatching(h.sim, VEHICLE_READS, from);
    assert.deepEqual(reads.map((c) => c.path.split('/').pop()).sort(), [older, twoSlots, thermal, none].sort());
    assert.ok(reads.every((c) => c.query.extension === 'onboardCapabilities'), JSON.stringify(reads.map((c) => c.query)));
    assert.equal(account.capabilitiesOf(older)?.lights.supported, false);
    assert.equal(account.capabilitiesOf(older)?.navigation.supported, false);
    assert.equal(account.capabilitiesOf(older)?.door.supported, true);
    assert.equal(account.capabilitiesOf(thermal)?.charging.supported, false);
    assert.equal(account.capabilitiesOf(twoSlots)?.preconditioning.programSlots, 2);
    assert.equal(account.capabilitiesOf(none), undefined, 'a car that gives none: unknown');
    assert.deepEqual(changes.map((c) => c.vehicleId).sort(), [older, twoSlots, thermal].sort());
    assert.ok(changes.every((c) => c.source === 'vehicle'));

    // Commands never read the vehicle again.
    await account.send(older, { kind: 'lock' }).done;
    await account.send(older, { kind: 'lights' }).done;
    assert.equal(callsMatching(h.sim, VEHICLE_READS, from).length, 4);
  });

  it('an action the car does not support ends Rejected before any POST, naming the capability', async () => {
    const account = h.account();
    await account.start();
    const from = h.sim.calls.length;
    const lights = await account.send(older, { kind: 'lights' }).done;
    assert.equal(lights.result, 'Rejected');
    assert.match(lights.explanation ?? '', /does not support remote lights .*remote\.lights\.supported/);
    const charge = await account.send(thermal, { kind: 'charge', on: true }).done;
    assert.match(charge.explanation ?? '', /remote\.charging\.supported/);
    const nav = await account.send(older, { kind: 'navigate', points: [{ lat: 48.8, lon: 2.3 }] }).done;
    assert.match(nav.explanation ?? '', /remote\.navigation\.supported/);
    assert.equal(posts(from), 0, 'nothing was POSTed');

    // What it supports goes through, and so does everything on a car that gives no capabilities.
    assert.equal((await account.send(older, { kind: 'horn' }).done).result, 'Success');
    assert.equal((await account.send(none, { kind: 'lights' }).done).result, 'Success');
    assert.equal(posts(from), 2);
  });

  it('program slots above the car count are refused before any POST; slots within it are sent', async () => {
    const account = h.account();
    await account.start();
    const from = h.sim.calls.length;
    const program = (slot: number) => ({ slot, enabled: true, days: ['Mon' as const], start: '07:30' });
    const above = await account.send(twoSlots, { kind: 'precondition-programs', set: [program(3)] }).done;
    assert.equal(above.result, 'Rejected');
    assert.match(above.explanation ?? '', /program slot 3 \(this car keeps 2\).*remote\.preconditioning\.parameters\.programs\.size/);
    assert.equal(posts(from), 0);
    const within = await account.send(twoSlots, { kind: 'precondition-programs', set: [program(2)] }).done;
    assert.equal(within.result, 'Success', within.explanation);
    assert.equal(posts(from), 1);
  });

  it('a failed read at start uses the capabilities saved at the last run', async () => {
    const first = h.account();
    await first.start();
    await first.stop();

    h.sim.control.failNext(1000, 503);
    const problems: string[] = [];
    const second = h.account({ options: { registrationRetryMs: 60_000 } });
    const restored: VehicleCapabilitiesChange[] = [];
    second.on('capabilities', (c) => restored.push(c));
    second.on('problem', (p) => problems.push(p.message));
    await second.start();
    assert.equal(second.capabilitiesOf(older)?.lights.supported, false);
    assert.ok(restored.some((c) => c.vehicleId === older && c.source === 'restore'));
    assert.ok(problems.some((p) => /could not read what the car can do .*saved at the last run/.test(p)), problems.join('\n'));
    h.sim.control.failNext(0);
    const from = h.sim.calls.length;
    const end = await second.send(older, { kind: 'lights' }).done;
    assert.match(end.explanation ?? '', /remote\.lights\.supported/);
    assert.equal(posts(from), 0);
  });

  it('a remote the car refuses as unsupported reads the car again (once), and the next one is refused locally', async () => {
    const account = h.account();
    await account.start();
    const changes: VehicleCapabilitiesChange[] = [];
    account.on('capabilities', (c) => changes.push(c));
    // The car lost its horn since the start (a software update, another market profile).
    h.sim.vehicle(older).capabilities!.horn = false;
    const from = h.sim.calls.length;
    const changed = new Promise<void>((resolve) => account.once('capabilities', () => resolve()));
    const first = await account.send(older, { kind: 'horn' }).done;
    assert.equal(first.result, 'Rejected');
    assert.equal(posts(from), 1, 'the car was asked once');
    await changed;
    assert.equal(callsMatching(h.sim, VEHICLE_READS, from).length, 1, 'one vehicle read after the refusal');
    assert.equal(account.capabilitiesOf(older)?.horn.supported, false);
    assert.equal(changes.length, 1);
    const second = await account.send(older, { kind: 'horn' }).done;
    assert.match(second.explanation ?? '', /remote\.horn\.supported/);
    assert.equal(posts(from), 1, 'no second POST');
  });
});
