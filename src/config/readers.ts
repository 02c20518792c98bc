/**
 * The generic half of the validation: typed field readers (text, number, true/false, object, URL,
 * file path) that record a problem instead of throwing, so every problem is reported at once, and
 * the typo check for unknown keys. Secret values are never repeated in a message.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isObject } from '../util/isObject';

export interface ConfigProblem {
  key: string;
  message: string;
}

export type Json = Record<string, unknown>;

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'text';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The problems found so far; `secretKeys` are the keys whose values a message never shows. */
export class ProblemList {
  readonly items: ConfigProblem[] = [];
  constructor(private readonly secretKeys: ReadonlySet<string> = new Set()) {}

  add(key: string, message: string): void {
    this.items.push({ key, message });
  }

  /** A value as it may appear in a message: never for secret keys, and shortened. */
  shown(key: string, value: unknown): string {
    if (this.secretKeys.has(key)) return describeType(value);
    const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  }
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_x, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The known key `key` is most likely a typo of, if it clearly is one. */
export function likelyTypoOf(key: string, known: readonly string[]): string | undefined {
  if (known.includes(key)) return undefined;
  const lower = key.toLowerCase();
  const sameButCase = known.find((k) => k.toLowerCase() === lower);
  if (sameButCase) return sameButCase;
  if (key.length < 4) return undefined;
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d <= (k.length >= 8 ? 2 : 1) && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

/** Typed readers that record a problem and return undefined on a wrong type. */
export class Reader {
  constructor(private readonly problems: ProblemList) {}

  string(obj: Json, key: string, prefix: string, what: string): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.problems.add(prefix + key, `must be text (${what}), not ${describeType(value)}`);
      return undefined;
    }
    if (value.trim() === '') {
      this.problems.add(prefix + key, `is empty; ${what}`);
      return undefined;
    }
    return value.trim();
  }

  boolean(obj: Json, key: string, prefix: string): boolean | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.problems.add(prefix + key, `must be true or false, not ${this.problems.shown(prefix + key, value)}`);
      return undefined;
    }
    return value;
  }

  integer(obj: Json, key: string, prefix: string, min: number, max: number, unit: string): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      this.problems.add(prefix + key, `must be a whole number of ${unit} from ${min} to ${max}, not ${this.problems.shown(prefix + key, value)}`);
      return undefined;
    }
    if (value < min || value > max) {
      this.problems.add(prefix + key, `${value} is out of range; use ${min} to ${max} ${unit}`);
      return undefined;
    }
    return value;
  }

  object(obj: Json, key: string, prefix: string, what: string): Json | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    if (!isObject(value)) {
      this.problems.add(prefix + key, `must be an object (${what}), not ${describeType(value)}`);
      return undefined;
    }
    return value;
  }
}

export function checkTypos(obj: Json, known: readonly string[], prefix: string, problems: ProblemList): void {
  for (const key of Object.keys(obj)) {
    const meant = likelyTypoOf(key, known);
    if (meant !== undefined && obj[meant] === undefined) problems.add(prefix + key, `unknown key; did you mean '${meant}'?`);
  }
}

export function checkUrl(value: string | undefined, key: string, allowHttp: boolean, problems: ProblemList, what: string, keepAsIs = false): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.add(key, `${problems.shown(key, value)} is not a URL; ${what}`);
    return undefined;
  }
  if (url.protocol === 'https:' || (allowHttp && url.protocol === 'http:')) return keepAsIs ? value : value.replace(/\/+$/, '');
  const need = allowHttp ? 'an http:// or https:// URL' : 'an https:// URL';
  const hint = allowHttp ? '' : ' (http is allowed only with simulator: true)';
  problems.add(key, `must be ${need}${hint}; ${what}`);
  return undefined;
}

export function checkFile(file: string, key: string, baseDir: string, problems: ProblemList): void {
  const full = path.resolve(baseDir, file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    problems.add(key, `file ${full} not found`);
    return;
  }
  if (!stat.isFile()) {
    problems.add(key, `${full} is a folder, not a file`);
    return;
  }
  try {
    fs.accessSync(full, fs.constants.R_OK);
  } catch {
    problems.add(key, `file ${full} is not readable; check its permissions`);
  }
}

/** One line per problem: `key: message`. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${p.key}: ${p.message}`).join('\n');
}
