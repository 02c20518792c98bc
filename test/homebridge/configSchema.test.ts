/**
 * config.schema.json against the code: its keys are exactly AccountConfig's (read from the
 * TypeScript source with the compiler) plus the Homebridge-only ones, its defaults are the
 * validator's, every key is laid out once in the sections, and a form filled with its defaults
 * passes the platform's own validation.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import ts from 'typescript';
import { CONFIG_DEFAULTS } from '../../src/config/validate';
import { DEFAULT_LOW_BATTERY_THRESHOLD, DEFAULT_SIMULATOR_TIME_SCALE, HOMEBRIDGE_ONLY_KEYS, readPlatformConfig } from '../../src/homebridge/platformConfig';
import { PLATFORM_NAME } from '../../src/homebridge/settings';

const root = path.resolve(__dirname, '../..');

interface SchemaNode {
  type?: string | string[];
  minimum?: number;
  maximum?: number;
  description?: string;
  title?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  condition?: { functionBody: string };
  'x-schema-form'?: { type: string };
}
interface LayoutItem {
  key?: string;
  items?: Array<string | LayoutItem>;
}
interface SchemaFile {
  pluginAlias: string;
  pluginType: string;
  singular: boolean;
  customUi?: boolean;
  customUiPath?: string;
  schema: SchemaNode;
  layout: Array<string | LayoutItem>;
}

const file = JSON.parse(fs.readFileSync(path.join(root, 'config.schema.json'), 'utf8')) as SchemaFile;

/** Key tree of a TypeScript interface: nested objects (and arrays of objects) expanded, everything else a leaf. */
type KeyTree = { [key: string]: KeyTree | null };

function interfaceKeys(sourceFile: string, name: string): KeyTree {
  const program = ts.createProgram([sourceFile], { strict: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es5.d.ts'], types: [], noResolve: false, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(sourceFile);
  assert.ok(source);
  let declaration: ts.InterfaceDeclaration | undefined;
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) declaration = node;
  });
  assert.ok(declaration, `interface ${name}`);
  const walk = (type: ts.Type): KeyTree | null => {
    let t = checker.getNonNullableType(type);
    if (checker.isArrayType(t)) t = checker.getTypeArguments(t as ts.TypeReference)[0];
    if (t.isUnion() || !(t.flags & ts.TypeFlags.Object)) return null;
    const out: KeyTree = {};
    for (const p of checker.getPropertiesOfType(t)) out[p.name] = walk(checker.getTypeOfSymbolAtLocation(p, declaration!));
    return out;
  };
  return walk(checker.getTypeAtLocation(declaration)) ?? {};
}

function schemaKeys(node: SchemaNode): KeyTree | null {
  const target = node.type === 'array' && node.items ? node.items : node;
  if (!target.properties) return null;
  const out: KeyTree = {};
  for (const [k, v] of Object.entries(target.properties)) out[k] = schemaKeys(v);
  return out;
}

function schemaPaths(node: SchemaNode, prefix = ''): string[] {
  const target = node.type === 'array' && node.items ? node.items : node;
  if (!target.properties) return [prefix];
  const own = prefix && node.type === 'array' ? [prefix] : [];
  return [...own, ...Object.entries(target.properties).flatMap(([k, v]) => schemaPaths(v, prefix ? `${prefix}.${k}` : k))];
}

function layoutKeys(items: Array<string | LayoutItem>): string[] {
  return items.flatMap((item) => {
    if (typeof item === 'string') return [item];
    return [...(item.key ? [item.key] : []), ...layoutKeys(item.items ?? [])];
  });
}

function node(pathText: string): SchemaNode {
  let current: SchemaNode = file.schema;
  for (const part of pathText.split('.')) {
    const target: SchemaNode = current.type === 'array' && current.items ? current.items : current;
    const next = target.properties?.[part];
    assert.ok(next, `schema has ${pathText}`);
    current = next;
  }
  return current;
}

