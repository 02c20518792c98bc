import { strict as assert } from 'assert';
import { specFor } from '../helpers/spec';
import type { RemoteAction } from '../../src/stellantis/actions';
import type { Flavour, RemoteBody } from '../../src/stellantis/wire';
import { buildRemoteBody, InvalidActionError, parseRemoteAction } from '../../src/stellantis/remoteBody';
import { checkRemoteBody } from '../../src/simulator/remoteCheck';
import { nextOccurrence, normalizeProgramStart } from '../../src/stellantis/wallClock';

const NOW = new Date('2024-05-01T04:00:00Z'); // 06:00 in Paris (CEST)
const B2C_REMOTES = '/user/vehicles/abc/callbacks/cb1/remotes';
const B2B_REMOTES = '/fleets/f1/vehicles/v1/callbacks/cb1/remotes';

function build(action: RemoteAction, flavour: Flavour = 'b2c'): RemoteBody {
  return buildRemoteBody(action, { flavour, label: 'homebridge-stellantis', now: NOW, timeZone: 'Europe/Paris' });
}

/** Every problem the official spec finds in `body`, as the Remote schema and as the POST request. */
function specProblems(body: RemoteBody, flavour: Flavour): string[] {
  const spec = specFor(flavour);
  return [
    ...spec.validateSchema('Remote', body, { closed: true }),
    ...spec.validateRequest('POST', flavour === 'b2c' ? B2C_REMOTES : B2B_REMOTES, { client_id: 'c' }, body),
  ];
}

function throwsInvalid(fn: () => unknown, field: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InvalidActionError, `expected InvalidActionError, got ${String(err)}`);
    assert.equal(err.field, field);
    assert.match(err.message, message);
    assert.ok(err.message.startsWith(`${field}: `), err.message);
    return true;
  });
}

const EXPECTED: Array<[RemoteAction, Omit<RemoteBody, 'label'>, string]> = [
  [{ kind: 'lock' }, { door: { state: 'Locked' } }, 'Doors'],
  [{ kind: 'unlock' }, { door: { state: 'Unlocked' } }, 'Doors'],
  [{ kind: 'horn' }, { horn: { state: 'Activated' } }, 'Horn'],
  [{ kind: 'lights' }, { lights: { on: true } }, 'Lights'],
  [{ kind: 'refresh' }, { wakeUp: { action: 'WakeUp' } }, 'WakeUp'],
  [{ kind: 'precondition', on: true }, { preconditioning: { airConditioning: { immediate: true } } }, 'ThermalPreconditioning'],
  [{ kind: 'precondition', on: false }, { preconditioning: { airConditioning: { immediate: false } } }, 'ThermalPreconditioning'],
  [
    { kind: 'precondition-programs', set: [{ slot: 1, enabled: true, days: ['Fri', 'Mon', 'Mon'], start: '07:30' }, { slot: 4, enabled: false, days: ['Sun'], start: 'PT18H' }] },
    {
      preconditioning: {
        airConditioning: {
          programs: [
            { slot: 1, enabled: true, recurrence: 'Daily', start: 'PT7H30M', occurence: { day: ['Mon', 'Fri'] }, actionsType: 'Set' },
            { slot: 4, enabled: false, recurrence: 'Daily', start: 'PT18H0M', occurence: { day: ['Sun'] }, actionsType: 'Set' },
          ],
        },
      },
    },
    'ThermalPreconditioning',
  ],
  [{ kind: 'charge', on: true }, { charging: { immediate: true } }, 'ElectricBatteryChargingRequest'],
  [{ kind: 'charge', on: false }, { charging: { immediate: false } }, 'ElectricBatteryChargingRequest'],
  [{ kind: 'charge-at', at: '07:30' }, { charging: { schedule: { nextDelayedTime: '2024-05-01T05:30:00Z' } } }, 'ElectricBatteryChargingRequest'],
  [{ kind: 'charge-at', at: '2024-05-02T01:15:00+02:00' }, { charging: { schedule: { nextDelayedTime: '2024-05-01T23:15:00Z' } } }, 'ElectricBatteryChargingRequest'],
  [{ kind: 'charge-preferences', level: 3, type: 'Partial' }, { charging: { preferences: { level: 'Level3', type: 'Partial' } } }, 'ElectricBatteryChargingRequest'],
  [{ kind: 'charge-preferences', type: 'Full' }, { charging: { preferences: { type: 'Full' } } }, 'ElectricBatteryChargingRequest'],
  [
    { kind: 'navigate', points: [{ lat: 48.8566, lon: 2.3522 }, { lat: -33.9, lon: 151.2 }] },
    { navigation: { positions: [{ type: 'Point', coordinates: [2.3522, 48.8566] }, { type: 'Point', coordinates: [151.2, -33.9] }] } },
    'Navigation',
  ],
];

