/**
 * The CLI, callable in-process: `runCli(argv, io)` parses the command line, runs one command and
 * resolves with the exit code (0 ok, 1 error, 2 usage error). Errors are printed as their message
 * (which says what to do), never with a stack trace unless --debug, and never with a secret.
 */
import { scrubSecrets, StellantisError } from '../stellantis/errors';
import { parseArgs, checkAllowed, type OptionKind } from './args';
import { cliLogger, type Command } from './command';
import { callbacksCommand } from './commands/callbacks';
import { doctorCommand } from './commands/doctor';
import { loginCommand } from './commands/login';
import { sendCommand } from './commands/send';
import { simulateCommand } from './commands/simulate';
import { statusCommand } from './commands/status';
import { homeCommand } from './commands/home';
import { vehiclesCommand } from './commands/vehicles';
import { GLOBAL_OPTIONS, globalOptions } from './options';
import { CliError, EXIT_ERROR, EXIT_OK, EXIT_USAGE, UsageError } from './errors';
import { COMMAND_HELP, MAIN_HELP } from './help';
import { Out, type CliIo } from './io';
import { errorText } from '../util/errorText';

export type { CliIo } from './io';

export const COMMANDS: Readonly<Record<string, Command>> = {
  login: loginCommand,
  vehicles: vehiclesCommand,
  status: statusCommand,
  home: homeCommand,
  send: sendCommand,
  callbacks: callbacksCommand,
  simulate: simulateCommand,
  doctor: doctorCommand,
};

/** Every option any command takes, with its kind (the tokenizer needs to know which take a value). */
const OPTION_KINDS: Readonly<Record<string, OptionKind>> = {
  config: 'string',
  'base-url': 'string',
  'access-token': 'string',
  storage: 'string',
  debug: 'boolean',
  help: 'boolean',
  raw: 'boolean',
  wait: 'boolean',
  timeout: 'string',
  slot: 'string',
  days: 'string',
  start: 'string',
  end: 'string',
  disabled: 'boolean',
  'all-ours': 'boolean',
  port: 'string',
  vehicles: 'string',
  'time-scale': 'string',
  here: 'boolean',
  radius: 'string',
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const out = new Out(io);
  const secrets = new Set<string>();
  const debug = argv.includes('--debug');
  let command: string | undefined;
  try {
    const args = parseArgs(argv, OPTION_KINDS);
    const opts = globalOptions(args, io);
    if (opts.accessToken) secrets.add(opts.accessToken);
    const [name, ...params] = args.positionals;
    if (name === undefined || name === 'help') {
      const topic = name === 'help' ? params[0] : undefined;
      if (topic !== undefined && Object.prototype.hasOwnProperty.call(COMMAND_HELP, topic)) {
        out.line(COMMAND_HELP[topic]);
        return EXIT_OK;
      }
      if (args.options.get('help') === true || name === 'help') {
        out.line(MAIN_HELP);
        return EXIT_OK;
      }
      out.error(MAIN_HELP);
      return EXIT_USAGE;
    }
    const cmd = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!cmd) throw new UsageError(`unknown command '${name}'; one of: ${Object.keys(COMMANDS).join(', ')}`);
    command = name;
    checkAllowed(args, [...GLOBAL_OPTIONS, ...cmd.options], name);
    if (args.options.get('help') === true) {
      out.line(COMMAND_HELP[name]);
      return EXIT_OK;
    }
    return await cmd.run({ args, params, io, out, opts, logger: cliLogger(out, opts.debug), secrets });
  } catch (err) {
    return report(err, out, { debug, command: command ?? (err instanceof UsageError ? err.command : undefined), secrets });
  }
}

function report(err: unknown, out: Out, ctx: { debug: boolean; command?: string; secrets: Set<string> }): number {
  const scrub = (text: string): string => scrubSecrets(text, [...ctx.secrets]);
  const message = errorText(err);
  out.error(`stellantis: ${scrub(message)}`);
  // InvalidActionError (from the body builders) is a mistake in what was typed: a usage error too.
  const usage = err instanceof UsageError || (err instanceof Error && err.name === 'InvalidActionError');
  if (err instanceof UsageError) out.error(`Run 'stellantis ${ctx.command ?? ''}${ctx.command ? ' ' : ''}--help' for usage.`);
  if (ctx.debug && err instanceof Error && err.stack) out.error(scrub(err.stack));
  const explained = usage || err instanceof CliError || err instanceof StellantisError || (err instanceof Error && err.name === 'TlsConfigError');
  if (!explained && !ctx.debug) out.error('(unexpected error: run again with --debug for details, and please report it)');
  return usage ? EXIT_USAGE : EXIT_ERROR;
}