describe('config.schema.json', () => {
  it('is the singular platform "Stellantis", with the custom settings UI (login) of homebridge-ui/', () => {
    assert.equal(file.pluginAlias, PLATFORM_NAME);
    assert.equal(file.pluginType, 'platform');
    assert.equal(file.singular, true);
    assert.equal(file.customUi, true);
    assert.ok(fs.existsSync(path.join(root, file.customUiPath ?? './homebridge-ui', 'server.js')));
  });

  it('has exactly the keys of AccountConfig, plus the Homebridge-only ones', () => {
    const expected = interfaceKeys(path.join(root, 'src/config/account.ts'), 'AccountConfig');
    const actual = schemaKeys(file.schema)!;
    const homebridgeOnly = Object.keys(actual).filter((k) => !(k in expected));
    assert.deepEqual(homebridgeOnly.sort(), ['lowBatteryThreshold', 'name', 'simulatorTimeScale']);
    for (const k of homebridgeOnly) assert.ok((HOMEBRIDGE_ONLY_KEYS as readonly string[]).includes(k), `${k} is stripped before validation`);
    for (const k of homebridgeOnly) delete actual[k];
    assert.deepEqual(actual, expected);
  });

  it('lays out every key once, in the Account, Certificates, Webhook, Vehicles and Advanced sections', () => {
    const titles = file.layout.filter((i): i is LayoutItem & { title: string } => typeof i !== 'string' && 'title' in i).map((i) => i.title);
    assert.deepEqual(titles, ['Account', 'Certificates', 'Webhook', 'Vehicles', 'Advanced']);
    const laidOut = layoutKeys(file.layout).map((k) => k.replace(/\[\]/g, ''));
    const dupes = laidOut.filter((k, i) => laidOut.indexOf(k) !== i);
    assert.deepEqual(dupes, []);
    const leaves = schemaPaths(file.schema).filter((p) => !['certificate', 'webhook', 'webhook.https', 'vehicles.features'].includes(p));
    assert.deepEqual([...laidOut].sort(), [...leaves].sort());
  });

  it('gives every key a title, the validator\'s defaults, and conditions for fleet-only and simulator-only keys', () => {
    for (const p of schemaPaths(file.schema)) assert.ok(node(p).title, `${p} has a title`);
    assert.equal(node('flavour').default, CONFIG_DEFAULTS.flavour);
    assert.equal(node('requestTimeoutMs').default, CONFIG_DEFAULTS.requestTimeoutMs);
    assert.equal(node('statusIntervalMinutes').default, CONFIG_DEFAULTS.statusIntervalMinutes);
    for (const [k, v] of Object.entries(CONFIG_DEFAULTS.webhook)) assert.equal(node(`webhook.${k}`).default, v, `webhook.${k}`);
    for (const [k, v] of Object.entries(CONFIG_DEFAULTS.vehicleFeatures)) assert.equal(node(`vehicles.features.${k}`).default, v, `features.${k}`);
    assert.equal(node('lowBatteryThreshold').default, DEFAULT_LOW_BATTERY_THRESHOLD);
    assert.equal(node('simulatorTimeScale').default, DEFAULT_SIMULATOR_TIME_SCALE);
    for (const p of ['fleetId', 'username', 'password', 'vehicles.features.immobilization', 'vehicles.features.stolen']) {
      assert.match(node(p).condition?.functionBody ?? '', /flavour === 'b2b'/, p);
    }
    assert.match(node('simulatorTimeScale').condition?.functionBody ?? '', /simulator === true/);
    for (const p of ['clientSecret', 'password', 'certificate.passphrase', 'webhook.secret']) {
      assert.equal(node(p)['x-schema-form']?.type, 'password', `${p} is masked`);
    }
  });

  it('compiles as JSON Schema with AJV (strict mode off, as the Homebridge plugin checker does) and requires the ids', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(file.schema);
    const good = { name: 'Stellantis', vehicles: [{ id: 'V1', destinations: [{ name: 'Work', points: [{ lat: 48.85, lon: 2.35 }] }] }] };
    assert.equal(validate(good), true, JSON.stringify(validate.errors));
    assert.equal(validate({ name: 'Stellantis', vehicles: [{ name: 'Car' }, { id: 'V2', destinations: [{ points: [{ lat: 1 }] }] }] }), false);
    const missing = (validate.errors ?? []).filter((e) => e.keyword === 'required').map((e) => `${e.instancePath}/${String(e.params.missingProperty)}`);
    assert.deepEqual(missing.sort(), ['/vehicles/0/id', '/vehicles/1/destinations/0/name', '/vehicles/1/destinations/0/points/0/lon'].sort());
    assert.equal(validate({ vehicles: [] }), false, 'name is required');
  });

  it('lets exact numbers be typed: no bounded integer becomes a range slider', () => {
    const bounded = schemaPaths(file.schema).filter((p) => {
      const n = node(p);
      return n.type === 'integer' && n.minimum !== undefined && n.maximum !== undefined;
    });
    assert.ok(bounded.includes('webhook.port') && bounded.includes('requestTimeoutMs'));
    for (const p of bounded) assert.equal(node(p)['x-schema-form']?.type, 'number', `${p} renders as a number input`);
  });

  it('has no literal backticks or tag-like <words> (swallowed by the form) in its texts', () => {
    const texts: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') texts.push(value);
      else if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) if (k !== 'functionBody' && k !== 'condition') collect(v);
      }
    };
    collect(file);
    for (const t of texts) {
      assert.ok(!t.includes('`'), `no backtick: ${t}`);
      assert.ok(!/<[a-z][^>]*>/i.test(t), `no tag-like text: ${t}`);
    }
  });

  it('a form saved with the simulator on and the defaults filled in is a valid platform config', () => {
    const defaults = (n: SchemaNode): unknown => {
      if (n.properties) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(n.properties)) {
          const d = defaults(v);
          if (d !== undefined) out[k] = d;
        }
        return Object.keys(out).length ? out : undefined;
      }
      return n.default;
    };
    const form = { ...(defaults(file.schema) as Record<string, unknown>), simulator: true, platform: PLATFORM_NAME };
    const result = readPlatformConfig(form, root);
    assert.equal(result.kind, 'ready', JSON.stringify(result));
    const vehicle = { id: 'V1', features: defaults(node('vehicles.features')) };
    assert.equal(readPlatformConfig({ ...form, vehicles: [vehicle] }, root).kind, 'ready');
  });
});