const FLEET_ONLY: Array<[RemoteAction, Omit<RemoteBody, 'label'>, string]> = [
  [{ kind: 'immobilize', on: true }, { immobilization: { activate: true } }, 'Immobilization'],
  [{ kind: 'immobilize', on: false }, { immobilization: { activate: false } }, 'Immobilization'],
  [{ kind: 'stolen', on: true }, { stolen: { stolen: true } }, 'Stolen'],
  [{ kind: 'stolen', on: false }, { stolen: { stolen: false } }, 'Stolen'],
];

describe('stellantis/remoteBody', () => {
  describe('buildRemoteBody: every action kind gives the documented body', () => {
    for (const [action, expected, type] of EXPECTED) {
      it(`${JSON.stringify(action)} (${type}) on b2c and b2b`, () => {
        for (const flavour of ['b2c', 'b2b'] as const) {
          const body = build(action, flavour);
          assert.deepEqual(body, { label: 'homebridge-stellantis', ...expected });
          assert.deepEqual(specProblems(body, flavour), [], `${flavour} spec problems`);
          assert.equal(checkRemoteBody(body, flavour).type, type, 'the remote type the API reports for it');
        }
      });
    }
    for (const [action, expected, type] of FLEET_ONLY) {
      it(`${JSON.stringify(action)} (${type}) on b2b only`, () => {
        const body = build(action, 'b2b');
        assert.deepEqual(body, { label: 'homebridge-stellantis', ...expected });
        assert.deepEqual(specProblems(body, 'b2b'), []);
        assert.equal(checkRemoteBody(body, 'b2b').type, type, 'the remote type the API reports for it');
        const key = Object.keys(expected)[0];
        // the b2c spec has no such remote: the closed check catches it
        assert.ok(specProblems(body, 'b2c').some((p) => p.includes(`property '${key}' is not declared`)));
      });
    }

    it('program deletion satisfies both the schema (start required) and the prose (the slot is what counts)', () => {
      const body = build({ kind: 'precondition-programs', set: [{ slot: 2, enabled: true, days: ['Tue'], start: '06:05' }], delete: [3] });
      assert.deepEqual(body.preconditioning?.airConditioning.programs, [
        { slot: 2, enabled: true, recurrence: 'Daily', start: 'PT6H5M', occurence: { day: ['Tue'] }, actionsType: 'Set' },
        { slot: 3, actionsType: 'Delete', start: 'PT0H0M' },
      ]);
      // The spec's Program schema lists `start` as required even for a Delete; a strict validator
      // answered 422 without it. The placeholder start satisfies it, in the format of a Set's start.
      assert.deepEqual(specFor('b2c').validateSchema('Remote', body, { closed: true }), []);
      assert.deepEqual(specProblems(body, 'b2c'), []);
    });

    it('omits the label when none is given', () => {
      assert.deepEqual(buildRemoteBody({ kind: 'lock' }, { flavour: 'b2c' }), { door: { state: 'Locked' } });
    });
  });

  describe('fleet-only actions on b2c', () => {
    it('refuses stolen and immobilize with a clear message', () => {
      throwsInvalid(() => build({ kind: 'stolen', on: true }), 'action', /^action: stolen is only available with the fleet \(b2b\) API; set flavour: b2b$/);
      throwsInvalid(() => build({ kind: 'immobilize', on: true }), 'action', /immobilize is only available with the fleet \(b2b\) API; set flavour: b2b/);
    });
  });

  describe('charge-at', () => {
    const at = (hhmm: string, now: string, timeZone: string): string =>
      buildRemoteBody({ kind: 'charge-at', at: hhmm }, { flavour: 'b2c', now: new Date(now), timeZone }).charging?.schedule?.nextDelayedTime ?? '';

    it('takes the next occurrence of HH:MM in the given time zone', () => {
      assert.equal(at('07:30', '2024-05-01T04:00:00Z', 'Europe/Paris'), '2024-05-01T05:30:00Z');
      assert.equal(at('07:30', '2024-05-01T06:00:00Z', 'Europe/Paris'), '2024-05-02T05:30:00Z', 'already past today: tomorrow');
      assert.equal(at('07:30', '2024-05-01T05:30:00Z', 'Europe/Paris'), '2024-05-02T05:30:00Z', 'exactly now: tomorrow');
      assert.equal(at('00:00', '2024-12-31T23:59:00Z', 'UTC'), '2025-01-01T00:00:00Z');
      assert.equal(at('23:00', '2024-01-15T12:00:00Z', 'America/New_York'), '2024-01-16T04:00:00Z');
      assert.equal(at('9:05', '2024-01-15T12:00:00Z', 'Asia/Kolkata'), '2024-01-16T03:35:00Z');
    });

    it('handles daylight saving changes (a missing hour moves forward)', () => {
      // Paris, 31 March 2024: 02:00 CET jumps to 03:00 CEST
      assert.equal(at('02:30', '2024-03-30T22:00:00Z', 'Europe/Paris'), '2024-03-31T01:30:00Z');
      assert.equal(at('08:00', '2024-03-30T22:00:00Z', 'Europe/Paris'), '2024-03-31T06:00:00Z');
      assert.equal(at('08:00', '2024-10-26T22:00:00Z', 'Europe/Paris'), '2024-10-27T07:00:00Z');
    });

    it('normalises RFC 3339 instants to UTC and rejects bad or past ones', () => {
      assert.equal(at('2024-06-01T10:00:00.250+02:00', NOW.toISOString(), 'UTC'), '2024-06-01T08:00:00Z');
      assert.equal(at('2024-06-01t10:00:00z', NOW.toISOString(), 'UTC'), '2024-06-01T10:00:00Z');
      throwsInvalid(() => at('2024-02-30T10:00:00Z', NOW.toISOString(), 'UTC'), 'at', /'2024-02-30T10:00:00Z' is not a time; send "HH:MM"/);
      throwsInvalid(() => at('2024-06-01T10:00Z', NOW.toISOString(), 'UTC'), 'at', /is not a time/);
      throwsInvalid(() => at('2024-04-30T10:00:00Z', NOW.toISOString(), 'UTC'), 'at', /is in the past; send a future time/);
      throwsInvalid(() => at('25:00', NOW.toISOString(), 'UTC'), 'at', /'25:00' is not a time/);
      throwsInvalid(() => at('tomorrow', NOW.toISOString(), 'UTC'), 'at', /is not a time/);
      throwsInvalid(() => at('', NOW.toISOString(), 'UTC'), 'at', /missing/);
      throwsInvalid(() => at('07:00', NOW.toISOString(), 'Mars/Olympus'), 'timeZone', /'Mars\/Olympus' is not a known time zone/);
    });

    it('nextOccurrence is strictly after now', () => {
      assert.equal(nextOccurrence({ h: 4, m: 0 }, new Date('2024-05-01T04:00:00Z'), 'UTC'), '2024-05-02T04:00:00Z');
    });
  });

  describe('invalid input is refused before any call, naming the field', () => {
    const cases: Array<[string, RemoteAction, string, RegExp]> = [
      ['no points', { kind: 'navigate', points: [] }, 'points', /missing; send 1 to 10 points/],
      ['11 points', { kind: 'navigate', points: Array.from({ length: 11 }, () => ({ lat: 1, lon: 1 })) }, 'points', /11 points; the car takes at most 10/],
      ['latitude out of range', { kind: 'navigate', points: [{ lat: 1, lon: 1 }, { lat: 90.5, lon: 1 }] }, 'points[1].lat', /90.5 is not a latitude; send a number from -90 to 90/],
      ['longitude out of range', { kind: 'navigate', points: [{ lat: 1, lon: -181 }] }, 'points[0].lon', /-181 is not a longitude/],
      ['NaN latitude', { kind: 'navigate', points: [{ lat: NaN, lon: 1 }] }, 'points[0].lat', /not a latitude/],
      ['infinite longitude', { kind: 'navigate', points: [{ lat: 1, lon: Infinity }] }, 'points[0].lon', /not a longitude/],
      ['no programs', { kind: 'precondition-programs' }, 'set', /no program given/],
      ['slot 5', { kind: 'precondition-programs', set: [{ slot: 5, enabled: true, days: ['Mon'], start: '07:00' }] }, 'set[0].slot', /5 is not a program slot; send a whole number from 1 to 4/],
      ['slot twice', { kind: 'precondition-programs', set: [{ slot: 1, enabled: true, days: ['Mon'], start: '07:00' }], delete: [1] }, 'delete[0]', /slot 1 is used twice/],
      ['no days', { kind: 'precondition-programs', set: [{ slot: 1, enabled: true, days: [], start: '07:00' }] }, 'set[0].days', /at least one day among Mon, Tue/],
      ['bad day', { kind: 'precondition-programs', set: [{ slot: 1, enabled: true, days: ['Mon', 'Funday' as 'Mon'], start: '07:00' }] }, 'set[0].days[1]', /"Funday" is not a day/],
      ['bad start', { kind: 'precondition-programs', set: [{ slot: 1, enabled: true, days: ['Mon'], start: '7.30' }] }, 'set[0].start', /'7.30' is not a time; send "HH:MM"/],
      ['24 h start', { kind: 'precondition-programs', set: [{ slot: 1, enabled: true, days: ['Mon'], start: 'PT24H' }] }, 'set[0].start', /between 00:00 and 23:59/],
      ['missing enabled', { kind: 'precondition-programs', set: [{ slot: 1, days: ['Mon'], start: '07:00' } as never] }, 'set[0].enabled', /must be true or false/],
      ['delete slot 0', { kind: 'precondition-programs', delete: [0] }, 'delete[0]', /0 is not a program slot/],
      ['level 6', { kind: 'charge-preferences', level: 6 as 5 }, 'level', /6 is not a charging level; send a whole number from 1 to 5/],
      ['bad type', { kind: 'charge-preferences', type: 'Half' as 'Full' }, 'type', /"Half" is not a charging type; send "Partial" or "Full"/],
      ['empty preferences', { kind: 'charge-preferences' }, 'level', /nothing to set/],
      ['precondition without on', { kind: 'precondition' } as never, 'on', /must be true or false \(true to start, false to stop\)/],
      ['unknown kind', { kind: 'fly' } as never, 'action', /unknown action 'fly'; one of: lock, unlock, horn/],
    ];
    for (const [name, action, field, message] of cases) {
      it(name, () => throwsInvalid(() => build(action, 'b2b'), field, message));
    }

    it('checks the options too', () => {
      throwsInvalid(() => buildRemoteBody({ kind: 'lock' }, { flavour: 'b2x' as Flavour }), 'flavour', /set flavour: b2c or b2b/);
      throwsInvalid(() => buildRemoteBody({ kind: 'lock' }, { flavour: 'b2c', label: ' ' }), 'label', /non-empty/);
    });
  });

  it('normalizeProgramStart', () => {
    assert.equal(normalizeProgramStart('07:30', 's'), 'PT7H30M');
    assert.equal(normalizeProgramStart('0:00', 's'), 'PT0H0M');
    assert.equal(normalizeProgramStart('pt6h45m', 's'), 'PT6H45M');
    assert.equal(normalizeProgramStart('PT90M', 's'), 'PT1H30M');
    assert.equal(normalizeProgramStart('PT23H59M', 's'), 'PT23H59M');
    throwsInvalid(() => normalizeProgramStart('PT', 's'), 's', /is not a time/);
    throwsInvalid(() => normalizeProgramStart('PT7H30M15S', 's'), 's', /whole minutes/);
    throwsInvalid(() => normalizeProgramStart(730, 's'), 's', /missing/);
  });

  describe('parseRemoteAction (Node-RED msg.payload, CLI)', () => {
    it('reads simple actions, from an object or a bare name', () => {
      assert.deepEqual(parseRemoteAction({ action: 'lock' }), { kind: 'lock' });
      assert.deepEqual(parseRemoteAction({ kind: 'Unlock', topic: 'ignored' }), { kind: 'unlock' });
      assert.deepEqual(parseRemoteAction('horn'), { kind: 'horn' });
    });

    it('coerces the obvious loose values', () => {
      assert.deepEqual(parseRemoteAction({ action: 'navigate', points: [{ lat: '48.85', lon: '2.35' }] }), { kind: 'navigate', points: [{ lat: 48.85, lon: 2.35 }] });
      assert.deepEqual(parseRemoteAction({ action: 'precondition', on: 'off' }), { kind: 'precondition', on: false });
      assert.deepEqual(parseRemoteAction({ action: 'charge', on: 1 }), { kind: 'charge', on: true });
      assert.deepEqual(parseRemoteAction({ action: 'stolen', on: true }), { kind: 'stolen', on: true });
      assert.deepEqual(parseRemoteAction({ action: 'charge-preferences', level: 'Level3', type: 'full' }), { kind: 'charge-preferences', level: 3, type: 'Full' });
      assert.deepEqual(parseRemoteAction({ action: 'charge-at', at: '22:30' }), { kind: 'charge-at', at: '22:30' });
      assert.deepEqual(parseRemoteAction({ action: 'precondition-programs', set: [{ slot: '2', days: 'mon, Tuesday', start: '06:30' }], delete: '4' }), {
        kind: 'precondition-programs',
        set: [{ slot: 2, enabled: true, days: ['Mon', 'Tue'], start: '06:30' }],
        delete: [4],
      });
    });

    it('gives clear errors for unknown or missing actions', () => {
      throwsInvalid(() => parseRemoteAction({ action: 'lokc' }), 'action',
        /^action: unknown action 'lokc'; one of: lock, unlock, horn, lights, precondition, precondition-programs, charge, charge-at, charge-preferences, charge-programs, immobilize, stolen, refresh, navigate$/);
      throwsInvalid(() => parseRemoteAction({}), 'action', /missing; one of: lock/);
      throwsInvalid(() => parseRemoteAction(null), 'action', /send an object such as \{action: "lock"\}/);
      throwsInvalid(() => parseRemoteAction([1]), 'action', /send an object/);
    });

    it('checks values early', () => {
      throwsInvalid(() => parseRemoteAction({ action: 'precondition' }), 'on', /missing; send on: true to start, on: false to stop/);
      throwsInvalid(() => parseRemoteAction({ action: 'charge', on: 'maybe' }), 'on', /"maybe" is not on\/off/);
      throwsInvalid(() => parseRemoteAction({ action: 'navigate', points: [{ lat: 'north', lon: 2 }] }), 'points[0].lat', /"north" is not a latitude/);
      throwsInvalid(() => parseRemoteAction({ action: 'navigate' }), 'points', /missing/);
      throwsInvalid(() => parseRemoteAction({ action: 'precondition-programs', set: 'x' }), 'set', /must be a list/);
      throwsInvalid(() => parseRemoteAction({ action: 'precondition-programs', set: [{ slot: 1, days: 'Mon,Xyz', start: '07:00' }] }), 'set[0].days[1]', /"Xyz" is not a day/);
      throwsInvalid(() => parseRemoteAction({ action: 'charge-preferences', level: 'Level9' }), 'level', /not a charging level/);
      throwsInvalid(() => parseRemoteAction({ action: 'precondition-programs', set: [{ slot: 1, days: 'Tuxedo', start: '07:00' }] }), 'set[0].days[0]', /"Tuxedo" is not a day/);
    });

    it('what it returns builds into a spec-valid body', () => {
      const action = parseRemoteAction({ action: 'precondition-programs', set: [{ slot: 1, days: ['Sat', 'Sun'], start: 'PT9H' }] });
      assert.deepEqual(specProblems(buildRemoteBody(action, { flavour: 'b2c' }), 'b2c'), []);
    });
  });
});
