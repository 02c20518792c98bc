/** The options every account command takes (kept light: loaded before any command module). */
import * as os from 'node:os';
import * as path from 'node:path';
import { flag, stringOption, type ParsedArgs } from './args';
import type { CliIo } from './io';

export const GLOBAL_OPTIONS = ['config', 'base-url', 'access-token', 'storage', 'debug', 'help'] as const;

export interface GlobalOptions {
  configPath?: string;
  baseUrl?: string;
  accessToken?: string;
  storageDir: string;
  debug: boolean;
}

export function globalOptions(args: ParsedArgs, io: CliIo): GlobalOptions {
  const home = io.env.HOME || io.env.USERPROFILE || os.homedir();
  const storage = stringOption(args, 'storage');
  return {
    configPath: stringOption(args, 'config'),
    baseUrl: stringOption(args, 'base-url'),
    accessToken: stringOption(args, 'access-token'),
    storageDir: storage ? path.resolve(storage) : path.join(home, '.stellantis'),
    debug: flag(args, 'debug'),
  };
}

