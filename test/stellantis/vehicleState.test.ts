import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { specFor } from '../helpers/spec';
import { formatVehicleState } from '../../src/cli/formatState';
import {
  applyMonitorValue,
  isoDurationMinutes,
  isoDurationMs,
  readIsoDuration,
  lockStateOf,
  partAgeMs,
  readVehicleStatus,
  type VehicleState,
} from '../../src/stellantis/vehicleState';

const FIXTURES = path.resolve(__dirname, '../fixtures/status');

function fixture(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
}

const NOW = new Date('2024-05-01T10:00:00Z');

describe('stellantis/vehicleState', () => {
  describe('fixtures follow the official Status schema', () => {
    for (const name of ['ev-current.json', 'thermal-current.json', 'legacy.json', 'sparse.json']) {
      it(`${name} validates against b2c Status and as the answer of GET .../status`, () => {
        const raw = fixture(name);
        assert.deepEqual(specFor('b2c').validateSchema('Status', raw), []);
        assert.deepEqual(specFor('b2c').validateResponse('GET', '/user/vehicles/abc/status', 200, raw), []);
      });
    }
    it('fleet-ev.json validates against b2b Status', () => {
      assert.deepEqual(specFor('b2b').validateResponse('GET', '/fleets/f1/vehicles/v1/status', 200, fixture('fleet-ev.json')), []);
    });
    it('the schema check would catch a wrong fixture', () => {
      const raw = fixture('ev-current.json') as { doorsState: { lockedStates: string[] } };
      raw.doorsState.lockedStates = ['Open'];
      assert.equal(specFor('b2c').validateSchema('Status', raw).length, 1);
    });
  });

  describe('readVehicleStatus: electric car, current shape', () => {
    const state = readVehicleStatus(fixture('ev-current.json'), NOW);

    it('reads doors locked (super-locked) and closed, with their age', () => {
      assert.deepEqual(state.doors, {
        at: '2024-05-01T09:57:00Z',
        ageMs: 3 * 60_000,
        lock: 'locked',
        superLocked: true,
        lockedStates: ['Locked', 'SuperLocked'],
        open: false,
        openDoors: [],
      });
    });

    it('reads battery level and range, and the charging block', () => {
      assert.deepEqual(state.battery, { at: '2024-05-01T09:58:00Z', ageMs: 120_000, level: 72.5, rangeKm: 231 });
      assert.equal(state.fuel, undefined);
      assert.deepEqual(state.charging, {
        at: '2024-05-01T09:58:00Z',
        ageMs: 120_000,
        plugged: true,
        status: 'InProgress',
        mode: 'Slow',
        remainingTime: 'PT1H25M',
        remainingMinutes: 85,
        remaining: { iso: 'PT1H25M', ms: 85 * 60_000 },
        nextDelayedTime: 'PT0S',
        rateKmPerHour: 45,
        powerLevel: 'Level3',
        type: 'Full',
      });
    });

    it('reads preconditioning (updatedAt wins over createdAt) and its programs', () => {
      const p = state.preconditioning;
      assert.ok(p);
      assert.equal(p.on, false);
      assert.equal(p.status, 'Disabled');
      assert.equal(p.at, '2024-05-01T09:45:00Z');
      assert.equal(p.ageMs, 15 * 60_000);
      assert.deepEqual(p.programs, [
        { slot: 1, enabled: true, start: 'PT7H30M', time: '07:30', days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], recurrence: 'Daily' },
        { slot: 2, enabled: false, start: 'PT18H0M', time: '18:00', days: ['Sat'], recurrence: 'Daily' },
      ]);
    });

    it('reads temperature, ignition, motion, odometer, position, privacy and updatedAt', () => {
      assert.deepEqual(state.outsideTemperature, { at: '2024-05-01T09:55:00Z', ageMs: 300_000, celsius: 14.5 });
      assert.deepEqual(state.ignition, { at: '2024-05-01T09:50:00Z', ageMs: 600_000, state: 'Stop', on: false });
      assert.deepEqual(state.motion, { at: '2024-05-01T09:50:00Z', ageMs: 600_000, moving: false, speedKmh: 0 });
      assert.deepEqual(state.odometer, { at: '2024-05-01T09:50:00Z', ageMs: 600_000, km: 12978.9 });
      assert.deepEqual(state.position, { at: '2024-05-01T09:49:00Z', ageMs: 660_000, lat: 48.8566, lon: 2.3522, altitude: 35, heading: 90 });
      assert.deepEqual(state.privacy, { at: '2024-05-01T07:00:00Z', ageMs: 3 * 3600_000, state: 'None' });
      assert.equal(state.updatedAt, '2024-05-01T09:58:00Z');
    });
  });

  describe('readVehicleStatus: thermal car', () => {
    const state = readVehicleStatus(fixture('thermal-current.json'), new Date('2024-05-02T15:00:00Z'));

    it('reads fuel, not battery; doors partly unlocked with the trunk open', () => {
      assert.deepEqual(state.fuel, { at: '2024-05-02T16:59:00+02:00', ageMs: 60_000, level: 41, rangeKm: 380 });
      assert.equal(state.battery, undefined);
      assert.equal(state.charging, undefined);
      assert.equal(state.doors?.lock, 'partly-unlocked');
      assert.equal(state.doors?.open, true);
      assert.deepEqual(state.doors?.openDoors, ['Trunk']);
    });

    it('reads a running engine, motion, frost and preconditioning on', () => {
      assert.equal(state.ignition?.on, true);
      assert.equal(state.motion?.moving, true);
      assert.equal(state.motion?.speedKmh, 48.5);
      assert.equal(state.outsideTemperature?.celsius, -3);
      assert.equal(state.preconditioning?.on, true);
      assert.equal(state.preconditioning?.startingCause, 'Immediate');
      assert.equal(state.privacy?.state, 'Geolocation');
      assert.equal(state.position, undefined);
      assert.equal(state.updatedAt, '2024-05-02T17:00:00+02:00');
    });
  });

  describe('readVehicleStatus: legacy names', () => {
    it('reads `energy` (object) and `preconditionning`', () => {
      const state = readVehicleStatus(fixture('legacy.json'), NOW);
      assert.equal(state.doors?.lock, 'unlocked');
      assert.equal(state.doors?.open, undefined);
      assert.deepEqual(state.battery, { at: '2023-11-10T06:29:00Z', ageMs: NOW.getTime() - Date.parse('2023-11-10T06:29:00Z'), level: 15, rangeKm: 40 });
      assert.equal(state.charging?.plugged, false);
      assert.equal(state.charging?.status, 'Disconnected');
      assert.equal(state.charging?.remainingMinutes, 0);
      assert.equal(state.preconditioning?.status, 'Failure');
      assert.equal(state.preconditioning?.on, false);
      assert.equal(state.preconditioning?.failureCause, 'LowBattery');
      assert.deepEqual(state.preconditioning?.programs?.[0], { slot: 3, enabled: true, start: 'PT6H45M', time: '06:45', days: ['Sun'], recurrence: 'Daily' });
    });

    it('reads `energy` as an array too, `energies` first when both exist', () => {
      const state = readVehicleStatus({
        energies: [{ type: 'Electric', level: 80 }],
        energy: [{ type: 'Electric', level: 10 }, { type: 'Fuel', level: 55, autonomy: 500 }],
      });
      assert.equal(state.battery?.level, 80);
      assert.deepEqual(state.fuel, { level: 55, rangeKm: 500 });
    });
  });

  describe('readVehicleStatus: sparse and garbage input', () => {
    it('reads a sparse status without inventing parts', () => {
      const state = readVehicleStatus(fixture('sparse.json'), NOW);
      assert.deepEqual(Object.keys(state).sort(), ['doors', 'updatedAt']);
      assert.equal(state.doors?.lock, 'unknown');
      assert.deepEqual(state.doors?.openDoors, []);
      assert.equal(state.doors?.ageMs, 0, 'a time in the future gives age 0, not a negative age');
    });

    it('never throws on garbage', () => {
      for (const raw of [undefined, null, 42, 'status', [], { energies: 'x', doorsState: [], preconditioning: { airConditioning: 5 } },
        { energies: [null, 1, { type: 'Electric', level: 'abc', extension: { electric: { charging: 'x' } } }] },
        { lastPosition: { geometry: { coordinates: [500, 100] } }, createdAt: 'not a date', odometer: { mileage: 'x' } }]) {
        const state = readVehicleStatus(raw, NOW);
        assert.equal(typeof state, 'object');
        assert.equal(state.position, undefined);
        assert.equal(state.updatedAt, undefined);
        assert.equal(state.odometer, undefined);
      }
    });

    it('reads numeric strings and ignores unknown enum values without failing', () => {
      const state = readVehicleStatus({ energies: [{ type: 'Electric', level: '55.5', extension: { electric: { charging: { status: 'Teleporting', plugged: 'true' } } } }] });
      assert.equal(state.battery?.level, 55.5);
      assert.equal(state.charging?.status, 'Teleporting');
      assert.equal(state.charging?.plugged, true);
      assert.equal(state.charging?.at, undefined);
    });
  });

  describe('readVehicleStatus: durations', () => {
    const charging = (c: Record<string, unknown>) => readVehicleStatus({ energies: [{ type: 'Electric', extension: { electric: { charging: c } } }] }).charging;

    it('reads remainingTime and nextDelayedTime as durations in ms, keeping the text as received', () => {
      const c = charging({ remainingTime: 'PT1H25M', nextDelayedTime: 'PT22H31M' });
      assert.deepEqual(c?.remaining, { iso: 'PT1H25M', ms: 85 * 60_000 });
      assert.deepEqual(c?.nextDelayed, { iso: 'PT22H31M', ms: (22 * 60 + 31) * 60_000 });
      assert.equal(c?.nextDelayedTime, 'PT22H31M');
      assert.deepEqual(charging({ nextDelayedTime: 'PT3H' })?.nextDelayed, { iso: 'PT3H', ms: 3 * 3600_000 });
    });

    it('PT0S (and PT0H0M) means none: no duration, never an instant', () => {
      const c = charging({ remainingTime: 'PT0S', nextDelayedTime: 'PT0S' });
      assert.equal(c?.remaining, undefined);
      assert.equal(c?.nextDelayed, undefined);
      assert.equal(c?.remainingMinutes, 0);
      assert.equal(readIsoDuration('PT0H0M'), undefined);
      assert.equal(readIsoDuration('2024-05-01T10:00:00Z'), undefined, 'an instant is not a duration');
      assert.equal(readIsoDuration(null), undefined);
      assert.equal(isoDurationMs('PT1M30S'), 90_000);
      assert.equal(isoDurationMs('P1D'), 86_400_000);
    });

    it('the CLI prints a deferred charge as a time, or none for PT0S', () => {
      const none = formatVehicleState({ charging: readVehicleStatus(fixture('ev-current.json'), NOW).charging }, NOW).join('\n');
      assert.doesNotMatch(none, /PT0S/);
      assert.match(none, /deferred charge: none/, 'PT0S: none');
      const set = formatVehicleState({ charging: charging({ plugged: true, status: 'Disconnected', nextDelayedTime: 'PT22H31M' }) }, NOW).join('\n');
      assert.match(set, /deferred charge: 22:31 \(PT22H31M from midnight\)/);
    });
  });

  describe('readVehicleStatus: every shape of the energy block', () => {
    it('reads charging and battery health directly in a 2021–2023 Electric entry (no extension)', () => {
      const state = readVehicleStatus({
        energy: [{ updatedAt: '2022-03-26T11:02:54Z', type: 'Electric', level: 59, charging: { plugged: true, status: 'InProgress', remainingTime: 'PT2H' }, battery: { health: { capacity: 97, resistance: 90 } } }],
      }, NOW);
      assert.equal(state.charging?.status, 'InProgress');
      assert.equal(state.charging?.plugged, true);
      assert.deepEqual(state.charging?.remaining, { iso: 'PT2H', ms: 7200_000 });
      assert.equal(state.charging?.at, '2022-03-26T11:02:54Z');
      assert.deepEqual(state.batteryHealth, { at: '2022-03-26T11:02:54Z', ageMs: NOW.getTime() - Date.parse('2022-03-26T11:02:54Z'), capacityPercent: 97, resistancePercent: 90 });
    });

    it('reads battery load in kWh (the API sends Wh) and health from extension.electric.battery', () => {
      const state = readVehicleStatus({ energies: [{ type: 'Electric', extension: { electric: { battery: { load: { capacity: 46176, residual: 18688 }, health: { capacity: 96 } } } } }] });
      assert.deepEqual(state.batteryLoad, { capacityKwh: 46.176, residualKwh: 18.688 });
      assert.deepEqual(state.batteryHealth, { capacityPercent: 96 });
    });

    it('takes the newest block when energies[] and energy[] disagree, whichever carries it', () => {
      const state = readVehicleStatus({
        energies: [{ createdAt: '2024-05-01T08:00:00Z', type: 'Electric', level: 50, extension: { electric: { charging: { status: 'InProgress' } } } }],
        energy: [{ createdAt: '2024-05-01T09:00:00Z', type: 'Electric', level: 60, charging: { status: 'Finished' } }, { createdAt: '2024-05-01T07:00:00Z', type: 'Fuel', level: 30 }],
      }, NOW);
      assert.equal(state.battery?.level, 60);
      assert.equal(state.battery?.at, '2024-05-01T09:00:00Z');
      assert.equal(state.charging?.status, 'Finished');
      assert.equal(state.fuel?.level, 30);
      const older = readVehicleStatus({
        energies: [{ createdAt: '2024-05-01T09:30:00Z', type: 'Electric', level: 70 }],
        energy: [{ createdAt: '2024-05-01T09:00:00Z', type: 'Electric', level: 60 }],
      }, NOW);
      assert.equal(older.battery?.level, 70);
    });

    it('an entry without a level does not hide another one that has it', () => {
      const state = readVehicleStatus({ energies: [{ createdAt: '2024-05-01T09:30:00Z', type: 'Electric' }], energy: [{ createdAt: '2024-05-01T09:00:00Z', type: 'Electric', level: 60 }] }, NOW);
      assert.equal(state.battery?.level, 60);
    });

    it('occurence: null, schedule: [], createdAt: null and unknown blocks never break it', () => {
      const state = readVehicleStatus({
        createdAt: null,
        adas: { parkAssist: { front: ['OutOfService'] } }, engines: [{ type: 'Thermic', extension: { thermic: { oil: { temp: 215 } } } }],
        powertrain: { status: 'Stopped' }, lightingSystem: { turn: [] }, environment: { luminosity: { day: false } },
        odometer: { createdAt: null, mileage: 10 },
        energies: [{ type: 'Electric', level: 20, extension: { electric: { charging: { status: 'Disconnected', schedule: [] } } } }],
        preconditioning: { airConditioning: { createdAt: null, status: 'Disabled', programs: [{ slot: 1, enabled: true, start: 'PT7H', occurence: null }] } },
      }, NOW);
      assert.equal(state.updatedAt, undefined);
      assert.deepEqual(state.odometer, { km: 10 });
      assert.equal(state.charging?.status, 'Disconnected');
      assert.deepEqual(state.preconditioning?.programs, [{ slot: 1, enabled: true, start: 'PT7H', time: '07:00', days: [] }]);
      assert.equal(state.outsideTemperature, undefined);
    });
  });

  describe('readVehicleStatus: 12 V battery, alarm, openings', () => {
    it('reads the top-level battery as the 12 V level in % and its current', () => {
      const state = readVehicleStatus({ battery: { voltage: 83.5, current: 0, createdAt: '2024-05-01T09:00:00Z' } }, NOW);
      assert.deepEqual(state.battery12v, { at: '2024-05-01T09:00:00Z', ageMs: 3600_000, level: 83.5, current: 0 });
      assert.equal(state.battery, undefined, 'the traction battery stays apart');
      assert.equal(readVehicleStatus({ battery: { createdAt: '2024-05-01T09:00:00Z' } }).battery12v, undefined);
    });

    it('reads the alarm: Active armed, Inactive/Deactive disarmed, an unknown value kept unarmed-unknown', () => {
      const alarm = (activation: unknown) => readVehicleStatus({ alarm: { status: { createdAt: '2024-05-01T09:00:00Z', activation } } }, NOW).alarm;
      assert.deepEqual(alarm('Active'), { at: '2024-05-01T09:00:00Z', ageMs: 3600_000, activation: 'Active', armed: true });
      assert.equal(alarm('Inactive')?.armed, false);
      assert.equal(alarm('Deactive')?.armed, false);
      assert.deepEqual(alarm('Sleeping'), { at: '2024-05-01T09:00:00Z', ageMs: 3600_000, activation: 'Sleeping' });
      assert.equal(alarm(undefined), undefined);
      assert.equal(readVehicleStatus({ alarm: { trigger: { type: 'Intrusion' } } }).alarm, undefined);
    });

    it('reads each opening as a typed map of open/closed', () => {
      const state = readVehicleStatus({ doorsState: { createdAt: '2024-05-01T09:00:00Z', lockedStates: ['Locked'], opening: [
        { identifier: 'Driver', state: 'Closed' }, { identifier: 'Trunk', state: 'Open' }, { identifier: 'RearWindow', state: 'Closed' },
        { identifier: 'RoofWindow', state: 'Open' }, { identifier: 'Bonnet', state: 'Closed' }, { identifier: 'Passenger', state: 'Ajar' }, { state: 'Open' },
      ] } }, NOW);
      assert.deepEqual(state.openings, { at: '2024-05-01T09:00:00Z', ageMs: 3600_000, byId: { Driver: 'closed', Trunk: 'open', RearWindow: 'closed', RoofWindow: 'open', Bonnet: 'closed' } });
      assert.deepEqual(state.doors?.openDoors, ['Trunk', 'RoofWindow', 'Unknown']);
      assert.equal(readVehicleStatus({ doorsState: { lockedStates: ['Locked'] } }).openings, undefined);
    });

    it('reads lockedStates with several values in any order', () => {
      for (const lockedStates of [['RearDoorsLocked', 'Locked'], ['Locked', 'RearDoorsLocked']]) {
        const doors = readVehicleStatus({ doorsState: { lockedStates } }).doors;
        assert.equal(doors?.lock, 'locked', JSON.stringify(lockedStates));
        assert.deepEqual(doors?.lockedStates, lockedStates);
      }
      assert.equal(lockStateOf(['RearDoorsLocked', 'Unlocked']), 'partly-unlocked');
      assert.equal(lockStateOf(['Unlocked', 'RearDoorsLocked']), 'partly-unlocked');
      assert.equal(lockStateOf(['SuperLocked', 'RearDoorsLocked', 'Locked']), 'locked');
    });
  });

  describe('lockStateOf', () => {
    const cases: Array<[string[], string]> = [
      [[], 'unknown'],
      [['Locked'], 'locked'],
      [['SuperLocked'], 'locked'],
      [['Unlocked'], 'unlocked'],
      [['Locked', 'DriverDoorUnlocked'], 'partly-unlocked'],
      [['DriverDoorUnlocked'], 'partly-unlocked'],
      [['CabinDoorsUnlocked', 'CargoDoorsLocked'], 'partly-unlocked'],
      [['Unlocked', 'CargoDoorsLocked'], 'partly-unlocked'],
      [['TrunkLocked'], 'unknown'],
      [['Whatever'], 'unknown'],
    ];
    for (const [states, expected] of cases) {
      it(`${JSON.stringify(states)} -> ${expected}`, () => assert.equal(lockStateOf(states), expected));
    }
  });

  it('isoDurationMinutes and partAgeMs', () => {
    assert.equal(isoDurationMinutes('PT1H30M'), 90);
    assert.equal(isoDurationMinutes('P1DT2H'), 1560);
    assert.equal(isoDurationMinutes('PT90S'), 2);
    assert.equal(isoDurationMinutes('PT'), undefined);
    assert.equal(isoDurationMinutes('1h'), undefined);
    assert.equal(partAgeMs({ at: '2024-05-01T09:59:00Z' }, NOW), 60_000);
    assert.equal(partAgeMs({}, NOW), undefined);
    assert.equal(partAgeMs(undefined, NOW), undefined);
  });

  describe('applyMonitorValue', () => {
    const base = readVehicleStatus(fixture('ev-current.json'), NOW);
    const at = new Date('2024-05-01T11:00:00Z');

    it('updates the door lock, keeping what it does not know about openings', () => {
      const next = applyMonitorValue(base, 'vehicle.doorsState.lockedState', 'Unlocked', at);
      assert.equal(next.doors?.lock, 'unlocked');
      assert.equal(next.doors?.superLocked, false);
      assert.equal(next.doors?.open, false);
      assert.equal(next.doors?.at, at.toISOString());
      assert.equal(next.doors?.ageMs, 0);
      assert.equal(base.doors?.lock, 'locked', 'the input state is not changed');
    });

    it('updates battery level, charging status and plugged, keeping the other charging fields', () => {
      let next = applyMonitorValue(base, 'vehicle.energy.electric.level', '80.5', at);
      next = applyMonitorValue(next, 'vehicle.energy.charging.status', 'Finished', at);
      next = applyMonitorValue(next, 'vehicle.energy.charging.plugged', 'false', at);
      assert.equal(next.battery?.level, 80.5);
      assert.equal(next.battery?.rangeKm, 231);
      assert.equal(next.charging?.status, 'Finished');
      assert.equal(next.charging?.plugged, false);
      assert.equal(next.charging?.mode, 'Slow');
    });

    it('updates preconditioning and outside temperature', () => {
      let next = applyMonitorValue(base, 'vehicle.preconditioning.airConditioning', 'Enabled', at);
      next = applyMonitorValue(next, 'environment.air.temp', '-2.5', at);
      assert.equal(next.preconditioning?.on, true);
      assert.equal(next.preconditioning?.status, 'Enabled');
      assert.equal(next.preconditioning?.programs?.length, 2);
      assert.deepEqual(next.outsideTemperature, { at: at.toISOString(), ageMs: 0, celsius: -2.5 });
    });

    it('updates the alarm from vehicle.alarm.status.activation', () => {
      const next = applyMonitorValue(base, 'vehicle.alarm.status.activation', 'Deactive', at);
      assert.deepEqual(next.alarm, { at: at.toISOString(), ageMs: 0, activation: 'Deactive', armed: false });
      assert.equal(applyMonitorValue(next, 'vehicle.alarm.status.activation', 'Active', at).alarm?.armed, true);
      assert.equal(applyMonitorValue(base, 'vehicle.alarm.status.activation', ' ', at), base);
    });

    it('starts from an empty state too', () => {
      const next = applyMonitorValue({}, 'vehicle.energy.charging.plugged', 'true', at);
      assert.deepEqual(next, { charging: { at: at.toISOString(), ageMs: 0, plugged: true } });
    });

    it('leaves the state alone for unknown data and unreadable values', () => {
      const same: VehicleState[] = [
        applyMonitorValue(base, 'vehicle.kinetic.speed', '50', at),
        applyMonitorValue(base, 'vehicle.energy.electric.level', 'lots', at),
        applyMonitorValue(base, 'vehicle.energy.charging.plugged', 'maybe', at),
        applyMonitorValue(base, 'vehicle.doorsState.lockedState', '  ', at),
        applyMonitorValue(base, 'environment.air.temp', '', at),
      ];
      for (const s of same) assert.equal(s, base);
    });
  });
});
