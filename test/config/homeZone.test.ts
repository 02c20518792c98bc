/** vehicles[].home: the home zone is validated with every problem named (issue 14). */
import { strict as assert } from 'node:assert';
import { validateAccountConfig } from '../../src/config/validate';

const base = { simulator: true, brand: 'peugeot', clientId: 'c', clientSecret: 's' };

function problems(home: unknown): string[] {
  const r = validateAccountConfig({ ...base, vehicles: [{ id: 'v', home }] }, { checkFiles: false });
  return r.ok ? [] : r.problems.map((p) => `${p.key}: ${p.message}`);
}

describe('config: vehicles[].home', () => {
  it('keeps a valid zone, the radius defaulting to 150 m', () => {
    const r = validateAccountConfig({ ...base, vehicles: [{ id: 'v', home: { lat: 48.85, lon: 2.35 } }] }, { checkFiles: false });
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    assert.deepEqual(r.config.vehicles[0].home, { lat: 48.85, lon: 2.35, radiusM: 150 });
  });

  it('names each problem: latitude out of range, longitude missing, a radius too small, a typo, not an object', () => {
    const found = problems({ lat: 95, radiusM: 10, radius: 3 });
    assert.ok(found.some((p) => /^vehicles\[0\]\.home\.lat: must be a number from -90 to 90/.test(p)), found.join('\n'));
    assert.ok(found.some((p) => /^vehicles\[0\]\.home\.lon: missing/.test(p)), found.join('\n'));
    assert.ok(found.some((p) => /^vehicles\[0\]\.home\.radiusM: must be a number of metres from 50/.test(p)), found.join('\n'));
    assert.match(problems('home')[0], /^vehicles\[0\]\.home: must be an object/);
  });
});
