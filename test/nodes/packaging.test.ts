/**
 * What Node-RED and the flow library read from the package: entry files, the literal
 * registerType definitions the scorecard parses out of each .html, help sections, editor fields
 * that match the node defaults, en-US messages for every key the editor uses, the icon, and the
 * example flows (well-formed, covering every node, and running against the simulator).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as acorn from 'acorn';
import * as walk from 'acorn-walk';
import { ACTION_WORDS, SETTING_WORDS } from '../../src/vocabulary/actionWords';
import type { RunningSimulator } from '../../src/simulator';
import * as h from './harness';
import { requireFromNodeRed } from '../helpers/hostModules';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
import { callsMatching, REMOTE_POSTS } from '../helpers/simulator';

const ROOT = path.resolve(__dirname, '../..');
const NODES_DIR = path.join(ROOT, 'nodes');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
const NODE_TYPES = ['stellantis-account', 'stellantis-remote', 'stellantis-events', 'stellantis-status'];

interface Definition {
  category?: unknown;
  color?: unknown;
  icon?: unknown;
  inputs?: unknown;
  outputs?: unknown;
  defaults: string[];
  credentials: string[];
}

/** The registerType definitions of an .html, read the way the Node-RED scorecard reads them. */
function definitionsOf(html: string): Map<string, Definition> {
  const defs = new Map<string, Definition>();
  for (const m of html.matchAll(/<script.+?type=['"]text\/javascript['"].*?>([\S\s]*?)<\/script>/gi)) {
    const ast = acorn.parse(m[1], { ecmaVersion: 'latest' });
    walk.simple(ast, {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier' || callee.property.name !== 'registerType') return;
        const [type, def] = node.arguments;
        assert.equal(type.type, 'Literal', 'registerType with a literal type name');
        assert.equal(def.type, 'ObjectExpression', 'registerType with an inline definition');
        const out: Definition = { defaults: [], credentials: [] };
        for (const prop of def.properties) {
          if (prop.type !== 'Property' || prop.key.type !== 'Identifier') continue;
          const key = prop.key.name;
          if (['category', 'color', 'icon', 'inputs', 'outputs'].includes(key)) {
            assert.equal(prop.value.type, 'Literal', `${key} must be a literal`);
            (out as unknown as Record<string, unknown>)[key] = prop.value.value;
          }
          if (key === 'defaults' || key === 'credentials') {
            assert.equal(prop.value.type, 'ObjectExpression', `${key} must be inline`);
            out[key] = prop.value.properties.map((p) => (p.type === 'Property' && p.key.type === 'Identifier' ? p.key.name : ''));
          }
        }
        defs.set(String(type.value), out);
      },
    });
  }
  return defs;
}

function messageKeys(value: unknown, prefix = ''): Set<string> {
  const keys = new Set<string>();
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === 'string') keys.add(key);
      else for (const inner of messageKeys(v, key)) keys.add(inner);
    }
  }
  return keys;
}

function readExamples(): Array<{ title: string; flow: Array<Record<string, unknown>> }> {
  return fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ title: f.replace(/\.json$/, ''), flow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, f), 'utf8')) as Array<Record<string, unknown>> }));
}

