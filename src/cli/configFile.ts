/** Reads the --config file of an account command: what is wrong with it (missing, unreadable, not JSON) said with the file named. */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { CliError, UsageError } from './errors';

/** `command`: the command whose usage a missing --config shows (none: the general usage). */
export async function readConfigFile(configPath: string | undefined, command?: string): Promise<{ raw: unknown; file: string }> {
  if (!configPath) {
    throw new UsageError('missing --config <file.json>: the account configuration (the same object as the Homebridge/Node-RED config)', command);
  }
  const file = path.resolve(configPath);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `--config: file ${file} not found` : `--config: file ${file} is not readable (${code ?? 'error'})`);
  }
  try {
    return { raw: JSON.parse(text) as unknown, file };
  } catch (err) {
    throw new CliError(`--config: ${file} is not valid JSON (${(err as Error).message})`);
  }
}
