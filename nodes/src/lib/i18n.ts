/**
 * Runtime texts a person sees in the editor (node status, messages), through Node-RED's own i18n.
 * They live in one catalog, the account node's (every Stellantis node needs an account), under the
 * "stellantis" key, and are asked for by their full name (`<module>/stellantis-account:stellantis.…`),
 * which every node set's RED._ passes through unchanged. Node-RED picks the runtime language from the
 * `lang` setting, else LC_ALL / LC_MESSAGES / LANG. Logs stay English (they do not go through here).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const NODE_MODULE = 'homebridge-stellantis';
const NAMESPACE = `${NODE_MODULE}/stellantis-account`;

export type Vars = Record<string, string | number>;
type RedTranslate = (key: string, vars?: Vars) => string;

let redTranslate: RedTranslate | undefined;

/** Hands the runtime's RED._ to the texts (each node set does it when Node-RED registers it). */
export function useRuntimeI18n(translate: RedTranslate | undefined): void {
  if (typeof translate === 'function') redTranslate = translate;
}

type Catalog = { [key: string]: string | Catalog };
let english: Catalog | undefined;

/** The English catalog, for when no runtime translation is there (unit use, or a runtime without catalogs). */
function englishCatalog(): Catalog {
  if (english) return english;
  // nodes/src/lib (sources) or dist/nodes/src/lib (build): the package root is the first with nodes/locales.
  let dir = __dirname;
  for (let i = 0; i < 6 && !fs.existsSync(path.join(dir, 'nodes', 'locales', 'en-US')); i += 1) dir = path.dirname(dir);
  const file = path.join(dir, 'nodes', 'locales', 'en-US', 'stellantis-account.json');
  english = JSON.parse(fs.readFileSync(file, 'utf8')) as Catalog;
  return english;
}

function lookUp(catalog: Catalog, key: string): string | undefined {
  let at: string | Catalog | undefined = catalog;
  for (const part of key.split('.')) at = typeof at === 'object' ? at[part] : undefined;
  return typeof at === 'string' ? at : undefined;
}

const interpolate = (text: string, vars: Vars = {}): string =>
  text.replace(/__([A-Za-z0-9]+)__/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));

/** The text of `key` (relative to "stellantis.", e.g. "status.noAccount") in the runtime language. */
export function t(key: string, vars?: Vars): string {
  const full = `stellantis.${key}`;
  const qualified = `${NAMESPACE}:${full}`;
  const translated = redTranslate?.(qualified, vars);
  if (typeof translated === 'string' && translated !== qualified && translated !== full) return translated;
  return interpolate(lookUp(englishCatalog(), full) ?? full, vars);
}