describe('Node-RED packaging of the nodes', () => {
  for (const type of NODE_TYPES) {
    describe(type, () => {
      const html = fs.readFileSync(path.join(NODES_DIR, `${type}.html`), 'utf8');
      const messages = JSON.parse(fs.readFileSync(path.join(NODES_DIR, 'locales', 'en-US', `${type}.json`), 'utf8')) as unknown;
      const keys = messageKeys(messages);
      const def = definitionsOf(html).get(type);

      it('has an entry file beside its .html that loads the compiled module', () => {
        const entry = fs.readFileSync(path.join(NODES_DIR, `${type}.js`), 'utf8');
        assert.equal(entry.trim(), `module.exports = require('../dist/nodes/src/${type}').default;`);
        assert.ok(fs.existsSync(path.join(NODES_DIR, 'src', `${type}.ts`)), 'the TypeScript source the build compiles to that path');
        const compiled = path.join(ROOT, 'dist', 'nodes', 'src', `${type}.js`);
        if (fs.existsSync(compiled)) assert.equal(typeof (module.require(path.join(NODES_DIR, `${type}.js`)) as unknown), 'function');
      });

      it('registers itself with a literal definition in the palette category stellantis', () => {
        assert.ok(def, `no literal RED.nodes.registerType('${type}', {...})`);
        assert.match(html, new RegExp(`RED\\.nodes\\.registerType\\('${type}', \\{`));
        if (type === 'stellantis-account') {
          assert.equal(def.category, 'config');
          assert.deepEqual(def.credentials.sort(), ['clientSecret', 'passphrase', 'password']);
        } else {
          assert.equal(def.category, 'stellantis');
          assert.equal(def.icon, 'stellantis.svg');
          assert.equal(typeof def.color, 'string');
          assert.ok(def.defaults.includes('account') && def.defaults.includes('name'));
        }
      });

      it('has help in Inputs / Outputs / Details form', () => {
        // Kept as Node-RED's core nodes keep it: locales/<lang>/<node>.html, loaded for nodes/<node>.js.
        const helpFile = fs.readFileSync(path.join(NODES_DIR, 'locales', 'en-US', `${type}.html`), 'utf8');
        const help = /<script type="text\/html" data-help-name="([^"]+)">([\S\s]*?)<\/script>/.exec(helpFile);
        assert.equal(help?.[1], type);
        const text = help?.[2] ?? '';
        assert.match(text, /^\s*<p>[^<]+/, 'a first paragraph (the palette tooltip)');
        assert.match(text, /<h3>Details<\/h3>/);
        if (typeof def?.inputs === 'number' && def.inputs > 0) assert.match(text, /<h3>Inputs<\/h3>/);
        if (typeof def?.outputs === 'number' && def.outputs > 0) assert.match(text, /<h3>Outputs<\/h3>/);
      });

      it('edits exactly the properties it defines, with an en-US message for every label', () => {
        const template = /<script type="text\/html" data-template-name="([^"]+)">([\S\s]*?)<\/script>/.exec(html);
        assert.equal(template?.[1], type);
        const prefix = type === 'stellantis-account' ? 'node-config-input-' : 'node-input-';
        const known = new Set([...(def?.defaults ?? []), ...(def?.credentials ?? [])]);
        for (const m of (template?.[2] ?? '').matchAll(new RegExp(`id="${prefix}([A-Za-z]+)"`, 'g'))) {
          assert.ok(known.has(m[1]) || /-list$/.test(m[0]) || known.has(m[1].replace(/-list$/, '')), `${m[1]} is edited but not in defaults/credentials`);
        }
        const used = [...html.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)].map((m) => m[1]);
        used.push(...[...html.matchAll(/_\('([a-z-]+\.[A-Za-z.-]+)'\)/g)].map((m) => m[1]));
        assert.ok(used.length > 3);
        for (const key of used) assert.ok(keys.has(key), `${type}: no en-US message '${key}'`);
      });
    });
  }

  it('names every remote action in the editor, in the runtime and in en-US alike', () => {
    const html = fs.readFileSync(path.join(NODES_DIR, 'stellantis-remote.html'), 'utf8');
    const list = /var ACTIONS = (\[[^\]]+\])/.exec(html)?.[1] ?? '[]';
    const editorActions = JSON.parse(list.replace(/'/g, '"')) as string[];
    assert.deepEqual(editorActions, [...Object.keys(ACTION_WORDS), ...SETTING_WORDS]);
    const messages = JSON.parse(fs.readFileSync(path.join(NODES_DIR, 'locales', 'en-US', 'stellantis-remote.json'), 'utf8')) as { 'stellantis-remote': { actions: Record<string, string> } };
    assert.deepEqual(Object.keys(messages['stellantis-remote'].actions), editorActions);
  });

  it('ships its palette icon', () => {
    const svg = fs.readFileSync(path.join(NODES_DIR, 'icons', 'stellantis.svg'), 'utf8');
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 40 60"/);
    assert.match(svg, /<path [^>]*d="M[^"]+"/);
  });

  it('has well-formed example flows, one for every node, among them the four the issue asks for', () => {
    const examples = readExamples();
    const titles = examples.map((e) => e.title.toLowerCase());
    for (const wanted of ['precondition at 7 am on weekdays', 'push a weekday preconditioning program into the car', 'lock the car when everyone left', 'notify me when charging is done']) {
      assert.ok(titles.includes(wanted), `missing example '${wanted}'`);
    }
    const core = new Set(['inject', 'debug', 'switch', 'change', 'comment', 'function', 'catch']);
    const covered = new Set<string>();
    for (const { title, flow } of examples) {
      assert.ok(Array.isArray(flow), title);
      const ids = new Set(flow.map((n) => n.id));
      assert.equal(ids.size, flow.length, `${title}: duplicate ids`);
      for (const n of flow) {
        const type = String(n.type);
        assert.ok(core.has(type) || NODE_TYPES.includes(type), `${title}: unexpected node type ${type}`);
        covered.add(type);
        if (type.startsWith('stellantis-') && type !== 'stellantis-account') {
          assert.ok(ids.has(n.account), `${title}: ${type} without its account node`);
        }
        for (const out of (n.wires as string[][] | undefined) ?? []) for (const target of out) assert.ok(ids.has(target), `${title}: wire to ${target}`);
        if (type === 'stellantis-remote') assert.equal((n.wires as unknown[]).length, n.outputs, `${title}: outputs and wires`);
      }
    }
    for (const type of NODE_TYPES) assert.ok(covered.has(type), `no example uses ${type}`);
  });
});

