/**
 * The field corpus (test/fixtures/field/, see its README): bodies as real cars sent them. Each one is
 * read by the status reader and its state checked field by field against what the JSON says.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { specFor } from '../helpers/spec';
import { readVehicleStatus, type VehicleState } from '../../src/stellantis/vehicleState';

const FIELD = path.resolve(__dirname, '../fixtures/field');
const NOW = new Date('2027-01-01T00:00:00Z');

function body(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(FIELD, name), 'utf8'));
}

/** The state without the ages (they depend on NOW; `at` carries the same information). */
function withoutAges(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAges);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'ageMs').map(([k, v]) => [k, withoutAges(v)]));
}

const closedDoorsRoofOpen = { Trunk: 'closed', Driver: 'closed', RearRight: 'closed', RearLeft: 'closed', Passenger: 'closed', RearWindow: 'closed', RoofWindow: 'open' } as const;

const EXPECTED: Record<string, VehicleState> = {
  '2021-phev-energy-array.json': {
    updatedAt: '2021-04-01T16:17:01Z',
    battery: { at: '2021-04-01T16:17:01Z', level: 70, rangeKm: 192 },
    charging: {
      at: '2021-04-01T16:17:01Z', plugged: true, status: 'InProgress', mode: 'Slow', remainingTime: 'PT0S', remainingMinutes: 0,
      nextDelayedTime: 'PT21H30M', nextDelayed: { iso: 'PT21H30M', ms: (21 * 60 + 30) * 60_000 }, rateKmPerHour: 20,
    },
    fuel: { at: '2021-02-23T22:29:03Z', level: 42 },
    battery12v: { at: '2021-04-01T16:17:01Z', level: 99, current: 0 },
    preconditioning: {
      at: '2021-04-01T16:17:01Z', on: false, status: 'Disabled',
      programs: [{ slot: 1, enabled: false, start: 'PT21H40M', time: '21:40', days: ['Sat'], recurrence: 'Daily' }],
    },
    motion: { at: '2021-03-29T05:16:10Z', moving: false },
    odometer: { km: 1107.1 },
    position: { at: '2021-03-29T05:16:10Z', lat: 48.85, lon: 2.35, altitude: 21, heading: 126 },
    privacy: { at: '2021-04-01T16:17:01Z', state: 'None' },
  },
  '2022-ev-energy-array.json': {
    updatedAt: '2022-03-26T11:02:54Z',
    battery: { at: '2022-03-26T11:02:54Z', level: 59, rangeKm: 122 },
    charging: {
      at: '2022-03-26T11:02:54Z', plugged: false, status: 'Disconnected', mode: 'No', remainingTime: 'PT0S', remainingMinutes: 0,
      nextDelayedTime: 'PT22H31M', nextDelayed: { iso: 'PT22H31M', ms: (22 * 60 + 31) * 60_000 }, rateKmPerHour: 0,
    },
    fuel: { at: '2021-09-14T20:39:06Z', level: 0 },
    battery12v: { at: '2022-03-26T10:52:11Z', level: 83.5, current: 0 },
    preconditioning: { at: '2022-03-26T10:52:11Z', on: false, status: 'Disabled' },
    motion: { at: '2021-03-29T06:22:51Z', moving: true },
    odometer: { km: 3196.5 },
    position: { at: '2021-03-29T06:22:51Z', lat: 47.2, lon: -1.55, altitude: 30 },
    privacy: { at: '2022-03-26T11:02:53Z', state: 'None' },
  },
  '2023-thermal-engines.json': {
    updatedAt: '2023-11-17T17:20:59Z',
    battery12v: { at: '2023-11-17T17:20:59Z', level: 85 },
    outsideTemperature: { at: '2023-11-17T17:20:59Z', celsius: 3.5 },
    ignition: { at: '2023-11-17T17:20:59Z', state: 'Stop', on: false },
    odometer: { at: '2023-11-17T17:20:59Z', km: 1282 },
    privacy: { at: '2023-11-17T17:20:59Z', state: 'None' },
  },
  '2025-ev-current-and-legacy.json': {
    // energies[] and energy[] carry the same level; the legacy entry's updatedAt is the newest time
    battery: { at: '2025-08-19T06:47:53Z', level: 41, rangeKm: 160 },
    charging: {
      at: '2025-08-19T06:47:53Z', plugged: false, status: 'Disconnected', mode: 'No', rateKmPerHour: 0,
      nextDelayedTime: 'PT22H5M', nextDelayed: { iso: 'PT22H5M', ms: (22 * 60 + 5) * 60_000 },
      // `schedule: []` of the energies[] entry (the legacy one has none): no charging program.
      programs: [],
    },
    batteryLoad: { at: '2025-08-10T02:12:28Z', capacityKwh: 46.176, residualKwh: 18.688 },
    preconditioning: { at: '2025-08-19T06:47:53Z', on: false, status: 'Disabled' },
  },
  '2025-ev-empty-fuel-entry.json': {
    battery: { at: '2025-03-17T16:29:30Z', level: 82, rangeKm: 206 },
    charging: { at: '2025-03-17T16:29:30Z', plugged: false, status: 'Disconnected', mode: 'No', nextDelayedTime: 'PT0S', rateKmPerHour: 0, programs: [] },
    batteryLoad: { at: '2025-03-17T16:29:30Z', capacityKwh: 36.672, residualKwh: 25.664 },
    fuel: { at: '2023-08-10T15:20:08Z', rangeKm: 0 },
    alarm: { at: '2025-03-17T16:29:30Z', activation: 'Active', armed: true },
    preconditioning: { at: '2025-03-17T16:29:30Z', on: false, status: 'Disabled' },
    motion: { at: '2025-03-17T16:28:14Z', moving: false },
    odometer: { at: '2025-03-17T16:29:30Z', km: 20661.3 },
  },
  '2025-phev-charging.json': {
    battery: { at: '2025-06-13T05:11:13Z', level: 45, rangeKm: 22 },
    charging: {
      at: '2025-06-13T05:11:13Z', plugged: true, status: 'InProgress', mode: 'Slow', remainingTime: 'PT2H15M', remainingMinutes: 135,
      remaining: { iso: 'PT2H15M', ms: 135 * 60_000 }, nextDelayedTime: 'PT0S', rateKmPerHour: 12, programs: [],
    },
    batteryHealth: { at: '2025-06-13T05:11:13Z', capacityPercent: 96, resistancePercent: 16 },
    fuel: { at: '2025-06-13T05:11:13Z', level: 38, rangeKm: 280 },
    alarm: { at: '2025-06-13T05:11:13Z', activation: 'Active', armed: true },
    preconditioning: { at: '2025-06-13T05:11:13Z', on: false, status: 'Disabled' },
    outsideTemperature: { at: '2025-06-13T05:11:13Z', celsius: 15.5 },
    motion: { at: '2025-06-13T05:11:33Z', moving: false },
    odometer: { at: '2025-06-13T05:11:13Z', km: 24471.3 },
  },
  '2025-phev-stopped.json': {
    battery: { at: '2025-06-29T22:02:09Z', level: 71, rangeKm: 36 },
    charging: {
      at: '2025-06-29T22:02:09Z', plugged: true, status: 'Stopped', remainingTime: 'PT3H40M', remainingMinutes: 220,
      remaining: { iso: 'PT3H40M', ms: 220 * 60_000 }, rateKmPerHour: 0,
    },
    batteryHealth: { at: '2025-06-29T22:02:09Z', capacityPercent: 96, resistancePercent: 15 },
    fuel: { at: '2025-06-29T22:02:09Z', level: 23, rangeKm: 90 },
    alarm: { at: '2025-08-25T14:12:26Z', activation: 'Active', armed: true },
    preconditioning: { at: '2025-08-25T14:23:44Z', on: false, status: 'Disabled' },
    outsideTemperature: { at: '2025-08-25T14:12:26Z', celsius: 23 },
    motion: { at: '2025-08-25T14:24:18Z', moving: false },
    odometer: { at: '2025-08-25T14:12:26Z', km: 27527.9 },
  },
  '2025-phev-roof-open.json': {
    updatedAt: '2025-11-16T01:51:31Z',
    doors: { at: '2025-11-16T01:30:10Z', lock: 'locked', superLocked: false, lockedStates: ['RearDoorsLocked', 'Locked'], open: true, openDoors: ['RoofWindow'] },
    openings: { at: '2025-11-16T01:30:10Z', byId: closedDoorsRoofOpen },
    battery12v: { at: '2025-11-16T01:51:11Z', level: 87 },
    ignition: { at: '2025-11-16T01:51:11Z', state: 'Stop', on: false },
    position: { at: '2025-11-16T01:51:31Z', lat: 48.85, lon: 2.35, altitude: 143, heading: 154 },
    privacy: { at: '2025-11-16T01:51:31Z', state: 'None' },
  },
  '2025-phev-locked-rear.json': {
    updatedAt: '2025-06-29T16:50:56Z',
    doors: { at: '2025-06-29T16:49:16Z', lock: 'locked', superLocked: false, lockedStates: ['Locked', 'RearDoorsLocked'], open: true, openDoors: ['RoofWindow'] },
    openings: { at: '2025-06-29T16:49:16Z', byId: closedDoorsRoofOpen },
    battery12v: { at: '2025-06-29T16:50:16Z', level: 84 },
    ignition: { at: '2025-06-29T16:50:16Z', state: 'Stop', on: false },
    position: { at: '2025-06-29T16:47:17Z', lat: 48.85, lon: 2.35, altitude: 139, heading: 306 },
    privacy: { at: '2025-06-29T16:50:56Z', state: 'None' },
  },
  '2025-hybrid-adas.json': {
    updatedAt: '2025-02-23T16:20:55Z',
    battery12v: { at: '2025-02-23T16:20:00Z', level: 99 },
    ignition: { at: '2025-02-23T16:20:00Z', state: 'Stop', on: false },
    position: { at: '2025-02-23T16:19:20Z', lat: 0, lon: 0, heading: 171 },
  },
  '2026-ev-powertrain.json': {
    updatedAt: '2026-09-10T11:32:24Z',
    doors: { at: '2026-09-10T11:19:33Z', lock: 'locked', superLocked: false, lockedStates: ['Locked', 'RearDoorsLocked'], open: false, openDoors: [] },
    openings: { at: '2026-09-10T11:19:33Z', byId: { Trunk: 'closed', Driver: 'closed', RearRight: 'closed', RearLeft: 'closed', Passenger: 'closed' } },
    battery12v: { at: '2026-09-10T10:42:14Z', level: 95 },
    ignition: { at: '2026-09-10T10:42:14Z', state: 'Stop', on: false },
    position: { at: '2026-09-10T10:09:17Z', lat: 48.85, lon: 2.35, altitude: 35 },
    privacy: { at: '2026-09-10T11:32:24Z', state: 'None' },
  },
};

