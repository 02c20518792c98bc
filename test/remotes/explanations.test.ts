import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { FAILURE_CAUSES, PENDING_STATUSES } from '../../src/stellantis/wire';
import { endText, explainFailure, explainPending, phaseText, sentence } from '../../src/remotes/explanations';
import type { RemoteAction } from '../../src/stellantis/actions';

const templatePath = path.resolve(__dirname, '../../../shared/stellantis-api/api-b2c-webhook-template.yaml');

function templateEnum(schema: string): string[] {
  const doc = parse(readFileSync(templatePath, 'utf8')) as { components: { schemas: Record<string, { enum?: string[] }> } };
  const values = doc.components.schemas[schema]?.enum;
  assert.ok(values && values.length > 0, `${schema} enum found in the template`);
  return values.map((v) => String(v).trim());
}

describe('remotes/explanations', () => {
  it('has its own words and an action for every failure cause of the official template', () => {
    const causes = new Set([...templateEnum('RemoteFailedEventStatus'), ...FAILURE_CAUSES]);
    const texts = new Set<string>();
    for (const cause of causes) {
      const e = explainFailure(cause);
      assert.ok(!e.text.includes(cause), `${cause} has plain words, not its enum name: ${e.text}`);
      assert.ok(e.whatToDo.length > 10, `${cause} says what to do`);
      texts.add(e.text);
    }
    assert.equal(texts.size, causes.size, 'each cause has its own text');
  });

  it('says the specific thing for the causes users meet most', () => {
    assert.match(sentence(explainFailure('DoorsOpen')), /close the doors/);
    assert.match(explainFailure('VehicleConnectionTimeout').text, /coverage/);
    assert.match(explainFailure('VehicleConnectionTimeout').text, /deep sleep after 7 days/);
    assert.match(explainFailure('TooManyWakeUpsOverMonth').whatToDo, /next month/);
  });

  it('explains every pending status of the official template', () => {
    for (const status of new Set([...templateEnum('RemotePendingEventStatus'), ...PENDING_STATUSES])) {
      const e = explainPending(status);
      assert.ok(!e.text.includes(status), `${status} has plain words: ${e.text}`);
    }
    assert.match(explainPending('WakingUpVehicle').text, /waking the car/);
  });

  it('degrades to a readable sentence for values it does not know', () => {
    assert.match(explainFailure('BrandNewCause').text, /BrandNewCause/);
    assert.match(explainFailure(undefined).text, /without a reason/);
    assert.match(explainPending('SomethingNew').text, /SomethingNew/);
  });

  it('writes step and end texts naming the action', () => {
    const lock: RemoteAction = { kind: 'lock' };
    assert.equal(phaseText('pending', lock, 'WakingUpVehicle'), 'lock: waking the car up (this can take a minute or two)');
    assert.match(phaseText('queued', { kind: 'charge', on: true }), /^start charging: waiting/);
    assert.equal(endText(lock, { result: 'Success', at: 0 }), 'lock: done');
    assert.equal(
      endText(lock, { result: 'Failed', failureCause: 'DoorsOpen', explanation: sentence(explainFailure('DoorsOpen')), at: 0 }),
      'lock: failed: a door (or the boot) is open; close the doors and the boot, then try again',
    );
  });
});
