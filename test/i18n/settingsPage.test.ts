/**
 * The Homebridge settings page and the plain-words explanations in every language (issue 17): each page
 * table (homebridge-ui/public/i18n/<lang>.js) has exactly the keys of English with the same {placeholders};
 * index.html holds no text of its own (only data-i18n keys); the page's scripts hand no literal text to
 * what a person sees; every key they ask for exists; every explanation table covers every official failure
 * cause and pending status.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { FAILURE_CAUSES, PENDING_STATUSES } from '../../src/stellantis/wire';
import { EXPLANATION_LANGUAGES, EXPLANATION_TABLES, explainFailureIn, explainPendingIn } from '../../src/remotes/explanations/index';

const PUBLIC = path.resolve(__dirname, '..', '..', 'homebridge-ui', 'public');
export const PAGE_LANGUAGES = ['en', 'fr', 'de', 'it', 'es', 'nl'];
const SCRIPTS = ['ui.js', 'app.js', 'wizard.js', 'carView.js', 'i18n.js'];

function pageTables(): Record<string, Record<string, string>> {
  const sandbox = { window: {} as { StellantisLocales?: Record<string, Record<string, string>> } };
  vm.createContext(sandbox);
  for (const file of fs.readdirSync(path.join(PUBLIC, 'i18n')).sort()) vm.runInContext(fs.readFileSync(path.join(PUBLIC, 'i18n', file), 'utf8'), sandbox);
  return sandbox.window.StellantisLocales ?? {};
}

/** The words of the literal starting at `at` (its quote), expressions of a template left out. */
function literalWords(code: string, at: number): string {
  const quote = code[at];
  let words = '';
  for (let i = at + 1; i < code.length; i += 1) {
    if (code[i] === '\\') { i += 1; continue; }
    if (code[i] === quote) break;
    if (quote === '`' && code[i] === '$' && code[i + 1] === '{') {
      let depth = 0;
      for (; i < code.length; i += 1) {
        if (code[i] === '{') depth += 1;
        else if (code[i] === '}' && --depth === 0) break;
      }
      continue;
    }
    words += code[i];
  }
  return words;
}

const braces = (text: string): string[] => (text.match(/\{\w+\}/g) ?? []).sort();

describe('Homebridge settings page and explanations in every language (issue 17)', () => {
  const tables = pageTables();
  const english = tables.en ?? {};

  it('has a table per language, en, fr, de, it, es, nl, each loaded by index.html', () => {
    assert.deepEqual(Object.keys(tables).sort(), [...PAGE_LANGUAGES].sort());
    const html = fs.readFileSync(path.join(PUBLIC, 'index.html'), 'utf8');
    for (const lang of PAGE_LANGUAGES) assert.ok(html.includes(`<script src="i18n/${lang}.js"></script>`), lang);
  });

  it('has every English key in every language and no other, with the same {placeholders}, none empty', () => {
    for (const lang of PAGE_LANGUAGES) {
      const table = tables[lang];
      const missing = Object.keys(english).filter((k) => !(k in table));
      const extra = Object.keys(table).filter((k) => !(k in english));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, lang);
      for (const [key, text] of Object.entries(english)) {
        assert.deepEqual(braces(table[key]), braces(text), `${lang} ${key}`);
        assert.notEqual(table[key].trim(), '', `${lang} ${key} is empty`);
      }
    }
  });

  it('index.html shows no text of its own: every text and label is a data-i18n key of the English table', () => {
    const html = fs.readFileSync(path.join(PUBLIC, 'index.html'), 'utf8').replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<script[\s\S]*?<\/script>/g, '');
    const problems: string[] = [];
    for (const [, text] of html.matchAll(/>([^<>]+)</g)) if (text.trim()) problems.push(`text "${text.trim()}"`);
    for (const [attr] of html.matchAll(/\s(?:aria-label|title)="[^"]*"/g)) problems.push(`attribute${attr}`);
    // A placeholder may only show an example address or path, not words.
    for (const [attr, value] of html.matchAll(/\splaceholder="([^"]*)"/g)) if (!/^(https:\/\/|\/)/.test(value)) problems.push(`attribute${attr}`);
    for (const [, key] of html.matchAll(/data-i18n(?:-placeholder|-aria-label)?="([^"]+)"/g)) if (!(key in english)) problems.push(`unknown key ${key}`);
    assert.deepEqual(problems, []);
  });

  describe("the page's scripts pass no literal text to what a person sees", () => {
    const SINKS = /(?:textContent\s*[=:]\s*|toast\.\w+\(\s*|new Error\(\s*|'aria-label':\s*|\btitle:\s*|\.placeholder\s*=\s*)(['"`])(?!\1)/g;
    for (const file of SCRIPTS) {
      it(file, () => {
        const code = fs.readFileSync(path.join(PUBLIC, file), 'utf8');
        const problems = [...code.matchAll(SINKS)]
          .filter((m) => /[A-Za-z]{2,}/.test(literalWords(code, m.index + m[0].length - 1)))
          .map((m) => code.slice(m.index, m.index + 70));
        for (const [, key] of code.matchAll(/\bt\('([^'$]+)'/g)) if (!(key in english)) problems.push(`unknown key ${key}`);
        // A text child of el(): a literal string in words after the props object.
        for (const [found] of code.matchAll(/\}\s*,\s*(['"`])[^'"`]*[A-Za-z]{3,} [A-Za-z]{2,}[^'"`]*\1/g)) problems.push(found);
        assert.deepEqual(problems, [], `${file}: literal texts a person sees`);
      });
    }
  });

  it('explains every official failure cause and pending status in every language, what to do where English says it', () => {
    for (const lang of EXPLANATION_LANGUAGES) {
      const table = EXPLANATION_TABLES[lang];
      assert.deepEqual(Object.keys(table.failure).sort(), [...FAILURE_CAUSES].sort(), lang);
      assert.deepEqual(Object.keys(table.pending).sort(), [...PENDING_STATUSES].sort(), lang);
      for (const cause of FAILURE_CAUSES) {
        assert.notEqual(table.failure[cause].text, '', `${lang} ${cause}`);
        assert.notEqual(table.failure[cause].whatToDo, '', `${lang} ${cause}`);
        if (lang !== 'en') assert.notEqual(table.failure[cause].text, EXPLANATION_TABLES.en.failure[cause].text, `${lang} ${cause} is English`);
      }
      for (const status of PENDING_STATUSES) {
        assert.notEqual(table.pending[status].text, '', `${lang} ${status}`);
        assert.equal(table.pending[status].whatToDo === '', EXPLANATION_TABLES.en.pending[status].whatToDo === '', `${lang} ${status}`);
      }
    }
  });

  it("picks the language from the UI's code ('fr-FR', 'de'), English for any other", () => {
    assert.equal(explainFailureIn('fr-FR', 'DoorsOpen').text, 'une portière (ou le coffre) est ouverte');
    assert.equal(explainPendingIn('de', 'WakingUpVehicle').text, 'das Auto wird geweckt (das kann ein, zwei Minuten dauern)');
    assert.equal(explainFailureIn('pt-BR', 'DoorsOpen').text, 'a door (or the boot) is open');
    assert.equal(explainFailureIn('es', 'SomethingNew').text, 'el coche ha rechazado la orden (SomethingNew)');
  });
});