// The 2022 body again, with battery.health sitting directly in the Electric entry.
EXPECTED['2022-ev-health-direct.json'] = {
  ...EXPECTED['2022-ev-energy-array.json'],
  batteryHealth: { at: '2022-03-26T11:02:54Z', resistancePercent: 90 },
};

const NOT_STATUS = ['2026-error-no-vehicle.json', 'spec-vehicle-onboard-capabilities.json'];

describe('stellantis/field corpus', () => {
  it('every body in the corpus is checked here and listed in its README', () => {
    const files = fs.readdirSync(FIELD).filter((f) => f.endsWith('.json')).sort();
    assert.deepEqual(files, [...Object.keys(EXPECTED), ...NOT_STATUS].sort());
    const readme = fs.readFileSync(path.join(FIELD, 'README.md'), 'utf8');
    for (const f of files) assert.ok(readme.includes(`\`${f}\``), `${f} has a line in README.md`);
    assert.ok(Object.keys(EXPECTED).length >= 8);
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} reads field by field as the body says`, () => {
      const state = readVehicleStatus(body(name), NOW);
      assert.deepEqual(withoutAges(state), expected);
    });
  }

  it('ages are measured from each part’s own time', () => {
    const state = readVehicleStatus(body('2025-phev-charging.json'), new Date('2025-06-13T05:21:13Z'));
    assert.equal(state.battery?.ageMs, 10 * 60_000);
    assert.equal(state.motion?.ageMs, 9 * 60_000 + 40_000);
  });

  it('a body that is no status (an error answer, a vehicle) reads as a state with nothing invented', () => {
    assert.deepEqual(readVehicleStatus(body('2026-error-no-vehicle.json'), NOW), {});
    assert.deepEqual(withoutAges(readVehicleStatus(body('spec-vehicle-onboard-capabilities.json'), NOW)), { updatedAt: '2024-05-01T08:00:00Z' });
  });

  it('the bodies built from the spec follow it (vehicle with onboardCapabilities, error answer)', () => {
    const spec = specFor('b2c');
    const vehicle = body('spec-vehicle-onboard-capabilities.json');
    // `schedule` requires `preferences` while the schema declares it one level up: it sits where `required` wants it.
    assert.deepEqual(spec.validateSchema('Vehicle', vehicle), []);
    assert.deepEqual(spec.validateResponse('GET', '/user/vehicles/anon-ev-spec', 200, vehicle), []);
    assert.deepEqual(spec.validateSchema('xError', body('2026-error-no-vehicle.json')), []);
  });
});
