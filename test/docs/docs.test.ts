import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderStatusesDoc } from '../../scripts/statusesDoc';
import { FAILURE_CAUSES, PENDING_STATUSES } from '../../src/stellantis/wire';

const root = path.join(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

/** Every leaf property path of a JSON schema object (`webhook.publicUrl`, `vehicles[].features.doors`). */
function schemaKeys(schema: Record<string, unknown>, prefix = ''): string[] {
  const keys: string[] = [];
  const props = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, sub] of Object.entries(props)) {
    const key = prefix + name;
    const items = sub.items as Record<string, unknown> | undefined;
    // Objects are documented through their leaves (`webhook.port`), lists of objects through their items' keys.
    if (sub.type === 'object' && sub.properties) keys.push(...schemaKeys(sub, `${key}.`));
    else if (sub.type === 'array' && items?.type === 'object' && items.properties) keys.push(key, ...schemaKeys(items, `${key}[].`));
    else keys.push(key);
  }
  return keys;
}

describe('docs', () => {
  it('docs/statuses.md is generated from the current explanations (run `npm run docs`)', () => {
    assert.equal(read('docs/statuses.md'), renderStatusesDoc());
    const doc = read('docs/statuses.md');
    for (const s of [...PENDING_STATUSES, ...FAILURE_CAUSES]) assert.ok(doc.includes(`\`${s}\``), s);
  });

  it('docs/configuration.md documents every key of config.schema.json', () => {
    const schema = JSON.parse(read('config.schema.json')) as { schema: Record<string, unknown> };
    const doc = read('docs/configuration.md');
    const documented = (key: string): boolean => {
      // Array items are documented by their own name in the vehicles table (`id`, `features.doors`, ...).
      const leaf = key.includes('[].') ? key.slice(key.lastIndexOf('[].') + 3) : key;
      return doc.includes(`\`${key}\``) || doc.includes(`\`${leaf}\``);
    };
    const missing = schemaKeys(schema.schema).filter((k) => !documented(k));
    assert.deepEqual(missing, []);
  });

  it('the README gives the two commands after cloning, and its links resolve', () => {
    const readme = read('README.md');
    assert.match(readme, /npm start/);
    assert.match(readme, /npm test/);
    const links = [...readme.matchAll(/\]\(((?:docs\/|CHANGELOG)[^)#]+)\)/g)].map((m) => m[1]);
    assert.ok(links.length > 5);
    const broken = links.filter((l) => !fs.existsSync(path.join(root, l)));
    assert.deepEqual(broken, []);
  });
});