describe('example flows in a running Node-RED', function () {
  this.timeout(30_000);
  let sim: RunningSimulator;
  // The core nodes of the host's Node-RED.
  const core = ['common/20-inject.js', 'common/21-debug.js', 'common/90-comment.js', 'function/10-switch.js', 'function/15-change.js'].map((f) =>
    requireFromNodeRed<unknown>(`@node-red/nodes/core/${f}`),
  );

  h.useNodeRed({ started: (setUp) => ({ sim } = setUp) });

  /** Loads an example as a user would import it, with the simulator sped up for the test. */
  async function loadExample(title: string): Promise<Array<Record<string, unknown>>> {
    const example = readExamples().find((e) => e.title === title);
    assert.ok(example, title);
    // Imported into the editor the nodes land on the current tab: here a tab of their own.
    const flow: Array<Record<string, unknown>> = [
      { id: 'example-tab', type: 'tab', label: title },
      ...example.flow.map((n) => (n.type === 'stellantis-account' ? { ...n, simulatorTimeScale: h.SCALE } : { ...n, z: 'example-tab' })),
    ];
    h.freshSettings();
    await h.helper.load([...core, ...h.NODE_MODULES], flow);
    await h.accountReady(String(flow.find((n) => n.type === 'stellantis-account')?.id));
    return flow;
  }

  function idOf(flow: Array<Record<string, unknown>>, predicate: (n: Record<string, unknown>) => boolean): string {
    const found = flow.find(predicate);
    assert.ok(found);
    return String(found.id);
  }

  function lastRemoteBody(): Record<string, unknown> {
    const posts = callsMatching(sim, REMOTE_POSTS);
    return posts[posts.length - 1]?.body as Record<string, unknown>;
  }

  it("uses the simulator's electric car, so that the examples run as soon as they are imported", () => {
    const ev = sim.vehicles.find((v) => v.kind === 'electric')?.id;
    for (const { title, flow } of readExamples()) {
      const account = flow.find((n) => n.type === 'stellantis-account');
      assert.equal(account?.simulator, true, title);
      assert.deepEqual((account?.vehicles as Array<{ id: string }>).map((v) => v.id), [ev], title);
    }
  });

  it('runs "Charge to 80 % in off-peak hours": the limit (preferences Partial on the EV), then the charge deferred to 23:30', async () => {
    const flow = await loadExample('Charge to 80 % in off-peak hours');
    const from = sim.calls.length;
    h.send(idOf(flow, (n) => n.type === 'inject'), {});
    await h.until(() => callsMatching(sim, REMOTE_POSTS, from).length === 2, 10000, 'the two remotes');
    const [limit, deferred] = callsMatching(sim, REMOTE_POSTS, from).map((c) => c.body as { charging?: Record<string, unknown> });
    assert.deepEqual(limit.charging, { preferences: { type: 'Partial' } });
    assert.ok((deferred.charging?.schedule as { nextDelayedTime?: string } | undefined)?.nextDelayedTime, JSON.stringify(deferred));
  });

  it('runs "Charge to 80 % in off-peak hours": its button pushes the off-peak charging program into the car', async () => {
    const flow = await loadExample('Charge to 80 % in off-peak hours');
    const from = sim.calls.length;
    h.send(idOf(flow, (n) => n.type === 'inject' && String(n.name).startsWith('once')), {});
    await h.until(() => callsMatching(sim, REMOTE_POSTS, from).length === 1, 10000, 'the programs remote');
    const body = callsMatching(sim, REMOTE_POSTS, from)[0].body as { charging?: unknown };
    assert.deepEqual(body.charging, { schedule: { programs: [{ start: 'PT23H30M', end: 'PT7H30M', enabled: true, occurence: { day: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] } }] } });
  });

  it('runs the remote examples: the inject sends the action the example describes', async () => {
    const cases: Array<[string, (n: Record<string, unknown>) => boolean, (body: Record<string, unknown>) => void]> = [
      ['Precondition at 7 am on weekdays', (n) => n.type === 'inject', (b) => assert.deepEqual(b.preconditioning, { airConditioning: { immediate: true } })],
      [
        'Push a weekday preconditioning program into the car',
        (n) => n.type === 'inject',
        (b) => {
          const programs = (b.preconditioning as { airConditioning: { programs: Array<Record<string, unknown>> } }).airConditioning.programs;
          assert.deepEqual(programs[0].occurence, { day: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'] });
          assert.equal(programs[0].start, 'PT7H0M');
        },
      ],
      ['Lock the car when everyone left', (n) => n.type === 'inject' && n.payload === '{"home":0}', (b) => assert.deepEqual(b.door, { state: 'Locked' })],
      ['See every notification of the car', (n) => n.type === 'inject', (b) => assert.deepEqual(b.lights, { on: true })],
    ];
    for (const [title, trigger, check] of cases) {
      const flow = await loadExample(title);
      const done = new Promise<void>((resolve) => h.account(String(flow.find((n) => n.type === 'stellantis-account')?.id)).on('remote', (p: { end?: unknown }) => p.end && resolve()));
      const before = sim.callCount({ method: 'POST', pathIncludes: '/remotes' });
      h.send(idOf(flow, trigger), {});
      await done;
      assert.equal(sim.callCount({ method: 'POST', pathIncludes: '/remotes' }), before + 1, title);
      check(lastRemoteBody());
      await h.unload();
    }
  });

  it('runs "Notify me when charging is done": the charging monitor going to Finished makes the notification text', async () => {
    await loadExample('Notify me when charging is done');
    const shown = h.debugOutput();
    const ev = sim.vehicles.find((v) => v.kind === 'electric')?.id ?? '';
    sim.control.setVehicle(ev, { plugged: true, charging: true, level: 99 });
    await h.until(() => shown.some((d) => d.name === 'send the notification here'), 8000, 'the notification');
    const note = shown.find((d) => d.name === 'send the notification here');
    assert.equal(note?.msg, `Charging is done (${ev})`);
    assert.equal(shown.filter((d) => d.name === 'send the notification here').length, 1, 'only the Finished change notifies');
  });

  it('runs "Open the garage when the car arrives": entering the home zone opens it, leaving does not', async () => {
    await loadExample('Open the garage when the car arrives');
    const shown = h.debugOutput();
    const ev = sim.vehicles.find((v) => v.kind === 'electric')?.id ?? '';
    const opener = () => shown.filter((d) => d.name === 'garage door (replace with your opener)');
    await pause(300);
    sim.control.setVehicle(ev, { position: { lat: 48.95, lon: 2.3522 } });
    await pause(300);
    assert.equal(opener().length, 0, 'leaving does not open it');
    sim.control.setVehicle(ev, { position: { lat: 48.8566, lon: 2.3522 } });
    await h.until(() => opener().length === 1, 8000, 'the garage opened');
    assert.equal(opener()[0].msg, 'open');
  });

  it('runs "Alert me when the alarm goes off": a trigger makes the text with its type', async () => {
    await loadExample('Alert me when the alarm goes off');
    const shown = h.debugOutput();
    const ev = sim.vehicles.find((v) => v.kind === 'electric')?.id ?? '';
    await pause(300);
    sim.control.setVehicle(ev, { alarmActive: true });
    sim.control.setVehicle(ev, { alarmTrigger: 'VehicleLifting' });
    await h.until(() => shown.some((d) => d.name === 'notify (replace with your notifier)'), 8000, 'the alert');
    assert.equal(shown.find((d) => d.name === 'notify (replace with your notifier)')?.msg, 'The car alarm went off: VehicleLifting');
  });

  it('runs "Read the state of the car": one status read, never a wake-up, unless asked', async () => {
    const flow = await loadExample('Read the state of the car');
    const shown = h.debugOutput();
    const reads = sim.callCount({ method: 'GET', pathIncludes: '/status' });
    const posts = sim.callCount({ method: 'POST', pathIncludes: '/remotes' });
    h.send(idOf(flow, (n) => n.type === 'inject' && n.name === 'read now'), {});
    await h.until(() => shown.some((d) => d.name === 'state'), 8000, 'the state');
    assert.equal(sim.callCount({ method: 'GET', pathIncludes: '/status' }), reads + 1);
    assert.equal(sim.callCount({ method: 'POST', pathIncludes: '/remotes' }), posts);
    h.send(idOf(flow, (n) => n.type === 'inject' && n.name === 'wake it, then read'), {});
    await h.until(() => shown.filter((d) => d.name === 'state').length === 2, 8000, 'the second state');
    assert.equal(sim.callCount({ method: 'POST', pathIncludes: '/remotes' }), posts + 1, 'one wake-up');
  });
});
