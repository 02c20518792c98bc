import { strict as assert } from 'node:assert';
import { startSimulator } from '../../src/simulator';
import { validateAccountConfig } from '../../src/config/validate';

describe('simulator: seeded vehicles', () => {
  it('have well-formed VINs that the account configuration accepts', async () => {
    const sim = await startSimulator({ vehicles: 5 });
    try {
      for (const v of sim.vehicles) assert.match(v.vin, /^[A-HJ-NPR-Z0-9]{17}$/, v.vin);
      const result = validateAccountConfig(
        { simulator: true, vehicles: sim.vehicles.map((v) => ({ id: v.id, vin: v.vin })) },
        { checkFiles: false },
      );
      assert.ok(result.ok, result.ok ? '' : JSON.stringify(result.problems));
    } finally {
      await sim.stop();
    }
  });
});
