import { strict as assert } from 'assert';
import { specFor, webhookSpec } from './spec';

const REMOTES = '/user/vehicles/abc/callbacks/cb1/remotes';
const FLEET_REMOTES = '/fleets/f1/vehicles/v1/callbacks/cb1/remotes';

function points(n: number): Array<{ type: 'Point'; coordinates: [number, number] }> {
  return Array.from({ length: n }, (_x, i) => ({ type: 'Point' as const, coordinates: [2 + i / 100, 48] }));
}

describe('spec harness (test/helpers/spec.ts)', () => {
  describe('validateRequest', () => {
    it('accepts a documented remote body on the templated remotes path', () => {
      assert.deepEqual(specFor('b2c').validateRequest('POST', REMOTES, { client_id: 'abc' }, { label: 'x', door: { state: 'Locked' } }), []);
      assert.deepEqual(specFor('b2b').validateRequest('POST', FLEET_REMOTES, {}, { stolen: { stolen: true } }), []);
    });

    it('reports an invalid door state with the allowed values', () => {
      const problems = specFor('b2c').validateRequest('POST', REMOTES, {}, { door: { state: 'Open' } });
      assert.equal(problems.length, 1);
      assert.match(problems[0], /body\/door\/state: must be one of "Unlocked", "Locked"/);
    });

    it('reports navigation with 11 points but accepts 10', () => {
      const spec = specFor('b2c');
      assert.deepEqual(spec.validateRequest('POST', REMOTES, {}, { navigation: { positions: points(10) } }), []);
      const problems = spec.validateRequest('POST', REMOTES, {}, { navigation: { positions: points(11) } });
      assert.deepEqual(problems, ['body/navigation/positions: must NOT have more than 10 items']);
    });

    it('reports properties the spec does not declare (stolen is b2b only)', () => {
      const problems = specFor('b2c').validateRequest('POST', REMOTES, {}, { stolen: { stolen: true } });
      assert.deepEqual(problems, ["body/stolen: property 'stolen' is not declared by the spec"]);
      const nested = specFor('b2c').validateRequest('POST', REMOTES, {}, { door: { state: 'Locked', sate: 1 } });
      assert.deepEqual(nested, ["body/door/sate: property 'sate' is not declared by the spec"]);
    });

    it('reports unknown paths and methods', () => {
      assert.deepEqual(specFor('b2c').validateRequest('GET', '/user/foo', {}), ['no such operation GET /user/foo']);
      assert.deepEqual(specFor('b2c').validateRequest('DELETE', REMOTES, {}), [`no such operation DELETE ${REMOTES}`]);
      // b2c paths do not exist in the fleet API
      assert.equal(specFor('b2b').validateRequest('POST', REMOTES, {}, {}).length, 1);
    });

    it('checks query parameters: values, unknown names, client_id always allowed', () => {
      const spec = specFor('b2c');
      assert.deepEqual(spec.validateRequest('GET', '/user/vehicles', { pageSize: '10', client_id: 'c' }), []);
      const problems = spec.validateRequest('GET', '/user/vehicles', { pageSize: '100', fooBar: '1' });
      assert.ok(problems.some((p) => /query parameter 'pageSize': must be <= 60/.test(p)), problems.join('\n'));
      assert.ok(problems.some((p) => /unknown query parameter 'fooBar'/.test(p)), problems.join('\n'));
    });

    it('reports a missing body and a body where none is taken', () => {
      assert.deepEqual(specFor('b2c').validateRequest('POST', REMOTES, {}), [
        'POST /user/vehicles/{id}/callbacks/{cbid}/remotes: request body is missing',
      ]);
      assert.deepEqual(specFor('b2c').validateRequest('GET', '/user/vehicles/abc/status', {}, { a: 1 }), [
        'GET /user/vehicles/{id}/status: takes no request body',
      ]);
    });

    it('follows path items that $ref into x-fragment', () => {
      assert.deepEqual(specFor('b2c').validateRequest('GET', '/user/vehicles/abc/trips/t1', {}), []);
    });
  });

  describe('validateResponse', () => {
    it('accepts a documented 202 and reports a wrong one', () => {
      const spec = specFor('b2c');
      assert.deepEqual(spec.validateResponse('POST', REMOTES, 202, { remoteActionId: 'r1', type: 'Doors' }), []);
      const problems = spec.validateResponse('POST', REMOTES, 202, { remoteActionId: 7, type: 'Door' });
      assert.equal(problems.length, 2, problems.join('\n'));
    });

    it('falls back to the default (x-fragment error) response', () => {
      const spec = specFor('b2c');
      assert.deepEqual(spec.validateResponse('GET', '/user/vehicles/abc/status', 404, { code: 40499, message: 'not found' }), []);
      const problems = spec.validateResponse('GET', '/user/vehicles/abc/status', 404, { code: 'x' });
      assert.deepEqual(problems, ['response 404/code: must be integer']);
    });

    it('reports an undocumented status', () => {
      const problems = specFor('b2b').validateResponse('DELETE', '/fleets/f1/remote/callbacks/cb1', 500, {});
      assert.equal(problems.length, 1);
      assert.match(problems[0], /status 500 is not documented/);
    });

    it('allows unknown fields in responses (readers must accept them)', () => {
      assert.deepEqual(specFor('b2c').validateResponse('POST', REMOTES, 202, { remoteActionId: 'r', futureField: 1 }), []);
    });
  });

  describe('validateSchema', () => {
    it('validates a named schema, open by default and closed on request', () => {
      const spec = specFor('b2b');
      assert.deepEqual(spec.validateSchema('Remote', { immobilization: { activate: true } }), []);
      assert.deepEqual(specFor('b2c').validateSchema('Remote', { horn: { state: 'Activated' }, extra: 1 }), []);
      assert.deepEqual(specFor('b2c').validateSchema('Remote', { horn: { state: 'Activated' }, extra: 1 }, { closed: true }), [
        "Remote/extra: property 'extra' is not declared by the spec",
      ]);
      assert.deepEqual(specFor('b2c').validateSchema('Remote', { horn: {} }), ["Remote/horn: missing required property 'state'"]);
    });

    it('names an unknown schema', () => {
      assert.deepEqual(specFor('b2c').validateSchema('Nope', {}), ["no schema named 'Nope' in the spec"]);
    });

    it('is cached per flavour', () => {
      assert.equal(specFor('b2c'), specFor('b2c'));
      assert.notEqual(specFor('b2c'), specFor('b2b'));
    });
  });

  describe('webhookSpec', () => {
    const done = {
      callbackId: 'cb1',
      type: 'Remote',
      date: '2024-05-01T10:00:00Z',
      remoteEvent: { remoteActionId: 'r1', remoteType: 'Doors', eventStatus: { type: 'Done', status: 'Failed', failureCause: 'DoorsOpen' } },
    };

    it('accepts a message and a batch, rejects a bad status', () => {
      const hook = webhookSpec();
      assert.deepEqual(hook.validateMessage(done), []);
      assert.deepEqual(hook.validateMessage([done, done]), []);
      const bad = { ...done, remoteEvent: { ...done.remoteEvent, eventStatus: { type: 'Done', status: 'Nope' } } };
      assert.ok(hook.validateMessage(bad).some((p) => /eventStatus\/status/.test(p)));
      assert.ok(hook.validateMessage([done, bad]).every((p) => p.startsWith('Message[1]')));
    });

    it('exposes the enums of the template', () => {
      const { enums } = webhookSpec();
      assert.ok(enums.doneStatus.includes('AlreadyDone'));
      assert.ok(enums.pendingStatus.includes('WakingUpVehicle'));
      assert.ok(enums.failureCause.includes('VehicleIsNotLocked'));
      assert.ok(enums.monitorData.includes('vehicle.doorsState.lockedState'));
      assert.deepEqual(enums.messageType.slice().sort(), ['Monitor', 'Remote']);
      assert.deepEqual(enums.feedbackDetail, ['NoCIDBlacklisted', 'CIDBlacklisted']);
      assert.ok(enums.remoteType.includes('Navigation'));
    });
  });
});
