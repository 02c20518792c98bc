/**
 * Every Node-RED text in every language: the same files and keys in each locale folder as in en-US, the same
 * __placeholders__, a runtime key for every official failure cause and pending status, no literal text in the
 * editor dialogs, and the runtime texts resolved by Node-RED's own i18n in the runtime language.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FAILURE_CAUSES, PENDING_STATUSES } from '../../src/stellantis/wire';
import { NODE_MODULE, useRuntimeI18n } from '../../nodes/src/lib/i18n';
import { NO_ACCOUNT } from '../../nodes/src/lib/nodeStatus';
import { endStatus, progressStatus } from '../../nodes/src/lib/statusText';
import { localExplanation } from '../../nodes/src/lib/localExplanation';
import { summaryOf } from '../../nodes/src/stellantis-events';
import { nodeRedRuntimePath } from '../helpers/hostModules';

const NODES = path.resolve(__dirname, '..', '..', 'nodes');
const LOCALES = path.join(NODES, 'locales');
export const NODE_RED_LANGUAGES = ['en-US', 'fr', 'de', 'it', 'es', 'nl'];

type Catalog = { [key: string]: string | Catalog };

function flatten(catalog: Catalog, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalog)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string): string[] => (text.match(/__[A-Za-z0-9]+__/g) ?? []).sort();
const readCatalog = (lang: string, file: string): Map<string, string> =>
  flatten(JSON.parse(fs.readFileSync(path.join(LOCALES, lang, file), 'utf8')) as Catalog);

describe('Node-RED locales (issue 17)', () => {
  const files = fs.readdirSync(path.join(LOCALES, 'en-US')).sort();

  it('has exactly the languages en-US, fr, de, it, es, nl, each with every file of en-US', () => {
    assert.deepEqual(fs.readdirSync(LOCALES).sort(), [...NODE_RED_LANGUAGES].sort());
    for (const lang of NODE_RED_LANGUAGES) assert.deepEqual(fs.readdirSync(path.join(LOCALES, lang)).sort(), files, lang);
  });

  it('has every key of every catalog in every language and no other, with the same __placeholders__', () => {
    for (const file of files.filter((f) => f.endsWith('.json'))) {
      const english = readCatalog('en-US', file);
      for (const lang of NODE_RED_LANGUAGES) {
        const other = readCatalog(lang, file);
        const missing = [...english.keys()].filter((k) => !other.has(k));
        const extra = [...other.keys()].filter((k) => !english.has(k));
        assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${lang}/${file}`);
        for (const [key, text] of english) {
          assert.deepEqual(placeholders(other.get(key) ?? ''), placeholders(text), `${lang}/${file} ${key}`);
          assert.notEqual((other.get(key) ?? '').trim(), '', `${lang}/${file} ${key} is empty`);
        }
      }
    }
  });

  it('has a short text for every official failure cause and pending status', () => {
    const english = readCatalog('en-US', 'stellantis-account.json');
    for (const cause of FAILURE_CAUSES) assert.ok(english.has(`stellantis.failure.${cause}`), cause);
    for (const status of PENDING_STATUSES) assert.ok(english.has(`stellantis.pending.${status}`), status);
  });

  it('has a help page per node in every language, with the same node names', () => {
    for (const file of files.filter((f) => f.endsWith('.html'))) {
      const name = /data-help-name="([^"]+)"/.exec(fs.readFileSync(path.join(LOCALES, 'en-US', file), 'utf8'))?.[1];
      for (const lang of NODE_RED_LANGUAGES) {
        assert.match(fs.readFileSync(path.join(LOCALES, lang, file), 'utf8'), new RegExp(`data-help-name="${name}"`), `${lang}/${file}`);
      }
    }
  });

  describe('the editor dialogs (nodes/*.html) show only keys', () => {
    // Proper names a dialog may show as they are.
    const PROPER_NAMES = new Set(['Peugeot', 'Citroën', 'DS', 'Opel', 'Vauxhall']);
    for (const file of fs.readdirSync(NODES).filter((f) => f.endsWith('.html'))) {
      it(file, () => {
        const html = fs.readFileSync(path.join(NODES, file), 'utf8');
        const problems: string[] = [];
        for (const [, template] of html.matchAll(/<script type="text\/html" data-template-name="[^"]+">([\s\S]*?)<\/script>/g)) {
          for (const [, text] of template.matchAll(/>([^<>]+)</g)) {
            const words = text.trim();
            if (words && !PROPER_NAMES.has(words)) problems.push(`text "${words}"`);
          }
          for (const [attr] of template.matchAll(/\s(?:placeholder|title)="[^"]*"/g)) problems.push(`attribute${attr}`);
        }
        for (const [, code] of html.matchAll(/<script type="text\/javascript">([\s\S]*?)<\/script>/g)) {
          const literal = /(?:(?<!helpers)\.text\(|\.attr\('(?:placeholder|title)',\s*|RED\.notify\(|(?:input|output)Labels:\s*|addButton:\s*)(['"])(?!\1)/g;
          for (const found of code.matchAll(literal)) problems.push(`script ${code.slice(found.index, found.index + 60)}`);
          // A fallback text in words ("|| 'Stellantis account'"), not a value such as 'lock'.
          for (const [found] of code.matchAll(/\|\|\s*\(?'[^']*[ <][^']*'/g)) problems.push(`script ${found}`);
        }
        assert.deepEqual(problems, [], `${file}: literal texts a person sees`);
      });
    }
  });

  describe("the runtime texts through Node-RED's i18n (@node-red/util)", () => {
    interface NodeRedI18n {
      init(settings: { lang?: string }): void;
      registerMessageCatalog(namespace: string, dir: string, file: string): Promise<void>;
      _: (key: string, vars?: Record<string, string | number>) => string;
      i: { changeLanguage(lang: string): Promise<unknown> };
    }
    let i18n: NodeRedI18n;

    before(async () => {
      // The i18n module of the Node-RED under test, registering the catalogs as its node loader does
      // (namespace <module>/<node set>, the locales folder next to the node, <node set>.json).
      const util = require.resolve('@node-red/util', { paths: [nodeRedRuntimePath()] });
      const loaded = (await import(util)) as { i18n?: NodeRedI18n; default?: { i18n: NodeRedI18n } };
      i18n = loaded.i18n ?? (loaded.default as { i18n: NodeRedI18n }).i18n;
      i18n.init({});
      for (const file of files.filter((f) => f.endsWith('.json'))) {
        await i18n.registerMessageCatalog(`${NODE_MODULE}/${file.replace(/\.json$/, '')}`, LOCALES, file);
      }
      useRuntimeI18n(i18n._);
    });

    after(async () => {
      await i18n.i.changeLanguage('en-US');
    });

    it('shows the node status in the runtime language, English as the fallback', async () => {
      const at = new Date(2025, 0, 1, 7, 5).getTime();
      const base = { vehicleId: 'v', requestId: 'r', action: { kind: 'lock' as const }, text: '', at };
      await i18n.i.changeLanguage('fr');
      assert.equal(NO_ACCOUNT.text, 'aucun compte');
      assert.equal(endStatus({ kind: 'lock' }, { result: 'Success', at }).text, 'verrouillée 07:05');
      assert.equal(endStatus({ kind: 'lock' }, { result: 'Failed', failureCause: 'DoorsOpen', at }).text, 'échec : portes ouvertes');
      assert.equal(progressStatus({ ...base, phase: 'pending', pendingStatus: 'WakingUpVehicle' }).text, 'réveil de la voiture');
      await i18n.i.changeLanguage('de');
      assert.equal(endStatus({ kind: 'unlock' }, { result: 'Success', at }).text, 'entriegelt 07:05');
      assert.equal(endStatus({ kind: 'charge-at', at: '23:30' }, { result: 'Success', at }).text, 'lädt um 23:30 07:05');
      await i18n.i.changeLanguage('pt');
      assert.equal(NO_ACCOUNT.text, 'no account');
    });

    it("explains a failure cause in the runtime language (msg.payload.explanationLocal); our own reasons stay English", async () => {
      const at = Date.now();
      const doorsOpen = { result: 'Failed' as const, failureCause: 'DoorsOpen', explanation: 'a door (or the boot) is open; close the doors and the boot, then try again', at };
      await i18n.i.changeLanguage('fr');
      assert.equal(localExplanation(doorsOpen), 'une portière (ou le coffre) est ouverte; fermez les portières et le coffre, puis réessayez');
      await i18n.i.changeLanguage('nl');
      assert.match(String(localExplanation(doorsOpen)), /portier .*achterklep/);
      const noAnswer = { result: 'Timeout' as const, explanation: 'no answer from the car', at };
      assert.equal(localExplanation(noAnswer), 'no answer from the car');
      await i18n.i.changeLanguage('en-US');
      assert.equal(localExplanation(doorsOpen), doorsOpen.explanation);
    });

    it("shows the events node's summaries in the runtime language", async () => {
      await i18n.i.changeLanguage('de');
      assert.equal(summaryOf.monitor({ 'vehicle.energy.charging.status': 'Finished' }), 'Überwachung: Finished');
      assert.equal(summaryOf.monitor({}), 'Überwachung: Änderung');
      assert.equal(summaryOf.state('notification'), 'Zustand (notification)');
      await i18n.i.changeLanguage('fr');
      assert.equal(summaryOf.state('poll'), 'état (poll)');
      assert.equal(summaryOf.remote({}), 'commande : ?');
    });
  });
});
