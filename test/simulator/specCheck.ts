/** The spec check of simulator answers, with the field's known differences from the spec (the allowances). */
import { strict as assert } from 'assert';
import { specFor } from '../helpers/spec';
import type { Rig } from './harness';

/**
 * Where cars in the field (bodies published by owners) answer against the spec's `Status` schema,
 * the simulator follows the field; these are the only differences allowed, each on its own path:
 * - `energy` is an array (the spec has one deprecated Energy object);
 * - empty program slots carry `occurence: null`;
 * - `alarm.status.activation` is `Deactive` (the spec says `Inactive`);
 * - 2021–2023 bodies send `battery.createdAt: null`.
 */
export const FIELD_ALLOWANCES: readonly RegExp[] = [
  /^response 200\/energy: must be object$/,
  /^response 200\/preconditionn?ing\/airConditioning\/programs\/\d+\/occurence: must be object$/,
  /^response 200\/alarm\/status\/activation: must be one of "Inactive", "Active"$/,
  /^response 200\/battery\/createdAt: must be string$/,
];

export function beyondFieldAllowances(problems: string[]): string[] {
  return problems.filter((p) => !FIELD_ALLOWANCES.some((re) => re.test(p)));
}

/** Calls an endpoint and checks the answer against the official spec for that operation and status. */
export async function conforms(r: Rig, flavour: 'b2c' | 'b2b', method: string, path: string, body?: unknown, expected?: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = flavour === 'b2c' ? await r.client.b2c(method, path, body) : await r.client.b2b(method, path, body);
  if (expected !== undefined) assert.equal(res.status, expected, `${method} ${path}`);
  else assert.ok(res.status >= 200 && res.status < 300, `${method} ${path} -> ${res.status} ${JSON.stringify(res.body)}`);
  const checked = specFor(flavour).validateResponse(method, path.split('?')[0], res.status, res.body);
  const problems = path.split('?')[0].endsWith('/status') ? beyondFieldAllowances(checked) : checked;
  assert.deepEqual(problems, [], `${method} ${path} -> ${res.status}: ${problems.join('; ')}`);
  return res as { status: number; body: Record<string, unknown> };
}

