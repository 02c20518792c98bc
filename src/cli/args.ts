/**
 * A small command-line parser: `--name value`, `--name=value`, boolean flags, `--` to end options.
 * Tokens such as `-33.86,151.2` (a negative coordinate) are positionals, not options.
 */
import { UsageError } from './errors';

export type OptionKind = 'boolean' | 'string';

/** Option name (without dashes) → kind. */
export type OptionSpec = Readonly<Record<string, OptionKind>>;

export interface ParsedArgs {
  positionals: string[];
  /** Last value wins for string options; booleans are `true` when present. */
  options: Map<string, string | true>;
}

const SHORT_ALIASES: Readonly<Record<string, string>> = { h: 'help' };

function looksLikeOption(token: string): boolean {
  return token.startsWith('-') && token.length > 1 && !/^-\d/.test(token) && !/^-\./.test(token);
}

export function parseArgs(argv: readonly string[], spec: OptionSpec): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!looksLikeOption(token)) {
      positionals.push(token);
      continue;
    }
    const isLong = token.startsWith('--');
    const body = isLong ? token.slice(2) : token.slice(1);
    const eq = body.indexOf('=');
    const rawName = eq >= 0 ? body.slice(0, eq) : body;
    const name = isLong ? rawName : SHORT_ALIASES[rawName];
    const kind = name === undefined ? undefined : spec[name];
    if (name === undefined || kind === undefined) throw new UsageError(`unknown option ${token.split('=')[0]}`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      options.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) value = body.slice(eq + 1);
    else if (i + 1 < argv.length && !looksLikeOption(argv[i + 1])) value = argv[++i];
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`);
    options.set(name, value);
  }
  return { positionals, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options.get(name);
  return typeof value === 'string' ? value : undefined;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.options.get(name) === true;
}

export function numberOption(
  args: ParsedArgs,
  name: string,
  limits: { min?: number; max?: number; integer?: boolean } = {},
): number | undefined {
  const raw = stringOption(args, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  const range =
    limits.min !== undefined && limits.max !== undefined
      ? ` between ${limits.min} and ${limits.max}`
      : limits.min !== undefined
        ? ` of at least ${limits.min}`
        : '';
  const what = limits.integer ? 'a whole number' : 'a number';
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    (limits.integer && !Number.isInteger(value)) ||
    (limits.min !== undefined && value < limits.min) ||
    (limits.max !== undefined && value > limits.max)
  ) {
    throw new UsageError(`option --${name}: '${raw}' is not ${what}${range}`);
  }
  return value;
}

/** Rejects options the command does not take (the tokenizer knows the union of every command's options). */
export function checkAllowed(args: ParsedArgs, allowed: readonly string[], command: string): void {
  for (const name of args.options.keys()) {
    if (!allowed.includes(name)) throw new UsageError(`option --${name} is not an option of '${command}'`, command);
  }
}
