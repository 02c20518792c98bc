/**
 * `stellantis doctor`: checks the whole chain (configuration, certificate, login, API, vehicles,
 * callback, listener, wake-up quota) and prints one ✔/✖ line per check with what to do.
 * Exit code 0 only when every check passed.
 */
import * as path from 'node:path';
import { formatCheck, formatSummary, runDoctor } from '../../doctor';
import type { Command } from '../command';
import { readConfigFile } from '../configFile';
import { EXIT_ERROR, EXIT_OK, UsageError } from '../errors';

export const doctorCommand: Command = {
  options: [],
  async run(ctx) {
    if (ctx.params.length > 0) throw new UsageError(`doctor takes no argument (got '${ctx.params.join(' ')}')`, 'doctor');
    if (ctx.opts.accessToken !== undefined) {
      throw new UsageError('doctor checks the stored login: leave --access-token out (and give --storage <the folder Homebridge/Node-RED use>)', 'doctor');
    }
    const { raw, file } = await readConfigFile(ctx.opts.configPath, 'doctor');
    const input =
      ctx.opts.baseUrl !== undefined && typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>), baseUrl: ctx.opts.baseUrl } : raw;
    ctx.out.line(`Checking ${file} with the storage folder ${ctx.opts.storageDir}`);
    ctx.out.line('');
    const report = await runDoctor(input, {
      storageDir: ctx.opts.storageDir,
      baseDir: path.dirname(file),
      logger: ctx.logger,
      onCheck: (check) => ctx.out.line(formatCheck(check)),
    });
    ctx.out.line('');
    ctx.out.line(formatSummary(report));
    return report.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
  },
};
