import { strict as assert } from 'assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { specFor } from '../helpers/spec';
import type { ChargeProgram, RemoteAction } from '../../src/stellantis/actions';
import type { Flavour, RemoteBody } from '../../src/stellantis/wire';
import { buildRemoteBody, InvalidActionError, parseRemoteAction } from '../../src/stellantis/remoteBody';
import { applyChargeProgramEdit, chargeProgramStates, programsFromState } from '../../src/stellantis/chargePrograms';
import { capabilityRefusal, readCapabilities, type VehicleCapabilities } from '../../src/stellantis/capabilities';
import { readVehicleStatus } from '../../src/stellantis/vehicleState';
import { checkRemoteBody } from '../../src/simulator/remoteCheck';
import { knownChargePrograms, PROGRAMS_UNKNOWN } from '../../src/engine/chargeProgramEdits';
import type { RemoteHandle } from '../../src/engine/types';

const FIELD = path.join(__dirname, '..', 'fixtures', 'field');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are edited in place by path
type Loose = any;
const field = (name: string): Loose => JSON.parse(readFileSync(path.join(FIELD, name), 'utf8'));

const OFF_PEAK: ChargeProgram = { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '22:30', end: '06:30', enabled: true };

function build(action: RemoteAction, flavour: Flavour = 'b2c'): RemoteBody {
  return buildRemoteBody(action, { flavour, label: 'homebridge-stellantis' });
}

function specProblems(body: RemoteBody, flavour: Flavour): string[] {
  const spec = specFor(flavour);
  const remotes = flavour === 'b2c' ? '/user/vehicles/abc/callbacks/cb1/remotes' : '/fleets/f1/vehicles/v1/callbacks/cb1/remotes';
  return [...spec.validateSchema('Remote', body, { closed: true }), ...spec.validateRequest('POST', remotes, { client_id: 'c' }, body)];
}

function throwsInvalid(fn: () => unknown, field: string, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InvalidActionError, `expected InvalidActionError, got ${String(err)}`);
    assert.equal(err.field, field);
    assert.match(err.message, message);
    return true;
  });
}

/** The charging block of a field body, with its schedule replaced. */
function withSchedule(schedule: unknown): Loose {
  const body = field('2025-ev-current-and-legacy.json');
  body.energies[0].extension.electric.charging.schedule = schedule;
  return body;
}

