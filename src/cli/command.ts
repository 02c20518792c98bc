/** The shape of one CLI command, and what runCli hands it. */
import type { Logger } from '../util/logger';
import type { ParsedArgs } from './args';
import type { GlobalOptions } from './options';
import type { CliIo, Out } from './io';

export interface CommandContext {
  args: ParsedArgs;
  /** Positionals after the command name. */
  params: string[];
  io: CliIo;
  out: Out;
  opts: GlobalOptions;
  logger: Logger;
  /** Secret values met so far (tokens, client secret...): scrubbed from every error printed. */
  secrets: Set<string>;
}

export interface Command {
  /** Options of this command, besides the global ones. */
  options: readonly string[];
  run(ctx: CommandContext): Promise<number>;
}

/** Logger for the core modules: warnings and errors on stderr, debug only with --debug. */
export function cliLogger(out: Out, debug: boolean): Logger {
  return {
    debug: (msg) => {
      if (debug) out.error(`debug: ${msg}`);
    },
    info: (msg) => {
      if (debug) out.error(`info: ${msg}`);
    },
    warn: (msg) => out.error(`warning: ${msg}`),
    error: (msg) => out.error(`error: ${msg}`),
  };
}
