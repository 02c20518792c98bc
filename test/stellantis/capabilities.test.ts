/** The reader of onboardCapabilities, and what each action needs of it. */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { capabilityRefusal, programSlotsOf, readCapabilities, restoreCapabilities, CAPABILITY_OF_ACTION } from '../../src/stellantis/capabilities';

const specVehicle: unknown = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/field/spec-vehicle-onboard-capabilities.json'), 'utf8'));

describe('stellantis: onboard capabilities reader', () => {
  it('reads the spec-built vehicle body field by field', () => {
    const caps = readCapabilities(specVehicle);
    assert.deepEqual(caps, {
      preconditioning: { supported: true, immediate: true, programSlots: 4 },
      charging: {
        supported: true,
        immediateStart: true,
        immediateStop: true,
        schedulePrograms: { supported: false },
        nextDelayedTime: true,
        preferenceLevel: true,
        preferenceType: false,
      },
      door: { supported: true },
      horn: { supported: true },
      lights: { supported: false },
      wakeup: { supported: true },
      navigation: { supported: false },
      stolen: {},
      data: ['data:telemetry:vehicle:energies', 'data:telemetry:vehicle:doorsState', 'data:telemetry:vehicle:battery', 'data:telemetry:vehicle:alarm', 'data:position'],
    });
    assert.deepEqual(restoreCapabilities(JSON.parse(JSON.stringify(caps))), caps, 'saved and read back: the same');
  });

  it('missing or odd shapes are unknown, never unsupported', () => {
    for (const body of [undefined, null, 'x', {}, { _embedded: {} }, { _embedded: { extension: { onboardCapabilities: { data: [] } } } }, { _embedded: { extension: { onboardCapabilities: { remote: [] } } } }]) {
      assert.equal(readCapabilities(body), undefined, JSON.stringify(body));
    }
    const odd = readCapabilities({
      _embedded: { extension: { onboardCapabilities: { remote: { horn: { supported: 'no' }, lights: null, preconditioning: { supported: true, parameters: { programs: { size: -2 } } }, charging: 7 } } } },
    });
    assert.ok(odd);
    assert.equal(odd.horn.supported, undefined);
    assert.equal(odd.lights.supported, undefined);
    assert.equal(odd.charging.supported, undefined);
    assert.equal(odd.preconditioning.programSlots, undefined);
    assert.equal(programSlotsOf(odd), 4);
    for (const kind of ['horn', 'lights', 'charge'] as const) {
      const action = kind === 'charge' ? { kind, on: true } : { kind };
      assert.equal(capabilityRefusal(action, odd), undefined, kind);
    }
    assert.equal(restoreCapabilities('garbage'), undefined);
  });

  it('every action kind maps to the capability it needs, and only an explicit false refuses', () => {
    const caps = readCapabilities(specVehicle);
    assert.equal(CAPABILITY_OF_ACTION.refresh, 'wakeup');
    assert.equal(CAPABILITY_OF_ACTION.unlock, 'door');
    assert.equal(capabilityRefusal({ kind: 'lights' }, caps)?.capability, 'remote.lights.supported');
    assert.equal(capabilityRefusal({ kind: 'navigate', points: [{ lat: 1, lon: 2 }] }, caps)?.capability, 'remote.navigation.supported');
    assert.equal(capabilityRefusal({ kind: 'charge-preferences', type: 'Full' }, caps)?.capability, 'remote.charging.parameters.preferences.type');
    assert.equal(capabilityRefusal({ kind: 'charge-preferences', level: 3 }, caps), undefined);
    assert.equal(capabilityRefusal({ kind: 'horn' }, caps), undefined);
    assert.equal(capabilityRefusal({ kind: 'immobilize', on: true }, caps), undefined, 'no capability in the spec: tried');
    assert.equal(capabilityRefusal({ kind: 'lights' }, undefined), undefined, 'no capabilities: tried');
    const two = readCapabilities({ _embedded: { extension: { onboardCapabilities: { remote: { preconditioning: { supported: true, parameters: { programs: { size: 2 } } } } } } } });
    assert.equal(capabilityRefusal({ kind: 'precondition-programs', delete: [3] }, two)?.what, 'preconditioning program slot 3 (this car keeps 2)');
    assert.equal(capabilityRefusal({ kind: 'precondition-programs', delete: [2] }, two), undefined);
    assert.equal(programSlotsOf(two), 2);
  });
});