describe('stellantis/chargePrograms', () => {
  describe('the charge-programs body', () => {
    it('is the whole list under charging.schedule.programs, no slot, valid per both specs', () => {
      const weekend: ChargeProgram = { days: ['Sun', 'Sat', 'Sat'], start: 'PT1H', enabled: false };
      for (const flavour of ['b2c', 'b2b'] as const) {
        const body = build({ kind: 'charge-programs', programs: [OFF_PEAK, weekend] }, flavour);
        assert.deepEqual(body, {
          label: 'homebridge-stellantis',
          charging: {
            schedule: {
              programs: [
                { start: 'PT22H30M', end: 'PT6H30M', enabled: true, occurence: { day: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] } },
                { start: 'PT1H0M', enabled: false, occurence: { day: ['Sat', 'Sun'] } },
              ],
            },
          },
        });
        assert.deepEqual(specProblems(body, flavour), [], flavour);
        assert.equal(checkRemoteBody(body, flavour).type, 'ElectricBatteryChargingRequest');
      }
      const none = build({ kind: 'charge-programs', programs: [] });
      assert.deepEqual(none.charging, { schedule: { programs: [] } }, 'an empty list removes them all');
      assert.deepEqual(specProblems(none, 'b2c'), []);
    });

    it('names the field at fault and what to send', () => {
      const one = (p: Partial<ChargeProgram>) => () => build({ kind: 'charge-programs', programs: [OFF_PEAK, { ...OFF_PEAK, ...p } as ChargeProgram] });
      throwsInvalid(() => build({ kind: 'charge-programs' } as never), 'programs', /must be a list of programs/);
      throwsInvalid(one({ days: [] }), 'programs[1].days', /at least one day among Mon/);
      throwsInvalid(one({ days: ['Mon', 'Xmas' as 'Mon'] }), 'programs[1].days[1]', /"Xmas" is not a day/);
      throwsInvalid(one({ start: '25:00' }), 'programs[1].start', /'25:00' is not a time/);
      throwsInvalid(one({ end: 'PT24H' }), 'programs[1].end', /between 00:00 and 23:59/);
      throwsInvalid(one({ end: '22:30' }), 'programs[1].end', /is the start/);
      throwsInvalid(one({ enabled: 'yes' as never }), 'programs[1].enabled', /true or false/);
      throwsInvalid(() => build({ kind: 'charge-programs', programs: Array.from({ length: 9 }, () => OFF_PEAK) }), 'programs', /9 programs; send at most 8/);
    });

    it('reads a loose Node-RED list: "Mon-Fri", full names, enabled by default, an empty end left out', () => {
      const action = parseRemoteAction({ action: 'charge-programs', programs: [{ days: 'mon-fri', start: '22:30', end: '6:30' }, { days: 'Saturday, sun', start: '01:00', end: '', enabled: 'off' }] });
      assert.deepEqual(action, {
        kind: 'charge-programs',
        programs: [
          { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '22:30', end: '6:30', enabled: true },
          { days: ['Sat', 'Sun'], start: '01:00', enabled: false },
        ],
      });
      assert.deepEqual((parseRemoteAction({ action: 'charge-programs', programs: [{ days: 'Sat-Mon', start: '01:00' }] }) as { programs: ChargeProgram[] }).programs[0].days, ['Sat', 'Sun', 'Mon']);
      throwsInvalid(() => parseRemoteAction({ action: 'charge-programs' }), 'programs', /missing; send the whole list/);
      throwsInvalid(() => parseRemoteAction({ action: 'charge-programs', programs: [{ days: 'Mon-Frx', start: '22:30' }] }), 'programs[0].days[0]', /"Mon-Frx" is not a day/);
    });
  });

  describe('one program edited into a list', () => {
    const list = [OFF_PEAK, { days: ['Sat' as const], start: '02:00', end: '05:00', enabled: true }];
    it('sets a slot, adds the next one, deletes one (those after it move up)', () => {
      const changed = { ...OFF_PEAK, start: '23:00' };
      assert.deepEqual(applyChargeProgramEdit(list, { slot: 1, program: changed }), [changed, list[1]]);
      assert.deepEqual(applyChargeProgramEdit(list, { slot: 3, program: changed }), [...list, changed]);
      assert.deepEqual(applyChargeProgramEdit(list, { slot: 1 }), [list[1]]);
      assert.deepEqual(list.length, 2, 'the known list is left as it was');
    });
    it('refuses a slot past the end, a slot holding nothing to delete, and no slot', () => {
      throwsInvalid(() => applyChargeProgramEdit(list, { slot: 4, program: OFF_PEAK }), 'slot', /slot 4 is past the end of the list \(2 programs\); send slot 3 to add one/);
      throwsInvalid(() => applyChargeProgramEdit(list, { slot: 3 }), 'slot', /slot 3 holds no program; the car has 2/);
      throwsInvalid(() => applyChargeProgramEdit([], { slot: 1 }), 'slot', /no charging program to delete/);
      throwsInvalid(() => applyChargeProgramEdit(list, { slot: 0, program: OFF_PEAK }), 'slot', /0 is not a program slot/);
    });
    it('a status reading goes back as programs, and a list sent as the status will show it', () => {
      const states = chargeProgramStates([OFF_PEAK, { days: ['Sun'], start: 'PT7H5M', enabled: false }]);
      assert.deepEqual(states, [
        { slot: 1, enabled: true, days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], start: '22:30', end: '06:30' },
        { slot: 2, enabled: false, days: ['Sun'], start: '07:05' },
      ]);
      assert.deepEqual(programsFromState(states), [OFF_PEAK, { days: ['Sun'], start: '07:05', enabled: false }]);
    });
  });

  describe('reading the programs of a status', () => {
    it("the field's schedule: [] is no program; absent is unknown", () => {
      for (const name of ['2025-ev-current-and-legacy.json', '2025-ev-empty-fuel-entry.json', '2025-phev-charging.json']) {
        assert.deepEqual(readVehicleStatus(field(name)).charging?.programs, [], name);
      }
      assert.equal(readVehicleStatus(field('2022-ev-energy-array.json')).charging?.programs, undefined, 'no schedule: not known');
    });
    const program = { start: 'PT22H30M', end: 'PT6H30M', enabled: true, occurence: { day: ['Mon', 'Tue'] }, chargeUntilFull: false };
    const expected = [{ slot: 1, enabled: true, days: ['Mon', 'Tue'], start: '22:30', end: '06:30', chargeUntilFull: false }];
    it("reads the spec's {programs} and a bare array alike, position as the slot", () => {
      assert.deepEqual(readVehicleStatus(withSchedule({ programs: [program] })).charging?.programs, expected);
      assert.deepEqual(readVehicleStatus(withSchedule([program])).charging?.programs, expected);
      const two = readVehicleStatus(withSchedule({ programs: [{ start: 'PT1H', enabled: false }, program] })).charging?.programs;
      assert.deepEqual(two?.map((p) => p.slot), [1, 2]);
      assert.deepEqual(two?.[0], { slot: 1, enabled: false, days: [], start: '01:00' });
    });
    it('never throws on garbage: wrong types read as unknown', () => {
      assert.equal(readVehicleStatus(withSchedule('none')).charging?.programs, undefined);
      assert.equal(readVehicleStatus(withSchedule({ programs: 'x' })).charging?.programs, undefined);
      assert.deepEqual(readVehicleStatus(withSchedule([null, 3, { start: 42, end: 'PT30H', enabled: 'true', occurence: null }])).charging?.programs, [{ slot: 1, enabled: true, days: [] }]);
    });
  });

  describe("the car's capabilities", () => {
    const caps = (programs: Record<string, unknown>): VehicleCapabilities => {
      const v = field('spec-vehicle-onboard-capabilities.json');
      v._embedded.extension.onboardCapabilities.remote.charging.parameters.schedule.programs = programs;
      const read = readCapabilities(v);
      assert.ok(read);
      return read;
    };
    const action = (n: number): RemoteAction => ({ kind: 'charge-programs', programs: Array.from({ length: n }, () => OFF_PEAK) });
    it('refuses programs on a car without them, and more than it keeps', () => {
      assert.equal(capabilityRefusal(action(1), readCapabilities(field('spec-vehicle-onboard-capabilities.json')))?.what, 'charging programs (this car keeps none)');
      assert.equal(capabilityRefusal(action(0), caps({ supported: true, size: 0 }))?.capability, 'remote.charging.parameters.schedule.programs.size');
      assert.deepEqual(capabilityRefusal(action(3), caps({ supported: true, size: 2 })), {
        capability: 'remote.charging.parameters.schedule.programs.size',
        what: '3 charging programs (this car keeps 2)',
      });
      assert.equal(capabilityRefusal(action(2), caps({ supported: true, size: 2 })), undefined);
      assert.equal(capabilityRefusal(action(5), caps({ supported: true })), undefined, 'no size: tried');
    });
  });

  describe('the list an edit applies to (engine)', () => {
    const handle = (vehicleId: string, action: RemoteAction) => ({ vehicleId, action }) as unknown as RemoteHandle;
    function deps(opts: { active?: RemoteHandle[]; held?: unknown; read?: unknown }) {
      const calls = { reads: 0 };
      return {
        calls,
        deps: {
          activeRemotes: () => opts.active ?? [],
          stateOf: () => readVehicleStatus(opts.held ?? {}),
          readStatus: async () => {
            calls.reads++;
            return { state: readVehicleStatus(opts.read ?? {}) };
          },
          send: () => {
            throw new Error('not here');
          },
        },
      };
    }
    it('the newest list on its way first, then the state held; a status read only when nothing is known', async () => {
      const queued = [{ ...OFF_PEAK, start: '23:00' }];
      const newest = [OFF_PEAK];
      const a = deps({
        active: [handle('car', { kind: 'charge-programs', programs: queued }), handle('other', { kind: 'charge-programs', programs: [] }), handle('car', { kind: 'charge-programs', programs: newest }), handle('car', { kind: 'lock' })],
        held: withSchedule([]),
      });
      assert.deepEqual(await knownChargePrograms(a.deps, 'car'), newest);
      const b = deps({ held: withSchedule({ programs: [{ start: 'PT1H', end: 'PT2H', enabled: true, occurence: { day: ['Sun'] } }] }) });
      assert.deepEqual(await knownChargePrograms(b.deps, 'car'), [{ days: ['Sun'], start: '01:00', end: '02:00', enabled: true }]);
      assert.equal(a.calls.reads + b.calls.reads, 0, 'no call when the list is known');
      const c = deps({ read: withSchedule([]) });
      assert.deepEqual(await knownChargePrograms(c.deps, 'car'), []);
      assert.equal(c.calls.reads, 1);
      const d = deps({ read: field('2022-ev-energy-array.json') });
      await assert.rejects(knownChargePrograms(d.deps, 'car'), (err: unknown) => err instanceof InvalidActionError && err.message.includes(PROGRAMS_UNKNOWN));
      assert.equal(d.calls.reads, 1, 'one read, never more');
    });
  });
});
